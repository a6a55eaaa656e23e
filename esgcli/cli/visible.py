"""What reaches the terminal is seen, never obeyed: control characters from input (an escape
sequence in a supplier's name or answer, which would clear the screen, hide a line or set the
window's title) are shown as `�` by a hook every console of the command line carries, and long
lists of lines are printed as plain segments (rich's work per `Text` made 80,000 problem lines
take 15 s)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

__all__ = ["SHOWN_FOR_CONTROL", "Lines", "VisibleHook", "shown_in_place", "visible"]

SHOWN_FOR_CONTROL = "\ufffd"
# C0 controls but tab and line feed, DEL, C1 controls (0x9b is a one-byte CSI to some
# terminals) and the bidirectional overrides and isolates, which reorder what is shown
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every control character replaced by `�`."""
    return _CONTROL.sub(SHOWN_FOR_CONTROL, text)


def shown_in_place(text: Text) -> None:
    """Replace ``text``'s control characters by `�` (one for one: its styles stay where they
    are), before a table measures it: rich measures an escape as no cell wide, `�` as one."""
    if _CONTROL.search(text.plain):
        text.plain = visible(text.plain)


class _Shown:
    """A renderable whose text segments pass through :func:`visible`; rich's own control
    segments (colours, cursor moves of a progress bar) are left as they are."""

    def __init__(self, inner: ConsoleRenderable) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        search = _CONTROL.search
        for segment in console.render(self.inner, options):
            if segment.control or not search(segment.text):
                yield segment
            else:
                yield Segment(visible(segment.text), segment.style)


class VisibleHook(RenderHook):
    """Push on a console (``console.push_render_hook(VisibleHook())``) so that everything it
    prints is shown, not obeyed."""

    def process_renderables(self, renderables: list[ConsoleRenderable]
                            ) -> list[ConsoleRenderable]:
        return [_Shown(r) for r in renderables]


class Lines:
    """Lines of (styled head, plain rest), printed as segments: no wrapping, no markup."""

    def __init__(self, lines: Iterable[tuple[str, str]], style: str) -> None:
        self.lines: Sequence[tuple[str, str]] = list(lines)
        self.style = Style.parse(style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return self._segments()

    def _segments(self) -> Iterator[Segment]:
        newline = Segment("\n")
        for head, rest in self.lines:  # one line each: a line break from input is shown as ↵
            yield Segment(head, self.style)
            yield Segment(rest.replace("\r\n", "\u21b5").replace("\n", "\u21b5"))
            yield newline
