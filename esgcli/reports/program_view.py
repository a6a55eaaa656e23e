"""The program-to-date block (§8) as labelled rows, shared by the HTML, Markdown and Excel report."""

from __future__ import annotations

from typing import Any

from esgcli.base.formatting import pct, pp, rel
from esgcli.base.labels import label
from esgcli.questionnaire.diff_text import field_names


def in_questionnaire_order(rows: list[dict[str, Any]], q: dict[str, Any]) -> list[dict[str, Any]]:
    """The improvement's indicator rows (sorted by change) in the questionnaire's order, as the
    report's per-indicator tables show them."""
    position = {ind: k for k, ind in enumerate(q["indicators"])}
    return sorted(rows, key=lambda r: position.get(r["indicator"], len(position)))


def years_text(years: list[int]) -> str:
    if not years:
        return "—"
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def program_rows(ptd: dict[str, Any], lang: str) -> list[tuple[str, Any, str]]:
    """(label, value, kind) rows: kind "pct", "pp", "rel" or "" (count or text)."""
    c = ptd["compliance"]
    rows: list[tuple[str, Any, str]] = [
        (label("years", lang), years_text(ptd["years"]), ""),
        (label("participations", lang), ptd["participations"], ""),
        (label("distinct_suppliers", lang), ptd["suppliers"], ""),
        (f"{label('cohort', lang)} · {label('before', lang)}", c["mean_before"], "pct"),
        (f"{label('cohort', lang)} · {label('after', lang)}", c["mean_after"], "pct"),
        (label("change_pp", lang), c["delta_pp"], "pp"),
        (label("relative", lang), c["relative_pct"], "rel"),
    ]
    if ptd["certified"] is not None:
        key = "certified_any" if ptd.get("certified_basis") == "registry" else "qualified_any"
        rows += [(label("evaluated", lang), ptd["evaluated"], ""),
                 (label(key, lang), ptd["certified"], ""),
                 (f"{label(key, lang)} {label('share', lang)}", ptd["certified_pct"], "pct")]
    return rows


def shown(value: Any, kind: str, lang: str) -> str:
    """A row's value as text: one decimal and its unit."""
    if kind == "pct":
        return pct(value)
    if kind == "pp":
        return pp(value, lang)
    if kind == "rel":
        return rel(value)
    return "—" if value is None else str(value)


def method_note(ptd: dict[str, Any], lang: str) -> str | None:
    """One line per change of questionnaire version along the years, or None."""
    if not ptd.get("method_changes"):
        return None
    lines = []
    for change in ptd["method_changes"]:
        a, b = change["from"], change["to"]
        changed = ", ".join(f"{i['indicator']} ({field_names(i['fields'], lang)})"
                            for i in change["indicators"])
        extra = []
        if changed:
            extra.append(f"{label('change_defined', lang)} {changed}")
        if change["added"]:
            extra.append(f"{label('diff_added', lang)} {', '.join(change['added'])}")
        if change["removed"]:
            extra.append(f"{label('diff_removed', lang)} {', '.join(change['removed'])}")
        lines.append(f"{a['year']} {a['id']} {a['version']} → {b['year']} {b['id']} {b['version']}"
                     + (f": {'; '.join(extra)}" if extra else ""))
    return f"{label('method_change_note', lang)}: " + " · ".join(lines)

def method_questionnaires(method: dict[str, Any]) -> list[dict[str, Any]]:
    """The questionnaires the method names: each one used when the years differ, else the one."""
    used = method.get("questionnaires") or []
    return used if len(used) > 1 else [method["questionnaire"]]


def questionnaire_years(q: dict[str, Any], method: dict[str, Any]) -> str:
    """` (2023)` after a questionnaire when several were used, else nothing."""
    if len(method.get("questionnaires") or []) <= 1:
        return ""
    return f" ({', '.join(str(y) for y in q['years'])})"
