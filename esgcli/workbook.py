"""Reading the cells of a workbook or CSV file into a 2-D object array.

Excel formats go through python-calamine (Rust; no XML entity expansion); CSV through the
standard library. Cells keep their types (float, str, bool, date); nothing is guessed away:
the text `n/a` stays `n/a`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .problems import InputError, Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
MAX_UNCOMPRESSED = 2 * 1024**3  # bytes a workbook may unpack to
MAX_RATIO = 500  # compression ratio above which a big member is a zip bomb
MAX_CELLS = 60_000_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Sheet:
    """The used cells of one sheet, anchored at A1 (row 0 is Excel row 1)."""

    name: str
    cells: np.ndarray  # 2-D, dtype object

    @property
    def height(self) -> int:
        return int(self.cells.shape[0])


@dataclass
class Workbook:
    """Sheet names and a way to read each sheet, plus notes made while opening it."""

    file: str
    sheet_names: list[str]
    load: Callable[[str], Sheet]
    warnings: list[Problem]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def open_workbook(path: Path) -> Workbook:
    """Open an answers file; InputError (exit 3) when it cannot be read as one."""
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
    return _open_calamine(path)


def _check_zip(path: Path) -> None:
    file = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError([Problem(code="WB-002", file=file,
                                  params={"detail": f"not a valid zip archive: {exc}"})]) from None
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise InputError([Problem(code="WB-009", file=file, params={
            "detail": f"unpacks to {total / 1024**3:.1f} GiB (limit 2 GiB)"})])
    for info in infos:
        if info.file_size > 50 * 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError([Problem(code="WB-009", file=file, params={
                "detail": f"{info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1"
                          " (zip bomb?)"})])


def _open_calamine(path: Path) -> Workbook:
    from python_calamine import CalamineWorkbook

    file = path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own error types for every malformed file
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise InputError([Problem(code="WB-003", file=file)]) from None
        raise InputError([Problem(code="WB-002", file=file,
                                  params={"detail": text.splitlines()[0][:200] if text else
                                          type(exc).__name__})]) from None

    def load(name: str) -> Sheet:
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
        return Sheet(name=name, cells=_to_array(rows))

    return Workbook(file=file, sheet_names=names, load=load, warnings=[])


def _to_array(rows: list[list[object]]) -> np.ndarray:
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


def _open_csv(path: Path) -> Workbook:
    file = path.name
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
    if text is None or "\x00" in text:
        raise InputError([Problem(code="WB-010", file=file)])
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError([Problem(code="WB-002", file=file,
                                  params={"detail": f"CSV: {exc}"})]) from None
    sheet_name = path.stem
    cells = _to_array(rows)  # type: ignore[arg-type]

    def load(name: str) -> Sheet:
        return Sheet(name=sheet_name, cells=cells)

    return Workbook(file=file, sheet_names=[sheet_name], load=load, warnings=warnings)
