"""Cheap checks of an xlsx archive before any reader parses it (stdlib and defusedxml only)."""

from __future__ import annotations

import functools
import re
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from esgcli.answers import references
from esgcli.answers.references import (
    MAX_CELLS,
    PREFIXED,
    SheetScanner,
    column_index,
    few_cells,
    r_attribute_count,
)
from esgcli.base.problems import InputError, Problem

MAX_UNCOMPRESSED = 2 * 1024**3  # bytes a workbook may unpack to
MAX_RATIO = 500  # compression ratio above which a big member is a zip bomb
SCAN_LIMIT = 8 * 1024**2  # sheets up to this much XML are scanned cell by cell
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
_ANY_CELL = re.compile(rb"<(?:[^\s<>/!?:]+:)?c[\s>/]")


def zip_problem(path: Path) -> Problem | None:
    """Not a zip archive, or one that unpacks to more than 2 GiB or holds a zip bomb."""
    file = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            problem = members_problem(infos, file) or sheet_names_problem(archive, file)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return not_a_zip(file, exc)
    return problem


def sheet_names_problem(archive: zipfile.ZipFile, file: str) -> Problem | None:
    """Two sheets named alike (Excel tells sheet names apart ignoring case): esg would check
    one and a reader load the other."""
    try:
        listed = _listed_sheets(archive)
    except Exception:  # malformed or missing parts are reported by the readers
        return None
    seen: set[str] = set()
    for name, _ in listed:
        if name.casefold() in seen:
            return Problem(code="WB-002", file=file, params={"detail": {
                "ko": f"시트 이름 '{name}'이(가) 두 번 있습니다: 읽는 프로그램마다 다른 시트를 읽을 수 있습니다",
                "en": f"two sheets are named '{name}': readers may read either"}})
        seen.add(name.casefold())
    return None


def not_a_zip(file: str, exc: Exception) -> Problem:
    said = str(exc)
    known = _ZIP_ERRORS.get(said)  # zipfile's own words, in Korean where we know them
    return Problem(code="WB-002", file=file, params={"detail": {
        "ko": known or f"올바른 zip 압축 파일이 아닙니다: {said}",
        "en": f"not a valid zip archive: {said}"}})


_ZIP_ERRORS = {"File is not a zip file": "zip 압축 파일이 아닙니다",
               "Truncated file header": "zip 압축 파일이 손상되었습니다 (파일 머리글이 잘림)",
               "Bad magic number for file header": "zip 압축 파일이 손상되었습니다 (파일 머리글)"}


def members_problem(infos: list[zipfile.ZipInfo], file: str) -> Problem | None:
    """An archive (its members listed) that unpacks to more than 2 GiB or holds a zip bomb."""
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        return Problem(code="WB-009", file=file, params={
            "detail": f"unpacks to {total / 1024**3:.1f} GiB (limit 2 GiB)"})
    for info in infos:
        if info.file_size > 50 * 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return Problem(code="WB-009", file=file, params={
                "detail": f"{info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1"
                          " (zip bomb?)"})
    seen: dict[str, str] = {}
    for info in infos:
        other = seen.setdefault(folded(info.filename), info.filename)
        if other is not info.filename:
            return Problem(code="WB-002", file=file, params={"detail": {
                "ko": f"통합문서 안의 두 부분의 이름이 같습니다 ({other}, {info.filename}): "
                      "읽는 프로그램마다 다른 쪽을 읽을 수 있습니다",
                "en": f"two parts of the workbook are named alike ({other}, {info.filename}): "
                      "readers may read either"}})
    return None


def folded(name: str) -> str:
    """A part's name as readers match it: calamine finds members ignoring case, with `\\`
    read as `/` (so `xl/Worksheets/Sheet1.xml` is `xl/worksheets/sheet1.xml`)."""
    return name.replace("\\", "/").lstrip("/").lower()


def named(archive: zipfile.ZipFile, name: str) -> str:
    """:func:`member`, else ``name`` itself (reading it then raises KeyError: no such part)."""
    return member(archive, name) or name


def member(archive: zipfile.ZipFile, name: str) -> str | None:
    """The member of ``archive`` that readers take for part ``name`` (see :func:`folded`;
    two members named alike are refused before anything is read), or None."""
    if name in archive.NameToInfo:
        return name
    key = folded(name)
    return next((n for n in archive.NameToInfo if folded(n) == key), None)


