"""Cells that every fast reader misreads: Excel error values (`#N/A`, `#DIV/0!`) and formulas
saved without a computed value (both read as blanks), and percent-formatted numbers (25% is
stored as 0.25). Found by scanning the sheet's XML, so that they are reported or read as the
supplier saw them instead of silently changing the result (READING.md, "fidelity traps")."""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from esgcli.answers.xlsx_checks import ATTR, REF_VALUE, named

MAX_SCAN_BYTES = 64 * 1024**2  # larger sheets are not scanned (documented in SECURITY.md)
# Readers take a cell in any spelling XML allows: a namespace prefix on its elements (`<x:c>`),
# attributes in any order, either quote, whitespace around `=`. Each pattern below stops at the
# next `<` (attribute values hold `>`, never `<`), so the scan stays linear.
_PREFIX = rb"(?:[^\s<>/!?:]+:)?"
_TAG_ATTRS = rb"""((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>"""  # a tag's attributes, up to its `>`
_CELL = re.compile(rb"<" + _PREFIX + rb"c(?=[\s/>])" + _TAG_ATTRS)
_BODY = re.compile(rb"((?:[^<]|<(?!/?" + _PREFIX + rb"c[\s/>]))*)</" + _PREFIX + rb"c\s*>")
_TAG_NAME = re.compile(rb"<(/?)" + _PREFIX + rb"([^\s<>/!?:]*)")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^<>]*)?>([^<]*)</" + _PREFIX + rb"v\s*>")
_FORMULA = re.compile(rb"<" + _PREFIX + rb"f(?=[\s/>])" + _TAG_ATTRS + rb"(?:([^<]*)</" + _PREFIX
                      + rb"f\s*>)?")
