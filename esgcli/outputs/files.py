"""Writing results: JSON, CSV and XLSX, atomically, with formula injection neutralised."""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from esgcli.base.cells import is_formula_like, neutralise, spreadsheet_value, xml_safe
from esgcli.base.problems import usage_problem

_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def to_json(data: Any, prepared: dict[str, list[str]] | None = None) -> str:
    """JSON with one top-level key per line and one record per line in lists of records.

    Valid JSON that stays readable and diffable, written by the C encoder (pretty-printing
    with `indent` falls back to pure Python and costs seconds at 100,000 suppliers).
    """
    encode = _ENCODER.encode
    if _is_records(data):
        return "[\n" + ",\n".join("  " + encode(v) for v in data) + "\n]\n"
    if not isinstance(data, dict) or not data:
        return encode(data) + "\n"
    lines = ["{"]
    items = list(data.items())
    for k, (key, value) in enumerate(items):
        comma = "," if k < len(items) - 1 else ""
        name = encode(str(key))
        if prepared and key in prepared:
            lines.append(f"  {name}: [")
            if prepared[key]:
                lines.append(",\n".join("    " + v for v in prepared[key]))
            lines.append(f"  ]{comma}")
        elif _is_records(value):
            lines.append(f"  {name}: [")
            lines.append(",\n".join("    " + encode(v) for v in value))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {name}: {encode(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def csv_cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return neutralise(value)


def check_output(path: Path, inputs: Iterable[Path | None], allowed: Sequence[str],
                 force: bool = False) -> str:
    """Refuse (exit 2) unknown extensions, an input of the run (answers, questionnaire, policy,
    registry, supplier list: never replaced, even with --force), a folder, a path below a file,
    and, without ``force``, a registry or a workbook holding answers; return the suffix."""
    from esgcli.outputs.guard import check_target

    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise usage_problem("OUT-002", ext=suffix or path.name, allowed=", ".join(allowed))
    from esgcli.answers.paths import ANSWER_SUFFIXES

    target = path.resolve()
    inputs = list(inputs)
    for source in inputs:
        if source is not None and source.exists() and source.resolve() == target:
            raise usage_problem("OUT-001", path=str(path))
    if suffix in ANSWER_SUFFIXES:  # the next run over the folder would read it as a reply
        for source in inputs:
            if source is not None and source.is_dir() and source.resolve() in target.parents:
                raise usage_problem("OUT-009", path=str(path), folder=str(source))
    check_target(path, force)
    return suffix


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write completely, then rename over the target; a failure (full disk, no such folder,
    no permission) is a usage error naming the cause, and leaves no file behind.

    On Linux the data goes to an unnamed file (O_TMPFILE) that gets a name only once complete:
    a run killed while writing leaves nothing in the folder. (The command line refuses a
    missing folder of `-o` before any work, `guard.check_target`; a library caller's folders
    are made here.)"""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not _write_unnamed(path, write):
            _write_named(path, write)
    except OSError as exc:
        raise usage_problem("OUT-005", path=str(path), detail=exc.strerror or str(exc)) from None


def _write_unnamed(path: Path, write: Callable[[Path], object]) -> bool:
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return False
    try:
        fd = os.open(path.parent, flag | os.O_RDWR, 0o666 & ~_umask())
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return False  # the file system has no unnamed files
        raise
    try:
        write(Path(f"/proc/self/fd/{fd}"))
        name = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:  # a dir_fd makes Python call linkat(), which follows the /proc link to the file
            os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=folder, follow_symlinks=True)
        finally:
            os.close(folder)
        try:
            os.replace(name, path)
        except BaseException:
            name.unlink(missing_ok=True)
            raise
    finally:
        os.close(fd)
    return True


def _write_named(path: Path, write: Callable[[Path], object]) -> None:
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_atomic(path, lambda temp: temp.write_text(text, encoding=encoding, newline=""))


def write_pieces(path: Path, pieces: Iterable[bytes | memoryview]) -> None:
    """Write UTF-8 pieces (as built by `record_lines`) atomically, without joining them."""
    def write(temp: Path) -> None:
        with temp.open("wb") as handle:
            for piece in pieces:
                handle.write(piece)

    write_atomic(path, write)


EXCEL_MAX_ROWS = 1_048_576


def write_table_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
                     percent_columns: Callable[[str], bool] = lambda name: False) -> None:
    """Result tables, one per sheet, with a bold frozen header, column widths and one-decimal
    rates: written as SpreadsheetML text (`xlsx_writer`, seconds at 100,000 rows), or by
    openpyxl when a table holds a value that writer does not handle."""
    from esgcli.outputs.xlsx_writer import Unsupported, write_tables

    tables: list[tuple[str, Sequence[str], list[Sequence[Any]]]] = []
    for title, header, rows in sheets:
        listed = list(rows)
        # Excel shows at most 1,048,576 rows a sheet: longer tables continue on more sheets
        pages = range(0, max(len(listed), 1), EXCEL_MAX_ROWS - 1)
        for page, start in enumerate(pages, start=1):
            name = title if page == 1 else f"{title[:26]} ({page})"
            tables.append((name, header, listed[start:start + EXCEL_MAX_ROWS - 1]))

    def write(temp: Path) -> None:
        try:
            write_tables(temp, tables, percent_columns)
        except Unsupported:
            _write_tables_openpyxl(temp, tables, percent_columns)

    write_atomic(path, write)


def _write_tables_openpyxl(temp: Path, sheets: Sequence[tuple[str, Sequence[str], list[Sequence[Any]]]],
                           percent_columns: Callable[[str], bool]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from esgcli.outputs.guard import RESULT_CREATOR
    from esgcli.outputs.xlsx_writer import WIDTH_SAMPLE, Flag, column_width, sheet_titles

    book = Workbook(write_only=True)
    book.properties.creator = RESULT_CREATOR
    bold = Font(bold=True)
    titles = sheet_titles([title for title, _, _ in sheets])
    for title, (_, header, rows) in zip(titles, sheets, strict=True):
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "B2"
        for j, name in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(j)].width = column_width(
                name, [row[j - 1] for row in rows[:WIDTH_SAMPLE] if j - 1 < len(row)])
        head = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=spreadsheet_value(name))
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        rate = [percent_columns(str(name)) for name in header]
        for row in rows:
            out: list[Any] = []
            for j, value in enumerate(row):
                value = _xlsx_cell(value)
                if isinstance(value, Flag):  # 1/0 shown as words (xlsx_writer.Flag)
                    cell = WriteOnlyCell(sheet, value=int(value.value))
                    cell.number_format = value.number_format
                    out.append(cell)
                elif rate[j] and isinstance(value, float):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "0.0"
                    out.append(cell)
                elif is_formula_like(value):  # text as it is, kept text on edit (quote prefix)
                    cell = WriteOnlyCell(sheet, value=xml_safe(value))
                    cell.data_type, cell.quotePrefix = "s", True
                    out.append(cell)
                else:
                    out.append(value)
            sheet.append(out)
    book.save(temp)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if is_formula_like(value) else spreadsheet_value(value)


def write_result(output: Path, suffix: str, json_data: Any, title: str, header: Sequence[str],
                 rows: Iterable[Sequence[Any]],
                 percent_columns: Callable[[str], bool] = lambda name: False) -> None:
    """`-o FILE`: the JSON result, or one table as CSV (UTF-8 with BOM, for Excel) or XLSX."""
    if suffix == ".json":
        write_text(output, to_json(json_data))
    elif suffix == ".csv":
        write_text(output, csv_text(header, rows), encoding="utf-8-sig")
    else:
        write_table_xlsx(output, [(title, header, rows)], percent_columns=percent_columns)
