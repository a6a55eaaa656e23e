"""Cell and row references checked before a reader allocates a sheet: vectorised with numpy,
no Python work per cell.

Readers (calamine, fastexcel) allocate every cell of the range the references span, and keep
one of two cells given the same reference; a far cell or a repeated one must be found first.
:class:`SheetScanner` reads the references of a sheet of any size fed in pieces (a big sheet
streamed, or each part of the split read); :func:`few_cells` tells at once that a small sheet
written as writers write it (a campaign's reply) has nothing to refuse. The limits are here,
one for every check.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from esgcli.base.problems import Problem

__all__ = ["MAX_CELLS", "MAX_TEXT_BYTES", "PREFIXED", "SheetScanner", "column_index",
           "other_type_spellings", "size_text",
           "few_cells", "r_attribute_count", "r_attributes", "raise_limit"]

MAX_CELLS = 30_000_000  # calamine allocates every cell of the used range up front
MAX_TEXT_BYTES = 512 * 1024**2  # text the readers would copy into the sheet's cells: each
# byte is held about three times over (the reader's cells, Arrow, the table), within 1.5 GB
# `<x:c ` or `<x:row `: readers take any prefix (`<-:c`, `<é:c`), matching the local name
PREFIXED = re.compile(rb"<[^\s<>/!?:]+:(?:c|row)[\s/>]")


def column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


CARRY = 1100  # bytes kept between pieces: every pattern below, and SPACE_RUN, spans fewer
# bytes of the shortest cell holding a shared string, `<c r="A1"t="s"><v>0</v></c>` (this scan
# refuses cells without a reference, however their name ends)
MIN_SHARED_CELL = 27
_SHARED_V = re.compile(rb'\st="s"[^>]{0,40}>\s{0,8}<v>(\d{1,10})</v>')


class SheetScanner:
    """The cell and row references and the shared-string references of a sheet's XML, fed in
    pieces of any size, in one linear pass (vectorised: no Python work per cell).

    Raises :class:`InputError` (WB-009) as soon as the extent of the references (with
    ``within``, a range the reader will span anyway) passes MAX_CELLS, or the shared text the
    cells would copy passes MAX_TEXT_BYTES: before any reader allocates either. The text is
    counted as (cells referring to a shared string) × (longest string) while that bound stays
    under the limit, and exactly, cell by cell, from the piece where it would not."""

    def __init__(self, file: str, sheet: str, lengths: Any,
                 within: tuple[int, int, int, int] | None = None,
                 cells: int | None = None, text: int | None = None,
                 size: int | None = None, after_row: int = 1) -> None:
        self.file, self.sheet, self.lengths = file, sheet, lengths
        self.cell_limit = MAX_CELLS if cells is None else cells  # limits as they are now
        self.text_limit = MAX_TEXT_BYTES if text is None else text
        self.longest = int(lengths.max()) if lengths.size else 0
        # ``size``: the bytes of XML to be fed. When even a sheet of nothing but cells that
        # each hold the longest shared string stays under the text limit, no cell is counted
        self.bounded = size is not None and \
            (size // MIN_SHARED_CELL + 1) * self.longest <= self.text_limit
        self.extent: list[int] | None = None if within is None else [
            within[0] + 1, within[1] + 1, within[2] + 1, within[3] + 1]
        self.found: list[int] | None = None  # rows and columns of the references only
        self.cells = self.refs = 0
        self.text = 0
        self.carry = b""
        # rows, and cells (by row, then column), in strictly increasing order from ``after_row``
        # (1-based) on: a cell or row given twice, or out of place, never reaches a reader
        self.last_row = self.last_cell_row = row_key(after_row) - 1
        self.last_cell_col = 2**32 - 1

    def feed(self, piece: bytes) -> None:
        buf = self.carry + piece if self.carry else piece
        if len(buf) <= 2 * CARRY:
            self.carry = buf
            return
        self._scan(buf, len(buf) - CARRY)
        self.carry = buf[len(buf) - CARRY - 2:]

    def finish(self) -> tuple[int, int, int, int] | None:
        """(first row, first column, last row, last column), 0-based, of every reference; None
        when there is none; WB-016 when some cell carries no reference (its place is not known
        here)."""
        if self.carry:
            self._scan(self.carry + b"\0" * 16, len(self.carry))
            self.carry = b""
        if self.cells > self.refs:
            self._refuse("cells without a reference, in a sheet over 8 MB")
        if self.found is None or self.found[1] == 0:
            return None
        r0, c0, r1, c1 = self.found
        return r0 - 1, c0 - 1, r1 - 1, c1 - 1

    def _scan(self, buf: bytes, end: int) -> None:
        """References whose `=` lies in [2, end) (the bytes after ``end`` stay for the next piece).
        Each reference is found from its `r` (a byte that is rare in sheet XML, where `=` comes
        three times a cell), and bytes are read as big-endian words at any offset, so a
        reference costs a few vector operations: its letters from one word, its digits from
        another, compared by a key (digit count, then the digits), and only the smallest and
        largest are decoded."""
        import numpy as np

        a = np.frombuffer(buf, dtype=np.uint8)
        u8 = np.ndarray((len(buf) - 7,), dtype=">u8", buffer=buf, strides=(1,))
        # every cell (and `<col`, `<cfRule`...): each with its `r`? (a `<c` in the last two bytes
        # before ``end`` is counted with the next piece, which starts there)
        tags = int(np.count_nonzero((a[:end - 2] == 60) & (a[1:end - 1] == 99)))  # `<c`: 3x a count
        if self.longest and not self.bounded:  # the `=` of every `t="s"`
            eq = np.flatnonzero(a[2:end] == 61)
            eq += 2
            t = eq[a[eq - 1] == 116]
            self._text(buf, end, a, u8, t[(u8[t - 1] >> 24) == 0x743D227322])
        r = np.flatnonzero(a[1:end - 1] == 114)  # every `r` whose `=` would lie in [2, end)
        r += 1
        upper, name_start = _byte_tables()
        words4 = np.ndarray((len(buf) - 3,), dtype="<u4", buffer=buf, strides=(1,))
        written = words4[r - 1] == _SPACE_R  # ` r="`, as every writer writes a reference
        other = r[~written]  # `<row`, `</row>`, text, and any reference spelled otherwise
        self._spelling(a, other[name_start[a[other - 1]]])
        s = r[written]
        if not s.size:
            self.cells += _cells(buf, end, tags, 0)
            return
        s += 3  # where each reference starts
        up = upper[a[s]]  # a first capital: a cell's reference (a row's has none)
        letters = up.astype(np.intp)
        letters += up & upper[a[s + 1]]
        letters += (letters == 2) & upper[a[s + 2]]
        digits = u8[s + letters]
        count = _digit_run(digits)
        # every reference `B7"`: up to three capitals, then 1-9 and up to six digits, then the
        # quote. Readers also place `ABCD1` (a column past XFD, which three letters would not
        # read) and `B0007` (which would break the order of the key below): refused
        self._strict(a, s + letters, count)
        key = _key(digits, count)
        found = [_number(int(digits[int(np.argmin(key))])), 0,
                 _number(int(digits[int(np.argmax(key))])), 0]
        cells = int(np.count_nonzero(up))
        self.refs += cells
        self.cells += _cells(buf, end, tags, cells)
        if cells < s.size:
            self._rows_in_order(key[~up] if cells else key)
        if cells:
            # a column's order: its letter count, then its letters (the strict form above puts
            # digits after them, which sort below every capital): the first three bytes suffice
            head = np.ndarray((len(buf) - 3,), dtype=">u4", buffer=buf, strides=(1,))[s]
            col = (head >> np.uint32(8)) | (letters.astype(np.uint32) << np.uint32(24))
            if cells < s.size:
                self._cells_in_order(key[up], col[up])
            else:
                self._cells_in_order(key, col)
            last = int(s[int(np.argmax(col))])
            if cells < s.size:  # rows (no letters) are no column
                col[~up] = np.uint32(2**32 - 1)
            first = int(s[int(np.argmin(col))])
            found[1] = column_index(_letters_of(int(u8[first]))) + 1
            found[3] = column_index(_letters_of(int(u8[last]))) + 1
        self.found = found if self.found is None else _union(self.found, found)
        self.extent = self.found if self.extent is None else _union(self.extent, self.found)
        rows_n = self.extent[2] - self.extent[0] + 1
        cols_n = self.extent[3] - self.extent[1] + 1 if self.extent[3] else 1
        if rows_n * cols_n > self.cell_limit:
            raise_limit(self.file, self.sheet, rows_n, cols_n, self.cell_limit)

    def _rows_in_order(self, rows: Any) -> None:  # noqa: ANN401 - an array of row keys
        import numpy as np

        if bool(rows[0] <= self.last_row) or bool(np.any(rows[1:] <= rows[:-1])):
            self._refuse("rows given twice or out of order, in a sheet over 8 MB")
        self.last_row = int(rows[-1])

    def _cells_in_order(self, rows: Any, cols: Any) -> None:  # noqa: ANN401 - arrays of keys
        """Each cell after the one before it: a later row, or the same row and a later column
        (Excel, LibreOffice and the Python writers write them so; a cell given twice breaks it)."""

        first_row, first_col = int(rows[0]), int(cols[0])
        if first_row < self.last_cell_row or (
                first_row == self.last_cell_row and first_col <= self.last_cell_col):
            self._refuse("cells given twice or out of order, in a sheet over 8 MB")
        later = rows[1:] > rows[:-1]
        later |= (rows[1:] == rows[:-1]) & (cols[1:] > cols[:-1])
        if not bool(later.all()):
            self._refuse("cells given twice or out of order, in a sheet over 8 MB")
        self.last_cell_row, self.last_cell_col = int(rows[-1]), int(cols[-1])

    def _strict(self, a: Any, digits_at: Any, count: Any) -> None:  # noqa: ANN401 - arrays
        """WB-016 unless every reference's digits (at ``digits_at``, ``count`` of them) are
        1 to 7, without a leading zero, and end at the closing quote."""
        import numpy as np

        n = count.astype(np.intp)
        if not bool(np.all((n >= 1) & (n <= 7) & (a[digits_at] != 48) & (a[digits_at + n] == 34))):
            self._refuse()

    def _spelling(self, a: Any, named: Any) -> None:  # noqa: ANN401 - arrays
        """WB-016 for a reference this scan would not read but a reader places: `r='B7'`,
        `r = "B7"` (any whitespace before or after the `=`), r after a tab, a line break or a
        quote (`s="0"r="B7"`). ``named``: every `r` where an attribute name may start that is
        not written ` r="`. Excel, LibreOffice and the Python writers write none of them;
        without this, such a far cell would pass the limits above and make the reader
        allocate it."""
        import numpy as np

        if not named.size:
            return
        following = a[named + 1]
        if bool(np.any(following == 61)) or _equals_after_space(a, named[following <= 32]):
            self._refuse()

    def _refuse(self, what: str = "references written r='…', r = \"…\", after a line break, "
                                  "in lower case, with four letters or a leading zero") -> None:
        from esgcli.base.problems import InputError

        raise InputError([Problem(code="WB-016", file=self.file, sheet=self.sheet,
                                  params={"what": what})])

    def _text(self, buf: bytes, end: int, a: Any, u8: Any, shared: Any) -> None:  # noqa: ANN401
        """The text the shared-string cells of this piece copy, counted exactly (a bound
        summed over pieces would refuse sheets under the limit): the string index of each is
        read from the words after `t="s"><v>` as they are written, or by a pattern where a
        cell is written otherwise."""
        import numpy as np

        other = other_type_spellings(a, end)
        if not shared.size and not other:
            return
        index = _shared_indexes(a, u8, shared) if shared.size else np.zeros(0, dtype=np.int64)
        if index is None:
            index = np.array([int(m.group(1)) for m in _SHARED_V.finditer(buf, 0, end + 64)
                              if m.start() + 2 < end], dtype=np.int64)  # its `=` before end
        # a cell whose index the pattern does not read (a formula before its value, a long
        # attribute, a line break), or whose type is spelled otherwise (`t='s'`, `t = "s"`),
        # counts as holding the longest string: never as nothing
        unread = max(shared.size - index.size, 0) + other
        index = index[index < self.lengths.size]
        self.text += int(self.lengths[index].sum()) + unread * self.longest
        if self.text > self.text_limit:
            from esgcli.base.problems import InputError

            raise InputError([Problem(code="WB-009", file=self.file, sheet=self.sheet, params={
                "detail": f"its cells refer to more than {size_text(self.text_limit)} of shared "
                          f"text (limit {size_text(MAX_TEXT_BYTES)})"})])


_SPACE_R = int.from_bytes(b' r="', "little")


def _cells(buf: bytes, end: int, tags: int, refs: int) -> int:
    """The cells opened in ``buf[:end]``: ``tags`` (every `<c…`) while it is at most one more
    than the piece's cell references (a cell cut by the piece's end has its `<c` here and its
    reference in the next piece), as in every sheetData; counted by their spellings (`<c `,
    `<c>`, a tab or a line break after the name) where other elements (`<col`, `<cfRule`) are
    in the piece too. A cell without a reference is then counted, whatever follows its name."""
    if tags <= refs + 1:
        return tags
    return sum(buf.count(opening, 0, end) for opening in (b"<c ", b"<c>", b"<c\t", b"<c\n", b"<c\r"))


@functools.cache
def _byte_tables() -> tuple[Any, Any]:
    """(byte -> is a capital letter; byte -> an attribute name may start after it)."""
    import numpy as np

    codes = np.arange(256)
    return (codes >= 65) & (codes <= 90), _name_may_start(codes)


SPACE_RUN = 1024  # whitespace after a name `r` longer than this is taken as leading to an `=`


def _equals_after_space(a: Any, spaced: Any) -> bool:  # noqa: ANN401 - numpy arrays
    """Whether an `=` follows the whitespace after any `r` at ``spaced`` (each followed by a
    byte up to 32): the run is walked a byte at a time for all of them at once, stopping at
    the end of ``a``. A run over SPACE_RUN bytes counts as leading to one (the scan keeps
    CARRY bytes past a piece, so it could not see the end of a longer one): a cell's text
    holding a word `r` and then a thousand spaces is refused, never read wrong."""
    import numpy as np

    at = spaced + 1
    for _ in range(SPACE_RUN):
        at = at[at < a.size]
        if not at.size:
            return False
        byte = a[at]
        if bool(np.any(byte == 61)):
            return True
        at = at[byte <= 32] + 1
    return bool(at.size)


def size_text(size: int) -> str:
    """`512 MB`, or `50,500 bytes` under a megabyte."""
    return f"{size / 1024**2:,.0f} MB" if size >= 1024**2 else f"{size:,} bytes"


TYPE_SPACE = 16  # whitespace around the `=` of a type attribute walked; more counts as one


def other_type_spellings(a: Any, end: int) -> int:  # noqa: ANN401 - a numpy array
    """How many `s` quoted alone (`'s'`, `"s"`) before ``end`` may be a cell's type written
    otherwise than `t="s"` (readers take `t='s'`, `t = "s"`): whitespace, an `=`, whitespace,
    a `t` after a byte up to 32, walked back from the quote. Text holding such words counts
    too: the count may be high, never low."""
    import numpy as np

    quoted = np.flatnonzero(a[4:end] == 115)
    quoted += 4
    quoted = quoted[quoted + 1 < a.size]
    quote = a[quoted - 1]
    quoted = quoted[((quote == 34) | (quote == 39)) & (a[quoted + 1] == quote)]
    canonical = (a[quoted - 2] == 61) & (a[quoted - 3] == 116) & (a[quoted - 1] == 34)  # t="s"
    at = quoted[~canonical] - 2
    count = 0
    for wanted in (61, 116):  # the `=`, then the `t`, each after any whitespace
        for _ in range(TYPE_SPACE):
            at = at[at > 0]
            space = a[at] <= 32
            if not bool(space.any()):
                break
            at[space] -= 1
        at = at[at > 0]
        run = a[at] <= 32  # whitespace longer than TYPE_SPACE: counted, never walked past
        count += int(np.count_nonzero(run))
        at = at[~run]
        at = at[a[at] == wanted] - 1
    before = a[at]  # what precedes the `t`: whitespace, or a quote (`r="A1"t='s'`)
    return count + int(np.count_nonzero((before <= 32) | (before == 34) | (before == 39)))


def _shared_indexes(a: Any, u8: Any, shared: Any) -> Any:  # noqa: ANN401 - numpy arrays
    """The string index of each shared-string cell whose `t="s"` has its `=` at ``shared``,
    when every one is written ` t="s"><v>123</v>` (a space before, one to seven digits);
    None otherwise (the caller reads them with a pattern)."""
    import numpy as np

    if not bool(np.all(a[shared - 2] == 32)):
        return None
    if not bool(np.all((a[shared + 4] == 62) & (a[shared + 5] == 60) & (a[shared + 6] == 118)
                       & (a[shared + 7] == 62))):
        return None
    count = _digit_run(u8[shared + 8]).astype(np.int64)
    if not bool(np.all((count >= 1) & (count <= 7))) or not bool(np.all(a[shared + 8 + count] == 60)):
        return None
    place = np.arange(7)
    digits = a[(shared + 8)[:, None] + place].astype(np.int64) - 48
    weight = np.where(place < count[:, None], 10 ** np.clip(count[:, None] - 1 - place, 0, 6), 0)
    return (digits * weight).sum(axis=1)


def row_key(number: int) -> int:
    """:func:`_key` of the row (or any) number ``number`` (1 and over), written as digits."""
    digits = str(max(number, 1)).encode()[:8]
    return (len(digits) << 56) | (int.from_bytes(digits.ljust(8, b"\0"), "big") >> 8)


def _digit_run(words: Any) -> Any:  # noqa: ANN401 - numpy arrays
    """How many of the leading bytes of each big-endian word are ASCII digits (0…8), by bit
    operations on whole words: a byte is a digit when its high nibble is 3 and its low one ≤ 9."""
    import numpy as np

    u = np.uint64
    bad = ((words & u(0xF0F0F0F0F0F0F0F0)) ^ u(0x3030303030303030)) | (
        ((words & u(0x0F0F0F0F0F0F0F0F)) + u(0x0606060606060606)) & u(0xF0F0F0F0F0F0F0F0))
    bad |= bad >> u(4)
    bad |= bad >> u(2)
    bad |= bad >> u(1)
    bad &= u(0x0101010101010101)  # 1 in the lowest bit of every byte that is not a digit
    exponent = np.frexp(bad.astype(np.float64))[1]  # exact enough: one bit per byte
    return np.where(bad == 0, 8, 7 - (exponent - 1) // 8).astype(np.uint64)


def _key(words: Any, count: Any) -> Any:  # noqa: ANN401 - numpy arrays
    """A sort key of the first ``count`` bytes (1…8) of big-endian words: shorter sorts first,
    then by the bytes (so `Z` < `AA` and `9` < `10`, as Excel orders columns and rows)."""
    import numpy as np

    keep = ~(np.uint64(2**64 - 1) >> (count * np.uint64(8)))
    keep[count >= 8] = np.uint64(2**64 - 1)
    return (count << np.uint64(56)) | ((words & keep) >> np.uint64(8))


def _letters_of(word: int) -> str:
    """The capital letters at the start of an 8-byte big-endian word."""
    out = ""
    for b in word.to_bytes(8, "big")[:3]:
        if not 65 <= b <= 90:
            break
        out += chr(b)
    return out


def _number(word: int) -> int:
    """The decimal number at the start of an 8-byte big-endian word."""
    out = 0
    for d in word.to_bytes(8, "big"):
        if not 48 <= d <= 57:
            break
        out = out * 10 + d - 48
    return out


def _union(a: list[int], b: list[int]) -> list[int]:
    cols = [c for c in (a[1], b[1]) if c]
    return [min(a[0], b[0]), min(cols) if cols else 0, max(a[2], b[2]), max(a[3], b[3])]


def raise_limit(file: str, sheet: str, rows: int, cols: int, limit: int | None = None) -> None:
    from esgcli.base.problems import InputError

    raise InputError([Problem(code="WB-009", file=file, sheet=sheet, params={
        "detail": f"the sheet spans {rows:,} rows × {cols:,} columns (limit "
                  f"{MAX_CELLS if limit is None else limit:,} cells); delete the unused rows and "
                  "columns"})])




# ---------------------------------------------------------------- a small sheet at once
_NARROW_CELLS = 702 * 9_999  # cells up to column ZZ and row 9999
_ROW_AT = re.compile(rb'<row [^<>]*?r="(\d{1,7})"')
_PAD = b"\0" * 16
_CELL_OPEN = int.from_bytes(b'<c r="', "little")  # the first six bytes of a cell, as a word
_SIX_BYTES = (1 << 48) - 1


def few_cells(cells: bytes) -> bool:
    """True when the cells and rows of a sheet's ``cells`` (its `<sheetData>`) are written as
    Excel, LibreOffice and the Python writers write them and nothing need be refused: every
    cell element `<c r="B7"` within column ZZ and row 9,999 without a leading zero (so the
    extent cannot pass MAX_CELLS), every row element carrying `r="7"`, no namespace prefix,
    and no cell or row given twice. False means "not known": the exact checks decide.

    A campaign's reply holds a couple of thousand styled cells; their references are read as
    8-byte words at the offsets of the `<` that open cells, each word's bytes classed and the
    classes looked up as one number (:func:`_reference_lengths`): a few vector operations in
    all, where regular expressions cost a Python object per cell."""
    import numpy as np

    if _NARROW_CELLS > MAX_CELLS:  # pragma: no cover - a lower limit: the exact checks
        return False
    n = len(cells)
    buf = cells + _PAD
    a = np.frombuffer(buf, dtype=np.uint8)
    words = np.ndarray((len(buf) - 7,), dtype="<u8", buffer=buf, strides=(1,))
    lt = np.flatnonzero(a[:n] == 60)  # every `<`
    after = a[lt + 1]
    c = lt[(after == 99) & (a[lt + 2] != 111)]  # `<c`, not `<co` (`<cols>`, `<col `)
    if c.size:
        if not bool(np.all((words[c] & np.uint64(_SIX_BYTES)) == np.uint64(_CELL_OPEN))):
            return False  # another spelling, or another element starting `<c`
        ref = words[c + 6]  # the reference and what follows it, 8 bytes
        classes, powers, lengths, masks = _reference_tables()
        # (a product in float32: exact below 2**24, and a BLAS call where integers loop)
        code = np.take(classes, ref.view(np.uint8)).reshape(-1, 8).astype(np.float32) @ powers
        length = lengths[code.astype(np.intp)]
        if not bool(length.all()):
            return False  # no capital, a third one (past ZZ), no digit, a leading zero, a
            # fifth digit (past row 9,999), or something else before the quote
        key = ref & masks[length]
        key.sort()
        if bool((key[1:] == key[:-1]).any()):
            return False  # a cell given twice
    rows = lt[(after == 114) & (a[lt + 2] == 111) & (a[lt + 3] == 119)]  # `<row`
    seen: set[int] = set()
    for pos in rows.tolist():
        match = _ROW_AT.match(cells, pos)
        if match is None:
            return False
        seen.add(int(match.group(1)))
    if len(seen) < rows.size:
        return False  # a row given twice
    if r_attributes(a, n) != c.size + rows.size:
        return False  # a second `r` in some tag: readers place the cell by the last one
    return b":" not in cells or PREFIXED.search(cells) is None


_LETTER, _NONZERO, _ZERO, _QUOTE = 1, 2, 3, 4  # the classes of a reference's bytes (else 0)


@functools.cache
def _reference_tables() -> tuple[Any, Any, Any, Any]:
    """(byte -> class; 5**k, the weight of byte k's class in the number of 8 classes; that
    number -> the length of the reference before its closing quote, 0 when it is no reference
    within ZZ9999; length -> the mask keeping those bytes of a little-endian word). A
    reference within ZZ9999: one or two capitals, a digit 1–9, up to three digits, then `"`
    (whatever follows the quote does not matter)."""
    import numpy as np

    classes = np.zeros(256, dtype=np.uint8)
    classes[ord("A"):ord("Z") + 1] = _LETTER
    classes[ord("1"):ord("9") + 1] = _NONZERO
    classes[ord("0")] = _ZERO
    classes[ord('"')] = _QUOTE
    powers = (5 ** np.arange(8)).astype(np.float32)
    code = np.arange(5**8, dtype=np.int32)
    digit = [(code // 5**k) % 5 for k in range(8)]  # the class of byte k of each number
    lengths = np.zeros(5**8, dtype=np.uint8)
    for letters in (1, 2):
        for digits in (1, 2, 3, 4):
            ok = digit[letters] == _NONZERO
            for k in range(letters):
                ok &= digit[k] == _LETTER
            for k in range(letters + 1, letters + digits):
                ok &= (digit[k] == _NONZERO) | (digit[k] == _ZERO)
            ok &= digit[letters + digits] == _QUOTE
            lengths[ok] = letters + digits
    masks = np.array([(1 << (8 * k)) - 1 for k in range(8)], dtype=np.uint64)
    return classes, powers, lengths, masks


def r_attribute_count(xml: bytes) -> int:
    """:func:`r_attributes` of the whole of ``xml``."""
    import numpy as np

    return r_attributes(np.frombuffer(xml + b"\0", dtype=np.uint8), len(xml))


def _name_may_start(before: Any) -> Any:  # noqa: ANN401 - numpy arrays
    """Where the byte ``before`` lets the parser start an attribute name after it: XML's
    whitespace (tab, LF, CR, space) or a closing quote. Another control byte is no markup: the
    sheet is then not known clean and takes the exact checks."""
    return (before == 32) | (before == 9) | (before == 10) | (before == 13) | (before == 34) \
        | (before == 39)


def r_attributes(a: Any, n: int) -> int:  # noqa: ANN401 - a numpy array
    """How many attributes named `r` the first ``n`` bytes ``a`` may hold: every `r` after
    whitespace or a closing quote (`t="n"r="C5"`: the parser takes it) and before whitespace
    or `=` (a word `r` in a cell's text counts too, which only sends a sheet to the exact
    checks). Each canonical cell and row has exactly one."""
    import numpy as np

    r = np.flatnonzero(a[1:n] == 114) + 1  # every `r` (a few thousand in a reply): then
    following = a[r + 1]  # the bytes around each, not a pass over the whole XML per test
    return int(np.count_nonzero(_name_may_start(a[r - 1]) & ((following == 61) | (following <= 32))))
