"""`esg --debug`: how each sheet was read, on stderr (the notes the readers return)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from esgcli.answers.answerset import Source
from esgcli.base.problems import Problem
from esgcli.cli.lang import DEBUG_KEY

try:  # typer >= 0.26 vendors click
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - older typer on click
    from click import get_current_context  # type: ignore[no-redef,import-not-found,unused-ignore]

PATHS = ("RD-001", "RD-002", "RD-003", "RD-004")  # the path that read a sheet: starts its lines


def debugging() -> bool:
    ctx = get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().meta.get(DEBUG_KEY))


def read_lines(sources: Iterable[Source], lang: str) -> list[str]:
    """`RD-001 file › sheet: read whole by fastexcel`, then each reason indented below it."""
    lines: list[str] = []
    for source in sources:
        for note in source.reads:
            lines.append(_line(note, source.file, lang))
    return lines


def _line(note: Problem, file: str, lang: str) -> str:
    if note.code in PATHS:
        where = " › ".join(x for x in (file, note.sheet) if x)
        return f"{note.code} {where}: {note.text(lang)}"
    return f"  {note.code} {note.text(lang)}"


def show_reads(sources: Iterable[Source], lang: str) -> None:
    """Under `--debug`, how every sheet of ``sources`` was read, on stderr."""
    if not debugging():
        return
    from esgcli.cli.render import make_console

    err = make_console(stderr=True)
    for line in read_lines(sources, lang):
        err.print(Text(line), soft_wrap=True, highlight=False)
