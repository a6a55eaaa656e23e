"""Shared fixtures: workbooks written from markdown tables, a pinned CLI runner, golden files."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from pg_server import postgres_server, registry  # noqa: F401  (fixtures: a private PostgreSQL)
from typer.testing import CliRunner

from esgcli.cli.app import app_for

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).parent.parent
MINI = DATA / "mini.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden files")


def parse_table(text: str, numbers: bool = True) -> list[list[Any]]:
    """Rows of a markdown table; `12`/`1.5` become numbers unless quoted, empty cells None."""
    rows = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = []
        for raw in line.strip("|").split("|"):
            cell = raw.strip()
            if cell == "":
                cells.append(None)
            elif cell.startswith('"') and cell.endswith('"') and len(cell) >= 2:
                cells.append(cell[1:-1])
            elif numbers:
                try:
                    cells.append(int(cell))
                except ValueError:
                    try:
                        cells.append(float(cell))
                    except ValueError:
                        cells.append(cell)
            else:
                cells.append(cell)
        rows.append(cells)
    return rows


def write_xlsx(path: Path, rows: list[list[Any]], sheet: str = "answers",
               above: list[list[Any]] | None = None) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in (above or []) + rows:
        ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    counter = {"n": 0}

    def make(table: str, name: str | None = None, **kw: Any) -> Path:
        counter["n"] += 1
        path = tmp_path / (name or f"answers{counter['n']}.xlsx")
        if path.suffix == ".csv":
            rows = parse_table(table, numbers=False)
            text = "\n".join(",".join("" if c is None else str(c) for c in r) for r in rows)
            path.write_text(text + "\n", encoding=kw.get("encoding", "utf-8"))
            return path
        return write_xlsx(path, parse_table(table), **kw)

    return make


class Runner:
    """In-process `esg` with a pinned terminal (COLUMNS=100, no colour)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: Any, cwd: Path | None = None, **env: str) -> Any:
        environ = {"COLUMNS": "100", "NO_COLOR": "1", "FORCE_COLOR": None, "TERM": "dumb",
                   "ESG_LANG": None, "ESG_REGISTRY": None, **env}
        words = [str(a) for a in args]
        app = app_for(words)  # as `esg` builds it: only the command's module (cli.app)
        if cwd is None:  # no chdir back either: a test may run as a user who cannot enter the checkout
            return self.runner.invoke(app, words, env=environ, catch_exceptions=False)
        old = Path.cwd()
        os.chdir(cwd)
        try:
            return self.runner.invoke(app, words, env=environ, catch_exceptions=False)
        finally:
            os.chdir(old)


@pytest.fixture
def esg() -> Runner:
    return Runner()


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            path.write_text(actual, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {name} was missing and has been written; review it")
        assert actual == path.read_text(encoding="utf-8")

    return check


def as_json(result: Any) -> Any:
    return json.loads(result.stdout)


def rewrite_part(src: Path, dst: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of the xlsx ``src`` at ``dst`` with the archive member ``part`` edited."""
    import zipfile

    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, edit(data) if item.filename == part else data)
    return dst


def long_shared_text(tmp: Path, spelling: bytes = b't="s"', everywhere: bool = False) -> Path:
    """`mini-lo.xlsx` with a 10 kB shared string that 200 cells (J100:J299) refer to, their type
    spelled ``spelling`` (``everywhere``: the sheet's other shared cells spelled so too)."""
    import re
    import zipfile

    source = DATA / "mini-lo.xlsx"
    count = len(re.findall(rb"<si>", zipfile.ZipFile(source).read("xl/sharedStrings.xml")))
    middle = rewrite_part(source, tmp / "m.xlsx", "xl/sharedStrings.xml", lambda x: x.replace(
        b"</sst>", b"<si><t>" + b"x" * 10_000 + b"</t></si></sst>"))
    rows = b"".join(b'<row r="%d"><c r="J%d" %s><v>%d</v></c></row>' % (r, r, spelling, count)
                    for r in range(100, 300))

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b't="s"', spelling) if everywhere else xml
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")

    return rewrite_part(middle, tmp / "long.xlsx", "xl/worksheets/sheet1.xml", edit)


FILE_KEYS = frozenset({"sources", "file", "file_before"})


def without_files(value: Any) -> Any:  # noqa: ANN401
    """A JSON result without what names the files read (`sources`, each record's `file`): the
    same answers read from other files give the same result otherwise."""
    if isinstance(value, dict):
        return {k: without_files(v) for k, v in value.items() if k not in FILE_KEYS}
    if isinstance(value, list):
        return [without_files(v) for v in value]
    return value
