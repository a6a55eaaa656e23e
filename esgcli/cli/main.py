"""`esg template / validate / score / improve`, and the reading of answers the commands share:
parse options, call the core, emit the result."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from esgcli.answers.answerset import AnswerSet
from esgcli.answers.inputs import (
    InputFile,
    MergingRead,
    NotSkippable,
    QuestionnaireChoice,
    ValidAnswers,
    choose_questionnaire,
    input_files,
    keep_valid,
    merge_reads,
    metas_of,
    open_files,
    read_files,
    said_once,
)
from esgcli.answers.opening import OpenedFile, open_batches
from esgcli.answers.validation import PROBLEM_KEYS, validate
from esgcli.base.labels import label as label_text
from esgcli.base.problems import (
    InputError,
    Problem,
    UsageError,
    usage_problem,
)
from esgcli.cli.debug import show_reads
from esgcli.cli.emit import Serves, Sheet, format_typed
from esgcli.cli.emit import emit as emit_result
from esgcli.cli.lang import (
    note_questionnaire_language,
    run_language,
    say,
)
from esgcli.cli.options import (
    YEAR_MAX,
    YEAR_MIN,
    AfterOpt,
    AnswersArg,
    BeforeOpt,
    ForceOpt,
    Format,
    FormatOpt,
    Lang,
    LangOpt,
    OnDuplicate,
    OnDuplicateOpt,
    OutputOpt,
    QuestionnaireOpt,
    SheetOpt,
    SkipInvalidOpt,
    file_refs,
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
from esgcli.cli.visible import visible
from esgcli.engine.explain import explain
from esgcli.engine.rounds import select_round
from esgcli.engine.scoring import ScoreResult, score
from esgcli.outputs.files import check_output, csv_text
from esgcli.outputs.guard import check_new_folder
from esgcli.outputs.record_lines import detail_csv_parts, improvement_json_parts, score_csv_parts, score_json_parts
from esgcli.outputs.tables import detail_table, is_rate_column, lazy_localised_sheets
from esgcli.outputs.tables import score_table as flat_score_table
from esgcli.questionnaire.questionnaire import (
    Questionnaire,
)


def option_language(option: Lang | None = None, q: Questionnaire | None = None) -> str:
    """The run's language: --lang (read before parsing, see cli_lang), else $ESG_LANG, else the
    questionnaire's, else Korean."""
    return run_language(option.value if option is not None else None,
                        q.language if q is not None else None)


def _questionnaire_line(q: Questionnaire, lang: str) -> None:
    where = str(q.path) if q.path else "-"
    make_console(stderr=True).print(
        Text(say("CLI-001", lang, id=q.id, version=q.version, where=where)), soft_wrap=True)


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

    # the label holds a file's name: no markup, and its control characters shown (the bar's
    # own render hook comes after the console's)
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        bar.add_task(visible(label), total=None)
        yield


@contextmanager
def file_progress(label: str, total: int) -> Iterator[Callable[[int, int], None] | None]:
    """A files done / total bar on stderr while reading many files (terminal only)."""
    err = make_console(stderr=True)
    if not err.is_terminal or total < PROGRESS_MIN_FILES:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(visible(label), total=total)
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
    reading = MergingRead(lambda first: _guess(files, ref, default, first))
    with file_progress(reading_label(option_language(lang)), len(files)) as step:
        for batch in open_batches([(f.path, f.name) for f in files], sheet, step):
            reading.add(batch)
    choice, language = choose(files, ref, lang, default, metas_of(reading.opened))
    data = reading.merged(choice.questionnaire, on_duplicate.value)
    show_reads(data.sources, language)
    return data, language


def _guess(files: list[InputFile], ref: str | None, default: str | None,
           first: Sequence[OpenedFile]) -> Questionnaire | None:
    """The questionnaire the files will be read with, chosen from the first of them (silently:
    :func:`choose` says it once every file is open); None when that choice fails."""
    try:
        return choose_questionnaire(files, ref, default, metas_of(first)).questionnaire
    except (InputError, UsageError):
        return None


def reading_label(language: str) -> str:
    return label_text("cli.reading", language)


def open_many(files: list[InputFile], sheet: str | None, lang: Lang | None) -> list[OpenedFile]:
    """Open every file once, with a files done / total bar on a terminal."""
    with file_progress(reading_label(option_language(lang)), len(files)) as step:
        return open_files(files, sheet, step)


