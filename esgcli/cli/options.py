"""The options shared by the commands, declared once (typer ``Annotated`` aliases).

Output options (``--format``, ``-o/--output``, ``--force``) go with :mod:`esgcli.cli.emit`,
which serves them for every command; the input options are those of every command that reads
answers. Help texts are Korean / English, like each command's first line.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from esgcli.questionnaire.questionnaire import DEFAULT_QUESTIONNAIRE


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(str, Enum):
    ko = "ko"
    en = "en"


class OnDuplicate(str, Enum):
    error = "error"
    latest = "latest"


YEAR_MIN, YEAR_MAX = 1900, 9899  # program years and dates (certificates run 50 years at most)

# ---------------------------------------------------------------- output
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output on stdout.")]
OutputOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write the result to a "
                                                "file; its extension names the format.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Let -o replace a workbook that holds "
                                        "answers, or a registry (never an input of the run).")]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help="Language of the output (ko|en).")]

# ---------------------------------------------------------------- input
AnswersArg = Annotated[list[Path], typer.Argument(
    metavar="PATH...", help="Answers files or folders (.xlsx .xlsm .xls .ods .csv; folders are "
    "read recursively).", show_default=False)]
QuestionnaireOpt = Annotated[str | None, typer.Option(
    "-q", "--questionnaire", help="Questionnaire id or YAML path (default: the one recorded in "
    f"the workbook, else {DEFAULT_QUESTIONNAIRE}).")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Sheet to read (default: the "
                                              "first one with a supplier id header).")]
SkipInvalidOpt = Annotated[bool, typer.Option("--skip-invalid", help="Leave out suppliers with "
                                              "errors (listed on stderr) instead of stopping.")]
OnDuplicateOpt = Annotated[OnDuplicate, typer.Option(
    "--on-duplicate", help="The same supplier, round and year in two files: an error, or keep "
    "the file modified last (with a warning).")]


def file_refs(*refs: str | Path | None) -> list[Path]:
    """The options naming files (questionnaire, policy, registry) that -o must not replace."""
    return [Path(r) for r in refs if r is not None and Path(r).is_file()]
