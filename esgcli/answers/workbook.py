"""Reading the cells of a workbook or CSV file into a 2-D object array.

Excel formats go through python-calamine (Rust; no XML entity expansion); CSV through the
standard library. Cells keep their types (float, str, bool, date); nothing is guessed away:
the text `n/a` stays `n/a`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from esgcli.answers.xlsx_checks import check_extent, check_shared_strings, ods_problem, zip_problem
from esgcli.base.cells import column_letter
from esgcli.base.problems import InputError, Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
from esgcli.answers.references import MAX_CELLS  # noqa: E402  (one limit for both checks)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Sheet:
    """The used cells of one sheet. Index (0, 0) is Excel cell (row_offset+1, col_offset+1)."""

    name: str
    n_rows: int
    n_cols: int
    row_offset: int = 0
    col_offset: int = 0
    scanned_cells: dict[tuple[str, int], tuple[str, str]] | None = None  # fidelity, when streamed

    def row(self, r: int) -> list[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def encoded(self, j: int, start: int) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
        """(codes, uniques) of column ``j`` from row ``start``: codes -1 for an empty cell."""
        raise NotImplementedError

    def encoded_many(self, columns: list[int], start: int) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        return {j: self.encoded(j, start) for j in dict.fromkeys(columns)}

    def excel_row(self, r: int) -> int:
        return self.row_offset + r + 1

    def body_excel_rows(self, start: int) -> np.ndarray:
        """The Excel row number of every row from ``start`` on."""
        return self.row_offset + start + 1 + np.arange(max(self.n_rows - start, 0))

    def body_parts(self, start: int) -> np.ndarray | None:
        """For a stacked sheet, the part (file) every row from ``start`` on came from."""
        return None

    def letter(self, j: int) -> str:
        return column_letter(self.col_offset + j)


class GridSheet(Sheet):
    """Cells held as a 2-D object array (calamine, CSV, in-memory tables)."""

    def __init__(self, name: str, cells: np.ndarray, row_offset: int = 0, col_offset: int = 0):
        self.name, self.cells = name, cells
        self.n_rows, self.n_cols = (int(cells.shape[0]), int(cells.shape[1])) if cells.ndim == 2 \
            else (0, 0)
        self.row_offset, self.col_offset = row_offset, col_offset

    def row(self, r: int) -> list[Any]:
        return list(self.cells[r])

    def encoded(self, j: int, start: int) -> tuple[np.ndarray, np.ndarray]:
        import pandas as pd

        codes, uniques = pd.factorize(self.cells[start:, j], use_na_sentinel=True)
        return codes.astype(np.int32, copy=False), np.asarray(uniques, dtype=object)


class StackedSheet(GridSheet):
    """One header row shared by several files, then the rows below it of each file in turn:
    read once instead of once per file. Each row keeps its own Excel row number and the index
    of its part (file); the header is at index 0, at Excel row ``header_row``."""

    def __init__(self, name: str, header: list[Any], bodies: list[np.ndarray],
                 first_rows: list[int], header_row: int, col_offset: int = 0):
        width = len(header)
        sizes = [len(b) for b in bodies]
        cells = np.full((1 + sum(sizes), width), "", dtype=object)
        cells[0] = header
        at = 1
        for body in bodies:  # cells right of the header are read by nobody: cut off
            w = min(width, body.shape[1]) if body.ndim == 2 else 0
            cells[at: at + len(body), :w] = body[:, :w]
            at += len(body)
        super().__init__(name, cells, row_offset=header_row - 1, col_offset=col_offset)
        self.rows_excel = np.concatenate(
            [first + np.arange(n) for first, n in zip(first_rows, sizes, strict=True)]
            or [np.zeros(0, dtype=np.int64)]).astype(np.int64)
        self.parts = np.repeat(np.arange(len(bodies)), sizes)

    def body_excel_rows(self, start: int) -> np.ndarray:
        return self.rows_excel[start - 1:]

    def body_parts(self, start: int) -> np.ndarray | None:
        return self.parts[start - 1:]


class ArrowSheet(Sheet):
    """Cells held as Arrow string columns (fastexcel): columns are dictionary-encoded in C."""

    def encoded_many(self, columns: list[int], start: int) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Arrow encodes without the GIL: all columns at once, on every core."""
        from esgcli.base.parallel import run, thread_count

        wanted = list(dict.fromkeys(columns))
        threads = thread_count(len(wanted) * self.n_rows, 400_000)
        return dict(zip(wanted, run(lambda j: self.encoded(j, start), wanted, threads), strict=True))

    def __init__(self, name: str, columns: list[Any], row_offset: int, col_offset: int):
        self.name, self.columns = name, columns
        self.n_rows = len(columns[0]) if columns else 0
        self.n_cols = len(columns)
        self.row_offset, self.col_offset = row_offset, col_offset

    def row(self, r: int) -> list[Any]:
        return [col[r].as_py() for col in self.columns]

    def encoded(self, j: int, start: int) -> tuple[np.ndarray, np.ndarray]:
        import pyarrow as pa
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(self.columns[j].slice(start))
        if isinstance(encoded, pa.ChunkedArray):  # a sheet read in parts (split_read)
            chunks = encoded.unify_dictionaries().chunks
            if not chunks:
                return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=object)
            codes = np.concatenate([c.indices.fill_null(-1).to_numpy(zero_copy_only=False)
                                    for c in chunks])
            dictionary = chunks[0].dictionary
        else:
            codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            dictionary = encoded.dictionary
        return codes, np.asarray(dictionary.to_pylist(), dtype=object)