def load(answers: list[Path] | Path, ref: str | None, sheet: str | None, lang: Lang | None,
          skip_invalid: bool = False, default: str | None = None,
          on_duplicate: OnDuplicate = OnDuplicate.error) -> tuple[AnswerSet, str]:
    """The answers a command computes on: read, then the library's selection (`keep_valid`,
    `--skip-invalid`); here only said on stderr: what was left out, then the warnings."""
    paths = answers if isinstance(answers, list) else [answers]
    data, language = read_paths(paths, ref, sheet, lang, default, on_duplicate)
    try:
        valid = keep_valid(data, skip_invalid)
    except NotSkippable as exc:
        say_left_out(exc.valid, language)
        raise
    say_left_out(valid, language)
    if valid.warnings:
        render_problems(make_console(stderr=True), said_once(valid.warnings, language), language,
                        limit=5)
    return valid.answers, language


def say_left_out(valid: ValidAnswers, language: str) -> None:
    """The errors of the records `--skip-invalid` left out, then which ones (stderr)."""
    note = valid.note()
    if note is None:
        return
    err = make_console(stderr=True)  # errors of no record: said by the run that stops on them
    placed = [p for p in valid.errors if p.record is not None]
    render_problems(err, said_once(placed, language), language, limit=20, show_warnings=False)
    err.print(Text(note.text(language)), soft_wrap=True)


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


# ---------------------------------------------------------------- esg score
SCORE_SERVES = Serves(files=(".json", ".csv", ".xlsx"))