def check_extent(path: Path, sheet: str | None = None) -> Problem | None:
    """Refuse sheets whose used range would not fit in memory, before a reader allocates it,
    and sheets whose cells would be lost in reading (a cell or row given twice).

    The declared <dimension> is checked for every sheet (only ``sheet``, when a reader loads
    that one alone); sheets up to 8 MB of XML are also scanned for their real extent (a file
    may declare a small range and hold a far cell). A shared-string table may not declare more
    strings than its size can hold.
    """
    stat = path.stat()
    return _scan(str(path), stat.st_size, stat.st_mtime_ns, sheet)[0]


def check_shared_strings(path: Path) -> Problem | None:
    """The shared-string table alone (a reader loads it when it opens the workbook)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return shared_strings_problem(archive, path.name)
    except Exception:  # malformed parts are reported by the readers
        return None


def dimension_verified(path: Path, name: str) -> bool:
    """True when every cell of sheet ``name`` was scanned (sheets up to 8 MB of XML) and the
    cells span its declared <dimension> exactly: a reader may place the cells by it."""
    stat = path.stat()
    return name in _scan(str(path), stat.st_size, stat.st_mtime_ns)[1]


def scanned_extent(path: Path, name: str) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column), 0-based, of every cell of sheet
    ``name`` when all of them were scanned (sheets up to 8 MB of XML, every cell carrying its
    reference), whatever its <dimension> says; None when not known. Every cell a reader can
    return lies inside it, so a read of exactly this shape is placed by it."""
    stat = path.stat()
    return _scan(str(path), stat.st_size, stat.st_mtime_ns)[2].get(name)


def scan_failure(path: Path) -> str | None:
    """Why the cells of the workbook could not be scanned (the readers report the file), or None."""
    stat = path.stat()
    return _scan(str(path), stat.st_size, stat.st_mtime_ns)[3]


@functools.lru_cache(maxsize=4)
def _scan(file: str, size: int, mtime_ns: int, only: str | None = None
          ) -> tuple[Problem | None, frozenset[str], dict[str, tuple[int, int, int, int]], str | None]:
    path = Path(file)
    verified: set[str] = set()
    extents_of: dict[str, tuple[int, int, int, int]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            problem = shared_strings_problem(archive, path.name)
            if problem is not None:
                return problem, frozenset(), {}, None
            lengths: list[Any] = []  # of the shared strings, read once when a sheet uses them
            parts = sheet_parts(archive)
            if only is not None and only not in parts:
                only = None  # a name the workbook part spells otherwise (a tab): check them all
            for name, part in parts.items():
                if only is not None and name != only:
                    continue
                try:
                    info = archive.getinfo(part)
                except KeyError:
                    continue
                scanned = scan_sheet(archive, info, path.name, name, lengths)
                if scanned.problem is not None:
                    return scanned.problem, frozenset(), {}, None
                if scanned.placed is not None:
                    extents_of[name] = scanned.placed
                if scanned.verified:
                    verified.add(name)
    except Exception as exc:  # malformed parts are reported by the readers
        return None, frozenset(), {}, f"{type(exc).__name__}: {str(exc)[:200]}"
    return None, frozenset(verified), extents_of, None


@dataclass(frozen=True)
class SheetScan:
    """What :func:`scan_sheet` found: a problem, else the extent of every cell when each
    carries its reference (``placed``), whether it equals the declared <dimension>, and the
    sheet's XML when it was read (sheets up to 8 MB)."""

    problem: Problem | None = None
    placed: tuple[int, int, int, int] | None = None
    verified: bool = False
    xml: bytes | None = None


def scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, name: str,
               lengths: list[Any], placement: bool = True) -> SheetScan:
    """One sheet's checks of :func:`check_extent` on an open archive. ``lengths`` caches the
    shared-string lengths between the sheets of one archive (pass the same empty list).
    ``placement``: also tell whether every cell carries its reference and the extent equals
    the declared range (what a reader placing Arrow columns needs; calamine's grid does not)."""
    placed, verified, xml = None, False, None
    if info.file_size <= SCAN_LIMIT:
        xml = archive.read(info)
        declared = dimension_in(xml)
    else:
        declared = declared_range(archive, info.filename)
    extents = [] if declared is None else [(declared[2] + 1, declared[3] + 1)]
    if xml is not None:
        cells = sheet_data(xml)
        if not placement and few_cells(cells):  # as writers write it, nothing twice, the extent small
            problem = _expansion_problem(archive, cells, lengths, file, name)
            return SheetScan(problem) if problem is not None else _within(
                extents, file, name, xml)
        odd = _oddly_spelled(cells, len(_REF.findall(cells)))
        refs = [] if odd else _CELL_REF.findall(cells)
        problem, real = _odd_cells_problem(cells, file, name) if odd else _cells_problem(
            cells, file, name, refs)
        if problem is None:
            problem = _expansion_problem(archive, cells, lengths, file, name)
        if problem is not None:
            return SheetScan(problem)
        if real is not None:
            extents.append((real[2] + 1, real[3] + 1))
            if placement and not odd and _every_cell_placed(cells, len(refs)):
                placed = real
            verified = placement and not odd and declared is not None and real == declared
    return _within(extents, file, name, xml, placed, verified)


