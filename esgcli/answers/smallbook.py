"""A small xlsx among many (a campaign's reply) opened from memory, each part unpacked once.

Opened one by one, a reply of 20 KB was unpacked five times (the zip checks, the extent scan
of each sheet read, the guard, the fidelity scan) and its answers sheet decompressed three
times: that, not the cells, was most of the time of `esg score DIR`. Here the file is read
once (its sha256 from the same bytes), the archive is listed once, each sheet read is
decompressed once for the extent, duplicate-cell and fidelity checks, and calamine reads the
same bytes. The checks and their messages are those of :func:`workbook.open_workbook` with
``grid=True`` (tested side by side); a sheet over the scan limit takes that path's checks.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esgcli.answers.fastread.fidelity import MAX_SCAN_BYTES, cells_to_scan, scan_cells, scan_checked
from esgcli.answers.workbook import OLE_MAGIC, Workbook, calamine_book, calamine_sheet
from esgcli.answers.xlsx_checks import (
    SCAN_LIMIT,
    check_extent,
    member_data_start,
    members_problem,
    not_a_zip,
    scan_sheet,
    shared_strings_problem,
    sheet_data,
    sheet_names_problem,
    sheet_parts,
)
from esgcli.base.problems import InputError, Problem

__all__ = ["SmallXlsx", "open_small_xlsx"]


@dataclass
class SmallXlsx:
    """An xlsx held in memory: its workbook (sheets load through the checks), its sha256, and
    the XML of each sheet loaded, kept for the fidelity scan."""

    path: Path
    book: Workbook
    sha256: str
    archive: zipfile.ZipFile
    xml: dict[str, bytes] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)  # sheet name -> part in the archive

    def recorded(self, name: str) -> dict[str, str] | None:
        """The key/value rows of sheet ``name`` (the hidden record `esg template` writes) read
        straight from its XML, as :func:`opening.workbook_meta` reads them from the grid, when
        the sheet is written as esg writes it: rows 1, 2, … of two inline strings in A and B,
        nothing else, no escapes. None otherwise (the sheet is then read as any other)."""
        info = self.archive.NameToInfo.get(self.parts.get(name, ""))
        if info is None or info.file_size > MAX_RECORD_BYTES:
            return None
        try:
            xml = self.archive.read(info)
        except Exception:  # malformed parts are reported by the readers
            return None
        record = _record(xml)
        return None if record is None else dict(record)

    def scan_cells(self, name: str, why: list[str]) -> dict[tuple[str, int], tuple[str, str]]:
        """:func:`fidelity.scan_cells` of sheet ``name`` on the XML already unpacked."""
        xml = self.xml.get(name)
        if xml is None:
            return scan_cells(self.path, name, why)
        if len(xml) > MAX_SCAN_BYTES:  # pragma: no cover - held sheets are under SCAN_LIMIT
            why.append(f"the sheet's XML is over {MAX_SCAN_BYTES // 1024**2} MB")
            return {}
        percent, start, end = cells_to_scan(self.archive, xml, why)
        return scan_checked(xml, percent, start, end, self.path.name, name)


def open_small_xlsx(path: Path) -> SmallXlsx:
    """Open the .xlsx/.xlsm at ``path`` from one read of its bytes; InputError as
    :func:`workbook.open_workbook` raises it."""
    file = path.name
    if not path.is_file():
        raise InputError([Problem(code="WB-001", file=str(path))])
    data = path.read_bytes()
    if not data:
        raise InputError([Problem(code="WB-004", file=file)])
    if data[:8] == OLE_MAGIC:
        raise InputError([Problem(code="WB-003", file=file)])
    try:
        archive = _HeldZip(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError([not_a_zip(file, exc)]) from None
    problem = members_problem(infos, file) or sheet_names_problem(archive, file)
    if problem is None:
        try:
            problem = shared_strings_problem(archive, file)
        except Exception:  # malformed parts are reported by the readers
            problem = None
    if problem is not None:
        raise InputError([problem])
    calamine = calamine_book(file, path)  # as the reader opens it (same messages)
    try:
        parts = sheet_parts(archive)
    except Exception:  # malformed parts are reported by the readers
        parts = {}
    lengths: list[Any] = []
    held: dict[str, bytes] = {}

    def load(name: str) -> Any:  # noqa: ANN401 - a Sheet
        held.pop(name, None)
        part = parts.get(name)
        if part is None and any(archive.NameToInfo.get(p) for p in parts.values()):
            problem = check_extent(path)  # the reader's name is spelled otherwise: all sheets
            if problem is not None:
                raise InputError([problem])
        info = archive.NameToInfo.get(part) if part is not None else None
        if info is not None and info.file_size > SCAN_LIMIT:
            problem = check_extent(path, name)  # streamed, as the reader of one file does
            if problem is not None:
                raise InputError([problem])
            from esgcli.answers.fastread.route import guard

            guard(path, name)
        elif info is not None:
            try:
                scanned = scan_sheet(archive, info, file, name, lengths, placement=False)
            except Exception:  # malformed parts are reported by the readers
                scanned = None
            if scanned is not None:
                if scanned.problem is not None:
                    raise InputError([scanned.problem])
                if scanned.xml is not None:
                    held[name] = scanned.xml
        sheet = calamine_sheet(calamine, file, name)
        book.reads.extend([Problem(code="RD-003", file=file, sheet=name),
                           Problem(code="RD-025", file=file, sheet=name)])
        return sheet

    book = Workbook(file=file, sheet_names=list(calamine.sheet_names), load=load, warnings=[])
    return SmallXlsx(path, book, hashlib.sha256(data).hexdigest(), archive, held, parts)


class _HeldZip(zipfile.ZipFile):
    """An archive held in memory whose members are inflated straight from its bytes: for the
    few small members a reply's checks read, zipfile's reader machinery cost more than the
    inflating (the checksum is checked here too: some members only esg reads). Anything but a plain
    stored or deflated member is read by zipfile; one whose size or checksum is not the one
    recorded is read by zipfile too, which says what is wrong as it says it for any file."""

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        data = self.fp.getbuffer() if isinstance(self.fp, io.BytesIO) else None
        if pwd is not None or data is None or info.flag_bits & 0x1 \
                or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return super().read(name, pwd)
        start = member_data_start(bytes(data[info.header_offset:info.header_offset + 30]),
                                  info.header_offset)
        if start is None:
            return super().read(name, pwd)
        raw = data[start:start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            out = bytes(raw)
        else:
            try:
                out = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
            except zlib.error:
                return super().read(name, pwd)  # says what is wrong, as zipfile says it
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            return super().read(name, pwd)  # says what is wrong, as zipfile says it
        return out


MAX_RECORD_BYTES = 64 * 1024


@functools.lru_cache(maxsize=64)  # a campaign's replies share their template's record
def _record(xml: bytes) -> tuple[tuple[str, str], ...] | None:
    """The key/value rows of a record sheet's XML written as esg writes it; None otherwise."""
    body = sheet_data(xml)
    if not body.startswith(b"<sheetData>") or b"_x" in body or b"\r" in body:
        return None
    out: dict[str, str] = {}
    pos = len(b"<sheetData>")
    for row, match in enumerate(_RECORD_ROW.finditer(body, pos), start=1):
        if match.start() != pos or match.group(1) != b"%d" % row or row > 50:
            return None
        pos = match.end()
        try:
            key, value = match.group(2).decode(), match.group(3).decode()
        except UnicodeDecodeError:
            return None
        if key != key.strip() or value != value.strip():  # readers differ in trimming
            return None
        if value:
            out[key] = value
    return tuple(out.items()) if pos == len(body) else None
_RECORD_ROW = re.compile(rb'<row r="(\d{1,2})"><c r="A\1" t="inlineStr"><is><t>([^<&]*)</t></is></c>'
                         rb'<c r="B\1" t="inlineStr"><is><t>([^<&]*)</t></is></c></row>')
