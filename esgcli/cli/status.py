"""`esg status PATH... --suppliers LIST`: where a collection campaign stands (SPEC §12)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from esgcli.answers.inputs import input_files, metas_of, read_runs
from esgcli.base.problems import Problem, usage_problem
from esgcli.cli.main import (
    YEAR_MAX,
    YEAR_MIN,
    AnswersArg,
    Format,
    FormatOpt,
    LangOpt,
    OutputOpt,
    QuestionnaireOpt,
    SheetOpt,
    choose,
    emit,
    file_refs,
    open_many,
)
from esgcli.cli.render import label, make_console, render_problems
from esgcli.engine.campaign import CampaignStatus, campaign_status, record_rounds, status_label
from esgcli.outputs.files import check_output, csv_text, to_json, write_result

KEYS = ["supplier_id", "supplier_name", "status", "file", "errors", "missing_answers",
        "first_problem"]
_HEAD = {"status": ("상태", "Status"), "file": ("파일", "File"), "errors": ("오류", "Errors"),
         "missing_answers": ("미응답", "Missing answers"),
         "first_problem": ("첫 문제", "First problem")}


def _head(key: str, lang: str) -> str:
    if key in _HEAD:
        return _HEAD[key][0 if lang == "ko" else 1]
    return label(key, lang)


def _rows(result: CampaignStatus, lang: str) -> list[list[Any]]:
    return [[s.supplier_id, s.supplier_name, status_label(s.status, lang), s.file, s.errors,
             s.missing_answers, s.first_problem] for s in result.suppliers]


def status_command(
    answers: AnswersArg,
    suppliers: Annotated[Path, typer.Option("--suppliers", help="The supplier list (.xlsx/.csv) "
                                            "the campaign was sent to.")],
    round: Annotated[str | None, typer.Option("--round", help="The round to judge (needed when "
                                              "the replies hold several).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only records of this year.",
                                             min=YEAR_MIN, max=YEAR_MAX)] = None,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    output_format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """회신 현황 / Campaign status: returned, incomplete, invalid or missing per listed supplier.

    Also lists records of suppliers not on the list and files that could not be read.
    Exit 0 even when suppliers are invalid or missing.

    \b
    Examples:
      esg status replies/ --suppliers suppliers.csv --round 사후
      esg status replies/ --suppliers suppliers.csv -o chase.xlsx
    """
    from esgcli.answers.read import read_supplier_list

    suffix = None
    if output is not None:
        suffix = check_output(output, [suppliers, *answers, *file_refs(questionnaire)],
                              (".xlsx", ".csv"))
    files = input_files(answers)
    opened = open_many(files, sheet, lang)
    choice, language = choose(files, questionnaire, lang, metas=metas_of(opened))
    listed = read_supplier_list(suppliers, choice.questionnaire)
    reads = read_runs(opened, choice.questionnaire)
    if round is None:
        rounds = record_rounds(reads, year)
        if len(rounds) > 1:
            raise usage_problem("STA-002", rounds=", ".join(rounds))
    result = campaign_status(listed, reads, round, year, language)
    err = make_console(stderr=True)
    if result.warnings():
        render_problems(err, result.warnings(), language)
    data = result.to_dict()
    if output is not None:
        write_result(output, suffix or "", data, "status" if language == "en" else "회신 현황",
                     [_head(k, language) for k in KEYS], _rows(result, language))
        err.print(Text(Problem(code="STA-004", params={"path": str(output)}).text(language)),
                  soft_wrap=True)
    if output_format is Format.json:
        emit(to_json(data))
        return
    if output_format is Format.csv:
        emit(csv_text(KEYS, [[s.to_dict()[k] for k in KEYS] for s in result.suppliers]))
        return
    if output is not None:
        return
    _print_table(result, language)


def _print_table(result: CampaignStatus, lang: str) -> None:
    out = make_console()
    table = Table()
    for key in KEYS:
        table.add_column(_head(key, lang), overflow="fold" if key == "first_problem" else "ellipsis")
    for row in _rows(result, lang):
        table.add_row(*(Text("—" if v is None else str(v)) for v in row))
    out.print(table)
    ko = lang == "ko"
    for entry in result.unexpected:
        out.print(Text(f"{'명단에 없는 협력사' if ko else 'not on the list'}: "
                       f"{entry['supplier_id']} ({entry['file']})"), soft_wrap=True)
    for entry in result.unreadable:
        out.print(Text(f"{'읽을 수 없는 파일' if ko else 'unreadable'}: "
                       f"{entry['problem'] or entry['file']}"), soft_wrap=True)
    s = result.to_dict()["summary"]
    parts = [
        f"{status_label(k, lang)} {s[k]}" for k in ("returned", "incomplete", "invalid", "missing")]
    parts += [f"{'명단 외' if ko else 'unexpected'} {s['unexpected']}",
              f"{'읽기 실패' if ko else 'unreadable'} {s['unreadable']}"]
    out.print(Text(f"{'명단' if ko else 'listed'} {s['listed']} · " + " · ".join(parts)),
              soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("status")(status_command)
