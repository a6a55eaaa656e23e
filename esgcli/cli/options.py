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

# ---------------------------------------------------------------- rounds
BeforeOpt = Annotated[str | None, typer.Option("--before", metavar="ROUND", help="지원 전 차수 / "
                                               "Round before support.")]
AfterOpt = Annotated[str | None, typer.Option("--after", metavar="ROUND", help="지원 후 차수 / "
                                              "Round after support.")]


# ---------------------------------------------------------------- output
FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", metavar="table|json|csv",
    help="표준 출력 형식 / Output on stdout.")]
# --format of the commands that serve table and json only: the help lists only what they serve
TableOrJsonOpt = Annotated[Format, typer.Option(
    "--format", "-f", metavar="table|json", help="표준 출력 형식 / Output on stdout.")]
OutputOpt = Annotated[Path | None, typer.Option(
    "-o", "--output", metavar="FILE",
    help="결과를 파일로 저장 (확장자가 형식) / Write the result to a file; its extension names "
    "the format.")]
ForceOpt = Annotated[bool, typer.Option(
    "--force", help="응답이 든 통합문서나 레지스트리도 -o 로 덮어쓰기 (입력 파일은 제외) / Let -o "
    "replace a workbook that holds answers, or a registry (never an input of the run).")]
LangOpt = Annotated[Lang | None, typer.Option(
    "--lang", metavar="ko|en", case_sensitive=False, help="출력 언어 / Language of the output.")]

# ---------------------------------------------------------------- input
AnswersArg = Annotated[list[Path], typer.Argument(
    metavar="PATH...", help="응답 파일 또는 폴더 (폴더는 하위까지) / Answers files or folders "
    "(.xlsx .xlsm .xls .ods .csv; folders are read recursively).", show_default=False)]
QuestionnaireOpt = Annotated[str | None, typer.Option(
    "-q", "--questionnaire", metavar="ID|FILE",
    help="질문지 ID 또는 YAML 파일 (기본: 통합문서에 기록된 질문지, 없으면 "
    f"{DEFAULT_QUESTIONNAIRE}) / Questionnaire id or YAML path (default: the one recorded in "
    f"the workbook, else {DEFAULT_QUESTIONNAIRE}).")]
SheetOpt = Annotated[str | None, typer.Option(
    "--sheet", metavar="SHEET", help="읽을 시트 (기본: 협력사코드 머리글이 있는 첫 시트) / Sheet "
    "to read (default: the first one with a supplier id header).")]
SkipInvalidOpt = Annotated[bool, typer.Option(
    "--skip-invalid", help="오류가 있는 협력사는 빼고 계속 (오류는 표준 오류에) / Leave out "
    "suppliers with errors (listed on stderr) instead of stopping.")]
OnDuplicateOpt = Annotated[OnDuplicate, typer.Option(
    "--on-duplicate", metavar="error|latest",
    help="같은 협력사·차수·연도가 두 파일에 있을 때: 오류, 또는 마지막에 수정된 파일 (경고와 함께) / "
    "The same supplier, round and year in two files: an error, or keep the file modified last "
    "(with a warning).")]
YearOpt = Annotated[int | None, typer.Option(
    "--year", metavar="YEAR", min=YEAR_MIN, max=YEAR_MAX,
    help="이 연도의 응답만 / Only this year's records.")]


def file_refs(*refs: str | Path | None) -> list[Path]:
    """The options naming files (questionnaire, policy, registry) that -o must not replace."""
    return [Path(r) for r in refs if r is not None and Path(r).is_file()]
