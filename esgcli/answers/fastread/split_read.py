"""Reading one big sheet on several cores at once.

fastexcel (calamine) parses a sheet on one core. For a big sheet the sheet XML is streamed out
of the archive and cut between rows into a few small workbooks (the same workbook part, styles
and shared strings; other sheets left empty; stored, not compressed) held in in-memory files.
fastexcel parses them at the same time: it releases the GIL. Every part must hold exactly the
rows and columns it should; anything unexpected returns None and the caller reads the sheet
whole, so the result never differs from a whole read.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from esgcli.answers.xlsx_checks import member_data_start, sheet_parts
from esgcli.base import parallel
from esgcli.base.problems import InputError, Problem

MIN_SPLIT_BYTES = 32 * 1024**2  # uncompressed sheet XML below which one core is fast enough
PART_BYTES = 48 * 1024**2  # sheet XML per part: bounds what is staged and parsed at once
CHUNK = 4 * 1024**2
CHECK_PIECE = 16 * 1024**2  # a part's XML read back for its reference check: few numpy calls
COPY_FACTOR = 4  # the other parts copied into every part: at most this × the sheet's XML
MAX_PENDING = 64 * 1024**2  # XML held while looking for a row boundary
EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b"<sheetData/></worksheet>")
_DIMENSION = re.compile(rb"<dimension\b[^<>]*/>")
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*)[\s>]")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')


Cells = dict[tuple[str, int], tuple[str, str]]
SENTINEL = "\u2063esgcli-sentinel-" + os.urandom(8).hex()  # no supplier types this


@dataclass
class SheetRead:
    """A sheet's columns placed on the grid; ``scanned`` holds the cells that
    `fidelity.scan_xml` reports when the XML was streamed here (None: not scanned); read in
    ``parts`` parts on ``threads`` threads (1: read whole)."""

    columns: list[Any]
    row_offset: int
    col_offset: int
    scanned: Cells | None = None
    parts: int = 1
    threads: int = 1


HEAD_BYTES = 256 * 1024  # sheet XML read to find the extent of the first rows
HEAD_ROWS = 32
# a cell holding a value: its reference, then (after a formula, if any) <v>text or <is>
_VALUED_CELL = re.compile(rb'<c (?:[^<>r]|r(?!="))*r="([A-Z]{1,3})(\d{1,7})"[^<>]*(?<!/)>'
                          rb"(?:<f[^<>]*/>|<f[^<>]*>[^<]*</f>)?<(?:v>[^<]|is>)")


def head_extent_of(path: Path, name: str) -> tuple[int, int, int] | None:
    """`head_extent` of sheet ``name`` of the workbook at ``path``."""
    from esgcli.answers.xlsx_checks import sheet_parts

    with zipfile.ZipFile(path) as archive:
        part = sheet_parts(archive).get(name)
        return head_extent(archive, part) if part else None


def head_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int, int] | None:
    """(first row, first column, last column), 0-based, of the cells holding a value in the
    first HEAD_ROWS rows of the sheet (within HEAD_BYTES of XML); None when none is found
    there or the cells carry no `r` reference. Only a guess for what lies below, and a cell
    may hold a value in a way this does not see: callers check what they read against it."""
    from esgcli.answers.references import column_index

    try:
        with archive.open(part) as handle:
            head = handle.read(HEAD_BYTES)
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    start = end = head.find(b"<sheetData>")
    if start < 0:
        return None
    for _ in range(HEAD_ROWS):
        found = head.find(b"</row>", end)
        if found < 0:
            break
        end = found + len(b"</row>")
    cells = _VALUED_CELL.findall(head, start, end)
    if not cells:
        return None
    columns = {letters for letters, _ in cells}
    indexes = [column_index(c.decode()) for c in columns]
    return min(int(n) for _, n in cells) - 1, min(indexes), max(indexes)


class GiveUp(Exception):
    """The sheet cannot be read in parts safely; the message says why (for `esg --debug`)."""



def read_columns(path: Path, name: str, part: str, dim: tuple[int, int, int | None, int],
                 parts: int | None = None, min_bytes: int | None = None,
                 workers: int | None = None, notes: list[Problem] | None = None
                 ) -> tuple[list[Any], Cells] | None:
    """The sheet's columns as Arrow chunked arrays (one chunk per part) and the cells that
    `fidelity.scan_xml` reports (scanned on the way), or None when the sheet is small, the
    machine has one core, copying the other parts of the workbook into every part would cost
    more than 4× the sheet, or the sheet cannot be cut safely (why is added to ``notes``).

    Parts of about PART_BYTES are parsed by one thread per core; at most one part more than
    there are threads exists at a time, so memory stays bounded however big the sheet is.
    ``dim``'s last row may be None (not known): the last part then ends where its cells end, as
    a whole read does. Every reference of a part is checked (on the worker's core) before the
    part is parsed: a part passing its share of the cell or shared-text limits is given up,
    and the whole read checks the sheet exactly."""
    from esgcli.answers.xlsx_checks import sheet_index

    notes = [] if notes is None else notes
    least = MIN_SPLIT_BYTES if min_bytes is None else min_bytes
    workers = min(workers or parallel.cores(), parallel.MAX_THREADS)
    known = sheet_index(path).get(name)  # small sheets: no need to open the archive again
    if known is not None and known[2] < least:
        notes.append(Problem(code="RD-013", params={"size": f"{known[2] / 1024**2:,.1f}",
                                                    "limit": f"{least / 1024**2:,.0f}"}))
        return None
    if workers < 2:
        notes.append(Problem(code="RD-014"))
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(part)
            cuts = part_cuts(info.file_size, parts or part_count(info.file_size, workers),
                             halves=parts is None)
            worksheets = set(sheet_parts(archive).values())
            copied = sum(len(EMPTY_SHEET) if i.filename in worksheets else i.file_size
                         for i in archive.infolist() if i.filename != info.filename)
            if copied * (len(cuts) + 1) > COPY_FACTOR * info.file_size and parts is None:
                notes.append(Problem(code="RD-020", params={
                    "copy": f"{copied / 1024**2:,.1f}", "size": f"{info.file_size / 1024**2:,.1f}"}))
                return None
            return _read_parts(archive, info, name, dim, cuts, workers, worksheets)
    except InputError:
        raise
    except GiveUp as exc:
        notes.append(Problem(code="RD-015", params={"detail": str(exc)}))
    except Exception as exc:  # the whole-sheet read reports any problem with the file
        notes.append(Problem(code="RD-015", params={"detail": f"{type(exc).__name__}: {exc}"[:200]}))
    return None


def part_count(size: int, workers: int) -> int:
    """How many parts a sheet of ``size`` bytes of XML is cut into: about PART_BYTES each, and a
    multiple of ``workers``, so that the last parts, parsed side by side, end together (LibreOffice's
    335 MB twin was cut into 7: the seventh was parsed alone, a core idle for ~0.7 s)."""
    return workers * max(1, -(-size // (PART_BYTES * workers)))


def part_cuts(size: int, count: int, halves: bool = True) -> list[int]:
    """Where (in bytes of XML) a sheet is cut into ``count`` parts of equal size. With
    ``halves``, from four parts on, the first and the last are half parts (``count + 1`` in
    all): the first is parsed ~0.15 s sooner (the streamed XML reaches half a part first), and
    the parts still end side by side on two threads (the half that started first ends with a
    half)."""
    if halves and count >= 4:
        return [size * (2 * k + 1) // (2 * count) for k in range(count)]
    return [size * (k + 1) // count for k in range(count - 1)]


def _read_parts(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
                dim: tuple[int, int, int | None, int], cuts: list[int], workers: int,
                worksheets: set[str]) -> tuple[list[Any], Cells]:
    from concurrent.futures import ThreadPoolExecutor

    import fastexcel
    import pyarrow as pa

    from esgcli.answers.fastread.fidelity import StreamScanner, percent_styles
    from esgcli.answers.references import MAX_CELLS, MAX_TEXT_BYTES, SheetScanner
    from esgcli.answers.xlsx_checks import shared_lengths

    members = [(i.filename, EMPTY_SHEET if i.filename in worksheets else archive.read(i))
               for i in archive.infolist() if i.filename != info.filename]
    parts = len(cuts) + 1
    batches: list[Any] = [None] * parts
    failures: list[str] = []
    lengths = shared_lengths(archive)
    file = Path(str(archive.filename)).name
    scanner = StreamScanner(percent_styles(archive), file, name)
    slots = threading.Semaphore(workers + 1)
    opened: list[_PartFile] = []

    def new_part() -> _PartFile:
        slots.acquire()
        opened.append(_PartFile(info.filename, members).open())
        return opened[-1]

    def parse(k: int, part: _PartFile) -> None:
        try:
            # every reference of the part first: at most `slots` parts are parsed at once, so
            # each may span a share of the limits (a far cell is caught before it is allocated;
            # a sheet that only fails the share is checked whole, exactly, by the whole read)
            checker = SheetScanner(file, name, lengths, cells=MAX_CELLS // (workers + 1),
                                   text=MAX_TEXT_BYTES // (workers + 1), size=part.sheet_size(),
                                   after_row=part.after_row)
            for piece in part.sheet_pieces():
                checker.feed(piece)
            checker.finish()
            batches[k] = fastexcel.read_excel(part.file).load_sheet(
                name, header_row=None, dtypes="string", eager=True)
        except InputError as exc:
            failures.append(f"part {k + 1}: {exc.problems[0].text('en')}")
            batches[k] = None
        except Exception as exc:  # noted: the sheet is then read whole
            failures.append(f"part {k + 1}: {type(exc).__name__}: {str(exc)[:160]}")
            batches[k] = None
        finally:
            part.discard()
            slots.release()

    with ThreadPoolExecutor(max_workers=workers) as pool, archive.open(info) as stream:
        try:
            first_rows = _write_parts(stream, cuts, dim[0], new_part,
                                      lambda k, part: pool.submit(parse, k, part), scanner.feed,
                                      _sentinel_row(dim))
        finally:
            pool.shutdown(wait=True)
            for part in opened:
                part.discard()
    if first_rows is None:
        raise GiveUp("no row boundary to cut at (rows without numbers, or a row over 64 MB)")
    if failures:
        raise GiveUp(failures[0])
    width = dim[3] - dim[1] + 1
    ends: list[int | None] = [*first_rows[1:], None if dim[2] is None else dim[2] + 1]
    for k, (batch, first, end) in enumerate(zip(batches, first_rows, ends, strict=True)):
        want = "?" if end is None else f"{end - first + 1:,}"
        if batch is None or batch.num_columns != width or (
                end is not None and batch.num_rows != end - first + 1):
            got = "-" if batch is None else f"{batch.num_rows:,} × {batch.num_columns:,}"
            raise GiveUp(f"part {k + 1} holds {got} cells, not {want} rows × {width:,} columns")
        at = 0 if k == parts - 1 or end is None else end - first  # where its sentinel row must be
        if batch.num_rows <= at or any(batch.column(j)[at].as_py() != SENTINEL
                                       for j in {0, width - 1}):
            raise GiveUp(f"part {k + 1}: its rows are not where its row tags put them")
        batches[k] = batch.slice(1) if k == parts - 1 or end is None else batch.slice(0, end - first)
    if len({batch.column(j).type for batch in batches for j in range(width)}) != 1:
        raise GiveUp("the parts' columns were read as different types")
    return ([pa.chunked_array([batch.column(j) for batch in batches]) for j in range(width)],
            scanner.finish())


def _write_parts(stream: IO[bytes], cuts: list[int], first_row: int,
                 new_part: Callable[[], _PartFile], part_written: Callable[[int, _PartFile], Any],
                 seen: Callable[[bytes], None], sentinel: Callable[[int], bytes]
                 ) -> list[int] | None:
    """Cuts the sheet XML between rows (at the first row after each of ``cuts``) into
    ``len(cuts) + 1`` workbooks, handing each to
    ``part_written`` as soon as it is complete and every piece of `<sheetData>` onwards to
    ``seen``; the 0-based first row of each part, or None when the XML cannot be cut safely.

    Each part also holds a sentinel row (``sentinel(n)``: row n, 1-based, with a cell in the
    first and the last column of the sheet) just after its rows (the first row of the next
    part) or, for the last part, just before them, so that every part spans all columns even
    where its own rows leave the first or last ones empty."""
    head = b""
    while b"<sheetData>" not in head:
        chunk = stream.read(CHUNK)
        if not chunk or len(head) > MAX_PENDING:
            return None
        head += chunk
    start = head.index(b"<sheetData>") + len(b"<sheetData>")
    prefix = _DIMENSION.sub(b"", head[:start])
    root = _ROOT.search(prefix, prefix.find(b"?>") + 2 if prefix.startswith(b"<?") else 0)
    if root is None:
        return None
    closing = b"</sheetData></" + root.group(1) + b">"
    pending, done = head[start:], len(head)
    seen(pending)
    first_rows = [first_row]
    parts = len(cuts) + 1
    for k in range(parts):
        part = new_part()
        # its rows and cells come in order from here (the last part starts with its sentinel row)
        part.after_row = 1 if k == 0 else first_rows[-1] + (k < parts - 1)
        part.write(prefix)
        if k == parts - 1:
            part.write(sentinel(first_rows[-1]))
            part.write(pending)
            while chunk := stream.read(CHUNK):
                seen(chunk)
                part.write(chunk)
            part.close()
            part_written(k, part)
            return first_rows
        target = cuts[k]
        while done < target or (cut := _row_boundary(pending, target - done + len(pending))) is None:
            chunk = stream.read(CHUNK)
            if not chunk or len(pending) > MAX_PENDING:
                return None
            seen(chunk)
            done += len(chunk)
            if done < target:
                part.write(pending)
                pending = chunk
            else:
                pending += chunk
        part.write(pending[:cut])
        pending = pending[cut:]
        number = _ROW_NUMBER.search(pending, 0, pending.index(b">"))
        if number is None:
            return None
        first_rows.append(int(number.group(1)) - 1)
        part.write(sentinel(first_rows[-1] + 1))
        part.write(closing)
        part.close()
        part_written(k, part)
    return first_rows


def _sentinel_row(dim: tuple[int, int, int | None, int]) -> Callable[[int], bytes]:
    from esgcli.base.cells import column_letter

    first, last = column_letter(dim[1]).encode(), column_letter(dim[3]).encode()
    mark = SENTINEL.encode()

    def row(number: int) -> bytes:
        n = str(number).encode()
        cells = [b'<c r="%s%s" t="inlineStr"><is><t>%s</t></is></c>' % (c, n, mark)
                 for c in dict.fromkeys((first, last))]
        return b'<row r="%s">%s</row>' % (n, b"".join(cells))

    return row


def _row_boundary(buffer: bytes, start: int) -> int | None:
    """Position (from ``start`` on) of a `<row ` tag that directly follows a `</row>` and
    carries its number."""
    pos = max(start, 0)
    while (pos := buffer.find(b"<row ", pos)) >= 0:
        tag_end = buffer.find(b">", pos)
        if tag_end < 0:
            return None
        if buffer[max(0, pos - 64):pos].rstrip().endswith(b"</row>") \
                and _ROW_NUMBER.search(buffer, pos, tag_end):
            return pos
        pos += 5
    return None


class _PartFile:
    """One part: a stored workbook whose sheet XML is written piece by piece."""

    def __init__(self, sheet_part: str, members: list[tuple[str, bytes]]):
        self.sheet_part, self.members = sheet_part, members
        self.discarded = False
        self.after_row = 1  # 1-based: no row or cell of the part lies above it

    def open(self) -> _PartFile:
        self.scratch = _scratch_file()
        self.handle, self.file = self.scratch.__enter__()
        self.archive = zipfile.ZipFile(self.handle, "w", zipfile.ZIP_STORED)
        for member, data in self.members:
            self.archive.writestr(member, data)
        self.sheet = self.archive.open(self.sheet_part, "w", force_zip64=True)
        return self

    def write(self, data: bytes) -> None:
        self.sheet.write(data)

    def close(self) -> None:
        self.sheet.close()
        self.info = self.archive.getinfo(self.sheet_part)  # where and how big, as written
        self.archive.close()
        self.handle.flush()

    def sheet_size(self) -> int:
        """Bytes of the part's sheet XML (the part is complete)."""
        return int(self.info.file_size)

    def sheet_pieces(self) -> Iterator[bytes]:
        """The part's sheet XML, read back in pieces: stored, so its bytes as written, read
        straight from where they lie (written here a moment ago: no checksum computed again)."""
        info = self.info
        with open(self.file, "rb") as handle:
            handle.seek(info.header_offset)
            start = member_data_start(handle.read(30), info.header_offset)
            if info.compress_type != zipfile.ZIP_STORED or start is None:
                raise GiveUp("a part was not written as expected")
            handle.seek(start)
            left = info.file_size
            while left > 0 and (piece := handle.read(min(CHECK_PIECE, left))):
                left -= len(piece)
                yield piece

    def discard(self) -> None:
        """Free the part's memory (idempotent; also for a part given up half-written)."""
        if self.discarded:
            return
        self.discarded = True
        with contextlib.suppress(Exception):
            self.sheet.close()
            self.archive.close()
        self.scratch.__exit__(None, None, None)


@contextlib.contextmanager
def _scratch_file() -> Iterator[tuple[IO[bytes], str]]:
    """A file that lives in memory where the OS allows it (Linux memfd), else a temp file."""
    if hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd"):
        fd = os.memfd_create("esgcli-part", os.MFD_CLOEXEC)
        with os.fdopen(fd, "w+b") as handle:
            yield handle, f"/proc/self/fd/{fd}"
        return
    with tempfile.TemporaryDirectory(prefix="esgcli-") as folder:
        file = str(Path(folder) / "part.xlsx")
        with open(file, "w+b") as handle:
            yield handle, file
