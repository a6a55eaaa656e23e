"""One output path for every command: the result as a table, JSON or CSV on stdout, or as a
file (`-o`, its extension naming the format), and a refusal (exit 2, with a code) of what the
command cannot serve.

A command declares what it serves (:class:`Serves`), checks the request before any work
(:meth:`Serves.check`), computes its result in the core, and hands it to :func:`emit` with the
views it has: its JSON (``result.to_dict()`` unless streamed pieces are given), its table(s)
for CSV and XLSX, and a function that prints the terminal table. Rules, the same everywhere:

- `-o FILE` writes the file (CSV as UTF-8 with BOM, for Excel), says so on stderr, and takes
  the place of the terminal table; a `--format` typed on the command line (`json`, `csv`, or
  `table`) still prints on stdout (SPEC §9: no option silently ignored).
- The file holds exactly what `--format` of the same type prints.
"""

from __future__ import annotations

import codecs
import inspect
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rich.text import Text

try:  # typer >= 0.26 vendors click
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - older typer on click
    from click import get_current_context  # type: ignore[no-redef,import-not-found,unused-ignore]

from esgcli.base.problems import Problem, usage_problem
from esgcli.cli.options import Format
from esgcli.cli.render import make_console
from esgcli.outputs.files import check_output, csv_text, to_json, write_pieces, write_table_xlsx, write_text

Pieces = Sequence[bytes | memoryview]
Serialised = str | Pieces
Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]
ALL_FORMATS = (Format.table, Format.json, Format.csv)


class Result(Protocol):
    """A core result: its ``to_dict()`` (or ``to_dict(lang)`` when its messages and titles are
    in a language) is the command's ``--format json``."""

    def to_dict(self) -> Any: ...


def result_dict(result: Any, lang: str) -> Any:
    """``result.to_dict(lang)`` when it takes the language, else ``result.to_dict()``."""
    if "lang" in inspect.signature(result.to_dict).parameters:
        return result.to_dict(lang)
    return result.to_dict()


@dataclass(frozen=True)
class Serves:
    """What a command can serve: ``--format`` values and `-o` file types (none: no `-o`)."""

    formats: tuple[Format, ...] = ALL_FORMATS
    files: tuple[str, ...] = ()

    def check(self, fmt: Format, output: Path | None, inputs: Iterable[Path | None] = (),
              force: bool = False) -> str | None:
        """Refuse (exit 2) a format or an `-o` file type the command cannot serve, an input of
        the run as `-o`, and (without ``force``) a workbook holding answers; the `-o` suffix."""
        if fmt not in self.formats:
            raise usage_problem("OUT-010", format=fmt.value,
                                allowed="|".join(f.value for f in self.formats))
        if output is None:
            return None
        if not self.files:
            raise usage_problem("OUT-011")
        return check_output(output, inputs, self.files, force)


@dataclass
class Views:
    """How one result is shown: each view is computed only when asked for."""

    json: Callable[[], Serialised]
    table: Callable[[], None] | None = None  # prints the terminal table(s) on stdout
    sheets: Callable[[], Sequence[Sheet]] | None = None  # XLSX sheets; the first one is the CSV
    csv: Callable[[], Serialised] | None = None  # when not the first sheet (e.g. streamed)
    # `-o FILE.csv` when it is not what `--format csv` prints: a list for people (`esg status`'s
    # chase list, headers and statuses in the run's language), the same table as the XLSX
    file_csv: Callable[[], Serialised] | None = None
    percent_columns: Callable[[str], bool] = lambda name: False

    def csv_text(self) -> Serialised | None:
        if self.csv is not None:
            return self.csv()
        if self.sheets is not None:
            _, header, rows = self.sheets()[0]
            return csv_text(header, rows)
        return None


def views(result: Result, lang: str = "ko", **kw: Any) -> Views:
    """The views of ``result``: its JSON is ``to_json(result.to_dict())`` unless given."""
    kw.setdefault("json", lambda: to_json(result_dict(result, lang)))
    return Views(**kw)


def emit(result: Result | Views, fmt: Format, output: Path | None, lang: str,
         **kw: Any) -> None:
    """Write ``result`` to `-o` (if given), then print it on stdout as ``fmt`` asks; the terminal
    table is left out when `-o` is given. ``kw`` are the :class:`Views` fields."""
    shown = result if isinstance(result, Views) else views(result, lang, **kw)
    if output is not None:
        write_file(shown, output)
        make_console(stderr=True).print(Text(Problem(code="OUT-012", params={
            "path": str(output)}).text(lang)), soft_wrap=True)
        if fmt is Format.table and not format_typed():
            return
    if fmt is Format.json:
        print_out(shown.json())
    elif fmt is Format.csv:
        text = shown.csv_text()
        if text is None:
            raise usage_problem("OUT-010", format=fmt.value, allowed="table|json")
        print_out(text)
    elif shown.table is not None:
        shown.table()
    else:
        print_out(shown.json())


def format_typed() -> bool:
    """Whether the running command's `--format` was given on the command line, not defaulted."""
    ctx = get_current_context(silent=True)
    if ctx is None:
        return False
    for param in ctx.command.params:
        if "--format" in getattr(param, "opts", ()) and param.name is not None:
            source = ctx.get_parameter_source(param.name)
            return source is not None and source.name == "COMMANDLINE"
    return False


def write_file(shown: Views, output: Path) -> None:
    """The `-o` file in the format its extension names."""
    suffix = output.suffix.lower()
    if suffix == ".json":
        _write(output, shown.json())
    elif suffix == ".csv":
        text = shown.file_csv() if shown.file_csv is not None else shown.csv_text()
        if text is None:
            raise usage_problem("OUT-002", ext=suffix, allowed=".json")
        if isinstance(text, str):
            write_text(output, text, encoding="utf-8-sig")
        else:
            write_pieces(output, [codecs.BOM_UTF8, *text])
    elif suffix == ".xlsx" and shown.sheets is not None:
        write_table_xlsx(output, shown.sheets(), percent_columns=shown.percent_columns)
    else:
        raise usage_problem("OUT-002", ext=suffix or output.name, allowed=".json, .csv")


def _write(output: Path, data: Serialised) -> None:
    if isinstance(data, str):
        write_text(output, data)
    else:
        write_pieces(output, data)


def print_out(data: Serialised) -> None:
    """Text or UTF-8 pieces on stdout, in order."""
    if isinstance(data, str):
        sys.stdout.write(data)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    for piece in data:
        sys.stdout.buffer.write(piece)
    sys.stdout.buffer.flush()