@dataclass
class Workbook:
    """Sheet names and a way to read each sheet, plus notes made while opening it.

    ``reads`` gets, for every sheet loaded, how it was read: the path first (RD-001…004),
    then why a faster path was not taken (`esg --debug` prints them)."""

    file: str
    sheet_names: list[str]
    load: Callable[[str], Sheet]
    warnings: list[Problem]
    reads: list[Problem] = field(default_factory=list)


def open_workbook(path: Path, grid: bool = False) -> Workbook:
    """Open an answers file; InputError (exit 3) when it cannot be read as one.

    ``grid``: every sheet as a :class:`GridSheet` (calamine), never through fastexcel's
    Arrow columns: for the many small files of a campaign, whose sheets are stacked."""
    file = path.name
    if not path.is_file():
        raise InputError([Problem(code="WB-001", file=str(path))])
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise InputError([Problem(code="WB-004", file=file)])
    if suffix in CSV_SUFFIXES:
        return _open_csv(path)
    if suffix not in EXCEL_SUFFIXES:
        raise InputError([Problem(code="WB-007", file=file, params={"ext": suffix or "-"})])
    with path.open("rb") as handle:
        head = handle.read(8)
    if suffix in (".xlsx", ".xlsm", ".ods", ".xlsb"):
        if head == OLE_MAGIC:
            raise InputError([Problem(code="WB-003", file=file)])
        _check_zip(path)
    per_sheet = grid and suffix in (".xlsx", ".xlsm")  # checked as each sheet is loaded
    if suffix in (".xlsx", ".xlsm", ".ods"):
        problem = (ods_problem(path) if suffix == ".ods" else check_shared_strings(path)
                   if per_sheet else check_extent(path))
        if problem is not None:
            raise InputError([problem])
    if suffix in (".xlsx", ".xlsm") and not grid:
        return _open_xlsx(path)
    notes = [Problem(code="RD-025")] if per_sheet else None
    return _open_calamine(path, notes, per_sheet=per_sheet)


def _check_zip(path: Path) -> None:
    problem = zip_problem(path)
    if problem is not None:
        raise InputError([problem])


def _open_calamine(path: Path, notes: list[Problem] | None = None,
                   per_sheet: bool = False) -> Workbook:
    """Every sheet read by python-calamine; ``notes`` (why fastexcel did not read the file)
    are added to each sheet's read notes. ``per_sheet``: each sheet's extent is checked when
    it is loaded (the workbook was not)."""
    file = path.name
    book = calamine_book(file, path, spaced_ods=path)
    names = list(book.sheet_names)

    def load(name: str) -> Sheet:
        if per_sheet:
            problem = check_extent(path, name)
            if problem is not None:
                raise InputError([problem])
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            from esgcli.answers.fastread.route import guard

            guard(path, name)  # a big sheet: every reference checked before calamine allocates
        sheet = calamine_sheet(book, file, name)
        out.reads.extend([Problem(code="RD-003", file=file, sheet=name),
                          *(replace(n, file=file, sheet=name) for n in notes or [])])
        return sheet

    out = Workbook(file=file, sheet_names=names, load=load, warnings=[])
    return out