# any `s` attribute (the one pass over a sheet with many percent styles); the byte before it is
# checked to be whitespace or a quote
_STYLE = re.compile(rb"""s\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
FEW_STYLES = 4  # up to this many percent styles are searched at memchr speed, one pass each


def percent_styles(archive: zipfile.ZipFile, why: list[str] | None = None) -> set[bytes]:
    """Style indexes (as in `s="3"`) whose number format shows a percentage (none, with the
    reason added to ``why``, when the styles cannot be read)."""
    try:
        text = archive.read(named(archive, "xl/styles.xml"))
    except KeyError:
        return set()  # no styles: no number formats
    except Exception as exc:  # an unreadable member: the readers report the file
        if why is not None:
            why.append(f"styles not read ({type(exc).__name__}): percent formats not seen")
        return set()
    styles = _percent_styles(text)
    if styles is None:  # malformed or refused (entities): percent cells read as stored
        if why is not None:
            why.append("styles not parsed: percent formats not seen")
        return set()
    return set(styles)


@functools.lru_cache(maxsize=64)  # a campaign's replies share their template's styles
def _percent_styles(text: bytes) -> frozenset[bytes] | None:
    from defusedxml import ElementTree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    try:
        root = ElementTree.fromstring(text)
    except Exception:
        return None
    formats = {"9": "0%", "10": "0.00%"}
    for fmt in root.iter(f"{ns}numFmt"):
        formats[fmt.get("numFmtId", "")] = fmt.get("formatCode", "")
    styles: set[bytes] = set()
    xfs = root.find(f"{ns}cellXfs")
    for index, xf in enumerate(list(xfs) if xfs is not None else []):
        code = re.sub(r'"[^"]*"|\\.', "", formats.get(xf.get("numFmtId", "0"), ""))
        if "%" in code:
            styles.add(str(index).encode())
    return frozenset(styles)


def scan_cells(path: Path, sheet_name: str, why: list[str] | None = None
               ) -> dict[tuple[str, int], tuple[str, str]]:
    """(column letter, row) -> ("error", "#N/A"), ("formula", "=A1+1") or ("percent", "0.25");
    empty, with the reason added to ``why``, when the sheet is not scanned."""
    why = [] if why is None else why
    try:
        from esgcli.answers.xlsx_checks import sheet_part

        with zipfile.ZipFile(path) as archive:
            part = sheet_part(archive, sheet_name)
            if part is None:
                why.append("the sheet's XML part is not listed in the workbook")
                return {}
            size = archive.getinfo(part).file_size
            if size > MAX_SCAN_BYTES:
                why.append(f"the sheet's XML ({size / 1024**2:,.0f} MB) is over "
                           f"{MAX_SCAN_BYTES // 1024**2} MB")
                return {}
            xml = archive.read(part)
            percent, start, end = cells_to_scan(archive, xml, why)
    except Exception as exc:  # an unreadable part is reported by the reader itself
        why.append(f"{type(exc).__name__}: {exc}"[:200])
        return {}
    return scan_checked(xml, percent, start, end, path.name, sheet_name)


def cells_to_scan(archive: zipfile.ZipFile, xml: bytes, why: list[str]
                  ) -> tuple[set[bytes], int, int]:
    """What :func:`scan_xml` of a sheet's ``xml`` needs: the archive's percent styles, and
    where the cells lie (a template's data validations hold
    many `<f`, outside them)."""
    from esgcli.answers.xlsx_checks import sheet_data_span

    start, end = sheet_data_span(xml)
    # read whatever the cells' style attributes look like (a search for ` s="` missed
    # `s='3'`); the styles of a campaign's replies are parsed once (`_percent_styles`)
    return percent_styles(archive, why), start, end


def scan_xml(xml: bytes, percent: set[bytes], start: int = 0,
             end: int | None = None) -> dict[tuple[str, int], tuple[str, str]]:
    """The cells of ``xml[start:end]`` that `scan_cells` reports. Only cells around a marker
    are parsed, so a clean sheet costs a few byte searches: `#` (every error value starts with
    it, and it is rare, so it is found at memchr speed), `<f` (or `:f`, prefixed) and any
    percent style's value in quotes (`"3"`: whatever the order of the attributes and the
    spaces around `=`; `'3'` too when the sheet holds a `'`)."""
    end = len(xml) if end is None else end
    many = len(percent) > FEW_STYLES
    styles = [] if many else sorted(percent)
    quotes = [b'"'] + ([b"'"] if styles and xml.find(b"'", start, end) >= 0 else [])
    markers = [b"#", b"<f"] + [q + style + q for style in styles for q in quotes]
    cells: dict[int, Judged] = {}  # by where each cell starts
    find = _finder(xml, start, end)
    for marker in markers:
        floor = start  # every marker before it has been looked at
        pos = find(marker, start)
        while pos >= 0:
            # on to the next cell: a cell of many `#` is looked back from once, not once per `#`
            after = _visit(xml, _enclosing_cell(xml, floor, pos), end, percent, cells)
            floor = max(after, pos + 1)
            pos = find(marker, floor) if floor < end else -1
    if many:  # one pass for every style at once, not one pass per percent style
        floor = start
        for match in _STYLE.finditer(xml, start, end):
            if match.start() < floor or xml[match.start() - 1:match.start()] not in _BEFORE_NAME:
                continue
            value = match.group(1) if match.group(1) is not None else match.group(2)
            if _style(value) in percent:
                cell = _enclosing_cell(xml, floor, match.start())
                floor = max(_visit(xml, cell, end, percent, cells), match.end())
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for cell in sorted(cells):
        judged = cells[cell][1]
        if judged is not None:
            found[judged[0]] = judged[1]
    return found


Judged = tuple[int, tuple[tuple[str, int], tuple[str, str]] | None]  # a cell's end, what it holds
_BEFORE_NAME = {b" ", b"\t", b"\n", b"\r", b'"', b"'"}  # what may precede an attribute's name


def _enclosing_cell(xml: bytes, floor: int, pos: int) -> int:
    """Where the cell holding ``pos`` starts (its tag or body: `<c`, `<x:c`), looked back for
    tag by tag down to ``floor`` at most; -1 when ``pos`` is in no cell after ``floor`` (a row
    tag, between cells). The caller moves ``floor`` past each marker: linear."""
    at = pos
    while (at := xml.rfind(b"<", floor, at)) >= 0:
        tag = _TAG_NAME.match(xml, at)
        if tag is None:
            continue
        closing, name = tag.groups()
        if name == b"c" and xml[tag.end():tag.end() + 1] in _AFTER_NAME:
            return -1 if closing else at
        if name in (b"row", b"sheetData"):
            return -1
    return -1


_AFTER_NAME = {b" ", b"\t", b"\n", b"\r", b"/", b">"}  # what may follow an element's name


def _visit(xml: bytes, cell: int, end: int, percent: set[bytes], cells: dict[int, Judged]) -> int:
    """Judge the cell starting at ``cell`` (once) and return where it ends (-1: no cell)."""
    if cell < 0:
        return -1
    if cell not in cells:
        cells[cell] = _judge(xml, cell, end, percent)
    return cells[cell][0]


VECTOR_BYTES = 1024**2  # from this size, `<f` is found by numpy in one pass


def _finder(xml: bytes, start: int, end: int) -> Callable[[bytes, int], int]:
    """``find(marker, pos)``: ``xml.find(marker, pos, end)``, but `<f` found otherwise: a search
    for `<f` stops at every `<` (each tag). In a big piece every `f` is found by numpy in one
    pass and those after a `<` kept (4 MB: ~2 ms, where `find` took ~5 ms and a loop over
    LibreOffice's `customFormat="false"` ~8 ms, on the thread that streams the sheet to the
    readers); in a small one, by its `f` where that letter is rare."""
    if end - start >= VECTOR_BYTES:
        import bisect

        import numpy as np

        a = np.frombuffer(xml, dtype=np.uint8)
        f = np.flatnonzero(a[start + 1:end] == 102)
        f += start  # the byte before each `f`
        before = a[f]
        opened: list[int] = f[(before == 60) | (before == 58)].tolist()  # `<f`, `:f`, in order

        def found(marker: bytes, pos: int) -> int:
            if marker != b"<f":
                return xml.find(marker, pos, end)
            k = bisect.bisect_left(opened, pos)
            return opened[k] if k < len(opened) else -1

        return found
    rare = xml.count(b"f", start, end) <= (end - start) // 512  # a loop step per `f`
    prefixed = [-2]  # where the next `:f` lies, from where it was last looked for (-1: none)

    def find(marker: bytes, pos: int) -> int:
        if marker != b"<f":
            return xml.find(marker, pos, end)
        if not rare:  # and a prefixed `<x:f`, looked for again only once passed
            if prefixed[0] == -2 or 0 <= prefixed[0] < pos:
                prefixed[0] = _colon_f(xml, pos, end)
            at = xml.find(b"<f", pos, end)
            return prefixed[0] if at < 0 or 0 <= prefixed[0] < at else at
        at = xml.find(b"f", pos + 1, end)
        while at >= 0 and xml[at - 1] not in (0x3C, 0x3A):  # `<`, `:`
            at = xml.find(b"f", at + 1, end)
        return at - 1 if at >= 0 else -1

    return find


def _colon_f(xml: bytes, pos: int, end: int) -> int:
    """``xml.find(b":f", pos, end)``, by the `:` at memchr speed while `:` is rare (a sheet
    LibreOffice writes holds none; Excel's `spans="1:5"`, one a row)."""
    at = xml.find(b":", pos, end)
    for _ in range(64):
        if at < 0 or xml[at + 1:at + 2] == b"f":
            return at
        at = xml.find(b":", at + 1, end)
    return xml.find(b":f", at, end) if at >= 0 else -1


def _judge(xml: bytes, cell: int, end: int, percent: set[bytes]) -> Judged:
    """The cell starting at ``cell``: where it ends and what `scan_cells` reports of it (None:
    nothing, or no reference to place it by). Its `r`, `t` and `s` are read in any order and
    spelling; -1 for its end when its tag or end tag is missing (no reader agrees on it)."""
    tag = _CELL.match(xml, cell, end)
    if tag is None:
        return -1, None
    attrs = tag.group(1)
    if attrs.endswith(b"/"):  # `<c r="A1" s="3"/>`: empty
        return tag.end(), None
    rest = _BODY.match(xml, tag.end(), end)
    if rest is None:
        return -1, None
    body, stop = rest.group(1), rest.end()
    named = {name: double or single for name, double, single in ATTR.findall(attrs)}
    ref = REF_VALUE.fullmatch(named.get(b"r", b""))
    if ref is None:  # no reference: placed by its order, which is not counted here
        return stop, None
    key = (ref.group(1).upper().decode(), int(ref.group(2)))
    value = _VALUE.search(body)
    cell_type = named.get(b"t", b"n")
    if cell_type == b"e":
        return stop, (key, ("error", value.group(1).decode("utf-8", "replace") if value else "#ERROR"))
    formula = _FORMULA.search(body) if b"f" in body else None
    if formula is not None and (value is None or not value.group(1)):
        text = b"" if formula.group(1).endswith(b"/") else formula.group(2) or b""
        return stop, (key, ("formula", "=" + text.decode("utf-8", "replace").lstrip("=")))
    if cell_type == b"n" and value and percent and _style(named.get(b"s", b"0")) in percent:
        return stop, (key, ("percent", value.group(1).decode()))
    return stop, None


def _style(value: bytes) -> bytes:
    """A style index as `percent_styles` gives it (`" 03"` is style 3)."""
    value = value.strip()
    return (value.lstrip(b"0") or b"0") if value.isdigit() else b""


CARRY_BYTES = 64 * 1024**2  # a row longer than this is cut where a piece ends


# error values and formulas without values in one sheet (each found is parsed on its own,
# 17-30 µs; 1.75 million `#N/A` in a 10 MB file took 289 s and 3.2 GB). Percent cells are data
# (a questionnaire of 14 percent indicators at 100,000 suppliers has 1.4 million): not counted
MAX_MARKED = 1_000_000


def marked_count(found: dict[tuple[str, int], tuple[str, str]]) -> int:
    return sum(1 for kind, _ in found.values() if kind != "percent")


def scan_checked(xml: bytes, percent: set[bytes], start: int, end: int, file: str,
                 sheet: str) -> dict[tuple[str, int], tuple[str, str]]:
    """:func:`scan_xml` of a sheet scanned whole, then :func:`check_marked`."""
    found = scan_xml(xml, percent, start, end)
    check_marked(marked_count(found), file, sheet)
    return found


def check_marked(count: int, file: str, sheet: str) -> None:
    """WB-009 when ``count`` (error values and formulas without values) passes MAX_MARKED."""
    if count > MAX_MARKED:
        from esgcli.base.problems import InputError, Problem

        raise InputError([Problem(code="WB-009", file=file, sheet=sheet, params={
            "detail": f"more than {MAX_MARKED:,} cells hold an Excel error value or a formula "
                      "without its value"})])


class StreamScanner:
    """`scan_xml` over sheet XML that arrives in pieces (the split read streams it anyway),
    scanning up to the last complete row of what has arrived; :func:`check_marked` as it goes,
    as a sheet scanned whole is checked once scanned."""

    def __init__(self, percent: set[bytes], file: str = "", sheet: str = ""):
        self.percent, self.file, self.sheet = percent, file, sheet
        self.found: dict[tuple[str, int], tuple[str, str]] = {}
        self.marked = 0
        self.carry = b""

    def feed(self, piece: bytes) -> None:
        first = _row_end(piece, last=False)
        if first < 0 and len(self.carry) + len(piece) < CARRY_BYTES:
            self.carry += piece
            return
        first = len(piece) if first < 0 else first
        last = max(_row_end(piece, last=True), first)
        self._scan(self.carry + piece[:first])  # the row that straddles the pieces
        self._scan(piece, first, last)  # whole rows, scanned in place
        self.carry = piece[last:]

    def _scan(self, xml: bytes, start: int = 0, end: int | None = None) -> None:
        found = scan_xml(xml, self.percent, start, end)
        self.marked += marked_count(found)
        check_marked(self.marked, self.file, self.sheet)
        self.found.update(found)

    def finish(self) -> dict[tuple[str, int], tuple[str, str]]:
        if self.carry:
            self._scan(self.carry)
            self.carry = b""
        return self.found


_ROW_END = re.compile(rb"</" + _PREFIX + rb"row>")


def _row_end(piece: bytes, last: bool) -> int:
    """Where the first (or last) row of ``piece`` ends: after its `</row>`, or after a
    prefixed `</x:row>` (prefixes of up to 60 bytes) when it holds no `</row>`; -1: none."""
    at = piece.rfind(b"</row>") if last else piece.find(b"</row>")
    if at >= 0:
        return at + len(b"</row>")
    at = piece.rfind(b"row>") if last else piece.find(b"row>")
    while at >= 0:
        opened = piece.rfind(b"</", max(0, at - 64), at)
        if opened >= 0 and _ROW_END.fullmatch(piece, opened, at + 4):
            return at + 4
        at = piece.rfind(b"row>", 0, at) if last else piece.find(b"row>", at + 1)
    return -1
