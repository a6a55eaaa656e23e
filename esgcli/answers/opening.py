"""A reply opened once: its cells, where its header is, what `esg template` recorded, its sha256.

Opening is the part of reading that every file needs on its own, and most of the time of
`esg score FOLDER` on a campaign's replies; reading the records (`stacked`, `read`) comes
after. This module and what it imports need neither pandas nor pydantic, so that `esg` can
fork the processes that open a folder of replies before it loads them (:func:`start_early`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from esgcli.answers.fastread.fidelity import scan_cells
from esgcli.answers.headers import HEADER_SEARCH_ROWS, find_header_row, supplier_id_headers
from esgcli.answers.paths import file_sha256
from esgcli.answers.smallbook import SmallXlsx, open_small_xlsx
from esgcli.answers.workbook import Sheet, Workbook, open_workbook
from esgcli.base.forked import Forked
from esgcli.base.parallel import in_processes, process_count
from esgcli.base.problems import InputError, Problem

__all__ = ["META_SHEET", "OpenedFile", "find_sheet", "open_all", "open_batches", "open_file",
           "opened_reads", "start_early", "workbook_meta"]

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
        recorded = small.recorded(META_SHEET) if small is not None else None
        meta = workbook_meta(book) if recorded is None else recorded
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
    cells and its notes), and opening is CPU work that threads would serialise. Files that
    :func:`start_early` began opening are taken from there."""
    wanted = [(path, name, sheet) for path, name in items]
    early = _early_results(wanted, progress)
    rest = [item for item in wanted if item not in early]
    opened = dict(zip(rest, in_processes(_open_one, rest, CHUNK, progress, PARALLEL_MIN,
                                         crashed=_crashed), strict=True))
    return [early[item] if item in early else opened[item] for item in wanted]


BATCH = 128  # files from which opened files are handed over as they come (open_batches)


def open_batches(items: Sequence[tuple[Path, str]], sheet: str | None = None,
                 progress: Callable[[int, int], None] | None = None
                 ) -> Iterator[list[OpenedFile]]:
    """:func:`open_all` handed over as the files are opened: lists of consecutive files, in
    order, so that the caller reads the first while the processes open the rest. Where the
    opening was started early for exactly these files (the campaign's case) the lists come as
    the processes finish; otherwise :func:`open_all` gives them as one list."""
    wanted = [(path, name, sheet) for path, name in items]
    job = _EARLY.get("job")
    if job is not None and job[0] == wanted:
        _EARLY.pop("job")
        yield from job[1].in_order(progress, BATCH)
        return
    yield open_all(items, sheet, progress)


_EARLY: dict[str, Any] = {}  # the opening this process started early, then its results


def start_early(items: Sequence[tuple[Path, str]], sheet: str | None = None) -> bool:
    """Start opening ``items`` now, on a process per core, for :func:`open_all` to take later.

    `esg` calls this before it imports pandas and the command's modules (`cli.early`), so the
    replies of a campaign are opened while the command loads: the processes are forked from a
    process that has loaded only what opening needs. Started only where :func:`open_all` would
    use processes; False when not started."""
    wanted = list(dict.fromkeys((path, name, sheet) for path, name in items))
    workers = process_count(len(wanted), PARALLEL_MIN)
    if not workers or "job" in _EARLY:
        return False
    _EARLY.clear()
    _EARLY["job"] = (wanted, Forked(_open_one, wanted, CHUNK, workers, crashed=_crashed))
    return True


def _early_results(wanted: list[tuple[Path, str, str | None]],
                   progress: Callable[[int, int], None] | None) -> dict[Any, OpenedFile]:
    """The files of ``wanted`` opened early (waiting for the opening to finish), by item."""
    job = _EARLY.pop("job", None)
    if job is not None:
        items, forked = job
        shown = progress
        if progress is not None and items != wanted:  # the whole opening, as a share of these

            def shown(done: int, total: int) -> None:
                progress(done * len(wanted) // max(total, 1), len(wanted))

        _EARLY["opened"] = dict(zip(items, forked.results(shown), strict=True))
    opened: dict[Any, OpenedFile] = _EARLY.get("opened", {})
    return {item: opened.pop(item) for item in wanted if item in opened}  # each taken once


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


def find_sheet(book: Workbook, wanted: str | None) -> tuple[Sheet, int]:
    """The sheet to read (``wanted``, else the first with a supplier-id header) and the index
    of its header row; InputError when there is none."""
    if wanted is not None:
        if wanted not in book.sheet_names:
            raise InputError([Problem(code="WB-005", file=book.file, params={
                "sheet": wanted, "available": ", ".join(book.sheet_names)})])
        names = [wanted]
    else:
        names = book.sheet_names
    for name in names:
        sheet = book.load(name)
        row = find_header_row(sheet)
        if row is not None:
            return sheet, row
    raise InputError([Problem(code="WB-006", file=book.file,
                              sheet=wanted if wanted else None,
                              params={"rows": HEADER_SEARCH_ROWS,
                                      "headers": supplier_id_headers()})])


META_SHEET = "_esgcli"


def workbook_meta(book: Workbook) -> dict[str, str]:
    """What `esg template` recorded in the hidden sheet of an open workbook (empty if none)."""
    if META_SHEET not in book.sheet_names:
        return {}
    try:
        meta = book.load(META_SHEET)
    except Exception:  # an unreadable file is reported when the answers are read
        return {}
    out = {}
    for row in (meta.row(r) for r in range(min(meta.n_rows, 50))):
        if len(row) >= 2 and isinstance(row[0], str) and isinstance(row[1], str) and row[1].strip():
            out[row[0]] = row[1].strip()
    return out
