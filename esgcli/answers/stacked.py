"""Many small answer files read as one sheet (SPEC §12): a campaign's per-supplier replies.

Reading a file costs a pass over every column of its sheet, whatever its size: for a folder of
a thousand per-supplier workbooks of two rows that pass, not the cells, is the time. So each
file is opened once (its cells, where its header is, what `esg template` recorded, its sha256),
and consecutive files whose header rows are the same are stacked under one header and read in
one pass (:func:`read_run`). Every record keeps its file and Excel row, duplicates within one
file are told from duplicates across files, and every problem names its own file: the result
is the one reading each file alone and merging gives (tested).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from esgcli.answers.answerset import AnswerSet, Source, file_sha256
from esgcli.answers.fastread.fidelity import scan_cells
from esgcli.answers.read import find_sheet, read_sheet, workbook_meta
from esgcli.answers.sheet_reader import ROLE_BY_KEY, alias_key
from esgcli.answers.smallbook import SmallXlsx, open_small_xlsx
from esgcli.answers.workbook import GridSheet, Sheet, StackedSheet, open_workbook
from esgcli.base.parallel import in_processes
from esgcli.base.problems import InputError, Problem
from esgcli.questionnaire.questionnaire import Questionnaire

__all__ = ["OpenedFile", "open_all", "open_file", "read_run", "runs_of"]


@dataclass(frozen=True)
class OpenedFile:
    """One answers file opened: the sheet to read and its header row, or why it cannot be."""

    path: Path
    name: str  # the name it goes by in messages and JSON
    sheet: Sheet | None = None
    header_row: int = 0
    bad_cells: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    sha256: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # recorded by `esg template`
    reads: tuple[Problem, ...] = ()  # how the sheet was read (RD-0xx, for --debug)
    warnings: list[Problem] = field(default_factory=list)  # of opening (an encoding guessed)
    problems: list[Problem] = field(default_factory=list)  # why it cannot be read

    def relabel(self, problems: list[Problem]) -> list[Problem]:
        """Problems named by the file's name rather than its path or bare file name."""
        if self.name == self.path.name:
            return problems
        return [replace(p, file=self.name) if p.file in (self.path.name, str(self.path)) else p
                for p in problems]


SMALL_FILE = 4 * 1024**2  # bytes up to which a file of many is read into a grid (calamine)


def open_file(path: Path, name: str, sheet: str | None = None, many: bool = False) -> OpenedFile:
    """Open ``path`` once; a file that cannot be read is returned with its problems.

    ``many``: one of many files; a small one is read into a grid, to be stacked with others
    (a big one keeps the reader that is fastest for it)."""
    small: SmallXlsx | None = None
    try:
        grid = many and path.is_file() and path.stat().st_size <= SMALL_FILE
        if grid and path.suffix.lower() in (".xlsx", ".xlsm"):
            small = open_small_xlsx(path)
            book = small.book
        else:
            book = open_workbook(path, grid=grid)
        found, header_row = find_sheet(book, sheet)
        reads = list(book.reads)  # of the answers sheet (not of the template's record below)
        meta = workbook_meta(book)
    except InputError as exc:
        opened = OpenedFile(path, name)
        return replace(opened, problems=opened.relabel(exc.problems))
    bad_cells = found.scanned_cells
    file = book.file
    if bad_cells is not None:
        scan = Problem(code="RD-021", file=file, sheet=found.name)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        why: list[str] = []
        bad_cells = (small.scan_cells(found.name, why) if small is not None
                     else scan_cells(path, found.name, why))
        scan = Problem(code="RD-023", file=file, sheet=found.name, params={"detail": why[0]}) \
            if why else Problem(code="RD-022", file=file, sheet=found.name)
    else:
        bad_cells = {}
        scan = Problem(code="RD-023", file=file, sheet=found.name,
                       params={"detail": path.suffix.lower()})
    sha256 = small.sha256 if small is not None else file_sha256(path)
    opened = OpenedFile(path, name, found, header_row, bad_cells, sha256, meta,
                        tuple(opened_reads(reads, name, scan)))
    return replace(opened, warnings=opened.relabel(book.warnings))


PARALLEL_MIN = 64  # files from which the opening is spread over a process per core
CHUNK = 16  # files a process opens per task


