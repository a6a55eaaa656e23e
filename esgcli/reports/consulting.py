"""The report's "consulting" section (SPEC §13 in §8): the corrective action plan in aggregate.

`esg report ... --actions plan.xlsx` reviews the plan against the report year's after round:
actions, closure rate, overdue actions and the share of done actions whose indicator is now
compliant (verified). Aggregates only, as the sponsor sees them. One dictionary, rendered by
the HTML, Markdown and Excel writers with the functions below.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from esgcli.answers.answerset import AnswerSet
from esgcli.base.formatting import pct
from esgcli.base.labels import label
from esgcli.engine.actions import ReadPlan, read_plan, review_plan


def _l(key: str, lang: str) -> str:
    return label(f"consulting.{key}", lang)


def build_consulting(plan: ReadPlan, followup: AnswerSet | None, today: dt.date,
                     year: int | None = None, round_name: str | None = None) -> dict[str, Any]:
    """The plan's review in aggregate (the `consulting` key of report.json)."""
    review = review_plan(plan, today, followup, round_name, year)
    return {"plan": plan.file, "date": today.isoformat(), "followup_round": review.followup_round,
            **review.summary}


def consulting_for(plan_path: Path, sets: list[AnswerSet], year: int, generated_at: str,
                   after: str | None = None) -> dict[str, Any]:
    """The section for `esg report`: the plan reviewed against the report year's answers (the
    after round), overdue as of the report's generation date."""
    from esgcli.reports.data import merge, split_years

    answers = next(y.answers for y in split_years(sets, year) if y.year == year)
    two_files = len(answers) == 2 and all(len(s.rounds()) <= 1 for s in answers)
    followup = answers[-1] if len(answers) == 1 or two_files else merge(answers, year)
    today = dt.date.fromisoformat(generated_at[:10]) if generated_at else dt.date.today()
    return build_consulting(read_plan(plan_path), followup, today, round_name=after)


def consulting_rows(c: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(label, value) lines, the same in every format."""
    rows = [(_l("plan", lang), c["plan"]), (_l("as_of", lang), c["date"]),
            (_l("suppliers", lang), str(c["suppliers"])), (_l("actions", lang), str(c["actions"])),
            (_l("done", lang), str(c["done"])), (_l("closure", lang), pct(c["closure_pct"])),
            (_l("overdue", lang), str(c["overdue"]))]
    if c["verified"] is None:
        rows.append((_l("verified_share", lang), _l("no_followup", lang)))
    else:
        rows += [(_l("followup", lang), str(c["followup_round"] or "—")),
                 (_l("verified", lang), str(c["verified"])),
                 (_l("not_verified", lang), str(c["not_verified"])),
                 (_l("verified_share", lang), pct(c["verified_pct"])),
                 (_l("improved", lang), str(c["improved_without_action"]))]
    return rows


def consulting_html(c: dict[str, Any], lang: str) -> str:
    from esgcli.reports.escape import e

    body = "".join(f"<tr><td>{e(k)}</td><td class='n'>{e(v)}</td></tr>"
                   for k, v in consulting_rows(c, lang))
    return (f"<h2>{e(_l('consulting', lang))}</h2><div class='scroll'><table><tbody>{body}"
            "</tbody></table></div>")


def consulting_markdown(c: dict[str, Any], lang: str) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")

    lines = [f"## {_l('consulting', lang)}", "", "| | |", "|---|---|"]
    lines += [f"| {cell(k)} | {cell(v)} |" for k, v in consulting_rows(c, lang)]
    return [*lines, ""]


def consulting_sheet(book: Any, c: dict[str, Any], lang: str) -> None:
    from openpyxl.styles import Font

    from esgcli.base.cells import spreadsheet_value

    sheet = book.create_sheet(_l("consulting", lang)[:31])
    sheet["A1"] = _l("consulting", lang)
    sheet["A1"].font = Font(bold=True, size=14)
    for r, (key, value) in enumerate(consulting_rows(c, lang), start=3):
        sheet.cell(row=r, column=1, value=key)
        sheet.cell(row=r, column=2, value=spreadsheet_value(value))
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 28