def calamine_book(file: str, source: Any, spaced_ods: Path | None = None) -> Any:  # noqa: ANN401
    """A python-calamine workbook of ``source`` (a path or a file-like object); InputError
    (WB-002, WB-003) when calamine cannot open it. ``spaced_ods``: an .ods to read again with
    the whitespace between its elements taken out when calamine refuses it."""
    from python_calamine import CalamineWorkbook

    try:
        try:
            return (CalamineWorkbook.from_path(str(source)) if isinstance(source, Path)
                    else CalamineWorkbook.from_filelike(source))
        except Exception:
            book = _spaced_ods(spaced_ods) if spaced_ods is not None else None
            if book is None:
                raise
            return book
    except Exception as exc:  # calamine raises its own error types for every malformed file
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise InputError([Problem(code="WB-003", file=file)]) from None
        raise InputError([Problem(code="WB-002", file=file,
                                  params={"detail": text.splitlines()[0][:200] if text else
                                          type(exc).__name__})]) from None


def calamine_sheet(book: Any, file: str, name: str) -> GridSheet:  # noqa: ANN401
    """Sheet ``name`` of a calamine workbook as a grid, refused (WB-009) when its range is
    over the cell limit; the checks of its XML are the caller's."""
    try:
        sheet = book.get_sheet_by_name(name)
        if sheet.total_height * max(sheet.total_width, 1) > MAX_CELLS:
            raise InputError([Problem(code="WB-009", file=file, sheet=name, params={
                "detail": f"{sheet.total_height:,} rows × {sheet.total_width:,} columns"})])
        rows = sheet.to_python(skip_empty_area=False)
    except InputError:
        raise
    except Exception as exc:
        raise InputError([Problem(code="WB-002", file=file, sheet=name,
                                  params={"detail": str(exc)[:200]})]) from None
    return GridSheet(name, grid_array(rows))


# Whitespace between the elements of a table (SheetJS writes a newline and indentation before
# every row and cell) is not content: ODF keeps cell text in <text:p>, and LibreOffice ignores
# it. calamine refuses it, so such a file is read again with it taken out.
_ODS_GAP = re.compile(rb">\s+(?=</?(?:table|office):|<text:p[\s>/])")
MAX_SPACED_ODS = 512 * 1024**2  # content.xml bytes rewritten in memory at most


def _spaced_ods(path: Path) -> Any:
    """The .ods at ``path`` with whitespace-only text between its table elements removed, as a
    calamine workbook; None when it is no .ods, has no such whitespace, or is too big."""
    import zipfile

    from python_calamine import CalamineWorkbook

    if path.suffix.lower() != ".ods":
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("content.xml")
            if info.file_size > MAX_SPACED_ODS:
                return None
            content = archive.read(info)
            tight = _ODS_GAP.sub(b">", content)
            if tight == content:
                return None
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
                for member in archive.infolist():  # the parts a reader of the cells opens
                    if member.filename in ("mimetype", "META-INF/manifest.xml", "styles.xml"):
                        out.writestr(member.filename, archive.read(member))
                out.writestr("content.xml", tight)
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return None
    buffer.seek(0)
    return CalamineWorkbook.from_filelike(buffer)


def grid_array(rows: Sequence[Sequence[object]]) -> np.ndarray:
    if not rows:
        return np.empty((0, 0), dtype=object)
    width = max(len(r) for r in rows)
    cells = np.full((len(rows), width), "", dtype=object)
    if all(len(r) == width for r in rows):
        cells[:, :] = rows if width else cells
        return cells
    for i, row in enumerate(rows):
        cells[i, : len(row)] = row
    return cells


MAX_CSV_BYTES = 100 * 1024**2  # a CSV of 100,000 suppliers × 80 answers is about 30 MB