def sheet_data(xml: bytes) -> bytes:
    """The `<sheetData>` element of a sheet's XML: the only cells and rows readers read. What
    lies around it (column widths, data validations, conditional formats: a third of a
    template's XML) is not looked at by the cell checks. See :func:`sheet_data_span`."""
    start, end = sheet_data_span(xml)
    return xml if (start, end) == (0, len(xml)) else xml[start:end]


def sheet_data_span(xml: bytes) -> tuple[int, int]:
    """Where :func:`sheet_data` lies in ``xml``: from the `<` of the tag holding the first
    `sheetData` to the `<` of the tag holding the last one (to the end when there is one only).
    Readers find the element by its local name, so every cell of every sheetData element,
    prefixed (`<x:sheetData>`) or beside a decoy in a comment, lies in between: a decoy only
    widens the span. Two searches, from either end (a reply's cells are a third of its XML
    from the end); the whole XML when there is none."""
    first = xml.find(b"sheetData")
    if first < 0:
        return 0, len(xml)
    last = xml.rfind(b"sheetData")
    start = xml.rfind(b"<", 0, first)
    end = len(xml) if last == first else xml.rfind(b"<", 0, last)
    return (start, end) if 0 <= start < end else (0, len(xml))


def _within(extents: list[tuple[int, int]], file: str, name: str, xml: bytes | None,
            placed: tuple[int, int, int, int] | None = None, verified: bool = False) -> SheetScan:
    for rows, cols in extents:
        if rows * cols > MAX_CELLS:
            return SheetScan(Problem(code="WB-009", file=file, sheet=name, params={
                "detail": f"the sheet spans {rows:,} rows × {cols:,} columns "
                          f"(limit {MAX_CELLS:,} cells); delete the unused rows and columns"}))
    return SheetScan(None, placed, verified, xml)


_REF = re.compile(rb'<c r="([A-Z]{1,3}\d{1,7})"')
_CANON_ROW = re.compile(rb'<row [^<>]*?r="\d{1,7}"')


def _oddly_spelled(xml: bytes, canonical: int) -> bool:
    """True unless every cell element is written `<c r="B7"` and every row element carries
    `r="7"` after a space, as Excel, LibreOffice and the Python writers write them. Readers
    also take other spellings (attributes in another order, single quotes, spaces around `=`,
    lower-case letters, a namespace prefix, no reference at all), and a reference written so
    must not slip past the checks: such a sheet goes to :func:`_odd_cells_problem`. Elements
    that merely start like a cell (`<cfRule`) send a sheet there too, which is only slower.
    ``canonical``: how many references `_REF` finds in ``xml``."""
    cells = xml.count(b"<c") - xml.count(b"<co")  # `<cols>`, `<col `: not cells
    if cells != canonical:
        return True
    rows = len(_CANON_ROW.findall(xml))
    if xml.count(b"<row") != rows:
        return True
    if r_attribute_count(xml) != cells + rows:  # a second `r` in a tag (the last one wins)
        return True
    return (b":c" in xml or b":row" in xml) and PREFIXED.search(xml) is not None


