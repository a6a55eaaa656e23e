"""Rich tables for `esg improve`."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from .formatting import pct
from .improvement import Improvement

T: dict[str, tuple[str, str]] = {
    "cohort": ("전체 개선 (짝지은 협력사 {n}개사 평균)", "Cohort improvement (means over {n} paired suppliers)"),
    "metric": ("지표", "Metric"),
    "area": ("영역", "Area"),
    "compliance": ("준수율", "Compliance"),
    "score": ("점수", "Score"),
    "overall": ("전체", "Overall"),
    "change": ("변화", "Change"),
    "suppliers": ("협력사별 개선", "Improvement by supplier"),
    "supplier": ("협력사코드", "Supplier"),
    "name": ("협력사명", "Name"),
    "before": ("전", "Before"),
    "after": ("후", "After"),
    "indicators": ("지표별 준수 비율 (양쪽 모두 평가된 협력사 기준)",
                   "Indicators: share compliant (suppliers counted in both rounds)"),
    "indicator": ("지표", "Indicator"),
    "title": ("지표명", "Title"),
    "became": ("개선", "Became"),
    "regressed": ("후퇴", "Regressed"),
    "stayed": ("유지(준수)", "Stayed ✓"),
    "stayed_not": ("유지(미준수)", "Stayed ✗"),
    "grades": ("등급 분포", "Grade distribution"),
    "grade": ("등급", "Grade"),
    "only": ("한쪽 차수에만 있는 협력사 (평균에서 제외): 전만 {b}개사, 후만 {a}개사",
             "Suppliers in one round only (not averaged): before only {b}, after only {a}"),
}


def t(key: str, lang: str, **kw: Any) -> str:
    ko, en = T[key]
    return (ko if lang == "ko" else en).format(**kw)


def arrow(c: dict[str, Any]) -> str:
    """`44.0% → 87.9% (+43.9%p, +99.8%)`: both units labelled."""
    if c.get("mean_before") is None and c.get("before") is None:
        return "—"
    before = c.get("mean_before", c.get("before"))
    after = c.get("mean_after", c.get("after"))
    if before is None or after is None:
        return f"{pct(before)} → {pct(after)}"
    rel = "" if c["relative_pct"] is None else f", {c['relative_pct']:+.1f}%"
    return f"{before:.1f}% → {after:.1f}% ({c['delta_pp']:+.1f}%p{rel})"


def _pp(v: float | None) -> Text:
    if v is None:
        return Text("—")
    style = "green" if v > 0 else "red" if v < 0 else ""
    return Text(f"{v:+.1f}%p", style=style)


def cohort_table(data: dict[str, Any], imp: Improvement, lang: str) -> Table:
    cohort = data["cohort"]
    table = Table(title=t("cohort", lang, n=data["paired"]), title_justify="left")
    table.add_column(t("area", lang))
    table.add_column(f"{t('compliance', lang)} ({imp.before_name} → {imp.after_name})", no_wrap=True)
    table.add_column(f"{t('score', lang)} ({imp.before_name} → {imp.after_name})", no_wrap=True)
    table.add_row(Text(t("overall", lang), style="bold"), arrow(cohort["compliance"]),
                  arrow(cohort["score"]))
    q = imp.after.questionnaire
    for area in q.areas:
        values = cohort["areas"][area.id]
        table.add_row(Text(f"{area.id} {area.title.get(lang)}"), arrow(values["compliance"]),
                      arrow(values["score"]))
    return table


def supplier_table(rows: list[dict[str, Any]], imp: Improvement, lang: str, sort: str,
                   limit: int) -> Table:
    if sort == "delta":
        rows = sorted(rows, key=lambda r: -(r["compliance"]["delta_pp"] or -1e9))
    elif sort == "after":
        rows = sorted(rows, key=lambda r: -(r["compliance"]["after"] or -1e9))
    table = Table(title=t("suppliers", lang), title_justify="left")
    for key in ("supplier", "name"):
        table.add_column(t(key, lang))
    table.add_column(f"{t('compliance', lang)} {t('before', lang)}", justify="right")
    table.add_column(f"{t('compliance', lang)} {t('after', lang)}", justify="right")
    table.add_column(t("change", lang), justify="right")
    for area in imp.area_ids:
        table.add_column(f"{area} {t('change', lang)}", justify="right")
    for row in rows[:limit]:
        c = row["compliance"]
        table.add_row(Text(row["supplier_id"]), Text(row["supplier_name"] or ""), pct(c["before"]),
                      pct(c["after"]), _pp(c["delta_pp"]),
                      *[_pp(row["areas"][a]["compliance"]["delta_pp"]) for a in imp.area_ids])
    return table


def indicator_table(rows: list[dict[str, Any]], imp: Improvement, lang: str, top: int) -> Table:
    by_id = imp.after.questionnaire.indicator_by_id
    table = Table(title=t("indicators", lang), title_justify="left")
    for key in ("indicator", "title"):
        table.add_column(t(key, lang))
    table.add_column(t("before", lang), justify="right")
    table.add_column(t("after", lang), justify="right")
    table.add_column(t("change", lang), justify="right")
    for key in ("became", "regressed", "stayed", "stayed_not"):
        table.add_column(t(key, lang), justify="right")
    known = [r for r in rows if r["delta_pp"] is not None]
    shown = known if len(known) <= 2 * top else known[:top] + known[-top:]
    for k, row in enumerate(shown):
        if len(known) > 2 * top and k == top:
            table.add_row("…", "", "", "", "", "", "", "", "")
        title = by_id[row["indicator"]].title.get(lang) + (" ⚠" if row["definition_changed"] else "")
        table.add_row(Text(row["indicator"]), Text(title), pct(row["compliant_before_pct"]),
                      pct(row["compliant_after_pct"]), _pp(row["delta_pp"]),
                      str(row["became_compliant"]), str(row["regressed"]),
                      str(row["stayed_compliant"]), str(row["stayed_non_compliant"]))
    return table


def grade_table(grades: dict[str, Any], imp: Improvement, lang: str) -> Table:
    table = Table(title=t("grades", lang), title_justify="left")
    table.add_column(t("grade", lang))
    table.add_column(f"{t('before', lang)} ({imp.before_name})", justify="right")
    table.add_column(f"{t('after', lang)} ({imp.after_name})", justify="right")
    for grade in grades["before"]:
        b, a = grades["before"][grade], grades["after"][grade]
        table.add_row(Text(grade), f"{b['count']} ({pct(b['share_pct'])})",
                      f"{a['count']} ({pct(a['share_pct'])})")
    return table


def unpaired_line(data: dict[str, Any], lang: str) -> str:
    line = t("only", lang, b=len(data["only_before"]), a=len(data["only_after"]))
    ids = [*(f"{s} ({'전' if lang == 'ko' else 'before'})" for s in data["only_before"]),
           *(f"{s} ({'후' if lang == 'ko' else 'after'})" for s in data["only_after"])]
    return line + (": " + ", ".join(ids) if ids else "")