def _open_csv(path: Path) -> Workbook:
    file = path.name
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputError([Problem(code="WB-009", file=file, params={
            "detail": f"the CSV file has {size / 1024**2:,.0f} MB (limit "
                      f"{MAX_CSV_BYTES // 1024**2} MB)"})])
    raw = path.read_bytes()
    warnings: list[Problem] = []
    text: str | None = None
    for encoding in ("utf-8-sig", "cp949", "utf-16"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = None
            continue
        if encoding != "utf-8-sig":
            warnings.append(Problem(code="WB-008", severity="warning", file=file,
                                    params={"encoding": encoding.upper()}))
        break
    del raw
    if text is None or "\x00" in text:
        raise InputError([Problem(code="WB-010", file=file)])
    rows = _csv_rows(file, text, _delimiter(text))
    del text
    sheet_name = path.stem
    cells = grid_array(rows)

    def load(name: str) -> Sheet:
        return GridSheet(sheet_name, cells)

    used = next((w.params["encoding"] for w in warnings if w.code == "WB-008"), "UTF-8")
    return Workbook(file=file, sheet_names=[sheet_name], load=load, warnings=warnings,
                    reads=[Problem(code="RD-004", file=file, sheet=sheet_name,
                                   params={"encoding": used})])


def _delimiter(text: str) -> str:
    """`,`, `;` or tab: the one the first non-blank line holds most of (outside quotes).
    csv.Sniffer is not used: its regular expressions take minutes on crafted samples."""
    match = re.search(r"[^\r\n]", text)
    if match is None:
        return ","
    end = text.find("\n", match.start())
    line = text[match.start(): end if end >= 0 else len(text)][:65536]
    line = re.sub(r'"[^"]*"', "", line)
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _csv_rows(file: str, text: str, delimiter: str) -> list[list[str]]:
    """The rows of a CSV text, read strictly: a quote never closed (it would swallow every
    following row into one value) or text after a closing quote is a located error. Empty
    trailing fields and rows are dropped and rows × widest row is checked before the grid is
    allocated, so a crafted file cannot make the reader allocate what it does not hold."""
    empty: list[str] = []
    rows: list[list[str]] = []
    width = blanks = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for row in reader:
            line = reader.line_num + 1
            while row and row[-1] == "":
                row.pop()
            if not row:
                blanks += 1  # kept only if a row follows: trailing blank lines cost nothing
                continue
            width = max(width, len(row))
            if (len(rows) + blanks + 1) * width > MAX_CELLS:
                raise InputError([Problem(code="WB-009", file=file, params={
                    "detail": f"the CSV spans more than {len(rows) + blanks + 1:,} rows × "
                              f"{width:,} columns (limit {MAX_CELLS:,} cells)"})])
            rows.extend([empty] * blanks)  # one shared object for every blank line
            blanks = 0
            rows.append(row)
    except csv.Error as exc:
        raise InputError([Problem(code="WB-012", file=file, row=line, params={
            "line": line, "detail": str(exc)})]) from None
    return rows


def _open_xlsx(path: Path) -> Workbook:
    """fastexcel reads each sheet it can place exactly (`fastread.route` decides how), calamine
    the others; each sheet's path and the reasons for it are noted in ``reads``."""
    from esgcli.answers.fastread import route

    opened: list[Problem] = []
    reader = route.open_reader(path, opened)
    if reader is None:
        return _open_calamine(path, opened)
    calamine: list[Workbook] = []

    def load(name: str) -> Sheet:
        notes: list[Problem] = []
        placed = route.read_sheet(path, name, reader, notes)
        if placed is not None:
            book.reads.extend(replace(n, file=book.file, sheet=name) for n in notes)
            sheet = ArrowSheet(name, placed.columns, placed.row_offset, placed.col_offset)
            sheet.scanned_cells = placed.scanned
            return sheet
        if not calamine:
            calamine.append(_open_calamine(path))
        loaded = calamine[0].load(name)
        book.reads.extend(calamine[0].reads)
        book.reads.extend(replace(n, file=book.file, sheet=name) for n in notes)
        calamine[0].reads.clear()
        return loaded

    book = Workbook(file=path.name, sheet_names=list(reader.sheet_names), load=load, warnings=[])
    return book
