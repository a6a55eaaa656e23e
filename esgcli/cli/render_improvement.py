"""Rich tables for `esg improve`."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from esgcli.base.formatting import pct, pp
from esgcli.base.labels import label as label_text
from esgcli.cli.fit import Column, Fitted, fit_table
from esgcli.engine.improvement import Improvement


def t(key: str, lang: str, **kw: Any) -> str:
    """A word of the improvement tables (base.labels `improve.*`)."""
    return label_text(f"improve.{key}", lang, **kw)


def arrow(c: dict[str, Any], lang: str = "ko", lines: bool = False) -> str:
    """`44.0% → 87.9% (+43.9%p, +99.8%)`: both units labelled; the change on a line of its own
    with ``lines``."""
    if c.get("mean_before") is None and c.get("before") is None:
        return "—"
    before = c.get("mean_before", c.get("before"))
    after = c.get("mean_after", c.get("after"))
    if before is None or after is None:
        return f"{pct(before)} → {pct(after)}"
    rel = "" if c["relative_pct"] is None else f", {c['relative_pct']:+.1f}%"
    return f"{before:.1f}% → {after:.1f}%{chr(10) if lines else ' '}({pp(c['delta_pp'], lang)}{rel})"


def _pp(v: float | None, lang: str) -> Text:
    if v is None:
        return Text("—")
    style = "green" if v > 0 else "red" if v < 0 else ""
    return Text(pp(v, lang), style=style)


def highest_first(value: float | None) -> tuple[bool, float]:
    """A sort key: highest first, unknown (None) last; a 0.0 change is a value like any other."""
    return (value is None, 0.0 if value is None else -value)


def cohort_table(data: dict[str, Any], imp: Improvement, lang: str, width: int = 200) -> Fitted:
    cohort = data["cohort"]
    rounds = f"({imp.before_name} → {imp.after_name})"
    scopes = [(Text(t("overall", lang), style="bold"), cohort)]
    q = imp.after.questionnaire
    scopes += [(Text(f"{area.id} {area.title.get(lang)}"), cohort["areas"][area.id])
               for area in q.areas]
    columns = [Column(t("area", lang), [name for name, _ in scopes], "name")]
    for metric in ("compliance", "score"):
        columns.append(Column(
            f"{t(metric, lang)} {rounds}", [Text(arrow(v[metric], lang, lines=True)) for _, v in scopes],
            short_header=f"{t(metric, lang)}\n{rounds}",
            wide=[Text(arrow(v[metric], lang)) for _, v in scopes]))
    return fit_table(columns, width, title=t("cohort", lang, n=data["paired"]))


def supplier_table(rows: list[dict[str, Any]], imp: Improvement, lang: str, sort: str,
                   limit: int, width: int = 200) -> Fitted:
    if sort in ("delta", "after"):
        field = "delta_pp" if sort == "delta" else "after"
        rows = sorted(rows, key=lambda r: highest_first(r["compliance"][field]))
    rows = rows[:limit]
    compliance = [r["compliance"] for r in rows]
    columns = [
        Column(t("supplier", lang), [Text(r["supplier_id"]) for r in rows], "key",
               short_header=t("supplier_short", lang)),
        Column(t("name", lang), [Text(r["supplier_name"] or "") for r in rows], "name"),
        Column(f"{t('compliance', lang)} {t('before', lang)}", [Text(pct(c["before"])) for c in compliance],
               justify="right", short_header=f"{t('compliance', lang)}\n{t('before', lang)}",
               group="rates"),
        Column(f"{t('compliance', lang)} {t('after', lang)}", [Text(pct(c["after"])) for c in compliance],
               justify="right", short_header=f"{t('compliance', lang)}\n{t('after', lang)}",
               group="rates"),
        Column(t("change", lang), [_pp(c["delta_pp"], lang) for c in compliance], justify="right"),
    ]
    for area in imp.area_ids:
        columns.append(Column(
            f"{area} {t('change', lang)}",
            [_pp(r["areas"][area]["compliance"]["delta_pp"], lang) for r in rows],
            justify="right", drop=1, short_header=f"{area}\n{t('change', lang)}", group="areas"))
    return fit_table(columns, width, title=t("suppliers", lang))


def indicator_table(rows: list[dict[str, Any]], imp: Improvement, lang: str, top: int,
                    width: int = 200) -> Fitted:
    by_id = imp.after.questionnaire.indicator_by_id
    known = [r for r in rows if r["delta_pp"] is not None]
    shown: list[dict[str, Any] | None] = list(known)
    if len(known) > 2 * top:
        shown = [*known[:top], None, *known[-top:]]

    def cells(fn: Any) -> list[Text]:
        return [Text("…") if r is None else fn(r) for r in shown]

    def title(r: dict[str, Any]) -> Text:
        return Text(by_id[r["indicator"]].title.get(lang) + (" ⚠" if r["definition_changed"] else ""))

    columns = [
        Column(t("indicator", lang), cells(lambda r: Text(r["indicator"])), "key"),
        Column(t("title", lang), cells(title), "text"),
        Column(t("before", lang), cells(lambda r: Text(pct(r["compliant_before_pct"]))), justify="right"),
        Column(t("after", lang), cells(lambda r: Text(pct(r["compliant_after_pct"]))), justify="right"),
        Column(t("change", lang), cells(lambda r: _pp(r["delta_pp"], lang)), justify="right"),
    ]
    counts = (("became", "became_compliant"), ("regressed", "regressed"),
              ("stayed", "stayed_compliant"), ("stayed_not", "stayed_non_compliant"))
    for k, (key, field) in enumerate(counts):
        columns.append(Column(t(key, lang), cells(lambda r, f=field: Text(str(r[f]))),
                              justify="right", drop=1 + k // 2,
                              short_header=t(key + "_short", lang), group="counts"))
    return fit_table(columns, width, title=t("indicators", lang))


def grade_table(grades: dict[str, Any], imp: Improvement, lang: str, width: int = 200) -> Fitted:
    names = list(grades["before"])

    def share(side: str) -> list[Text]:
        return [Text(f"{grades[side][g]['count']} ({pct(grades[side][g]['share_pct'])})")
                for g in names]

    columns = [Column(t("grade", lang), [Text(g) for g in names], "key"),
               Column(f"{t('before', lang)} ({imp.before_name})", share("before"), justify="right"),
               Column(f"{t('after', lang)} ({imp.after_name})", share("after"), justify="right")]
    return fit_table(columns, width, title=t("grades", lang))


def unpaired_line(data: dict[str, Any], lang: str) -> str:
    line = t("only", lang, b=len(data["only_before"]), a=len(data["only_after"]))
    before = label_text("cli.improve.side_before", lang)
    after = label_text("cli.improve.side_after", lang)
    ids = [*(f"{s} ({before})" for s in data["only_before"]),
           *(f"{s} ({after})" for s in data["only_after"])]
    return line + (": " + ", ".join(ids) if ids else "")