def score_command(
    answers: AnswersArg,
    questionnaire: QuestionnaireOpt = None,
    round_name: Annotated[str | None, typer.Option(
        "--round", metavar="ROUND", help="이 차수만 계산 / Score only this round.")] = None,
    output_format: FormatOpt = Format.table,
    output: OutputOpt = None,
    detail: Annotated[bool, typer.Option(
        "--detail", help="JSON·CSV·-o 에 지표별 결과 추가 (화면에서는 --explain) / Add every "
        "indicator to JSON, CSV and -o (on the terminal: --explain).")] = False,
    explain: Annotated[str | None, typer.Option(
        "--explain", metavar="SUPPLIER_ID", help="한 협력사의 지표별 결과 / Show one supplier "
        "indicator by indicator.")] = None,
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
    SCORE_SERVES.check(output_format, output, [*answers, *file_refs(questionnaire)], force)
    if detail and explain is None and output is None and output_format is Format.table:
        raise UsageError.of("USE-002")  # the terminal has --explain for one supplier's indicators
    data, language = load(answers, questionnaire, sheet, lang, skip_invalid,
                           on_duplicate=on_duplicate)
    if round_name is not None:
        data = select_round(data, round_name)
    result = score(data)
    if explain is not None:
        _explain(result, data, explain, output_format, language, output)
        return
    emit_result(result, output_format, output, language, **score_views(result, detail, language),
         table=lambda: _score_terminal(result, language))


def score_views(result: ScoreResult, detail: bool, lang: str) -> dict[str, Any]:
    """JSON, CSV and XLSX of a score result (streamed record lines for JSON and CSV); the XLSX
    headers in ``lang``, the JSON keys and CSV columns English."""
    def tables() -> list[Sheet]:
        found: list[Sheet] = [("scores", *flat_score_table(result))]
        if detail:
            found.append(("indicators", *detail_table(result, lang)))
        return found

    sheets, percent = lazy_localised_sheets(tables, lang, is_rate_column,
                                            flags=("compliant", "missing"))
    return {"json": lambda: score_json_parts(result, detail),
            "csv": lambda: detail_csv_parts(result) if detail else score_csv_parts(result),
            "sheets": sheets, "percent_columns": percent}


def _score_terminal(result: ScoreResult, language: str) -> None:
    out = make_console()
    fitted = score_table(result, language, width=out.width)
    out.print(fitted.table)
    if len(result) > TABLE_ROW_LIMIT:
        make_console(stderr=True).print(
            say("CLI-003", language, count=len(result) - TABLE_ROW_LIMIT), soft_wrap=True)
    summary = summary_table(result, language, out.width)
    out.print()
    out.print(summary.table)
    dropped_note(make_console(stderr=True), fitted.dropped + summary.dropped, language)


def _explain(result: ScoreResult, data: AnswerSet, supplier: str, output_format: Format,
             lang: str, output: Path | None = None) -> None:
    """One supplier indicator by indicator: a table, or its JSON/CSV (stdout or -o)."""
    explained = explain(result, supplier)

    def terminal() -> None:
        out = make_console()
        for i in explained.rows:
            fitted = explain_table(result, data.raw, int(i), lang, out.width)
            out.print(fitted.table)
            dropped_note(make_console(stderr=True), fitted.dropped, lang)

    shown = score_views(explained.supplier, detail=True, lang=lang)
    del shown["json"]  # the explanation's own to_dict()
    emit_result(explained, output_format, output, lang, **shown, table=terminal)


# ---------------------------------------------------------------- esg validate
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
    result = validate(data)
    problems = result.problems
    errors = result.errors

    def terminal() -> None:
        out = make_console()
        render_problems(out, problems, language, limit=None)
        name = data.source.file
        if len(data.sources) > 1:
            name = label_text("cli.files", language, n=len(data.sources))
        out.print(Text(result.summary(name, problem_count_line(problems, language)).text(language)),
                  soft_wrap=True)

    emit_result(result, output_format, None, language, table=terminal,
                sheets=lambda: [("problems", PROBLEM_KEYS, result.rows(language))])
    if errors:
        raise typer.Exit(3)


# ---------------------------------------------------------------- esg questionnaire
# ---------------------------------------------------------------- esg improve
IMPROVE_SERVES = Serves(files=(".json", ".csv", ".xlsx"))


class Sort(str, Enum):
    delta = "delta"
    after = "after"
    id = "id"


def improve_command(
    files: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="두 차수가 든 파일·폴더, 또는 정확히 두 경로: 전 후 / Files or "
        "folders holding two rounds, or exactly two PATHs: BEFORE AFTER.", show_default=False)],
    before: BeforeOpt = None,
    after: AfterOpt = None,
    questionnaire: Annotated[list[str] | None, typer.Option(
        "-q", "--questionnaire", metavar="ID|FILE", help="질문지 ID 또는 파일 (두 파일이 다른 "
        "버전이면 두 번) / Questionnaire id or file; give it twice for two files scored with "
        "different versions.")] = None,
    year: Annotated[int | None, typer.Option(
        "--year", metavar="YEAR", help="이 연도의 응답만 / Only this year's records.",
        min=YEAR_MIN, max=YEAR_MAX)] = None,
    sort: Annotated[Sort | None, typer.Option(
        "--sort", metavar="delta|after|id", help="협력사 순서 (기본: 화면은 개선폭, JSON/CSV/-o 는 "
        "코드) / Order of the suppliers (default: delta in the table, id in JSON/CSV/-o).")] = None,
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
        raise UsageError.of("CLI-004")
    suffix = IMPROVE_SERVES.check(output_format, output, [*files, *file_refs(*refs)], force)
    if by_path:
        sets, language = load_each(files, refs, sheet, lang, skip_invalid, on_duplicate)
    else:
        data, language = load(files, refs[0] if refs else None, sheet, lang, skip_invalid,
                               on_duplicate=on_duplicate)
        sets = [data]
    result = improve_answers(sets, before, after, year)
    on_terminal = output is None and output_format is Format.table
    result = result.sorted_by((sort or (Sort.delta if on_terminal else Sort.id)).value)
    # `-o` with a typed `--format table`: the table too, ordered as on the terminal
    table_sort = "id" if on_terminal else (sort or Sort.delta).value
    shows_table = on_terminal or (output_format is Format.table and format_typed())
    # The supplier rows as dicts only for outputs that are not streamed JSON.
    tables = (output is not None and suffix != ".json") or output_format is Format.csv or shows_table
    data_dict = result.to_dict(suppliers=tables)
    err = make_console(stderr=True)
    for warning in result.warnings:
        err.print(Text(warning.message(language), style="yellow"), soft_wrap=True)
    for problem in result.method_change_problems():
        err.print(problem.message(language), soft_wrap=True)

    titles = {i.id: i.title.get(language) for i in result.after.questionnaire.indicators}
    sheets, percent = lazy_localised_sheets(
        lambda: improvement_tables(data_dict, titles), language,
        lambda key: key.endswith(("before", "after", "_pp", "_pct")), flags=("definition_changed",))

    def terminal() -> None:
        out = make_console()
        tables = [cohort_table(data_dict, result, language, out.width),
                  supplier_table(data_dict["suppliers"], result, language, table_sort,
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

    emit_result(result, output_format, output, language, json=lambda: improvement_json_parts(result),
         csv=lambda: csv_text(*improvement_tables(data_dict)[1][1:]), sheets=sheets,
         table=terminal, percent_columns=percent)


# ---------------------------------------------------------------- esg template
def template_command(
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE|DIR", help="저장할 .xlsx 파일 (--per-supplier 는 폴더) / "
        "The .xlsx file to write (a folder with --per-supplier).")] = None,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
    rounds: Annotated[str | None, typer.Option(
        "--rounds", metavar="ROUND,ROUND", help="차수 (쉼표로 구분, 예: 사전,사후): 협력사·차수마다 한 행 / "
        "Rounds, comma-separated (e.g. 사전,사후): one row per supplier and round.")] = None,
    suppliers: Annotated[Path | None, typer.Option(
        "--suppliers", metavar="FILE", help="이 협력사 목록(.xlsx/.csv)으로 미리 채우기 / Prefill "
        "with the suppliers of this .xlsx/.csv list.")] = None,
    year: Annotated[int | None, typer.Option(
        "--year", metavar="YEAR", help="연도 열 추가 (미리 채움) / Add a year column, prefilled.",
        min=YEAR_MIN, max=YEAR_MAX)] = None,
    per_supplier: Annotated[bool, typer.Option(
        "--per-supplier", help="--suppliers 의 협력사마다 잠긴 통합문서 하나를 -o 폴더에 "
        "(협력사코드_협력사명.xlsx) / One locked workbook per supplier of --suppliers, in the -o "
        "folder, named SUPPLIERID_NAME.xlsx.")] = False,
    prefill: Annotated[list[Path] | None, typer.Option(
        "--prefill", metavar="PATH", help="이 응답 파일·폴더에서 협력사마다 가장 최근 응답으로 미리 채우기 "
        "(여러 번 지정 가능) / Fill each supplier's answers from its latest earlier record in "
        "these answers files or folders (repeat the option for more).")] = None,
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
    else:
        check_new_folder(output)
    q, language = _questionnaire_and_language(None, questionnaire, lang)
    rows = []
    if suppliers is not None:
        rows = [SupplierRow(r["supplier_id"], r["supplier_name"], r["profile"])
                for r in read_supplier_list(suppliers, q)]
    round_names = [r.strip() for r in rounds.split(",") if r.strip()] if rounds else []
    if prefill:
        rows = prefilled(rows, prefill, q, language)
    if per_supplier:
        with file_progress(label_text("cli.writing", language), len(rows)) as step:
            result = write_per_supplier(q, output, rows, language, round_names, year, force,
                                        inputs=[p for p in (suppliers, *file_refs(questionnaire),
                                                            *(prefill or [])) if p is not None],
                                        progress=step)
        make_console(stderr=True).print(Problem(code="TPL-004", severity="warning", params={
            "folder": str(output), "count": len(result.files),
            "questionnaire": f"{q.id} {q.version}"}).text(language), soft_wrap=True)
        return
    write_template(q, output, language, round_names, rows, year)
    make_console(stderr=True).print(Text(say(
        "CLI-005", language, path=str(output), id=q.id, version=q.version,
        indicators=len(q.indicators), suppliers=len(rows))), soft_wrap=True)




def prefilled(rows: list[Any], paths: list[Path], q: Questionnaire, language: str) -> list[Any]:
    """The supplier rows with each one's latest earlier answers (`template --prefill`); an
    earlier file that cannot be read stops the run (exit 3): a form silently left blank would
    make the supplier answer everything again."""
    from esgcli.engine.campaign import prefill

    found = prefill(paths, q, [r.supplier_id for r in rows])
    err = make_console(stderr=True)
    if found.replaced:  # a corrected reply: said
        render_problems(err, said_once(found.replaced, language), language)
    err.print(Text(found.note().text(language)), soft_wrap=True)
    return [replace(r, answers=found.answers.get(r.supplier_id)) for r in rows]


def register(app: typer.Typer) -> None:
    """The commands of a program year's first steps, in their order."""
    app.command("template")(template_command)
    app.command("validate")(validate_command)
    app.command("score")(score_command)
    app.command("improve")(improve_command)
