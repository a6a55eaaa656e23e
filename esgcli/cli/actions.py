"""`esg actions` (make a corrective action plan) and `esg actions review` (follow it up)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from esgcli.base.formatting import pct
from esgcli.base.labels import label
from esgcli.base.problems import InputError, Problem, UsageError
from esgcli.cli.emit import Serves, emit
from esgcli.cli.feedback import PathsArg, PolicyOpt, RoundOpt, YearOpt, load_paths
from esgcli.cli.fit import Column, Kind, fit_table, short_names
from esgcli.cli.lang import run_language
from esgcli.cli.options import (
    AfterOpt,
    BeforeOpt,
    Format,
    FormatOpt,
    LangOpt,
    OnDuplicate,
    OnDuplicateOpt,
    QuestionnaireOpt,
    SheetOpt,
    SkipInvalidOpt,
    TableOrJsonOpt,
)
from esgcli.cli.registry import parse_date, say
from esgcli.cli.render import dropped_note, make_console, render_problems
from esgcli.outputs.files import csv_text
from esgcli.outputs.tables import lazy_localised_sheets


class PlanGroup(TyperGroup):
    """`esg actions PATH...` runs `make`; `esg actions review ...` runs `review`."""

    default = "make"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


actions_app = typer.Typer(
    cls=PlanGroup, no_args_is_help=True,
    help="개선과제 / Corrective action plans: make one from the answers, then review it.")


def register(app: typer.Typer) -> None:
    """Add `esg actions` (make, review) to the application."""
    app.add_typer(actions_app, name="actions")


MAKE_SERVES = Serves(formats=(Format.table, Format.json))  # -o: the plan workbook itself
PLAN_FILE = Serves(formats=(Format.table,), files=(".xlsx",))
REVIEW_SERVES = Serves(files=(".xlsx", ".csv", ".json"))


@actions_app.command("make")
def actions_make(
    paths: PathsArg,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="PLAN.xlsx", help="쓸 개선과제 "
                                         "계획 (.xlsx) / The plan workbook (.xlsx) to write.")],
    policy: PolicyOpt = None,
    due: Annotated[str | None, typer.Option("--due", metavar="YYYY-MM-DD", help="모든 과제에 "
                                            "넣을 기한 / Due date filled in for every action.")] = None,
    force: Annotated[bool, typer.Option("--force", help="이미 있는 계획 (운영자가 고친 내용 포함)을 "
                                        "바꿈 / Replace an existing plan (and the operator's "
                                        "edits in it).")] = False,
    questionnaire: QuestionnaireOpt = None,
    round_name: RoundOpt = None,
    before: BeforeOpt = None,
    after: AfterOpt = None,
    year: YearOpt = None,
    output_format: TableOrJsonOpt = Format.table,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.error,
) -> None:
    """개선과제 작성 / Write the corrective action plan workbook (`esg actions PATH...`).

    One row per supplier and counted non-compliant indicator of the judged round (as certify
    judges it): current answer, what passes, priority (critical, then to-qualify for the
    indicators of the supplier's certify gap with --policy, then other), owner, due date,
    status (미착수/진행중/완료/보류) and a note.

    \b
    Examples:
      esg actions examples/suppliers.xlsx --round 사전 -o plan.xlsx --policy esg-excellent
      esg actions make inbox.xlsx -o plan.xlsx --due 2024-09-30
    """
    from esgcli.engine.actions import build_plan
    from esgcli.questionnaire.policy import resolve_policy
    from esgcli.reports.plan_xlsx import write_plan_xlsx

    MAKE_SERVES.check(output_format, None)
    due_date = parse_date(due) if due else None
    if output.exists() and not force and _holds_plan(output):  # the operator's edits
        raise UsageError.of("USE-043", path=output)
    PLAN_FILE.check(Format.table, output, paths, force)
    pol = resolve_policy(policy) if policy else None
    data, language = load_paths(paths, questionnaire, sheet, lang, skip_invalid,
                                pol.model.questionnaire if pol else None, on_duplicate)
    if pol is not None:
        pol.check_questionnaire(data.questionnaire)
    plan = build_plan(data, pol, due_date, language, round_name, before, after, year)
    write_plan_xlsx(plan, output)
    err = make_console(stderr=True)
    if plan.notes:
        render_problems(err, plan.notes, language)
    if plan.not_evaluated:
        err.print(Text(say("RPT-012", language, ids=", ".join(plan.not_evaluated))),
                  soft_wrap=True)
    err.print(Text(say("RPT-013", language, path=output, actions=len(plan.actions),
                       suppliers=plan.suppliers)), soft_wrap=True)
    emit(plan, output_format, None, language, table=lambda: _plan_table(plan, language))


def _plan_table(plan: Any, language: str) -> None:
    counts: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for a in plan.actions:
        counts.setdefault(a.supplier_id, {"critical": 0, "to-qualify": 0, "other": 0})
        counts[a.supplier_id][a.priority] += 1
        names[a.supplier_id] = a.supplier_name or ""
    values: dict[str, list[str]] = {
        "supplier": list(counts), "name": [names[sid] for sid in counts],
        "actions": [str(sum(c.values())) for c in counts.values()],
        "critical": [str(c["critical"]) for c in counts.values()],
        "to_qualify": [str(c["to-qualify"]) for c in counts.values()],
        "other": [str(c["other"]) for c in counts.values()]}
    kinds: dict[str, Kind] = {"supplier": "key", "name": "name"}
    columns = [Column(label(f"plan.table.{key}", language), [Text(v) for v in cells],
                      kinds.get(key, "number"), justify="left" if key in kinds else "right")
               for key, cells in values.items()]
    out = make_console()
    fitted = fit_table(columns, out.width)
    out.print(fitted.table)
    dropped_note(make_console(stderr=True), fitted.dropped, language)


def _holds_plan(path: Path) -> bool:
    from esgcli.engine.actions import read_plan

    try:
        return bool(read_plan(path).rows)
    except InputError as exc:
        # a plan with bad cells is still an operator's plan
        return any(p.code in ("PLN-002", "PLN-003", "PLN-004", "ROW-001") for p in exc.problems)


@actions_app.command("review")
def actions_review(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="운영자가 고친 개선과제 계획 / "
                                              "The plan workbook as the operator edited it.",
                                              show_default=False)],
    after_paths: Annotated[list[Path] | None, typer.Argument(
        metavar="AFTER_PATH...", help="후속 평가 응답: 완료 과제를 검증 / Follow-up answers: "
        "verify the done actions.", show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="이 날짜 전이 "
                                             "기한이면 기한 경과 (기본: 오늘) / Overdue means due "
                                             "before this date (default: today).")] = None,
    questionnaire: QuestionnaireOpt = None,
    round_name: Annotated[str | None, typer.Option("--round", metavar="ROUND", help="응답의 "
                                                   "후속 차수 (기본: 사후 차수) / Follow-up round of "
                                                   "the answers (default: the after round).")] = None,
    year: YearOpt = None,
    output_format: FormatOpt = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE", help="점검 "
                                                "결과를 파일로 (.xlsx, .csv, .json) / Write the "
                                                "review (.xlsx, .csv, .json).")] = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.error,
) -> None:
    """개선과제 점검 / Closure, overdue actions and, with follow-up answers, verification.

    Per supplier and for the program: actions, done, closure rate, overdue actions (due before
    --date and not done); with the follow-up answers, done actions whose indicator is now
    compliant (verified) or not (not verified), and indicators met without a done action.

    \b
    Examples:
      esg actions review plan.xlsx --date 2024-10-01
      esg actions review plan.xlsx followup.xlsx --format json
      esg actions review plan.xlsx examples/suppliers.xlsx -o review.xlsx
    """
    from esgcli.engine.actions import read_plan, review_plan

    today = parse_date(date)
    after_paths = list(after_paths or [])
    REVIEW_SERVES.check(output_format, output, [plan_file, *after_paths])
    plan = read_plan(plan_file)
    followup = None
    if after_paths:
        ref = questionnaire or plan.meta.get("questionnaire_id")
        followup, _ = load_paths(after_paths, ref, sheet, lang, skip_invalid,
                                 on_duplicate=on_duplicate)
    # --lang, else $ESG_LANG, else the language the plan was written in
    language = run_language(lang.value if lang else None, plan.meta.get("language"))
    result = review_plan(plan, today, followup, round_name, year)
    planned = plan.meta.get("round")
    if followup is not None and planned and result.followup_round == planned:
        make_console(stderr=True).print(Text(Problem(
            code="PLN-005", severity="warning", params={"round": planned}).message(language),
            style="yellow"), soft_wrap=True)
    data = result.to_dict()
    # -o .xlsx in the run's language, as `score -o`; CSV keeps the keys
    sheets, percent = lazy_localised_sheets(lambda: [("review", *review_rows(data))], language,
                                            lambda name: name.endswith("_pct"))
    emit(result, output_format, output, language, sheets=sheets, percent_columns=percent,
         csv=lambda: csv_text(*review_rows(data)),
         table=lambda: _review_table(data, result.followup, language))


def review_rows(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = ["supplier_id", "supplier_name", "actions", "done", "closure_pct", "overdue",
              "verified", "not_verified", "improved_without_action", "overdue_indicators",
              "not_verified_indicators"]
    rows = []
    for s in data["suppliers"]:
        rows.append([s["supplier_id"], s["supplier_name"], s["actions"], s["done"],
                     s["closure_pct"], len(s["overdue"]),
                     None if s["verified"] is None else len(s["verified"]),
                     None if s["not_verified"] is None else len(s["not_verified"]),
                     None if s["improved_without_action"] is None
                     else len(s["improved_without_action"]),
                     ";".join(s["overdue"]), ";".join(s["not_verified"] or [])])
    return header, rows


NAME_WIDTH = 14  # cells of a name in the review table (shortened to stay distinct)


def _review_table(data: dict[str, Any], followup: bool, lang: str) -> None:
    table = Table(title=label("plan.review.title", lang, date=data["date"]), title_justify="left")
    columns = [("plan.table.supplier", "left"), ("plan.table.name", "left"),
               ("plan.table.actions", "right"), ("plan.review.done", "right"),
               ("plan.review.closure", "right"), ("plan.review.overdue", "right")]
    if followup:
        columns += [("plan.review.verified", "right"), ("plan.review.not_verified", "right"),
                    ("plan.review.improved", "right")]
    for key, justify in columns:
        is_name = key == "plan.table.name"
        table.add_column(label(key, lang), no_wrap=not is_name, max_width=NAME_WIDTH if is_name else None,
                         overflow="ellipsis", justify="left" if justify == "left" else "right")

    def count(value: list[str] | None) -> str:
        return "—" if value is None else str(len(value))

    names = short_names([s["supplier_name"] or "" for s in data["suppliers"]], NAME_WIDTH)
    for s, name in zip(data["suppliers"], names, strict=True):
        row: list[Text | str] = [
            Text(s["supplier_id"]), Text(name), str(s["actions"]),
            str(s["done"]), pct(s["closure_pct"]),
            Text(str(len(s["overdue"])), style="red" if s["overdue"] else "")]
        if followup:
            row += [count(s["verified"]), count(s["not_verified"]),
                    count(s["improved_without_action"])]
        table.add_row(*row)
    m = data["summary"]
    table.add_section()
    row = [Text(label("plan.review.program", lang), style="bold"), Text(""), str(m["actions"]),
           str(m["done"]), pct(m["closure_pct"]), str(m["overdue"])]
    if followup:
        row += [str(m["verified"]), str(m["not_verified"]), str(m["improved_without_action"])]
    table.add_row(*row)
    make_console().print(table)
