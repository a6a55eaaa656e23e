"""Terminal tables that fit the terminal's width (SPEC §9): numbers are never cut, names are
shortened so that they stay distinguishable, and columns that do not fit are left out (the
caller names them in a note).

A table is described as columns of plain cells first; `fit_table` measures them, picks the
frame, drops columns by priority and shortens the one name column, then builds the rich table.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Literal

from rich import box
from rich.cells import cell_len, get_character_cell_size
from rich.table import Table
from rich.text import Text

from esgcli.cli.visible import shown_in_place

if TYPE_CHECKING:
    import numpy as np

Kind = Literal["key", "name", "number", "text"]
NAME_MIN = 8  # cells a shortened name keeps at least (four Hangul syllables)
_LEGAL_FRONT_FORMS = ("(주)", "㈜", "주식회사", "(株)", "(유)", "유한회사")
_LEGAL_FRONT = re.compile(r"\s*(?:\(주\)|㈜|주식회사|\(株\)|\(유\)|유한회사)\s*")
_LEGAL_BACK = ("(주)", "㈜", "주식회사")
_LEGAL_EDGES = frozenset("(㈜주유)사")  # the first or last character of a legal form


@dataclass
class Column:
    """One column: header (lines separated by `\\n`), cells, and how it may give way.

    ``kind``: `key` and `number` columns keep their full width; a `name` column is shortened;
    a `text` column wraps between words, or only at its line breaks when ``lines`` is set (a
    failed criterion such as `준수율 69.0% < 80%` stays on one line).
    ``drop``: 0 never dropped; higher values are dropped first when the width is short.
    ``wide``: richer cells (ids with titles) used when the whole table fits with them.
    """

    header: str
    cells: list[Text]
    kind: Kind = "number"
    justify: Literal["left", "right", "center"] = "left"
    drop: int = 0
    short_header: str | None = None
    style: str | None = None
    lines: bool = False
    wide: list[Text] | None = None
    group: str | None = None  # columns whose headers are shortened together
    header_used: str = field(default="", init=False)
    cells_used: list[Text] = field(default_factory=list, init=False)

    def natural(self) -> int:
        widths = [_lines_width(c.plain) for c in self.cells_used]
        return max([_lines_width(self.header_used), *widths])

    def minimum(self) -> int:
        head = _lines_width(self.header_used)
        if self.kind == "name":
            return max(min(NAME_MIN, self.natural()), head)
        if self.kind == "text" and self.lines:
            return self.natural()
        if self.kind == "text":
            words = [w for c in self.cells_used for line in c.plain.split("\n")
                     for w in line.split(" ")]
            return max([head, *(cell_len(w) + 1 for w in words)]) if words else head
        return self.natural()


def _lines_width(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


@dataclass(frozen=True)
class Frame:
    box: box.Box
    show_edge: bool
    padding: tuple[int, int, int, int]
    pad_edge: bool

    def overhead(self, n: int) -> int:
        """Cells a table of ``n`` columns uses besides its content (rich's own arithmetic)."""
        pad = (self.padding[1] + self.padding[3]) * n
        if not self.pad_edge:
            pad -= self.padding[3] + self.padding[1]
        return pad + (2 if self.show_edge else 0) + max(n - 1, 0)


BOXED_FROM = 120  # narrower terminals get the light frame on every table, for one look
BOXED = Frame(box.HEAVY_HEAD, True, (0, 1, 0, 1), True)
LIGHT = Frame(box.SIMPLE_HEAD, False, (0, 0, 0, 1), False)


@dataclass(frozen=True)
class Fitted:
    table: Table
    dropped: list[str]  # headers (one line) of the columns left out


def strip_corporate(name: str) -> str:
    """`(주)동양물산` / `주식회사 동양물산` / `동양물산㈜` -> `동양물산`."""
    first, last = name[:1], name[-1:]
    if first not in _LEGAL_EDGES and last not in _LEGAL_EDGES and not first.isspace() \
            and not last.isspace():
        return name  # neither end can hold a legal form
    stripped = name
    for form in _LEGAL_FRONT_FORMS:
        if name.startswith(form):
            stripped = name[len(form):]
            break
    else:
        front = _LEGAL_FRONT.match(stripped)
        if front:
            stripped = stripped[front.end():]
    stripped = stripped.rstrip()
    if stripped.endswith(_LEGAL_BACK):  # a fixed ending, not a pattern tried at every position
        stripped = stripped[:-next(len(f) for f in _LEGAL_BACK if stripped.endswith(f))]
    return stripped.strip() or name


class _Shapes(dict[int, str]):
    """A `str.translate` table: each character to one of its width (`a`, `가`, or a zero-width
    space), blanks kept. Names of one shape are laid out alike."""

    def __missing__(self, code: int) -> str:
        self[code] = shape = " " if code == 0x20 else \
            ("\u200b", "a", "가")[get_character_cell_size(chr(code))]
        return shape


_SHAPES = _Shapes()
_ASCII_SHAPES = bytes.maketrans(bytes(range(0x21, 0x7F)), b"a" * 0x5E)


def _shape(name: str) -> str:
    if name.isascii():
        return name.encode("ascii").translate(_ASCII_SHAPES).decode("ascii")
    return name.translate(_SHAPES)


@lru_cache(maxsize=4096)  # shapes repeat; bounded for long-lived processes
def _cells(shape: str) -> Sequence[int]:
    """Cells of ``shape[:i]`` for every i."""
    if shape.isascii() and shape.isprintable():
        return range(len(shape) + 1)
    return [0, *accumulate(map(get_character_cell_size, shape))]


@lru_cache(maxsize=4096)  # shapes repeat; bounded for long-lived processes
def _split(shape: str, width: int) -> tuple[int, int]:
    """Where the head of a name of ``shape`` ends and its tail starts when it is shown in
    ``width`` cells as head…tail (``(len, len)`` when it fits whole)."""
    cum = _cells(shape)
    if cum[-1] <= width:
        return len(shape), len(shape)
    budget = max(width - 1, 1)
    head = max(bisect_right(cum, round(budget / 2)) - 1, 1)
    return head, bisect_left(cum, cum[-1] - (budget - cum[head]), head)


def _middle(name: str, width: int) -> str:
    """``name`` in at most ``width`` cells: its head, an ellipsis, its tail."""
    head, tail = _split(_shape(name), width)
    return name if head == len(name) else f"{name[:head]}…{name[tail:]}"


@lru_cache(maxsize=4096)  # shapes repeat; bounded for long-lived processes
def _layout(shape: str, at: int, width: int, head: bool, keep: int) -> tuple[int, int, int] | None:
    """Show a name of ``shape`` in ``width`` cells around position ``at``, where it differs
    from every other name (``at == len``: where it ends), as ``name[:h]…name[s:e]…``: first the
    word holding that position (from the name's beginning when it is the first word: `광명엔…`
    beside `광명소재`), then a head (the first word or part of it), then what follows and what
    precedes. The head keeps at least ``keep`` characters (a legal form that tells
    the name apart). None when this does not fit."""
    cum, n = _cells(shape), len(shape)
    if n == 0:
        return None
    lo, hi = (at, at + 1) if at < n else (n - 1, n)
    h, s, e = min(keep, lo), lo, hi

    def cost(h: int, s: int, e: int) -> int:
        return cum[h] + (s > h) + cum[e] - cum[s] + (e < n)

    if cost(h, s, e) > width:
        return None

    def right(limit: int) -> int:  # the furthest end up to limit that fits
        if limit == n and cost(h, s, n) <= width:
            return n
        room = width - cum[h] - (s > h) - 1 + cum[s]
        return max(e, min(bisect_right(cum, room, e, limit + 1) - 1, limit))

    def left(limit: int) -> int:  # the earliest start down to limit that fits
        if limit == h and cost(h, h, e) <= width:
            return h
        need = cum[h] + 1 + cum[e] + (e < n) - width
        return min(s, max(bisect_left(cum, need, limit, s + 1), limit))

    def grow_head(limit: int) -> int:
        if limit == s and cost(s, s, e) <= width:
            return s
        room = width - 1 - (cum[e] - cum[s]) - (e < n)
        return max(h, min(bisect_right(cum, room, h, limit + 1) - 1, limit))

    word_start = shape.rfind(" ", 0, lo) + 1
    word_end = shape.find(" ", hi)
    if word_start == 0:  # the difference in the first word: the name's beginning first
        s = left(0)
    e = right(n if word_end < 0 else word_end)
    s = left(word_start)
    if head and s > h:
        first = shape.find(" ", h)
        first = s if first < 0 else max(min(first, s), h)
        taken = grow_head(first)
        if cum[taken] - cum[h] >= min(3, cum[first] - cum[h]):  # one letter says nothing
            h = taken
    e = right(n)
    s = left(h)
    if head:
        h = grow_head(s)
    # no blank next to an ellipsis: `제1사업장…`, not `제1사업장 …`
    if e < n and e > hi and shape[e - 1] == " ":
        e -= 1
    if s > h and s < lo and shape[s] == " ":
        s += 1
    if keep < h < s and shape[h - 1] == " ":
        h -= 1
    return h, s, e


def _common(a: str, b: str, lo: int = 0) -> int:
    """Length of the common prefix of ``a`` and ``b``, known to be at least ``lo`` (slices
    compared, not characters)."""
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    hi = n  # a[:lo] == b[:lo], a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _differs_at(order: list[str], k: int) -> int:
    """Where ``order[k]`` differs from every other name of the sorted ``order``: the longest
    prefix it shares with a neighbour."""
    return max(_common(order[k], order[k - 1]) if k else 0,
               _common(order[k], order[k + 1]) if k + 1 < len(order) else 0)


_CHUNK_CODES = 1 << 22  # code points per piece of the sorted names measured at once (16 MB)


def _measures(order: list[str], width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each name of the sorted ``order``, vectorised: where its head ends and its tail
    starts when shown as head…tail in ``width`` cells (both its length when it fits), and
    the common prefix with the next name (0 for the last)."""
    import numpy as np

    heads: list[np.ndarray] = []
    tails: list[np.ndarray] = []
    common: list[np.ndarray] = []
    budget = max(width - 1, 1)
    target = round(budget / 2)
    start = 0
    while start < len(order):
        longest = max(len(b) for b in order[start:start + 4096]) or 1
        rows = max(1, min(4096, _CHUNK_CODES // longest))
        piece = order[start:start + rows + 1]  # one more: the pair across the edge
        codes = np.array(piece, dtype=f"<U{max(max(map(len, piece)), 1)}")
        codes = codes.view(np.uint32).reshape(len(piece), -1)
        lengths = np.fromiter(map(len, piece), dtype=np.int64, count=len(piece))
        cells = _code_cells(codes)
        cum = cells.cumsum(axis=1, dtype=np.int64)
        total = cum[:, -1]
        head = np.maximum((cum <= target).sum(axis=1), 1)
        rest = budget - cum[np.arange(len(piece)), np.minimum(head, lengths) - 1]
        tail = np.maximum((cum < (total - rest)[:, None]).sum(axis=1) + 1, head)
        fits = total <= width
        head = np.where(fits, lengths, head)
        tail = np.where(fits, lengths, tail)
        differ = codes[:-1] != codes[1:]
        shorter = np.minimum(lengths[:-1], lengths[1:])
        pair = np.minimum(np.where(differ.any(axis=1), differ.argmax(axis=1), shorter), shorter)
        count = min(rows, len(order) - start)
        heads.append(head[:count])
        tails.append(tail[:count])
        common.append(pair[:count])
        start += count
    common.append(np.zeros(len(order) - sum(map(len, common)), dtype=np.int64))  # no next
    return np.concatenate(heads), np.concatenate(tails), np.concatenate(common)


def _code_cells(codes: np.ndarray) -> np.ndarray:
    """Cells of each code point (0 for the padding): one for printable ASCII, two for Hangul
    syllables, the rest as rich measures them (looked up once per distinct code point)."""
    import numpy as np

    cells = np.ones(codes.shape, dtype=np.int8)
    cells[(codes >= 0xAC00) & (codes <= 0xD7A3)] = 2
    other = (codes > 0x7E) | (codes < 0x20)
    other &= ~((codes >= 0xAC00) & (codes <= 0xD7A3))
    if other.any():
        found = np.unique(codes[other])
        sizes = np.array([get_character_cell_size(chr(c)) if c else 0 for c in found.tolist()],
                         dtype=np.int8)
        cells[other] = sizes[np.searchsorted(found, codes[other])]
    return cells


@dataclass(frozen=True)
class Shortened:
    """Names shortened for a column, and how many different names still look the same (the
    width too small to show what tells them apart)."""

    names: list[str]
    clashes: int


def _bases(names: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each distinct name without its legal form, unless dropping it makes two the same; and
    the names whose legal form is kept for that reason, with the rest of the name."""
    shorts = [strip_corporate(full) for full in names]
    stripped = dict(zip(names, shorts, strict=True))
    if len(set(shorts)) == len(shorts):
        return stripped, {}
    base = stripped
    for _ in range(2):  # twice: a name kept whole may equal another one's stripped form
        count = Counter(base.values())
        base = {full: full if count[short] > 1 else short for full, short in base.items()}
    kept = {full: stripped[full] for full, b in base.items() if b == full != stripped[full]}
    return base, kept


def _fits(name: str, width: int) -> bool:
    if name.isascii() and name.isprintable():
        return len(name) <= width
    return len(name) * 2 <= width or cell_len(name) <= width


def shorten(names: Sequence[str], width: int) -> Shortened:
    """Names in ``width`` cells (see `short_names`). Each name shows where it differs from
    every other (the first position where no other name shares its beginning): in its head,
    in its tail (from that position on), or else in a window around that position. One sort
    and one vectorised pass measure every name (`_measures`); then a few slices per name, and
    a window's layout is computed once per shape of name and position."""
    if all(_fits(n, width) for n in names):
        return Shortened(list(names), 0)
    base, kept = _bases(list(dict.fromkeys(names)))
    order = sorted(base.values())
    keep: dict[str, tuple[int, int]] = {}  # a legal form kept: (its length, where the rest differs)
    if kept:
        cores = sorted(set(strip_corporate(b) for b in order))
        places = {c: k for k, c in enumerate(cores)}
        for full, core in kept.items():
            front = len(full) - len(core) if full.endswith(core) else 0
            keep[full] = front, front + _differs_at(cores, places[core])
    import numpy as np

    heads, tails, common = _measures(order, width)
    lengths = np.fromiter(map(len, order), dtype=np.int64, count=len(order))
    # where each name differs from every other: its longest common prefix with a neighbour
    at = np.maximum(common, np.concatenate(([0], common[:-1])))
    whole = heads == lengths
    # the head shows that position, or the tail from there on: head…tail
    plain = ~whole & ((at < heads) | (at >= tails))
    kept_rows = [k for k, b in enumerate(order) if b in keep] if keep else []
    plain[kept_rows] = False
    shown = {order[k]: order[k] for k in np.flatnonzero(whole).tolist()}
    rows = np.flatnonzero(plain)
    shown.update((b, f"{b[:h]}…{b[t:]}") for b, h, t in zip(
        [order[k] for k in rows.tolist()], heads[rows].tolist(), tails[rows].tolist(), strict=True))
    windows = [(k, order[k]) for k in np.flatnonzero(~whole & ~plain).tolist()
               if order[k] not in keep]
    for k in kept_rows:
        b, head, tail = order[k], int(heads[k]), int(tails[k])
        front, core_at = keep[b]
        where = max(int(at[k]), core_at)
        # the head shows the legal form, and head or tail what differs in the rest
        if head == len(b):
            shown[b] = b
        elif head >= front and (head > where or tail <= where):
            shown[b] = f"{b[:head]}…{b[tail:]}"
        else:
            windows.append((k, b))
    windows.sort()
    common_at, pairs = at.tolist(), common.tolist()
    taken = set(shown.values())
    if len(taken) < len(shown):  # names that look the same: each shows where it differs
        same = {text for text, n in Counter(shown.values()).items() if n > 1}
        for b in [b for b, text in shown.items() if text in same]:
            del shown[b]
            windows.append((bisect_left(order, b), b))
        windows.sort()
        taken -= same
    clashes = 0
    last, shape = -2, ""
    layouts: dict[tuple[str, int], tuple[int, int, int] | None] = {}
    for k, b in windows:
        front, core_at = keep.get(b, (0, 0)) if keep else (0, 0)
        d = common_at[k] if common_at[k] > core_at else core_at
        # a run of names that begin alike: the shape of what the previous one shares, kept
        shared = pairs[k - 1] if k == last + 1 else 0
        rest = b[shared:]
        shape = shape[:shared] + (rest.encode("ascii").translate(_ASCII_SHAPES).decode("ascii")
                                  if rest.isascii() else rest.translate(_SHAPES))
        last = k
        if front:
            place = _layout(shape, d, width, True, front)
        elif (shape, d) in layouts:
            place = layouts[shape, d]
        else:
            place = layouts[shape, d] = _layout(shape, d, width, True, 0)
        if place is not None:
            h, s, e = place
            text = f"{b[:h]}{'…' if s > h else ''}{b[s:e]}{'…' if e < len(b) else ''}"
            if text in taken:
                place = None
        if place is None:
            text, clash = _other_window(b, shape, d, width, front, taken)
            clashes += clash
        shown[b] = text
        taken.add(text)
    return Shortened([shown[base[n]] for n in names], clashes)


def _other_window(name: str, shape: str, at: int, width: int, front: int,
                  taken: set[str]) -> tuple[str, int]:
    """When the window with a head is taken or does not fit: the window alone, else the
    name's beginning up to where it differs; else (1 clash) the first that fits."""
    candidates = [_layout(shape, at, width, head, front) for head in (True, False)]
    texts = [f"{name[:h]}{'…' if s > h else ''}{name[s:e]}{'…' if e < len(name) else ''}"
             for h, s, e in (c for c in candidates if c is not None)]
    if at < len(name) and _fits(name[:at + 1] + "…", width):
        texts.append(name[:at + 1] + "…")
    for text in texts:
        if text not in taken:
            return text, 0
    return (texts[0] if texts else _middle(name, width)), 1


def short_names(names: Sequence[str], width: int) -> list[str]:
    """Names in ``width`` cells: the legal form dropped, then an ellipsis in the middle. Names
    that would then look the same show where they differ instead (`Sams…Industries…` and
    `Sams…Industrial…`), so two different names never look the same when the width allows
    telling them apart (`shorten` counts those it cannot). Names are shown whole when every
    one of them fits."""
    return shorten(names, width).names


def fit_table(columns: list[Column], width: int, title: str | None = None) -> Fitted:
    """Lay ``columns`` out in ``width`` cells (see the module docstring). Columns with no
    value in any row and `drop` > 0 are left out silently: they would show nothing."""
    columns = [c for c in columns
               if c.drop == 0 or any(x.plain for x in [*c.cells, *(c.wide or [])])]
    for col in columns:  # measured as shown
        for cell in [*col.cells, *(col.wide or [])]:
            shown_in_place(cell)
    richer = [True, False] if any(c.wide is not None for c in columns) else [False]
    for use_wide in richer:
        for col in columns:
            col.header_used = col.header
            col.cells_used = col.wide if use_wide and col.wide is not None else col.cells
        for frame in ((BOXED, LIGHT) if width >= BOXED_FROM else (LIGHT,)):
            if sum(c.natural() for c in columns) + frame.overhead(len(columns)) <= width:
                return Fitted(_build(columns, [c.natural() for c in columns], frame, title), [])
    frame = LIGHT
    for col in columns:
        col.cells_used = col.cells
    def wanted(c: Column) -> int:  # a whole name is worth more than a whole header
        return c.natural() if c.kind == "name" else c.minimum()

    for col in sorted(columns, key=lambda c: -_lines_width(c.header)):
        if sum(wanted(c) for c in columns) + frame.overhead(len(columns)) <= width:
            break
        for other in columns:  # the widest headers give way first, with their group
            if other is col or (col.group is not None and other.group == col.group):
                other.header_used = other.short_header or other.header
    active = list(columns)
    dropped: list[Column] = []

    def drop_one() -> bool:
        candidates = [c for c in active if c.drop > 0]
        if not candidates:
            return False
        worst = max(candidates, key=lambda c: (c.drop, active.index(c)))
        active.remove(worst)
        dropped.append(worst)
        return True

    while sum(c.minimum() for c in active) + frame.overhead(len(active)) > width:
        if not drop_one():
            break
    while True:
        widths = _widths(active, width, frame)
        shown: dict[int, list[str]] = {}
        clashing: list[Column] = []
        for k, col in enumerate(active):
            if col.kind == "name":
                short = shorten([c.plain for c in col.cells_used], widths[k])
                shown[id(col)] = short.names
                if short.clashes:
                    clashing.append(col)
        # names that would look the same: other columns give way, else the names are left
        # out (with the note) when another column tells the rows apart
        if not clashing:
            break
        if drop_one():
            continue
        if any(c.kind == "key" for c in active):
            for col in clashing:
                active.remove(col)
                dropped.append(col)
        break
    dropped_names = [c.header.replace("\n", " ") for c in columns if c in dropped]
    widths = _widths(active, width, frame)
    return Fitted(_build(active, widths, frame, title, shown), dropped_names)


def _widths(active: list[Column], width: int, frame: Frame) -> list[int]:
    """Each column's minimum, then what is left: to the name first, then to text columns,
    the ones closest to unwrapped first (fewest wrap)."""
    widths = [c.minimum() for c in active]
    spare = width - sum(widths) - frame.overhead(len(active))
    flexible = [k for k, c in enumerate(active) if c.kind == "name"]
    texts = [k for k, c in enumerate(active) if c.kind == "text"]
    flexible += sorted(texts, key=lambda k: active[k].natural() - widths[k])
    for k in flexible:
        extra = min(spare, max(active[k].natural() - widths[k], 0))
        widths[k] += extra
        spare -= extra
    return widths


def _build(columns: list[Column], widths: list[int], frame: Frame, title: str | None,
           shown: dict[int, list[str]] | None = None) -> Table:
    """The rich table; ``shown``: the names of a name column (by the column's id) as
    shortened for its width, else shortened here."""
    table = Table(title=title, title_justify="left", box=frame.box, show_edge=frame.show_edge,
                  padding=frame.padding, pad_edge=frame.pad_edge, collapse_padding=False)
    cells: list[list[Text]] = []
    for col, w in zip(columns, widths, strict=True):
        wraps = col.kind == "text"
        table.add_column(col.header_used, justify=col.justify, no_wrap=not wraps,
                         overflow="fold" if wraps else "ellipsis", width=w, style=col.style)
        if col.kind == "name":
            short = (shown or {}).get(id(col)) or short_names([c.plain for c in col.cells_used], w)
            cells.append([Text(s, style=c.style)
                          for s, c in zip(short, col.cells_used, strict=True)])
        else:
            cells.append(col.cells_used)
    for row in zip(*cells, strict=True):
        table.add_row(*row)
    return table
