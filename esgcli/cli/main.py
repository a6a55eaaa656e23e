"""The `esg` command: parse options, call the core, render. Exit codes are decided here only."""

from __future__ import annotations

import codecs
import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.text import Text
from typer.core import TyperGroup

from esgcli import __version__
from esgcli.answers.answerset import AnswerSet
from esgcli.answers.inputs import (
    InputFile,
    QuestionnaireChoice,
    choose_questionnaire,
    input_files,
    merge_reads,
    metas_of,
    open_files,
    read_files,
    read_opened_merged,
    said_once,
)
from esgcli.answers.stacked import OpenedFile
from esgcli.base.problems import (
    EsgError,
    InputError,
    Problem,
    RegistryError,
    UsageError,
    did_you_mean,
    usage_problem,
)
from esgcli.base.tokens import clean_id
from esgcli.cli.debug import show_reads
from esgcli.cli.lang import (
    DEBUG_KEY,
    LANG_KEY,
    ClickUsageError,
    language_in_args,
    note_questionnaire_language,
    run_language,
    show_usage_error,
)
from esgcli.cli.render import (
    TABLE_ROW_LIMIT,
    dropped_note,
    explain_table,
    make_console,
    problem_count_line,
    render_problems,
    score_table,
    summary_table,
)
from esgcli.engine.rounds import select_round
from esgcli.engine.scoring import ScoreResult, score
from esgcli.outputs.files import check_output, csv_text, to_json, write_pieces, write_table_xlsx, write_text
from esgcli.outputs.record_lines import detail_csv_parts, improvement_json_parts, score_csv_parts, score_json_parts
from esgcli.outputs.tables import detail_table, is_rate_column
from esgcli.outputs.tables import score_table as flat_score_table
from esgcli.questionnaire.questionnaire import (
    DEFAULT_QUESTIONNAIRE,
    Questionnaire,
    iter_catalogue,
    load_questionnaire,
    resolve_questionnaire,
)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(str, Enum):
    ko = "ko"
    en = "en"


YEAR_MIN, YEAR_MAX = 1900, 9899  # program years and dates (certificates run 50 years at most)
OUTPUT_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO)  # writing stdout failed


def option_language(option: Lang | None = None, q: Questionnaire | None = None) -> str:
    """The run's language: --lang (read before parsing, see cli_lang), else $ESG_LANG, else the
    questionnaire's, else Korean."""
    return run_language(option.value if option is not None else None,
                        q.language if q is not None else None)


def _is_help_request(exc: Exception) -> bool:
    return type(exc).__name__ == "NoArgsIsHelpError"


