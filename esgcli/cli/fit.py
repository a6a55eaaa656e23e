"""Terminal tables that fit the terminal's width (SPEC §9): numbers are never cut, names are
shortened so that they stay distinguishable, and columns that do not fit are left out (the
caller names them in a note).

A table is described as columns of plain cells first; `fit_table` measures them, picks the
frame, drops columns by priority and shortens the one name column, then builds the rich table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

Kind = Literal["key", "name", "number", "text"]
NAME_MIN = 8  # cells a shortened name keeps at least (four Hangul syllables)
_CORPORATE = re.compile(r"^\s*(?:\(주\)|㈜|주식회사|\(株\)|\(유\)|유한회사)\s*|"
                        r"\s*(?:\(주\)|㈜|주식회사)\s*$")


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
    stripped = _CORPORATE.sub("", name).strip()
    return stripped or name


def _middle(name: str, width: int, head_share: float = 0.5) -> str:
    """``name`` in at most ``width`` cells with an ellipsis in the middle."""
    if cell_len(name) <= width:
        return name
    budget = max(width - 1, 1)
    head_cells = max(1, round(budget * head_share))
    head = _take(name, head_cells)
    tail = _take(name[::-1], budget - cell_len(head))[::-1]
    return f"{head}…{tail}"


def _take(text: str, cells: int) -> str:
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > cells:
            break
        out.append(ch)
        used += w
    return "".join(out)


def short_names(names: Sequence[str], width: int) -> list[str]:
    """Names in ``width`` cells: the legal form dropped, then an ellipsis in the middle; two
    different names never end up the same when another split tells them apart. Names are
    shown whole when every one of them fits."""
    if all(cell_len(n) <= width for n in names):
        return list(names)
    base = [strip_corporate(n) for n in names]
    # keep the legal form where dropping it would make two different names the same
    owners: dict[str, set[str]] = {}
    for full, short in zip(names, base, strict=True):
        owners.setdefault(short, set()).add(full)
    base = [full if len(owners[short]) > 1 else short
            for full, short in zip(names, base, strict=True)]
    shown = [_middle(b, width) for b in base]
    sources: dict[str, set[str]] = {}
    for full, s in zip(base, shown, strict=True):
        sources.setdefault(s, set()).add(full)
    taken = {s for s, fulls in sources.items() if len(fulls) == 1}
    chosen: dict[str, str] = {}
    for k, (full, s) in enumerate(zip(base, shown, strict=True)):
        if len(sources[s]) == 1:
            continue
        if full not in chosen:
            for share in (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9):
                candidate = _middle(full, width, share)
                if candidate not in taken:
                    chosen[full] = candidate
                    taken.add(candidate)
                    break
            else:
                chosen[full] = s  # cannot be told apart in this width
        shown[k] = chosen[full]
    return shown


def fit_table(columns: list[Column], width: int, title: str | None = None) -> Fitted:
    """Lay ``columns`` out in ``width`` cells (see the module docstring). Columns with no
    value in any row and `drop` > 0 are left out silently: they would show nothing."""
    columns = [c for c in columns
               if c.drop == 0 or any(x.plain for x in [*c.cells, *(c.wide or [])])]
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
    while sum(c.minimum() for c in active) + frame.overhead(len(active)) > width:
        candidates = [c for c in active if c.drop > 0]
        if not candidates:
            break
        worst = max(candidates, key=lambda c: (c.drop, active.index(c)))
        active.remove(worst)
        dropped.append(worst)
    widths = [c.minimum() for c in active]
    spare = width - sum(widths) - frame.overhead(len(active))
    # the name first, then text columns, the ones closest to unwrapped first (fewest wrap)
    flexible = [k for k, c in enumerate(active) if c.kind == "name"]
    texts = [k for k, c in enumerate(active) if c.kind == "text"]
    flexible += sorted(texts, key=lambda k: active[k].natural() - widths[k])
    for k in flexible:
        extra = min(spare, max(active[k].natural() - widths[k], 0))
        widths[k] += extra
        spare -= extra
    dropped_names = [c.header.replace("\n", " ") for c in columns if c in dropped]
    return Fitted(_build(active, widths, frame, title), dropped_names)


def _build(columns: list[Column], widths: list[int], frame: Frame, title: str | None) -> Table:
    table = Table(title=title, title_justify="left", box=frame.box, show_edge=frame.show_edge,
                  padding=frame.padding, pad_edge=frame.pad_edge, collapse_padding=False)
    cells: list[list[Text]] = []
    for col, w in zip(columns, widths, strict=True):
        wraps = col.kind == "text"
        table.add_column(col.header_used, justify=col.justify, no_wrap=not wraps,
                         overflow="fold" if wraps else "ellipsis", width=w, style=col.style)
        if col.kind == "name":
            short = short_names([c.plain for c in col.cells_used], w)
            cells.append([Text(s, style=c.style)
                          for s, c in zip(short, col.cells_used, strict=True)])
        else:
            cells.append(col.cells_used)
    for row in zip(*cells, strict=True):
        table.add_row(*row)
    return table
