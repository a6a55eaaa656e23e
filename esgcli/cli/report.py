"""`esg report`: the annual improvement report as .xlsx (native charts) or .html (inline SVG)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from esgcli.cli.main import (
    YEAR_MAX,
    YEAR_MIN,
    ForceOpt,
    LangOpt,
    OnDuplicate,
    OnDuplicateOpt,
    SheetOpt,
    SkipInvalidOpt,
    app,
    file_refs,
    load_each,
)
from esgcli.cli.render import make_console
from esgcli.outputs.files import check_output, to_json, write_text


def generated_at() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible reports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
              else dt.datetime.now(dt.UTC))
    return moment.isoformat(timespec="seconds")


@app.command("report")
def report_command(
    answers: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="Answers files or folders (each read on its own); several "
        "PATHs or a year column give a multi-year view.", show_default=False)],
    year: Annotated[int, typer.Option("--year", help="The program year reported.",
                                      min=YEAR_MIN, max=YEAR_MAX)],
    output: Annotated[Path, typer.Option("-o", "--output", help="report.xlsx, report.html, "
                                         "report.md or report.json")],
    questionnaire: Annotated[list[str] | None, typer.Option(
        "-q", "--questionnaire", help="Questionnaire id or file; once for all files or once per "
        "file (rounds scored with different versions).")] = None,
    policy: Annotated[str | None, typer.Option("--policy", help="Count the suppliers meeting "
                                               "this certification policy.")] = None,
    registry: Annotated[str | None, typer.Option("--registry", help="Count the certificates "
                                                  "issued in this registry.")] = None,
    before: Annotated[str | None, typer.Option("--before", help="Round before support (default: "
                                               "the recognised name, e.g. 사전).")] = None,
    after: Annotated[str | None, typer.Option("--after", help="Round after support (default: "
                                              "the recognised name, e.g. 사후).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Report title.")] = None,
    actions: Annotated[Path | None, typer.Option("--actions", metavar="PLAN.xlsx", help="Add a "
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
    from esgcli.reports.data import build_report

    suffix = check_output(output, [*answers, actions,
                                   *file_refs(registry, policy, *(questionnaire or []))],
                          (".xlsx", ".html", ".md", ".json"), force)
    sets, language = load_each(answers, list(questionnaire or []), sheet, lang, skip_invalid,
                                on_duplicate)
    pol = resolve_policy(policy) if policy else None
    if pol is not None:
        pol.check_questionnaire(sets[0].questionnaire)
    certificates = None
    if registry is not None:
        from esgcli.cli.certify import open_location

        reg = open_location(registry)
        try:
            certificates = reg.certificates(policy=pol.id if pol else None)
        finally:
            reg.close()
    report = build_report(sets, year, title, pol, certificates, generated_at(), language,
                          before=before, after=after)
    if actions is not None:
        from esgcli.reports.consulting import consulting_for

        report["consulting"] = consulting_for(actions, sets, year, report["method"]["generated_at"],
                                              after)
    err = make_console(stderr=True)
    changes = report["program_to_date"]["method_changes"]
    if changes:
        from esgcli.base.problems import Problem
        from esgcli.cli.render import render_problems

        versions = "; ".join(dict.fromkeys(
            f"{end['year']}: {end['id']} {end['version']}"
            for change in changes for end in (change["from"], change["to"])))
        render_problems(err, [Problem(code="RPT-001", severity="warning",
                                      params={"versions": versions})], language)
    if suffix == ".json":
        write_text(output, to_json(report))
    elif suffix == ".md":
        from esgcli.reports.markdown import render_markdown

        write_text(output, render_markdown(report))
    elif suffix == ".html":
        from esgcli.reports.html import render_html

        write_text(output, render_html(report))
    else:
        from esgcli.reports.xlsx import write_report_xlsx

        write_report_xlsx(report, output)
    err.print(
        f"저장했습니다: {output}" if language == "ko" else f"written: {output}", soft_wrap=True)