class EsgGroup(TyperGroup):
    """Turns library errors into exit codes (3 input, 4 registry, 2 usage, 1 unexpected), and
    settles the run's language from the command line before anything is parsed or said."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        explicit = language_in_args(args)
        try:
            ctx = super().make_context(info_name, args, parent=parent, **extra)
        except ClickUsageError as exc:
            if _is_help_request(exc):
                raise
            show_usage_error(exc, explicit or "ko")
            raise typer.Exit(2) from None
        ctx.meta[LANG_KEY] = explicit
        return ctx

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClickUsageError as exc:
            if _is_help_request(exc):
                raise
            show_usage_error(exc, run_language())
            raise typer.Exit(2) from None
        except EsgError as exc:
            lang = run_language()
            err = make_console(stderr=True)
            if isinstance(exc, InputError):
                render_problems(err, said_once(exc.problems, lang), lang, limit=50)
                err.print(("입력 오류로 중단했습니다: " if lang == "ko" else "stopped on invalid input: ")
                          + problem_count_line(exc.problems, lang), soft_wrap=True)
            elif isinstance(exc, UsageError):
                err.print(("오류: " if lang == "ko" else "error: ") + exc.text(lang), soft_wrap=True)
            elif isinstance(exc, RegistryError):  # text from paths and servers: never markup
                err.print(Text(("오류: " if lang == "ko" else "error: ") + exc.text(lang)), soft_wrap=True)
            else:
                err.print(("오류: " if lang == "ko" else "error: ") + str(exc), soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `esg score ... | head`: the reader left; not an error
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:
            if exc.errno not in OUTPUT_ERRNOS or ctx.meta.get(DEBUG_KEY):
                raise
            lang = run_language()  # stdout is full or failing: the cause on stderr
            text = Problem(code="OUT-008", params={"detail": exc.strerror}).text(lang)
            with suppress(OSError):
                make_console(stderr=True).print(Text(f"OUT-008 {text}"), soft_wrap=True)
            raise typer.Exit(2) from None
        except Exception as exc:
            if ctx.meta.get(DEBUG_KEY):
                raise
            name = type(exc).__name__
            make_console(stderr=True).print(Text(
                f"예기치 않은 오류 / unexpected error: {name}: {exc}\n"
                "--debug 로 다시 실행하면 자세한 정보가 나옵니다 / run again with --debug for details"),
                soft_wrap=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=EsgGroup, no_args_is_help=True, add_completion=False,
    pretty_exceptions_show_locals=False, rich_markup_mode=None,
    help="협력사 ESG 진단·개선·인증 도구 / Supplier ESG scoring, improvement and certification.",
)
questionnaire_app = typer.Typer(
    no_args_is_help=True, help="질문지 확인·목록 / Check and list questionnaires.")
app.add_typer(questionnaire_app, name="questionnaire")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"esgcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of unexpected errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """협력사 ESG 진단·개선·인증 도구 / Supplier ESG scoring, improvement and certification."""
    ctx.meta[DEBUG_KEY] = debug


# ---------------------------------------------------------------- shared options
AnswersArg = Annotated[list[Path], typer.Argument(
    metavar="PATH...", help="Answers files or folders (.xlsx .xlsm .xls .ods .csv; folders are "
    "read recursively).", show_default=False)]
QuestionnaireOpt = Annotated[str | None, typer.Option(
    "-q", "--questionnaire", help="Questionnaire id or YAML path (default: the one recorded in "
    f"the workbook, else {DEFAULT_QUESTIONNAIRE}).")]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help="Language of the output (ko|en).")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Sheet to read (default: the "
                                              "first one with a supplier id header).")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output on stdout.")]
OutputOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write the result to a "
                                                "file; its extension names the format.")]
SkipInvalidOpt = Annotated[bool, typer.Option("--skip-invalid", help="Leave out suppliers with "
                                              "errors (listed on stderr) instead of stopping.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Let -o replace a workbook that holds "
                                        "answers, or a registry (never an input of the run).")]


def file_refs(*refs: str | Path | None) -> list[Path]:
    """The options naming files (questionnaire, policy, registry) that -o must not replace."""
    return [Path(r) for r in refs if r is not None and Path(r).is_file()]


class OnDuplicate(str, Enum):
    error = "error"
    latest = "latest"


OnDuplicateOpt = Annotated[OnDuplicate, typer.Option(
    "--on-duplicate", help="The same supplier, round and year in two files: an error, or keep "
    "the file modified last (with a warning).")]


def _questionnaire_line(q: Questionnaire, lang: str) -> None:
    where = str(q.path) if q.path else "-"
    make_console(stderr=True).print(
        (f"질문지: {q.id} {q.version} ({where})" if lang == "ko"
         else f"questionnaire: {q.id} {q.version} ({where})"), soft_wrap=True, highlight=False)


def choose(files: list[InputFile], ref: str | None, lang: Lang | None,
           default: str | None = None,
           metas: dict[str, dict[str, str]] | None = None) -> tuple[QuestionnaireChoice, str]:
    """One questionnaire for ``files`` (messages meanwhile in --lang), named once on stderr,
    then the output language."""
    choice = choose_questionnaire(files, ref, default, metas)
    q = choice.questionnaire
    note_questionnaire_language(q.language)
    language = option_language(lang, q)
    _questionnaire_line(q, language)
    if choice.warnings():
        render_problems(make_console(stderr=True), choice.warnings(), language)
    return choice, language


def _questionnaire_and_language(answers: Path | None, ref: str | None, lang: Lang | None,
                                default: str | None = None) -> tuple[Questionnaire, str]:
    """Resolve the questionnaire (messages meanwhile in --lang), then the output language."""
    files = [InputFile(answers, answers.name)] if answers is not None and answers.is_file() else []
    choice, language = choose(files, ref, lang, default)
    return choice.questionnaire, language


@contextmanager
def progress(label: str, size: int = 0) -> Iterator[None]:
    """A pulsing bar with elapsed time on stderr for long steps (terminal only, big inputs)."""
    err = make_console(stderr=True)
    if not err.is_terminal or size < PROGRESS_MIN_BYTES:
        yield
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        bar.add_task(label, total=None)
        yield


@contextmanager
def file_progress(label: str, total: int) -> Iterator[Callable[[int, int], None] | None]:
    """A files done / total bar on stderr while reading many files (terminal only)."""
    err = make_console(stderr=True)
    if not err.is_terminal or total < PROGRESS_MIN_FILES:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done, _total: bar.update(task, completed=done)


PROGRESS_MIN_BYTES = 2 * 1024**2
PROGRESS_MIN_FILES = 20


def read_paths(paths: list[Path], ref: str | None, sheet: str | None, lang: Lang | None,
               default: str | None = None,
               on_duplicate: OnDuplicate = OnDuplicate.error) -> tuple[AnswerSet, str]:
    """Every file of ``paths`` against one questionnaire, merged; problems in the result."""
    files = input_files(paths)
    if len(files) == 1:
        choice, language = choose(files, ref, lang, default)
        size = files[0].path.stat().st_size
        with progress(f"{files[0].name}: {reading_label(language)}", size):
            reads = read_files(files, choice.questionnaire, sheet)
        show_reads((s for r in reads if r.answers is not None for s in r.answers.sources),
                   language)
        return merge_reads(reads, choice.questionnaire, on_duplicate.value), language
    opened = open_many(files, sheet, lang)
    choice, language = choose(files, ref, lang, default, metas_of(opened))
    data = read_opened_merged(opened, choice.questionnaire, on_duplicate.value)
    show_reads(data.sources, language)
    return data, language


def reading_label(language: str) -> str:
    return "읽는 중" if language == "ko" else "reading"


def open_many(files: list[InputFile], sheet: str | None, lang: Lang | None) -> list[OpenedFile]:
    """Open every file once, with a files done / total bar on a terminal."""
    with file_progress(reading_label(option_language(lang)), len(files)) as step:
        return open_files(files, sheet, step)


def load(answers: list[Path] | Path, ref: str | None, sheet: str | None, lang: Lang | None,
          skip_invalid: bool = False, default: str | None = None,
          on_duplicate: OnDuplicate = OnDuplicate.error) -> tuple[AnswerSet, str]:
    paths = answers if isinstance(answers, list) else [answers]
    data, language = read_paths(paths, ref, sheet, lang, default, on_duplicate)
    err = make_console(stderr=True)
    if data.errors:
        if not skip_invalid:
            raise InputError(data.problems)
        bad = data.invalid_records()
        render_problems(err, said_once(data.errors, language), language, limit=20,
                        show_warnings=False)
        skipped = sorted({str(data.records["supplier_id"].iloc[r]) or "?" for r in bad})
        err.print((f"--skip-invalid: 오류가 있는 {len(bad)}건 제외: " if language == "ko"
                   else f"--skip-invalid: left out {len(bad)} record(s) with errors: ")
                  + ", ".join(skipped), soft_wrap=True)
        unplaced = [p for p in data.errors if p.record is None]
        if unplaced:
            raise InputError(unplaced)
        keep = np.ones(len(data), dtype=bool)
        keep[bad] = False
        data = data.select(keep)
    warnings = [p for p in data.problems if p.severity == "warning"]
    if warnings:
        render_problems(err, said_once(warnings, language), language, limit=5)
    return data, language


def load_each(paths: list[Path], refs: list[str], sheet: str | None, lang: Lang | None,
               skip_invalid: bool,
               on_duplicate: OnDuplicate = OnDuplicate.error) -> tuple[list[AnswerSet], str]:
    """Each PATH (a file or a folder) on its own; `-q` given once serves all, else one each."""
    sets = []
    language = "ko"
    for k, path in enumerate(paths):
        ref = refs[k] if k < len(refs) else (refs[0] if refs else None)
        data, language = load([path], ref, sheet, lang, skip_invalid, on_duplicate=on_duplicate)
        sets.append(data)
    return sets, language


def emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _emit_pieces(pieces: list[bytes | memoryview]) -> None:
    sys.stdout.flush()
    for piece in pieces:
        sys.stdout.buffer.write(piece)
    sys.stdout.buffer.flush()


# ---------------------------------------------------------------- esg score
@app.command("score")
def score_command(
    answers: AnswersArg,
    questionnaire: QuestionnaireOpt = None,
    round_name: Annotated[str | None, typer.Option("--round", help="Score only this round.")] = None,
    output_format: FormatOpt = Format.table,
    output: OutputOpt = None,
    detail: Annotated[bool, typer.Option("--detail", help="Add every indicator to JSON, CSV "
                                         "and -o (on the terminal: --explain).")] = False,
    explain: Annotated[str | None, typer.Option("--explain", metavar="SUPPLIER_ID",
                                                help="Show one supplier indicator by indicator.")] = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.error,
    force: ForceOpt = False,
) -> None:
    """협력사별 준수율·점수 계산 / Score every supplier and round.

    \b
    Examples:
      esg score examples/suppliers.xlsx
      esg score answers.xlsx --round 사후 --format json
      esg score answers.xlsx --explain S001
      esg score answers.xlsx -o scores.xlsx
      esg score replies/ --on-duplicate latest
    """
    suffix = check_output(output, [*answers, *file_refs(questionnaire)], (".json", ".csv", ".xlsx"),
                          force) if output else None
    if detail and explain is None and output is None and output_format is Format.table:
        raise UsageError.of("USE-002")  # the terminal has --explain for one supplier's indicators
    data, language = load(answers, questionnaire, sheet, lang, skip_invalid,
                           on_duplicate=on_duplicate)
    if round_name is not None:
        data = select_round(data, round_name)
    result = score(data)
    if explain is not None:
        _explain(result, data, explain, output_format, language, output, suffix)
        return
    if output is not None:
        _write_scores(result, output, suffix or "", detail)
        make_console(stderr=True).print(
            (f"저장했습니다: {output}" if language == "ko" else f"written: {output}"), soft_wrap=True)
        if output_format is Format.table:  # -o takes the place of the table; json/csv still print
            return
    if output_format is Format.json:
        _emit_pieces(score_json_parts(result, detail))
    elif output_format is Format.csv:
        _emit_pieces(detail_csv_parts(result) if detail else score_csv_parts(result))
    else:
        out = make_console()
        fitted = score_table(result, language, width=out.width)
        out.print(fitted.table)
        if len(result) > TABLE_ROW_LIMIT:
            make_console(stderr=True).print(
                f"… {len(result) - TABLE_ROW_LIMIT}건 더 있습니다. 전체: -o scores.xlsx 또는 --format csv"
                if language == "ko" else
                f"… {len(result) - TABLE_ROW_LIMIT} more. Everything: -o scores.xlsx or --format csv",
                soft_wrap=True)
        summary = summary_table(result, language, out.width)
        out.print()
        out.print(summary.table)
        dropped_note(make_console(stderr=True), fitted.dropped + summary.dropped, language)


def _write_scores(result: ScoreResult, output: Path, suffix: str, detail: bool) -> None:
    if suffix == ".json":
        write_pieces(output, score_json_parts(result, detail))
    elif suffix == ".csv":
        pieces = detail_csv_parts(result) if detail else score_csv_parts(result)
        write_pieces(output, [codecs.BOM_UTF8, *pieces])
    else:
        sheets = [("scores", *flat_score_table(result))]
        if detail:
            sheets.append(("indicators", *detail_table(result)))
        write_table_xlsx(output, sheets, percent_columns=is_rate_column)


def _explain(result: ScoreResult, data: AnswerSet, supplier: str, output_format: Format,
             lang: str, output: Path | None = None, suffix: str | None = None) -> None:
    """One supplier indicator by indicator: a table, or its JSON/CSV (stdout or -o)."""
    ids = result.records["supplier_id"].astype(str)
    supplier = clean_id(supplier)  # as the ids were read (no invisible characters)
    rows = np.flatnonzero((ids == supplier).to_numpy())
    if rows.size == 0:
        raise InputError([Problem(code="SEL-002", file=data.source.file, params={
            "supplier": supplier, "hint": did_you_mean(supplier, ids.unique().tolist())})])
    as_json = to_json({"questionnaire": result.questionnaire.to_ref(),
                       "sources": [src.to_dict() for src in data.sources],
                       "suppliers": [result.supplier_dict(int(i), detail=True) for i in rows]})
    if output is not None:
        if suffix == ".json":
            write_text(output, as_json)
        else:
            _write_scores(result.take(rows), output, suffix or "", detail=True)
        make_console(stderr=True).print(
            (f"저장했습니다: {output}" if lang == "ko" else f"written: {output}"), soft_wrap=True)
    if output_format is Format.json:
        emit(as_json)
        return
    if output_format is Format.csv:
        _emit_pieces(detail_csv_parts(result.take(rows)))
        return
    if output is not None:
        return
    out = make_console()
    for i in rows:
        fitted = explain_table(result, data.raw, int(i), lang, out.width)
        out.print(fitted.table)
        dropped_note(make_console(stderr=True), fitted.dropped, lang)


# ---------------------------------------------------------------- esg validate
@app.command("validate")
def validate_command(
    answers: AnswersArg,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    output_format: FormatOpt = Format.table,
    on_duplicate: OnDuplicateOpt = OnDuplicate.error,
) -> None:
    """응답 파일 검사 / Check filled workbooks (files or folders) and list every problem.

    Exit 0 when there is no error (warnings allowed), 3 when there is any.

    \b
    Examples:
      esg validate answers.xlsx
      esg validate replies/ --format json
    """
    data, language = read_paths(answers, questionnaire, sheet, lang, on_duplicate=on_duplicate)
    problems = data.problems
    readable = bool(data.sources)
    records = len(data) if readable else None
    suppliers = int(data.records["supplier_id"].nunique()) if readable else None
    rounds = [str(r) for r in data.rounds() if r is not None]
    errors = [p for p in problems if p.severity == "error"]
    if output_format is Format.json:
        emit(to_json({"questionnaire": data.questionnaire.to_ref(),
                       "sources": [src.to_dict() for src in data.sources], "records": records,
                       "suppliers": suppliers, "rounds": rounds,
                       "valid": not errors, "errors": len(errors),
                       "warnings": len(problems) - len(errors),
                       "problems": [p.to_dict(language) for p in problems]}))
    elif output_format is Format.csv:
        keys = ["code", "severity", "file", "sheet", "cell", "supplier_id", "indicator", "value",
                "message"]
        emit(csv_text(keys, [[p.to_dict(language)[k] for k in keys] for p in problems]))
    else:
        out = make_console()
        render_problems(out, problems, language, limit=None)
        name = data.source.file
        if len(data.sources) > 1:
            name = f"{len(data.sources)}개 파일" if language == "ko" else f"{len(data.sources)} files"
        warnings = len(problems) - len(errors)
        code = "VAL-003" if errors else "VAL-002" if warnings else "VAL-001"
        out.print(Text(Problem(code=code, params={
            "file": name, "suppliers": suppliers, "warnings": warnings,
            "rounds": ", ".join(rounds) or "-", "n_rounds": max(len(rounds), 1),
            "count": problem_count_line(problems, language)}).text(language)), soft_wrap=True)
    if errors:
        raise typer.Exit(3)


# ---------------------------------------------------------------- esg questionnaire
@questionnaire_app.command("check")
def questionnaire_check(
    refs: Annotated[list[str], typer.Argument(metavar="ID|FILE...", help="Questionnaire or policy "
                                              "files or ids; each is checked as its format says.")],
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """질문지·정책 파일 검사 / Check questionnaire (and policy) files; exit 3 listing every problem.

    \b
    Examples:
      esg questionnaire check questionnaires/*.yaml
      esg questionnaire check supplier-esg
    """
    check_yaml_files(refs, lang, output_format)


def check_yaml_files(refs: list[str], lang: Lang | None, output_format: Format) -> None:
    """`questionnaire check` and `policy check`: a line per valid file, every problem, exit 3."""
    from esgcli.questionnaire.yamlcheck import check_files

    language = option_language(lang)
    checks = check_files(refs)
    problems = [p for c in checks for p in c.problems]
    if output_format is Format.json:
        emit(to_json([c.to_dict(language) for c in checks]))
    elif output_format is Format.csv:
        keys = ["file", "kind", "valid", "id", "version", "indicators", "questionnaire"]
        emit(csv_text(keys, [[c.to_dict()[k] for k in keys] for c in checks]))
    else:
        out = make_console()
        for c in checks:
            if c.valid:
                out.print(Text(c.verdict(language)), soft_wrap=True)
    if problems:
        raise InputError(problems)


@questionnaire_app.command("list")
def questionnaire_list(
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """사용 가능한 질문지 / List the questionnaires found (./questionnaires, then bundled).

    \b
    Examples:
      esg questionnaire list
    """
    from rich.table import Table

    language = option_language(lang)
    entries = []
    for ident, path in iter_catalogue():
        try:
            q = load_questionnaire(path)
        except InputError as exc:
            entries.append({"id": ident, "version": None, "title": None, "indicators": None,
                            "areas": None, "path": str(path), "error": exc.problems[0].message(language)})
            continue
        per_area = {a: sum(1 for i in q.indicators if i.area == a) for a in q.area_ids}
        entries.append({"id": q.id, "version": q.version, "title": q.title(language),
                        "indicators": len(q.indicators), "areas": per_area, "path": str(path)})
    if output_format is Format.json:
        emit(to_json(entries))
        return
    if output_format is Format.csv:
        emit(csv_text(["id", "version", "title", "indicators", "path"],
                       [[e["id"], e["version"], e["title"], e["indicators"], e["path"]]
                        for e in entries]))
        return
    table = Table()
    for name in ("ID", "version", "title", "indicators", "path"):
        table.add_column(name, no_wrap=name in ("ID", "version"),
                         overflow="fold" if name == "path" else "ellipsis")
    for e in entries:
        areas = " ".join(f"{a} {n}" for a, n in (e["areas"] or {}).items())
        table.add_row(e["id"], e["version"] or "—", e["title"] or e.get("error", ""),
                      f"{e['indicators']} ({areas})" if e["indicators"] else "—",
                      short_path(e["path"]))
    make_console().print(table)


@questionnaire_app.command("show")
def questionnaire_show(
    ref: Annotated[str, typer.Argument(metavar="ID|FILE", help="Questionnaire id or file.")],
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """질문지 내용 보기 / Show areas and indicators with answers, points and pass rules.

    \b
    Examples:
      esg questionnaire show supplier-esg
      esg questionnaire show kesg-2021 --lang en --format json
    """
    from esgcli.cli.render import questionnaire_tree
    from esgcli.outputs.tables import questionnaire_dict

    q = resolve_questionnaire(ref)
    language = option_language(lang, q)
    if output_format is Format.json:
        emit(to_json(questionnaire_dict(q)))
    elif output_format is Format.csv:
        rows = questionnaire_dict(q)["indicators"]
        keys = ["id", "area", "title", "type", "max_points", "pass_points", "weight", "critical",
                "na_allowed", "applies_if"]
        emit(csv_text(keys, [[r[k] if k != "title" else r["title"].get(language) for k in keys]
                              for r in rows]))
    else:
        make_console().print(questionnaire_tree(q, language))


@questionnaire_app.command("diff")
def questionnaire_diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="Older questionnaire (id or file).")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Newer questionnaire (id or file).")],
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """두 질문지 비교 / What changed between two questionnaire versions.

    Indicators added, removed, retitled, or changed in scale, options, points, pass rule,
    weight, critical flag or applicability, and area weight changes. Exit 0 either way.

    \b
    Examples:
      esg questionnaire diff questionnaires/2023.yaml questionnaires/2024.yaml
      esg questionnaire diff old.yaml new.yaml --format json
    """
    from esgcli.cli.render import diff_table
    from esgcli.questionnaire.diff import diff_questionnaires

    before, after = resolve_questionnaire(old), resolve_questionnaire(new)
    language = option_language(lang, after)
    delta = diff_questionnaires(before, after)
    if output_format is Format.json:
        emit(to_json(delta.to_dict()))
    elif output_format is Format.csv:
        rows = [[i, "added", ""] for i in delta.added] + [[i, "removed", ""] for i in delta.removed]
        rows += [[c["indicator"], "changed", ";".join(c["fields"])] for c in delta.changed]
        emit(csv_text(["indicator", "change", "fields"], rows))
    else:
        make_console().print(diff_table(delta, language))


# ---------------------------------------------------------------- esg improve
class Sort(str, Enum):
    delta = "delta"
    after = "after"
    id = "id"


@app.command("improve")
def improve_command(
    files: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="Files or folders holding two rounds, or exactly two PATHs: "
        "BEFORE AFTER.", show_default=False)],
    before: Annotated[str | None, typer.Option("--before", help="Round before support.")] = None,
    after: Annotated[str | None, typer.Option("--after", help="Round after support.")] = None,
    questionnaire: Annotated[list[str] | None, typer.Option(
        "-q", "--questionnaire", help="Questionnaire id or file; give it twice for two files "
        "scored with different versions.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this year's records.",
                                             min=YEAR_MIN, max=YEAR_MAX)] = None,
    sort: Annotated[Sort | None, typer.Option("--sort", help="Order of the suppliers (default: "
                                             "delta in the table, id in JSON/CSV/-o).")] = None,
    output_format: FormatOpt = Format.table,
    output: OutputOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.error,
    force: ForceOpt = False,
) -> None:
    """전·후 개선도 / Before/after improvement of suppliers, areas, indicators and the cohort.

    With exactly two PATHs (files or folders) and no --before/--after, the first is before
    and the second after; otherwise the rounds come from the records.

    \b
    Examples:
      esg improve examples/suppliers.xlsx
      esg improve answers.xlsx --before 1차 --after 2차 --format json
      esg improve before.xlsx after.xlsx -o improvement.xlsx
      esg improve replies-2024-pre/ replies-2024-post/
    """
    from esgcli.cli.render_improvement import (
        cohort_table,
        grade_table,
        indicator_table,
        supplier_table,
        unpaired_line,
    )
    from esgcli.engine.improvement import improve_answers
    from esgcli.outputs.tables import improvement_tables

    refs = list(questionnaire or [])
    by_path = len(files) == 2 and (len(refs) == 2 or (before is None and after is None))
    if len(refs) > (2 if by_path else 1):
        raise UsageError("-q 는 한 번, 또는 두 경로(전, 후)에 하나씩 줄 수 있습니다",
                         "give -q once, or once for each of two PATHs (before, after)")
    suffix = check_output(output, [*files, *file_refs(*refs)], (".json", ".csv", ".xlsx"),
                          force) if output else None
    if by_path:
        sets, language = load_each(files, refs, sheet, lang, skip_invalid, on_duplicate)
    else:
        data, language = load(files, refs[0] if refs else None, sheet, lang, skip_invalid,
                               on_duplicate=on_duplicate)
        sets = [data]
    result = improve_answers(sets, before, after, year)
    terminal = output is None and output_format is Format.table
    result = result.sorted_by((sort or (Sort.delta if terminal else Sort.id)).value)
    # The supplier rows as dicts only for outputs that are not streamed JSON.
    tables = (output is not None and suffix != ".json") or output_format is Format.csv or terminal
    data_dict = result.to_dict(suppliers=tables)
    err = make_console(stderr=True)
    for warning in result.warnings:
        err.print(Text(warning.message(language), style="yellow"), soft_wrap=True)
    for change in result.method_changes:
        if change["indicator"] is None:
            err.print(Problem(code="IMP-003", severity="warning", params={
                "before": f"{change['before']['id']} {change['before']['version']}",
                "after": f"{change['after']['id']} {change['after']['version']}",
                "shared": len(result.after.questionnaire.indicators)}).message(language),
                soft_wrap=True)
        else:
            err.print(Problem(code="IMP-004", severity="warning", params={
                "indicator": change["indicator"], "fields": ", ".join(change["fields"])}
                ).message(language), soft_wrap=True)
    if output is not None:
        if suffix == ".json":
            write_pieces(output, improvement_json_parts(result))
        elif suffix == ".csv":
            _, header, rows = improvement_tables(data_dict)[1]
            write_text(output, csv_text(header, rows), encoding="utf-8-sig")
        else:
            write_table_xlsx(output, improvement_tables(data_dict),
                             percent_columns=lambda n: n.endswith(("before", "after", "_pp", "_pct")))
        err.print(f"저장했습니다: {output}" if language == "ko" else f"written: {output}",
                  soft_wrap=True)
        if output_format is Format.table:  # -o takes the place of the table; json/csv still print
            return
    if output_format is Format.json:
        _emit_pieces(improvement_json_parts(result))
    elif output_format is Format.csv:
        _, header, rows = improvement_tables(data_dict)[1]
        emit(csv_text(header, rows))
    else:
        out = make_console()
        tables = [cohort_table(data_dict, result, language, out.width),
                  supplier_table(data_dict["suppliers"], result, language, "id",  # sorted above
                                 TABLE_ROW_LIMIT, out.width),
                  indicator_table(data_dict["indicators"], result, language, 10, out.width)]
        if data_dict["grades"]:
            tables.append(grade_table(data_dict["grades"], result, language, out.width))
        for k, fitted in enumerate(tables):
            if k:
                out.print()
            out.print(fitted.table)
        dropped_note(err, [c for f in tables for c in f.dropped], language)
        if data_dict["only_before"] or data_dict["only_after"]:
            out.print(Text(unpaired_line(data_dict, language)))  # wrapped at the width


# ---------------------------------------------------------------- esg template
@app.command("template")
def template_command(
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="The .xlsx file to write (a folder with --per-supplier).")] = None,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
    rounds: Annotated[str | None, typer.Option("--rounds", help="Rounds, comma-separated "
                                               "(e.g. 사전,사후): one row per supplier and round.")] = None,
    suppliers: Annotated[Path | None, typer.Option("--suppliers", help="Prefill with the "
                                                   "suppliers of this .xlsx/.csv list.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Add a year column, prefilled.",
                                             min=YEAR_MIN, max=YEAR_MAX)] = None,
    per_supplier: Annotated[bool, typer.Option(
        "--per-supplier", help="One locked workbook per supplier of --suppliers, in the -o "
                               "folder, named {supplier_id}_{supplier_name}.xlsx.")] = False,
    prefill: Annotated[list[Path] | None, typer.Option(
        "--prefill", help="Fill each supplier's answers from its latest earlier record in these "
                          "answers files or folders (repeat the option for more).")] = None,
    force: ForceOpt = False,
) -> None:
    """응답 양식 만들기 / Write an answer workbook for suppliers.

    Dropdowns on every choice and yes/no column (N/A where allowed), number checks with the
    range, the question as an input message, a questions sheet, instructions, and a hidden
    record of the questionnaire so that `esg score` finds it without -q.

    \b
    Examples:
      esg template -q supplier-esg -o answers.xlsx
      esg template -o answers.xlsx --rounds 사전,사후 --suppliers suppliers.csv --year 2024
      esg template --suppliers suppliers.csv --per-supplier -o forms/ --rounds 사전,사후
      esg template --suppliers suppliers.csv --per-supplier -o forms-2025/ --prefill replies/
    """
    from esgcli.answers.read import read_supplier_list
    from esgcli.outputs.template import SupplierRow, write_per_supplier, write_template

    if per_supplier and (suppliers is None or output is None):
        raise usage_problem("TPL-001")
    if prefill and suppliers is None:
        raise usage_problem("TPL-005")
    if output is None:
        raise UsageError.of("USE-010", name="'-o' / '--output'")
    if not per_supplier:
        check_output(output, [suppliers, *file_refs(questionnaire)], (".xlsx",), force)
    q, language = _questionnaire_and_language(None, questionnaire, lang)
    rows = []
    if suppliers is not None:
        rows = [SupplierRow(r["supplier_id"], r["supplier_name"], r["profile"])
                for r in read_supplier_list(suppliers, q)]
    round_names = [r.strip() for r in rounds.split(",") if r.strip()] if rounds else []
    if prefill:
        rows = prefilled(rows, prefill, q, language)
    if per_supplier:
        result = write_per_supplier(q, output, rows, language, round_names, year, force,
                                    inputs=[p for p in (suppliers, *file_refs(questionnaire),
                                                        *(prefill or [])) if p is not None])
        make_console(stderr=True).print(Problem(code="TPL-004", severity="warning", params={
            "folder": str(output), "count": len(result.files),
            "questionnaire": f"{q.id} {q.version}"}).text(language), soft_wrap=True)
        return
    write_template(q, output, language, round_names, rows, year)
    make_console(stderr=True).print(
        f"저장했습니다: {output} ({q.id} {q.version}, 지표 {len(q.indicators)}개, 협력사 {len(rows)}개사)"
        if language == "ko" else
        f"written: {output} ({q.id} {q.version}, {len(q.indicators)} indicators, "
        f"{len(rows)} suppliers)", soft_wrap=True)




def prefilled(rows: list[Any], paths: list[Path], q: Questionnaire, language: str) -> list[Any]:
    """The supplier rows with each one's latest earlier answers (`template --prefill`); an
    earlier file that cannot be read stops the run (exit 3): a form silently left blank would
    make the supplier answer everything again."""
    from esgcli.answers.inputs import read_answer_paths
    from esgcli.engine.campaign import earlier_answers

    data = read_answer_paths(paths, q, on_duplicate="latest")
    unplaced = [p for p in data.errors if p.record is None]
    if unplaced:
        raise InputError(unplaced)
    dropped = [p for p in data.problems if p.code == "SRC-002"]  # a corrected reply: said
    if dropped:
        render_problems(make_console(stderr=True), said_once(dropped, language), language)
    earlier = earlier_answers(data)
    out = [replace(r, answers=earlier.answers.get(r.supplier_id)) for r in rows]
    without = [r.supplier_id for r in out if r.answers is None]
    names = (": " + ", ".join(without[:10]) + (" …" if len(without) > 10 else "")) if without else ""
    make_console(stderr=True).print(Text(Problem(code="TPL-006", params={
        "filled": len(out) - len(without),
        "answers": sum(len(r.answers or {}) for r in out),
        "sources": ", ".join(str(p) for p in paths), "invalid": earlier.invalid,
        "without": len(without), "names": names}).text(language)), soft_wrap=True)
    return out


def short_path(path: str) -> str:
    """A path relative to the current folder when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def main() -> None:
    app()
