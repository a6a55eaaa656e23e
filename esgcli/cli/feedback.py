"""`esg feedback`: one self-contained result page per supplier (SPEC §13)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from esgcli.answers.answerset import AnswerSet
from esgcli.base.formatting import pct
from esgcli.base.labels import label
from esgcli.base.problems import Problem, UsageError
from esgcli.cli.emit import Serves, emit
from esgcli.cli.fit import Column, fit_table
from esgcli.cli.main import load
from esgcli.cli.options import (
    AfterOpt,
    AnswersArg,
    BeforeOpt,
    Format,
    LangOpt,
    OnDuplicate,
    OnDuplicateOpt,
    QuestionnaireOpt,
    SheetOpt,
    SkipInvalidOpt,
    TableOrJsonOpt,
)
from esgcli.cli.registry import DateOpt, open_location, parse_date, say
from esgcli.cli.render import dropped_note, make_console, render_problems
from esgcli.outputs.guard import check_new_folder

PathsArg = AnswersArg
RoundOpt = Annotated[str | None, typer.Option("--round", metavar="ROUND", help="이 차수만 판정 / "
                                              "Judge this round only.")]
YearOpt = Annotated[int | None, typer.Option("--year", metavar="YEAR", help="이 연도의 응답만 / "
                                             "Only this year's records.")]
PolicyOpt = Annotated[str | None, typer.Option(
    "--policy", metavar="POLICY", help="인증 정책 ID 또는 YAML 파일: 충족 여부와 추가로 준수해야 할 "
    "최소 지표 / Certification policy id or YAML file: qualification and the fewest indicators "
    "still needed.")]


def load_paths(paths: list[Path], questionnaire: str | None, sheet: str | None,
               lang: Any, skip_invalid: bool, default: str | None = None,
               on_duplicate: OnDuplicate = OnDuplicate.error) -> tuple[AnswerSet, str]:
    """One answer set from files and folders (SPEC §12), read against one questionnaire."""
    return load(paths, questionnaire, sheet, lang, skip_invalid, default, on_duplicate)


def warn(problems: list[Problem], lang: str) -> None:
    render_problems(make_console(stderr=True), problems, lang, limit=None)


FEEDBACK_SERVES = Serves(formats=(Format.table, Format.json))  # -o: a folder of pages


def feedback_command(
    paths: PathsArg,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="DIR", help="협력사마다 HTML 결과서 한 장을 쓸 폴더 / Folder for "
        "one HTML page per supplier.")] = None,
    policy: PolicyOpt = None,
    registry: Annotated[str | None, typer.Option(
        "--registry", metavar="FILE|URL", help="이 레지스트리의 협력사별 인증서를 보임 / Show each "
        "supplier's certificate from this registry.")] = None,
    questionnaire: QuestionnaireOpt = None,
    round_name: RoundOpt = None,
    before: BeforeOpt = None,
    after: AfterOpt = None,
    year: YearOpt = None,
    date: DateOpt = None,
    output_format: TableOrJsonOpt = Format.table,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.error,
) -> None:
    """협력사별 진단 결과서 / One result page per supplier: where it stands, what would pass.

    For each supplier's latest round: compliance and score overall and per area, the change
    from its earlier round, the cohort mean and its percentile (only with 5 or more suppliers
    in the round), every non-compliant indicator with the answer and what would pass
    (critical ones first), and with --policy whether it qualifies and the fewest indicators it
    still needs. Each page holds that supplier's data only.

    \b
    Examples:
      esg feedback examples/suppliers.xlsx -o feedback/ --policy esg-excellent
      esg feedback answers.xlsx --format json
      esg feedback answers.xlsx -o feedback/ --lang en --registry esg-registry.sqlite
    """
    from esgcli.engine.feedback import build_feedback
    from esgcli.questionnaire.policy import resolve_policy

    FEEDBACK_SERVES.check(output_format, None)
    if output is not None and output.exists() and not output.is_dir():
        raise UsageError.of("USE-042", path=output)
    if output is not None:
        check_new_folder(output)
    today = parse_date(date)
    pol = resolve_policy(policy) if policy else None
    data, language = load_paths(paths, questionnaire, sheet, lang, skip_invalid,
                                pol.model.questionnaire if pol else None, on_duplicate)
    if pol is not None:
        pol.check_questionnaire(data.questionnaire)
    certificates = None
    if registry is not None:
        reg = open_location(registry)
        try:
            certificates = reg.certificates(policy=pol.id if pol else None)
        finally:
            reg.close()
    result = build_feedback(data, pol, certificates, language, today, round_name, before,
                            after, year)
    warn(result.notes, language)
    written: dict[str, Path] = {}
    if output is not None:
        from esgcli.reports.feedback_html import write_feedback_pages

        written = write_feedback_pages(result, output)
        make_console(stderr=True).print(
            Text(say("RPT-011", language, path=output, count=len(written))), soft_wrap=True)
    emit(result, output_format, None, language, table=lambda: _table(result.to_dict(), written,
                                                                      language))


def register(app: typer.Typer) -> None:
    """Add `esg feedback` to the application."""
    app.command("feedback")(feedback_command)


def _table(data: dict[str, Any], written: dict[str, Path], lang: str) -> None:
    """One line per supplier, fitted to the terminal (SPEC §9): names shortened so that they
    stay distinct, numbers whole, the page's file name left out first when it does not fit."""
    out = make_console()
    rows = data["suppliers"]
    percentiles = ["—" if s["cohort"] is None or s["cohort"]["percentile"] is None
                   else f"{s['cohort']['percentile']:.0f}" for s in rows]
    verdicts = ["—" if s["qualifies"] is None else ("✓" if s["qualifies"] else "✗") for s in rows]
    pages = [written.get(s["supplier_id"]) for s in rows]
    columns = [
        Column(label("plan.table.supplier", lang), [Text(s["supplier_id"]) for s in rows], "key"),
        Column(label("plan.table.name", lang), [Text(s["supplier_name"] or "") for s in rows],
               "name"),
        Column(label("feedback.table.round", lang), [Text(str(s["round"] or "")) for s in rows],
               "key", drop=2),
        Column(label("feedback.table.compliance", lang), [Text(pct(s["compliance"])) for s in rows],
               justify="right"),
        Column(label("feedback.table.percentile", lang), [Text(p) for p in percentiles],
               justify="right", drop=3),
        Column(label("feedback.table.failing", lang), [Text(str(len(s["non_compliant"])))
                                                       for s in rows], justify="right"),
        Column(label("feedback.table.qualifies", lang), [Text(v) for v in verdicts],
               justify="center", drop=1),
        Column(label("feedback.table.page", lang), [Text(p.name if p else "") for p in pages],
               "key", drop=4),
    ]
    fitted = fit_table(columns, out.width)
    out.print(fitted.table)
    dropped_note(make_console(stderr=True), fitted.dropped, lang)
