"""Which reader reads a sheet of an .xlsx workbook: decided here, and only here.

The paths, fastest first: a read started in the background while the command was starting
(`prefetch`), fastexcel in parts on every core (`split_read`, big sheets), fastexcel on the
whole sheet, and python-calamine (`workbook`) when fastexcel cannot place the sheet's cells
exactly. Every step away from a faster path adds a note saying why (codes RD-0xx) to the
caller's list; `esg --debug` prints them for each sheet read. Nothing here changes a result:
a path is only taken when its cells are placed exactly where a whole read would put them.

Big sheets are checked before a reader allocates them: the split read scans every reference as
the XML streams past, and a sheet read whole (or by calamine) is scanned first
(`xlsx_checks.streamed_extent`), so a crafted far cell or an over-used long shared string is
refused (WB-009) whatever the sheet's size.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from esgcli.answers import xlsx_checks
from esgcli.answers.fastread.split_read import (
    SheetRead,
    head_extent,
    read_columns,
)
from esgcli.answers.xlsx_checks import (
    dimension_verified,
    scan_failure,
    scanned_extent,
    sheet_index,
    streamed_extent,
)
from esgcli.base import parallel
from esgcli.base.cells import column_letter
from esgcli.base.problems import InputError, Problem

Range = tuple[int, int, int, int]


def fastexcel_module() -> Any | None:  # noqa: ANN401 - the module, or None
    """fastexcel, or None when it is not installed (then calamine reads every sheet)."""
    try:
        import fastexcel
    except ImportError:
        return None
    return fastexcel


def open_reader(path: Path, notes: list[Problem]) -> Any | None:  # noqa: ANN401
    """A fastexcel reader of the workbook (the prefetch's, if one ran), or None with the reason
    in ``notes`` (calamine then reads the file, and reports what is wrong with it)."""
    from esgcli.answers.fastread import prefetch

    fastexcel = fastexcel_module()
    if fastexcel is None:
        notes.append(Problem(code="RD-010"))
        return None
    try:
        return prefetch.reader_for(path) or fastexcel.read_excel(str(path))
    except Exception as exc:  # calamine's own error types: the calamine read reports the file
        notes.append(Problem(code="RD-011", params={"detail": _short(exc)}))
        return None


def read_sheet(path: Path, name: str, reader: Any, notes: list[Problem]) -> SheetRead | None:  # noqa: ANN401
    """Sheet ``name`` placed on the grid by the fastest path that places it exactly, with the
    path taken first in ``notes``; None (the reasons in ``notes``) for the calamine read."""
    from esgcli.answers.fastread import prefetch

    taken = prefetch.take(path, name)
    if taken is not prefetch.NOT_PREFETCHED:
        placed: SheetRead | None = taken[0]
        ahead: list[Problem] = taken[1]
        if placed is not None:
            notes.extend(ahead)
            notes.insert(1, Problem(code="RD-005"))
            return placed
        if not (ahead and ahead[0].code == "RD-019"):
            notes.extend(ahead)  # the same decision as here: not repeated
            guard(path, name)
            return None
    failed = [] if taken is prefetch.NOT_PREFETCHED else taken[1]  # tried again here
    reasons: list[Problem] = list(failed)
    placed = sheet_columns(path, name, reader, reasons)
    if placed is not None:
        notes.append(placed_note(placed))
    notes.extend(reasons)
    return placed


def read_ahead(path: Path, box: dict[str, Any]) -> None:
    """The prefetch's work (on its own thread, while the command starts): `sheet_columns` of
    the first sheet with its notes, for `read_sheet`. A failure is noted (RD-019) and the
    sheet read again on the normal path, which reports any problem of the file."""
    try:
        from esgcli.answers.xlsx_checks import check_extent, zip_problem

        if zip_problem(path) is not None or check_extent(path) is not None:
            return
        fastexcel = fastexcel_module()
        if fastexcel is None:
            return
        reader = fastexcel.read_excel(str(path))
        name = reader.sheet_names[0]
        box["reader"] = reader
        box["name"] = name
        notes: list[Problem] = []
        try:
            placed = sheet_columns(path, name, reader, notes)
        except InputError:  # refused: the normal path refuses it again, with the message
            box.pop("name")
            return
        except Exception as exc:
            notes = [Problem(code="RD-019", params={"detail": _short(exc)})]
            placed = None
        if placed is not None:
            notes.insert(0, placed_note(placed))
        box["placed"] = (placed, notes)
    except Exception as exc:  # the normal path reads the file again and reports any problem
        box.clear()
        box["failed"] = Problem(code="RD-019", params={"detail": _short(exc)})


def placed_note(placed: SheetRead) -> Problem:
    if placed.parts > 1:
        return Problem(code="RD-002", params={"parts": placed.parts, "threads": placed.threads})
    return Problem(code="RD-001")


def guard(path: Path, name: str) -> None:
    """Before a whole read (fastexcel or calamine) of a sheet too big for the once-per-workbook
    scan: every reference scanned, InputError (WB-009) past the limits."""
    index = sheet_index(path).get(name)
    if index is not None and index[2] > xlsx_checks.SCAN_LIMIT:
        streamed_extent(path, name)


def sheet_columns(path: Path, name: str, reader: Any = None,  # noqa: ANN401
                  notes: list[Problem] | None = None) -> SheetRead | None:
    """Sheet ``name`` as Arrow string columns with the 0-based row and column of its first cell,
    read on every core when it is big; None when fastexcel's range cannot be placed exactly,
    for the calamine fallback (why in ``notes``). fastexcel drops leading empty rows and
    columns, so the placement comes from the extent of every cell (scanned), else from
    `<dimension>`, and the shape read must match it.

    Some writers (openpyxl's write-only mode, other streaming writers) write no `<dimension>`,
    others a wrong one: then the sheet is placed by the extent of its cells, scanned once
    (linear in the sheet); a big sheet read in parts is placed by the extent of its first rows
    (`head_extent`), whose sentinel cells pin the columns and whose row counts check the first
    row, so the placement is exact or the read is refused."""
    notes = [] if notes is None else notes
    index = sheet_index(path).get(name)  # read once per workbook
    if index is None:
        notes.append(Problem(code="RD-012"))
        return None
    part, dim, size = index
    failure = scan_failure(path)
    if failure is not None:
        notes.append(Problem(code="RD-024", params={"detail": failure}))
    extent = scanned_extent(path, name)  # every cell of sheets up to 8 MB, once per workbook
    if extent is None and size > xlsx_checks.SCAN_LIMIT and not _splits(size):
        extent = streamed_extent(path, name)  # read whole: scanned first, in one pass
    if extent is not None and extent != dim:
        notes.append(Problem(code="RD-007", params={"range": _ref(extent), "declared": _ref(dim)}))
        placed = _read_by(path, name, part, extent, reader, notes, size)
        if placed is not None:
            return placed
    if dim is not None and (extent == dim or dimension_verified(path, name)):
        head = None  # every cell was scanned and spans the dimension exactly
    else:
        with zipfile.ZipFile(path) as archive:
            head = head_extent(archive, part)
    if dim is not None and (head is None or _agrees(dim, head)):
        notes.append(Problem(code="RD-006", params={"range": _ref(dim)}))
        placed = _read_by(path, name, part, dim, reader, notes, size)
        if placed is not None or head is None:
            return placed if placed is not None else _by_stream(path, name, part, dim, reader,
                                                                 notes, size)
    elif dim is not None and head is not None:
        notes.append(Problem(code="RD-017", params={
            "declared": _ref(dim), "head": f"{column_letter(head[1])}{head[0] + 1}:"
                                           f"{column_letter(head[2])}…"}))
    if head is None:
        notes.append(Problem(code="RD-018"))
        return _by_stream(path, name, part, dim, reader, notes, size)
    first, left, right = head
    guess = (first, left if dim is None else min(left, dim[1]), None,
             right if dim is None else max(right, dim[3]))
    notes.append(Problem(code="RD-008", params={
        "range": f"{column_letter(guess[1])}{first + 1}:{column_letter(guess[3])}…",
        "declared": _ref(dim)}))
    small = size <= xlsx_checks.SCAN_LIMIT  # cells without references: the parts are the only check
    read = read_columns(path, name, part, guess, min_bytes=0 if small else None,
                        workers=max(2, parallel.cores()) if small else None, notes=notes)
    if read is not None:
        return SheetRead(read[0], guess[0], guess[1], read[1], *_split_shape(read[0]))
    return _by_stream(path, name, part, dim, reader, notes, size)


def _splits(size: int) -> bool:
    """A sheet this big is read in parts, which scan every reference on the way."""
    from esgcli.answers.fastread import split_read

    return size >= split_read.MIN_SPLIT_BYTES and parallel.cores() >= 2


def _by_stream(path: Path, name: str, part: str, tried: Range | None, reader: Any,  # noqa: ANN401
               notes: list[Problem], size: int) -> SheetRead | None:
    """Last try for a sheet too big for the once-per-workbook scan: its every reference
    scanned (one streamed pass, also the check before calamine reads it), placed by them."""
    if size <= xlsx_checks.SCAN_LIMIT:
        return None
    extent = streamed_extent(path, name)
    if extent is None or extent == tried:
        return None
    notes.append(Problem(code="RD-007", params={"range": _ref(extent), "declared": _ref(tried)}))
    return _read_by(path, name, part, extent, reader, notes, size)


def _read_by(path: Path, name: str, part: str, rng: Range, reader: Any,  # noqa: ANN401
             notes: list[Problem], size: int) -> SheetRead | None:
    read = read_columns(path, name, part, rng, notes=notes)
    if read is not None:
        return SheetRead(read[0], rng[0], rng[1], read[1], *_split_shape(read[0]))
    guard(path, name)
    fastexcel = fastexcel_module()
    try:
        batch = (reader or fastexcel.read_excel(str(path))).load_sheet(  # type: ignore[union-attr]
            name, header_row=None, dtypes="string", eager=True)
    except InputError:
        raise
    except Exception as exc:  # calamine reads the sheet and reports what is wrong with it
        notes.append(Problem(code="RD-011", params={"detail": _short(exc)}))
        return None
    want = (rng[2] - rng[0] + 1, rng[3] - rng[1] + 1)
    if (batch.num_rows, batch.num_columns) != want or not batch.num_columns:
        notes.append(Problem(code="RD-016", params={
            "got": f"{batch.num_rows:,} × {batch.num_columns:,}", "range": _ref(rng),
            "want": f"{want[0]:,} × {want[1]:,}"}))
        return None
    return SheetRead(list(batch.columns), rng[0], rng[1])


def _split_shape(columns: list[Any]) -> tuple[int, int]:
    parts = columns[0].num_chunks if columns else 1
    return parts, min(parallel.cores(), parallel.MAX_THREADS)


def _agrees(dim: Range, head: tuple[int, int, int]) -> bool:
    """The declared range starts on the first row holding a value and spans the columns of
    the first rows (else it is wrong, and reading by it would fail after a whole parse)."""
    return dim[0] == head[0] and dim[1] <= head[1] and head[2] <= dim[3]


def _ref(rng: Range | None) -> str:
    if rng is None:
        return "-"
    return f"{column_letter(rng[1])}{rng[0] + 1}:{column_letter(rng[3])}{rng[2] + 1}"


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200]
