"""`esg report`: the annual improvement report as .xlsx (native charts) or .html (inline SVG)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from esgcli.cli.emit import Serves
from esgcli.cli.main import load_each
from esgcli.cli.options import (
    YEAR_MAX,
    YEAR_MIN,
    ForceOpt,
    Format,
    LangOpt,
    OnDuplicate,
    OnDuplicateOpt,
    SheetOpt,
    SkipInvalidOpt,
    file_refs,
)
from esgcli.cli.registry import open_location, say
from esgcli.cli.render import make_console, render_problems
from esgcli.reports.annual import REPORT_SUFFIXES, annual_report

REPORT_SERVES = Serves(formats=(Format.table,), files=REPORT_SUFFIXES)  # reports write themselves


def report_command(
    answers: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="응답 파일 또는 폴더 (각각 따로 읽음); 여러 PATH 나 연도 열이 있으면 "
        "여러 해를 함께 봄 / Answers files or folders (each read on its own); several PATHs or a "
        "year column give a multi-year view.", show_default=False)],
    year: Annotated[int, typer.Option("--year", metavar="YEAR", help="보고 연도 / The program "
                                      "year reported.", min=YEAR_MIN, max=YEAR_MAX)],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="보고서 파일: "
                                         ".xlsx, .html, .md 또는 .json / report.xlsx, "
                                         "report.html, report.md or report.json.")],
    questionnaire: Annotated[list[str] | None, typer.Option(
        "-q", "--questionnaire", metavar="QUESTIONNAIRE", help="질문지 ID 또는 파일; 모든 파일에 "
        "한 번, 또는 파일마다 한 번 (버전이 다른 차수) / Questionnaire id or file; once for all "
        "files or once per file (rounds scored with different versions).")] = None,
    policy: Annotated[str | None, typer.Option(
        "--policy", metavar="POLICY", help="이 인증 정책을 충족하는 협력사 수를 셈 / Count the "
        "suppliers meeting this certification policy.")] = None,
    registry: Annotated[str | None, typer.Option(
        "--registry", metavar="FILE|URL", help="이 레지스트리에서 발급된 인증서 수를 셈 / Count "
        "the certificates issued in this registry.")] = None,
    before: Annotated[str | None, typer.Option(
        "--before", metavar="ROUND", help="지원 전 차수 (기본: 인식된 이름, 예: 사전) / Round "
        "before support (default: the recognised name, e.g. 사전).")] = None,
    after: Annotated[str | None, typer.Option(
        "--after", metavar="ROUND", help="지원 후 차수 (기본: 인식된 이름, 예: 사후) / Round "
        "after support (default: the recognised name, e.g. 사후).")] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TITLE", help="보고서 제목 / "
                                              "Report title.")] = None,
    actions: Annotated[Path | None, typer.Option(
        "--actions", metavar="PLAN.xlsx", help="이 개선과제 계획으로 컨설팅 절을 더함 / Add a "
        "consulting section from this action plan.")] = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.error,
    force: ForceOpt = False,
) -> None:
    """연간 성과 보고서 / The annual improvement report for the sponsor and the operator.

    Program summary (participants before, after and both; cohort before/after overall and per
    area; certified count and share when --policy or --registry is given), charts, per-supplier
    and per-indicator tables, earlier years when the input holds them, and the method.

    \b
    Examples:
      esg report examples/suppliers.xlsx --year 2024 -o report-2024.xlsx
      esg report 2023.xlsx 2024.xlsx --year 2024 --policy esg-excellent -o report-2024.html
      esg report answers.xlsx --year 2024 --actions plan.xlsx -o report-2024.html
      esg report answers.xlsx --year 2024 --before 예비 --after 본평가 -o report-2024.md
    """
    from esgcli.questionnaire.policy import resolve_policy

    suffix = REPORT_SERVES.check(Format.table, output, [
        *answers, actions, *file_refs(registry, policy, *(questionnaire or []))], force)
    sets, language = load_each(answers, list(questionnaire or []), sheet, lang, skip_invalid,
                               on_duplicate)
    pol = resolve_policy(policy) if policy else None
    if pol is not None:
        pol.check_questionnaire(sets[0].questionnaire)
    certificates = None
    if registry is not None:
        reg = open_location(registry)
        try:
            certificates = reg.certificates(policy=pol.id if pol else None)
        finally:
            reg.close()
    report = annual_report(sets, year, title=title, policy=pol, certificates=certificates,
                           lang=language, before=before, after=after, actions=actions)
    err = make_console(stderr=True)
    render_problems(err, report.problems, language)
    report.write(output, suffix)
    err.print(Text(say("OUT-012", language, path=str(output))), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add `esg report` to the application."""
    app.command("report")(report_command)