_ELEMENT = re.compile(rb"<(?:[^\s<>/!?:]+:)?(row|c)(?=[\s/>])")  # where a row or cell starts
# ... and the rest of its tag: attribute values may hold `>` (not `<`), so no run passes the
# next `<` and the scan stays linear however the XML is written
_TAG_REST = re.compile(rb"""((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>""")
# a tag's attributes in order, each value consumed whole (so a value holding ` r="…"` is no
# attribute); a name starts after whitespace or a closing quote (`t="n"r="C5"` is read so)
ATTR = re.compile(rb"""(?:^|(?<=[\s"']))([^\s="'<>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
REF_VALUE = re.compile(rb"\s*([A-Za-z]{1,3})(\d{1,7})\s*")
_ROW_VALUE = re.compile(rb"\s*(\d{1,7})\s*")


def _odd_cells_problem(xml: bytes, file: str, sheet: str
                       ) -> tuple[Problem | None, tuple[int, int, int, int] | None]:
    """:func:`_cells_problem` for a sheet written in any spelling readers accept (one pass
    over its row and cell elements, in order). A row or cell given twice is WB-013; rows or
    cells of which some carry a reference and some do not (or carry one no reader places) are
    WB-016: where a reader puts them is not certain, so neither is which answer is read.
    Without references, cells and rows follow one another, and the extent is counted so."""
    rows_seen: set[int] = set()
    cells_seen: set[tuple[int, int]] = set()
    kinds: dict[bytes, set[bool]] = {b"row": set(), b"c": set()}  # references present or not
    row, col, top, bottom, left, right = 0, -1, 1 << 30, 0, 1 << 30, -1
    pos = 0
    while (match := _ELEMENT.search(xml, pos)) is not None:
        rest = _TAG_REST.match(xml, match.end())
        if rest is None:  # a tag that does not end before the next one: no reader agrees
            return _ambiguous(file, sheet, "a row or cell whose tag is not closed")
        pos = rest.end()
        kind, attrs = match.group(1), rest.group(1)
        found = [a.group(2) if a.group(2) is not None else a.group(3)
                 for a in ATTR.finditer(attrs) if a.group(1) == b"r"]
        if len(found) > 1:  # readers place it by the last one, or refuse it
            return _ambiguous(file, sheet, f"{'a row' if kind == b'row' else 'a cell'} with two references")
        value = found[0] if found else None
        if kind == b"row":
            parsed = _ROW_VALUE.fullmatch(value) if value is not None else None
            if value is not None and parsed is None:
                return _ambiguous(file, sheet, f"row r={value.decode('utf-8', 'replace')!r}")
            kinds[kind].add(parsed is not None)
            row = int(parsed.group(1)) if parsed else row + 1
            if row in rows_seen:
                return Problem(code="WB-013", file=file, sheet=sheet, row=row,
                               params={"what": f"row {row}"}), None
            rows_seen.add(row)
            col = -1
        else:
            parsed = REF_VALUE.fullmatch(value) if value is not None else None
            if value is not None and parsed is None:
                return _ambiguous(file, sheet, f"cell r={value.decode('utf-8', 'replace')!r}")
            kinds[kind].add(parsed is not None)
            if parsed is not None:
                col = column_index(parsed.group(1).decode().upper())
                cell_row = int(parsed.group(2))
            else:
                col, cell_row = col + 1, max(row, 1)
            key = (cell_row, col)
            if key in cells_seen:
                ref = f"{_letters(col)}{cell_row}"
                return Problem(code="WB-013", file=file, sheet=sheet, cell=ref,
                               params={"what": f"cell {ref}"}), None
            cells_seen.add(key)
            top, bottom = min(top, cell_row), max(bottom, cell_row)
            left, right = min(left, col), max(right, col)
        if len(kinds[kind]) > 1:
            what = "rows" if kind == b"row" else "cells"
            return _ambiguous(file, sheet, f"{what} with and without a reference")
    if right < 0:
        return None, None
    return None, (top - 1, left, bottom - 1, right)


def _ambiguous(file: str, sheet: str, what: str) -> tuple[Problem, None]:
    return Problem(code="WB-016", file=file, sheet=sheet, params={"what": what}), None


_ROW_REF = re.compile(rb'<row [^<>]*?r="(\d+)"')
_LEADING_ZERO = re.compile(rb'<c r="[A-Z]{1,3}0')


_ODD_CELL = re.compile(rb"<[^\s<>/!?:]+:c[\s>/]|<c[\t\r\n\f\v]")  # a prefix, or not a space


def _every_cell_placed(xml: bytes, placed: int) -> bool:
    """Every cell element carries its reference (``placed`` of them: `<c r="B7"`), so a scan
    saw where each is."""
    odd = b":c" in xml or any(b"<c" + space in xml for space in (b"\t", b"\r", b"\n", b"\f", b"\v"))
    if odd and _ODD_CELL.search(xml) is not None:  # count the slow way
        return len(_ANY_CELL.findall(xml)) == placed
    return xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/") == placed


def _cells_problem(xml: bytes, file: str, sheet: str, refs: list[tuple[bytes, bytes]]
                   ) -> tuple[Problem | None, tuple[int, int, int, int] | None]:
    """A cell or row element given twice (readers keep one of them: answers lost without a
    word), else the real (first row, first column, last row, last column), 0-based."""
    import numpy as np

    row_refs = [int(r) for r in _ROW_REF.findall(xml)]
    if len(set(row_refs)) < len(row_refs):
        rows = np.array(row_refs, dtype=np.int64)
        values, counts = np.unique(rows, return_counts=True)
        twice = int(values[counts > 1][0])
        return Problem(code="WB-013", file=file, sheet=sheet, row=twice,
                       params={"what": f"row {twice}"}), None
    if not refs:
        return None, None
    if _LEADING_ZERO.search(xml) is None and len(set(refs)) == len(refs):
        # written without leading zeros, references that differ name different cells: the
        # extent from the distinct rows and columns only (a campaign reads thousands of files)
        rows_seen = [int(r) for r in {r for _, r in refs}]
        cols_seen = [column_index(c.decode()) for c in {c for c, _ in refs}]
        return None, (min(rows_seen) - 1, min(cols_seen), max(rows_seen) - 1, max(cols_seen))
    index = {letters: column_index(letters.decode()) for letters in {c for c, _ in refs}}
    cols = np.fromiter((index[c] for c, _ in refs), dtype=np.int64, count=len(refs))
    cell_rows = np.fromiter(map(int, (r for _, r in refs)), dtype=np.int64, count=len(refs))
    keys = cell_rows * 16_384 + cols
    if np.unique(keys).size < keys.size:
        values, counts = np.unique(keys, return_counts=True)
        twice = int(values[counts > 1][0])
        ref = f"{_letters(twice % 16_384)}{twice // 16_384}"
        return Problem(code="WB-013", file=file, sheet=sheet, cell=ref,
                       params={"what": f"cell {ref}"}), None
    return None, (int(cell_rows.min()) - 1, int(cols.min()), int(cell_rows.max()) - 1,
                  int(cols.max()))


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# the first `t="s"` of the tag only (a lazy run tried every one: quadratic in one long tag)
_SHARED_CELL = re.compile(rb'<c r="[A-Z]{1,3}\d{1,7}"(?:[^<>t]|t(?!="s"))*t="s"[^<>]*>\s*<v>(\d+)</v>')
_SI_TAG = re.compile(rb"<(/?)(?:[^\s<>/!?:]+:)?si(?=[\s/>])[^<>]*>")  # any prefix, attributes


def string_lengths(table: bytes) -> list[int]:
    """The byte length of each shared string (`<si>`…`</si>`; `<si/>` is empty) of a table,
    in one pass: each `<si>` ends at the first `</si>` after it (what lies between is its
    text); an `<si>` never closed is no string, and the `<si/>` after it count as empty."""
    quick = _plain_string_lengths(table)
    if quick is not None:
        return quick
    lengths: list[int] = []
    opened, empty_inside = -1, 0
    for tag in _SI_TAG.finditer(table):
        closing, empty = tag.group(1) == b"/", tag.group(0).endswith(b"/>")
        if not closing and not empty:  # `<si>`, `<si xml:space="…">`, `<x:si>`
            if opened < 0:
                opened, empty_inside = tag.end(), 0
        elif closing:
            if opened >= 0:
                lengths.append(tag.start() - opened)
                opened = -1
        elif opened < 0:
            lengths.append(0)
        else:
            empty_inside += 1  # text of the open one, unless it never closes
    return lengths + [0] * empty_inside if opened >= 0 else lengths


_OPEN_SI = int.from_bytes(b"<si>", "little")
_CLOSE_SI = int.from_bytes(b"</si", "little")


def _plain_string_lengths(table: bytes) -> list[int] | None:
    """:func:`string_lengths` of a table written as Excel, LibreOffice and the Python writers
    write it (every string `<si>`…`</si>`, one after the other, no prefix or attribute), by a
    few vector operations; None for any other table (the tags are then read one by one)."""
    import numpy as np

    if b":si" in table or len(table) < 8:
        return None
    a = np.frombuffer(table, dtype=np.uint8)
    words = np.ndarray((len(table) - 3,), dtype="<u4", buffer=table, strides=(1,))
    opens = np.flatnonzero(words == _OPEN_SI)
    closes = np.flatnonzero(words == _CLOSE_SI)
    if table.count(b"<si") != opens.size or opens.size != closes.size:
        return None
    if not opens.size:
        return []
    if closes[-1] + 4 >= a.size or not bool(np.all(a[closes + 4] == 62)):
        return None  # `</si` then something other than `>`
    if not (bool(np.all(opens < closes)) and bool(np.all(closes[:-1] < opens[1:]))):
        return None
    return (closes - opens - 4).tolist()  # type: ignore[no-any-return]


def _expansion_problem(archive: zipfile.ZipFile, xml: bytes, lengths: list[Any], file: str,
                       sheet: str) -> Problem | None:
    """A shared string is stored once but copied into every cell that refers to it: a string
    of tens of megabytes referenced by many cells would take many gigabytes once read."""
    import numpy as np

    table_name = member(archive, "xl/sharedStrings.xml")
    table_info = archive.NameToInfo.get(table_name) if table_name is not None else None
    if table_info is None:
        return None  # no shared strings (openpyxl, xlsxwriter's constant memory mode)
    # `t='s'` and `t = "s"` too: readers take them (counted high, never low)
    marked = xml.count(b't="s"') + references.other_type_spellings(
        np.frombuffer(xml, dtype=np.uint8), len(xml))
    if marked * table_info.file_size <= references.MAX_TEXT_BYTES:
        return None  # even if every such cell held the whole table (a campaign's replies)
    refs = _SHARED_CELL.findall(xml)
    if not lengths:
        try:
            table = archive.read(named(archive, "xl/sharedStrings.xml"))
        except KeyError:
            return None
        lengths.append(np.array(string_lengths(table), dtype=np.int64))
    sizes = lengths[0]
    index = np.array([int(r) for r in refs], dtype=np.int64)
    index = index[index < sizes.size]
    # a cell the pattern does not read (`t` before `r`, a formula or a line break before its
    # value) counts as holding the longest string: readers read it all the same
    total = int(sizes[index].sum()) + max(marked - len(refs), 0) * int(sizes.max(initial=0))
    if total > references.MAX_TEXT_BYTES:
        return Problem(code="WB-009", file=file, sheet=sheet, params={
            "detail": f"its cells refer to {references.size_text(total)} of shared text (limit "
                      f"{references.size_text(references.MAX_TEXT_BYTES)})"})
    return None


_SST_COUNT = re.compile(rb'<sst\b[^<>]*?\buniqueCount="(\d+)"')
# a reader holds the whole table, whether or not a cell uses it; an answers workbook of
# 100,000 suppliers has one of 3 to 5 MB (their ids and names)
MAX_TABLE_BYTES = 128 * 1024**2


def shared_strings_problem(archive: zipfile.ZipFile, file: str) -> Problem | None:
    """A shared-string table over MAX_TABLE_BYTES, or declaring more strings than its bytes
    can hold (a reader that reserves room for the declared count aborts the process)."""
    try:
        info = archive.getinfo(named(archive, "xl/sharedStrings.xml"))
        with archive.open(info) as handle:
            head = handle.read(4096)
    except KeyError:
        return None
    if info.file_size > MAX_TABLE_BYTES:
        return Problem(code="WB-009", file=file, params={
            "detail": f"the shared-string table holds {references.size_text(info.file_size)} "
                      f"(limit {references.size_text(MAX_TABLE_BYTES)})"})
    match = _SST_COUNT.search(head)
    if match is None:
        return None
    declared, most = int(match.group(1)), info.file_size // len(b"<si/>") + 1
    if declared > most:
        return Problem(code="WB-009", file=file, params={
            "detail": f"the shared-string table declares {declared:,} strings in "
                      f"{info.file_size:,} bytes"})
    return None


_ODS_ROW = re.compile(rb"<table:table-row\b[^<>]*?number-rows-repeated=\"(\d+)\"[^<>]*>")
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b[^<>]*?number-columns-repeated=\"(\d+)\""
                       rb"[^<>]*>")


def ods_problem(path: Path) -> Problem | None:
    """An .ods whose repeated rows and cells would expand past the cell limit: a reader
    expands `number-columns-repeated` × `number-rows-repeated` into real cells. Only repeats
    that hold a value count (LibreOffice pads every sheet with empty repeats)."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("content.xml")
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return None  # the reader reports it
    rows = xml.count(b"<table:table-row")
    for match in _ODS_ROW.finditer(xml):
        if match.group(0).endswith(b"/>"):
            continue
        # its cells end at its closing tag, or at the next row (rows do not nest): linear
        after = xml.find(b"<table:table-row", match.end())
        stop = len(xml) if after < 0 else after
        end = xml.find(b"</table:table-row>", match.end(), stop)
        body = xml[match.end(): end if end >= 0 else stop]
        if b"value-type" in body or b"<text:p" in body:
            rows += int(match.group(1)) - 1
    cols = 1
    for match in _ODS_CELL.finditer(xml):
        tag = match.group(0)
        if b"value-type" in tag or not tag.endswith(b"/>"):
            cols = max(cols, int(match.group(1)))
    if rows * cols > MAX_CELLS:
        return Problem(code="WB-009", file=path.name, params={
            "detail": f"repeated cells would expand to {rows:,} rows × {cols:,} columns (limit "
                      f"{MAX_CELLS:,} cells)"})
    return None


def member_data_start(header: bytes, offset: int) -> int | None:
    """Where the data of an archive member starts, from its 30-byte local header read at
    ``offset`` (its name and extra field follow it); None when that is no local header."""
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    return offset + 30 + int.from_bytes(header[26:28], "little") \
        + int.from_bytes(header[28:30], "little")


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part inside an xlsx archive, as the member readers take for it
    (:func:`member`: `Worksheets/Sheet1.xml` in the relations finds `xl/worksheets/sheet1.xml`)."""
    return {name: named(archive, part) for name, part in _listed_sheets(archive)}


def _listed_sheets(archive: zipfile.ZipFile) -> tuple[tuple[str, str], ...]:
    """(sheet name, part) as workbook.xml lists them, in order, a name twice if it is."""
    return _sheet_parts(archive.read(named(archive, "xl/workbook.xml")),
                        archive.read(named(archive, "xl/_rels/workbook.xml.rels")))


@functools.lru_cache(maxsize=64)  # a campaign's replies share their template's sheets
def _sheet_parts(workbook: bytes, relations: bytes) -> tuple[tuple[str, str], ...]:
    """Readers match elements and attributes by their local names: a workbook in another
    namespace (ISO Strict, which Excel can save, or none) lists its sheets too."""
    from defusedxml import ElementTree

    def local(name: str) -> str:
        return name.rsplit("}", 1)[-1]

    book = ElementTree.fromstring(workbook)
    rels = ElementTree.fromstring(relations)
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = []
    for sheet in book.iter():
        if local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.startswith("{") and local(k) == "id"),
                   None)
        target = targets.get(rid, "").replace("\\", "/")
        out.append((sheet.get("name", ""),
                    target.lstrip("/") if target.startswith("/") else f"xl/{target}"))
    return tuple(out)


def sheet_index(path: Path) -> dict[str, tuple[str, tuple[int, int, int, int] | None, int]]:
    """Sheet name -> (XML part, declared range, uncompressed size), read once per file: a
    reader that asked the archive again for every sheet did work growing with the square of
    the sheet count (thousands of sheets took minutes)."""
    stat = path.stat()
    return _sheet_index(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _sheet_index(path: str, size: int, mtime_ns: int
                 ) -> dict[str, tuple[str, tuple[int, int, int, int] | None, int]]:
    out = {}
    with zipfile.ZipFile(path) as archive:
        try:
            parts = sheet_parts(archive)
        except KeyError:
            parts = {}
        except DAMAGED as exc:
            raise damaged(path, exc) from None
        for name, part in parts.items():
            try:
                info = archive.getinfo(part)
            except KeyError:
                continue
            out[name] = (part, declared_range(archive, part), info.file_size)
    return out


def sheet_part(archive: zipfile.ZipFile, name: str) -> str | None:
    return sheet_parts(archive).get(name)


# what zipfile, zlib and the XML parsers raise for a damaged archive (a bad checksum, a broken
# deflate stream, a compression method Python cannot unpack, an entity declared): exit 3
DAMAGED = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError,
           ValueError, SyntaxError)


def damaged(archive: zipfile.ZipFile | str, exc: Exception) -> InputError:
    """WB-002 for a workbook whose parts cannot be read (see DAMAGED)."""
    name = archive if isinstance(archive, str) else str(archive.filename or "")
    return InputError([not_a_zip(Path(name).name, exc)])


def declared_range(archive: zipfile.ZipFile, part: str) -> tuple[int, int, int, int] | None:
    """The <dimension ref="B2:H90"> near the top of a sheet part, 0-based; None if absent."""
    try:
        with archive.open(part) as handle:
            head = handle.read(4096)
    except KeyError:
        return None
    except DAMAGED as exc:
        raise damaged(archive, exc) from None
    return dimension_in(head)


def dimension_in(head: bytes) -> tuple[int, int, int, int] | None:
    """The <dimension> in the first 4 kB of a sheet's XML, 0-based; None if absent."""
    match = re.search(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"',
                      head[:4096].decode("utf-8", "replace"))
    if not match:
        return None
    c1, r1, c2, r2 = match.groups()
    c2, r2 = c2 or c1, r2 or r1
    return int(r1) - 1, column_index(c1), int(r2) - 1, column_index(c2)




# ---------------------------------------------------------------- sheets of any size, streamed
def shared_lengths(archive: zipfile.ZipFile) -> Any:
    """Byte length of every shared string (numpy array; empty when there is no table)."""
    import numpy as np

    try:
        table = archive.read(named(archive, "xl/sharedStrings.xml"))
    except KeyError:
        return np.zeros(0, dtype=np.int64)
    return np.array(string_lengths(table), dtype=np.int64)




STREAM_PIECE = 4 * 1024**2


def streamed_extent(path: Path, name: str) -> tuple[int, int, int, int] | None:
    """Every reference of sheet ``name`` scanned (any size: one pass over its XML, streamed),
    checked against the cell and shared-text limits (InputError WB-009); its real extent as
    `scanned_extent` gives it, or None. Done once per file and sheet."""
    stat = path.stat()
    return _streamed(str(path), stat.st_size, stat.st_mtime_ns, name)


@functools.lru_cache(maxsize=16)
def _streamed(file: str, size: int, mtime_ns: int, name: str
              ) -> tuple[int, int, int, int] | None:
    index = _sheet_index(file, size, mtime_ns).get(name)
    if index is None:
        return None
    part, declared, xml_size = index
    archive = _archive(file, size, mtime_ns)  # one per workbook: sheets × entries never listed
    with _ARCHIVE_LOCK:
        lengths = _lengths(file, size, mtime_ns)
    scanner = SheetScanner(Path(file).name, name, lengths, declared, size=xml_size)
    try:
        with archive.open(part) as stream:
            while piece := stream.read(STREAM_PIECE):
                scanner.feed(piece)
    except DAMAGED as exc:
        raise damaged(file, exc) from None
    return scanner.finish()


_ARCHIVE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _archive(file: str, size: int, mtime_ns: int) -> zipfile.ZipFile:
    return zipfile.ZipFile(file)


@functools.lru_cache(maxsize=1)
def _lengths(file: str, size: int, mtime_ns: int) -> Any:
    return shared_lengths(_archive(file, size, mtime_ns))
