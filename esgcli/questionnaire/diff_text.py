"""`esg questionnaire diff` in words: what changed inside a field (`kpi points 1 → 2`), in the
reader's language, instead of whole old and new values."""

from __future__ import annotations

from typing import Any

from esgcli.base.labels import LABELS, label
from esgcli.base.tokens import format_number


def plain_value(value: Any, lang: str) -> str:
    if value is None:
        return label("diff_none", lang)
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if isinstance(value, (int, float)):
        return format_number(float(value))
    if isinstance(value, dict) and set(value) <= {"ko", "en"}:
        return str(value.get(lang) or value.get("ko") or value.get("en") or "")
    if isinstance(value, list):
        return ", ".join(plain_value(v, lang) for v in value) or label("diff_none", lang)
    return str(value)


def field_names(fields: list[str], lang: str) -> str:
    """The changed parts of an indicator's definition (`QuestionnaireDiff.changed[...]["fields"]`)
    in the reader's words: `준수 기준 점수, 가중치`, not the keys `pass_points, weight`."""
    return ", ".join(label(f"diff_{f}", lang) if f"diff_{f}" in LABELS else f for f in fields)


def _texts(name: str, old: Any, new: Any, lang: str) -> list[str]:
    """A text in two languages: one line per language that changed, naming the language."""
    old, new = old or {}, new or {}
    return [f"{name} ({code}): {old.get(code) or '—'} → {new.get(code) or '—'}"
            for code in ("ko", "en") if old.get(code) != new.get(code)]


def _rules(rules: list[dict[str, Any]] | None) -> str:
    parts = []
    for rule in rules or []:
        bounds = [f"≥ {format_number(rule['min'])}" if rule.get("min") is not None else "",
                  f"≤ {format_number(rule['max'])}" if rule.get("max") is not None else ""]
        parts.append(f"{' '.join(b for b in bounds if b)} = {format_number(rule['points'])}")
    return ", ".join(parts) or "—"


def _entries(scale: dict[str, Any]) -> dict[str, dict[str, Any]]:
    key = "options" if scale.get("type") == "choice" else "items"
    return {plain_value(entry["value"], "en"): entry for entry in scale.get(key) or []}


def scale_changes(old: dict[str, Any] | None, new: dict[str, Any] | None, lang: str) -> list[str]:
    """Option by option (points, label per language, aliases, added, removed), or the rules of
    a number scale; the answer type when it changed."""
    if old is None or new is None or old.get("type") != new.get("type"):
        kinds = [(s or {}).get("type") or "—" for s in (old, new)]
        return [f"{label('diff_type', lang)}: {kinds[0]} → {kinds[1]}"]
    lines: list[str] = []
    if old["type"] in ("choice", "checklist"):
        before, after = _entries(old), _entries(new)
        for value in [v for v in before if v not in after]:  # in the file's order
            lines.append(f"{value} {label('diff_removed', lang)}")
        for value, entry in after.items():
            if value not in before:
                lines.append(f"{value} {label('diff_added', lang)} "
                             f"({label('diff_points', lang)} {plain_value(entry['points'], lang)})")
                continue
            a = before[value]
            if a["points"] != entry["points"]:
                lines.append(f"{value} {label('diff_points', lang)} {plain_value(a['points'], lang)} → "
                             f"{plain_value(entry['points'], lang)}")
            if a.get("label") != entry.get("label"):
                lines += _texts(f"{value} {label('diff_label', lang)}", a.get("label"),
                                entry.get("label"), lang)
            gone = [str(x) for x in a.get("aliases") or [] if x not in (entry.get("aliases") or [])]
            new_aliases = [str(x) for x in entry.get("aliases") or [] if x not in (a.get("aliases") or [])]
            if gone or new_aliases:
                change = [f"+{x}" for x in new_aliases] + [f"−{x}" for x in gone]
                lines.append(f"{value} {label('diff_aliases', lang)} {', '.join(change)}")
        shared = [v for v in before if v in after]
        if not lines and shared != [v for v in after if v in before]:
            lines.append(f"{label('diff_order', lang)}: {', '.join(before)} → {', '.join(after)}")
        rest = {k for k in {*old, *new} if k not in ("type", "options", "items")}
    else:
        if old.get("points") != new.get("points"):
            lines.append(f"{label('diff_points', lang)}: {_rules(old.get('points'))} → "
                         f"{_rules(new.get('points'))}")
        rest = {k for k in {*old, *new} if k not in ("type", "points")}
    for key in sorted(rest):
        if old.get(key) != new.get(key):
            name = label(f"diff_{key}", lang) if f"diff_{key}" in _KNOWN else key
            lines.append(f"{name}: {plain_value(old.get(key), lang)} → {plain_value(new.get(key), lang)}")
    return lines


_KNOWN = {"diff_range", "diff_unit", "diff_pass_points"}


def change_lines(change: dict[str, Any], lang: str) -> list[str]:
    """One changed indicator of `QuestionnaireDiff.changed` as readable lines."""
    lines: list[str] = []
    for field in change["fields"]:
        old, new = change["old"][field], change["new"][field]
        if field == "title":
            lines += _texts(label("diff_title", lang), old, new, lang)
        elif field == "scale":
            lines += scale_changes(old, new, lang)
        else:
            lines.append(f"{label('diff_' + field, lang)}: {plain_value(old, lang)} → {plain_value(new, lang)}")
    return lines
