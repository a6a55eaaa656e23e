"""`esg status PATH... --suppliers LIST`: where a collection campaign stands (SPEC §12)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from esgcli.answers.inputs import input_files, metas_of, read_runs
from esgcli.base.labels import label as label_text
from esgcli.base.problems import usage_problem
from esgcli.cli.emit import Serves, emit
from esgcli.cli.fit import Column, Kind, fit_table
from esgcli.cli.main import choose, open_many
from esgcli.cli.options import (
    YEAR_MAX,
    YEAR_MIN,
    AnswersArg,
    Format,
    FormatOpt,
    LangOpt,
    OutputOpt,
    QuestionnaireOpt,
    SheetOpt,
    file_refs,
)
from esgcli.cli.render import dropped_note, label, make_console, render_problems
from esgcli.engine.campaign import CampaignStatus, campaign_status, record_rounds, status_label
from esgcli.outputs.files import csv_text

KEYS = ["supplier_id", "supplier_name", "status", "file", "errors", "missing_answers",
        "first_problem"]
STATUS_SERVES = Serves(files=(".xlsx", ".csv"))


def _head(key: str, lang: str) -> str:
    if key in ("supplier_id", "supplier_name"):
        return label(key, lang)
    return label_text(f"campaign.column.{key}", lang)


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

    STATUS_SERVES.check(output_format, output, [suppliers, *answers, *file_refs(questionnaire)])
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
    if result.warnings():
        render_problems(make_console(stderr=True), result.warnings(), language)
    headers = [_head(k, language) for k in KEYS]
    emit(result, output_format, output, language,
         csv=lambda: csv_text(KEYS, [[s.to_dict()[k] for k in KEYS] for s in result.suppliers]),
         sheets=lambda: [(label_text("campaign.sheet", language), headers, _rows(result, language))],
         file_csv=lambda: csv_text(headers, _rows(result, language)),
         table=lambda: _print_table(result, language))


def _print_table(result: CampaignStatus, lang: str) -> None:
    """The table fitted to the terminal (SPEC §9): names shortened so they stay distinct, the
    file and first problem wrapped, columns that do not fit left out with a note."""
    out = make_console()
    rows = _rows(result, lang)

    def cells(k: int) -> list[Text]:  # an empty file or problem column is left out
        return [Text("" if row[k] is None else str(row[k])) for row in rows]

    kinds: dict[str, tuple[Kind, int]] = {  # (kind, drop: higher gives way first)
        "supplier_id": ("key", 0), "supplier_name": ("name", 0), "status": ("key", 0),
        "file": ("text", 3), "errors": ("number", 2), "missing_answers": ("number", 2),
        "first_problem": ("text", 1)}
    columns = [Column(_head(key, lang), cells(k), kinds[key][0], drop=kinds[key][1],
                      justify="right" if kinds[key][0] == "number" else "left")
               for k, key in enumerate(KEYS)]
    fitted = fit_table(columns, out.width)
    out.print(fitted.table)
    dropped_note(make_console(stderr=True), fitted.dropped, lang)
    for entry in result.unexpected:
        out.print(Text(label_text("campaign.unexpected", lang, supplier=entry["supplier_id"],
                                  file=entry["file"])), soft_wrap=True)
    for entry in result.unreadable:
        out.print(Text(label_text("campaign.unreadable", lang,
                                  what=entry["problem"] or entry["file"])), soft_wrap=True)
    s = result.to_dict()["summary"]
    parts = [
        f"{status_label(k, lang)} {s[k]}" for k in ("returned", "incomplete", "invalid", "missing")]
    parts += [f"{label_text(f'campaign.summary.{k}', lang)} {s[k]}" for k in ("unexpected", "unreadable")]
    out.print(Text(f"{label_text('campaign.summary.listed', lang)} {s['listed']} · " + " · ".join(parts)),
              soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("status")(status_command)
