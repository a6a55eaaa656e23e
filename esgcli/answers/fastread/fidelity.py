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

MAX_SCAN_BYTES = 64 * 1024**2  # larger sheets are not scanned (documented in SECURITY.md)
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^<>]*?)(?:/>|>((?:[^<]|<(?!/?c[\s>/]))*)</c>)')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
_STYLE = re.compile(rb' s="(\d+)"')
_TYPE = re.compile(rb' t="([a-zA-Z]+)"')
FEW_STYLES = 4  # up to this many percent styles are searched at memchr speed, one pass each


def percent_styles(archive: zipfile.ZipFile, why: list[str] | None = None) -> set[bytes]:
    """Style indexes (as in `s="3"`) whose number format shows a percentage (none, with the
    reason added to ``why``, when the styles cannot be read)."""
    from esgcli.answers.xlsx_checks import member

    try:
        text = archive.read(member(archive, "xl/styles.xml") or "xl/styles.xml")
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
    return scan_xml(xml, percent, start, end)


def cells_to_scan(archive: zipfile.ZipFile, xml: bytes, why: list[str]
                  ) -> tuple[set[bytes], int, int]:
    """What :func:`scan_xml` of a sheet's ``xml`` needs: the archive's percent styles (when a
    cell has a style at all), and where the cells lie (a template's data validations hold
    many `<f`, outside them)."""
    from esgcli.answers.xlsx_checks import sheet_data_span

    start, end = sheet_data_span(xml)
    percent = percent_styles(archive, why) if xml.find(b' s="', start, end) >= 0 else set()
    return percent, start, end


def scan_xml(xml: bytes, percent: set[bytes], start: int = 0,
             end: int | None = None) -> dict[tuple[str, int], tuple[str, str]]:
    """The cells of ``xml[start:end]`` that `scan_cells` reports. Only cells around a marker
    are parsed, so a clean sheet costs a few byte searches: `#` (every error value starts with
    it, and it is rare, so it is found at memchr speed), `<f` and any percent style."""
    end = len(xml) if end is None else end
    many = len(percent) > FEW_STYLES
    markers = [b"#", b"<f"] + ([] if many else [b' s="' + style + b'"' for style in sorted(percent)])
    starts: set[int] = set()
    find = _finder(xml, start, end)
    for marker in markers:
        pos = find(marker, start)
        while pos >= 0:
            cell = xml.rfind(b"<c ", start, pos)
            if cell >= 0:
                starts.add(cell)
            # on to the next cell: a cell of many `#` is looked back from once, not once per `#`
            after = xml.find(b"<c ", pos, end)
            pos = -1 if after < 0 else find(marker, after)
    if many:  # one pass for every style at once, not one pass per percent style
        for match in _STYLE.finditer(xml, start, end):
            if match.group(1) in percent:
                cell = xml.rfind(b"<c ", start, match.start())
                if cell >= 0:
                    starts.add(cell)
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for cell in sorted(starts):
        judged = _CELL.match(xml, cell, end)
        if judged is not None:
            _judge(judged, percent, found)
    return found


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
        opened: list[int] = f[a[f] == 60].tolist()  # `<f`, in order

        def found(marker: bytes, pos: int) -> int:
            if marker != b"<f":
                return xml.find(marker, pos, end)
            k = bisect.bisect_left(opened, pos)
            return opened[k] if k < len(opened) else -1

        return found
    rare = xml.count(b"f", start, end) <= (end - start) // 512  # a loop step per `f`

    def find(marker: bytes, pos: int) -> int:
        if marker != b"<f" or not rare:
            return xml.find(marker, pos, end)
        at = xml.find(b"f", pos + 1, end)
        while at >= 0 and xml[at - 1] != 0x3C:  # `<`
            at = xml.find(b"f", at + 1, end)
        return at - 1 if at >= 0 else -1

    return find


def _judge(match: re.Match[bytes], percent: set[bytes],
           found: dict[tuple[str, int], tuple[str, str]]) -> None:
    letters, row, attrs, body = match.groups()
    body = body or b""
    value = _VALUE.search(body)
    kind = _TYPE.search(attrs)
    cell_type = kind.group(1) if kind else b"n"
    key = (letters.decode(), int(row))
    if cell_type == b"e":
        found[key] = ("error", value.group(1).decode("utf-8", "replace") if value else "#ERROR")
    elif b"<f" in body and (value is None or not value.group(1)):
        formula = re.search(rb"<f(?:\s[^<>]*)?>([^<]*)</f>", body)  # formula text holds no `<`
        text = formula.group(1).decode("utf-8", "replace") if formula else ""
        found[key] = ("formula", "=" + text.lstrip("="))
    elif cell_type == b"n" and value and percent:
        style = _STYLE.search(attrs)
        if style and style.group(1) in percent:
            found[key] = ("percent", value.group(1).decode())


class StreamScanner:
    """`scan_xml` over sheet XML that arrives in pieces (the split read streams it anyway),
    scanning up to the last complete row of what has arrived."""

    def __init__(self, percent: set[bytes]):
        self.percent = percent
        self.found: dict[tuple[str, int], tuple[str, str]] = {}
        self.carry = b""

    def feed(self, piece: bytes) -> None:
        first = piece.find(b"</row>")
        if first < 0 and len(self.carry) + len(piece) < 64 * 1024**2:
            self.carry += piece
            return
        first = len(piece) if first < 0 else first + len(b"</row>")
        last = max(piece.rfind(b"</row>") + len(b"</row>"), first)
        self._scan(self.carry + piece[:first])  # the row that straddles the pieces
        self._scan(piece, first, last)  # whole rows, scanned in place
        self.carry = piece[last:]

    def _scan(self, xml: bytes, start: int = 0, end: int | None = None) -> None:
        self.found.update(scan_xml(xml, self.percent, start, end))

    def finish(self) -> dict[tuple[str, int], tuple[str, str]]:
        if self.carry:
            self._scan(self.carry)
            self.carry = b""
        return self.found