def open_all(items: Sequence[tuple[Path, str]], sheet: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> list[OpenedFile]:
    """:func:`open_file` of every (path, name) as one of many, in order. From PARALLEL_MIN
    files on a machine of several cores (and where processes fork, as on Linux) the files are
    opened by a process per core: each file is independent, its result small (a grid of its
    cells and its notes), and opening is CPU work that threads would serialise."""
    return in_processes(_open_one, [(path, name, sheet) for path, name in items], CHUNK,
                        progress, PARALLEL_MIN, crashed=_crashed)


def _open_one(item: tuple[Path, str, str | None]) -> OpenedFile:
    path, name, sheet = item
    return open_file(path, name, sheet, many=True)


def _crashed(item: tuple[Path, str, str | None]) -> OpenedFile:
    """A file whose reader killed the process opening it: unreadable, the others go on."""
    path, name, _ = item
    return OpenedFile(path, name, problems=[Problem(code="WB-002", file=name, params={
        "detail": "the reader stopped on this file (the process reading it died)"})])


def opened_reads(reads: list[Problem], name: str, scan: Problem) -> list[Problem]:
    """The read notes of a file, named as the file is named in the run."""
    return [p if p.file == name else replace(p, file=name) for p in (*reads, scan)]


def _header(opened: OpenedFile) -> tuple[Any, ...] | None:
    """What must be equal for files to be read as one sheet; None when a file is read alone
    (cells marked by the fidelity scan are placed by their own row; a long layout's records
    gather rows)."""
    sheet = opened.sheet
    if not isinstance(sheet, GridSheet) or opened.bad_cells or sheet.n_rows <= opened.header_row:
        return None
    header = list(sheet.row(opened.header_row))
    while header and header[-1] in ("", None):
        header.pop()
    key = (sheet.excel_row(opened.header_row), sheet.col_offset, *header)
    return None if _long_layout(key) else key


def _long_layout(key: tuple[Any, ...]) -> bool:
    """A header naming an indicator or answer column (records gather rows: read alone);
    asked once per distinct header, not once per file."""
    known = _LONG_LAYOUT.get(key)
    if known is None:
        known = any(ROLE_BY_KEY.get(alias_key(v)) in ("indicator", "answer") for v in key[2:]
                    if isinstance(v, str))
        if len(_LONG_LAYOUT) < 256:
            _LONG_LAYOUT[key] = known
    return known


_LONG_LAYOUT: dict[tuple[Any, ...], bool] = {}


def runs_of(opened: Sequence[OpenedFile]) -> list[list[OpenedFile]]:
    """Readable files in order, cut into runs of consecutive files with the same header."""
    runs: list[list[OpenedFile]] = []
    last: tuple[Any, ...] | None = None
    for o in opened:
        if o.sheet is None:
            continue
        key = _header(o)
        if runs and key is not None and key == last:
            runs[-1].append(o)
        else:
            runs.append([o])
        last = key
    return runs


def read_run(run: list[OpenedFile], questionnaire: Questionnaire
             ) -> tuple[AnswerSet | None, dict[str, list[Problem]]]:
    """The records of a run of files as one answer set (each record with its `file`, each file
    its own `Source`), or None and each file's problems when the header makes them unreadable."""
    if len(run) == 1:
        return _read_alone(run[0], questionnaire)
    first = run[0]
    assert first.sheet is not None
    header = list(first.sheet.row(first.header_row))
    bodies, first_rows = [], []
    for o in run:
        assert isinstance(o.sheet, GridSheet)
        bodies.append(o.sheet.cells[o.header_row + 1:])
        first_rows.append(o.sheet.excel_row(o.header_row + 1))
    stacked = StackedSheet(first.sheet.name, header, bodies, first_rows,
                           first.sheet.excel_row(first.header_row), first.sheet.col_offset)
    try:
        data = read_sheet(first.name, stacked, questionnaire, header_row=0)
    except InputError as exc:  # the header they share: every file as unreadable as the first
        return None, {o.name: [_to_file(p, o) for p in exc.problems] for o in run}
    parts = data.records["part"].to_numpy()
    names = np.array([o.name for o in run], dtype=object)
    records = data.records.drop(columns="part")
    records["file"] = names[parts]
    placed: list[tuple[int, Problem]] = []
    for p in data.problems:
        if p.record is not None:
            k = int(parts[p.record])
            placed.append((k, _to_file(p, run[k])))
        else:  # of the header: each file is told, as if read alone
            placed += [(k, _to_file(p, o)) for k, o in enumerate(run)]
    placed.sort(key=lambda kp: kp[0])  # stable: each file's problems in the order read alone
    by_file: list[list[Problem]] = [list(o.warnings) for o in run]
    for k, p in placed:
        by_file[k].append(p)
    problems = [p for ps in by_file for p in ps]
    counts = np.bincount(parts, minlength=len(run))
    sources = tuple(
        Source(file=o.name, path=str(o.path), sheet=o.sheet.name if o.sheet else "",
               sha256=o.sha256, layout=data.source.layout, records=int(counts[k]), reads=o.reads)
        for k, o in enumerate(run))
    return replace(data, records=records, source=sources[0], sources=sources,
                   problems=problems), {}


def _to_file(problem: Problem, opened: OpenedFile) -> Problem:
    sheet = opened.sheet.name if opened.sheet is not None else problem.sheet
    sheet = sheet if problem.sheet is not None else None
    if problem.file == opened.name and problem.sheet == sheet:
        return problem
    return replace(problem, file=opened.name, sheet=sheet)


def _read_alone(opened: OpenedFile, questionnaire: Questionnaire
                ) -> tuple[AnswerSet | None, dict[str, list[Problem]]]:
    """One file read as `answers.read_answers` reads it."""
    assert opened.sheet is not None
    try:
        result = read_sheet(opened.path.name, opened.sheet, questionnaire, opened.header_row,
                            opened.bad_cells)
    except InputError as exc:
        return None, {opened.name: opened.relabel(exc.problems)}
    source = Source(file=opened.name, path=str(opened.path), sheet=opened.sheet.name,
                    sha256=opened.sha256, layout=result.source.layout, records=len(result),
                    reads=opened.reads)
    records = result.records
    records["file"] = opened.name  # a frame of our own, built by the sheet reader
    return replace(result, source=source, sources=(source,),
                   problems=opened.warnings + opened.relabel(result.problems)), {}
