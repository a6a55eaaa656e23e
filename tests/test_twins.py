"""Every common producer's twin of the same cells reads and scores the same (SPEC §11), whether
its writer gave the sheet a `<dimension>`, a wrong one, or none (openpyxl write-only)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, ROOT, write_xlsx
from openpyxl import Workbook

from esgcli.answers.fastread import route, split_read
from esgcli.answers.xlsx_checks import declared_range

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import QUESTIONNAIRE  # noqa: E402
from test_hostile import rewrite  # noqa: E402
from twins import PRODUCERS, write_twins  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"
LIBREOFFICE = DATA / "twin-40-libreoffice.xlsx"  # `python benchmarks/twins.py 40 --only libreoffice`


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("twins")
    made = write_twins(40, tuple(p for p in PRODUCERS if p != "libreoffice"), folder=folder)
    return {**made, "libreoffice": LIBREOFFICE}


def scored(esg: Any, path: Path) -> dict[str, Any]:  # noqa: ANN401
    result = esg("score", path, "-q", QUESTIONNAIRE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    data.pop("source", None)
    data.pop("sources", None)
    for supplier in data["suppliers"]:
        supplier.pop("file", None)  # each twin is its own file
    return data


def test_every_producers_twin_scores_the_same(esg, twins: dict[str, Path]) -> None:  # noqa: ANN001
    results = {name: scored(esg, path) for name, path in twins.items()}
    reference = results.pop("xlsxwriter")
    assert len(reference["suppliers"]) == 40
    assert {name: result == reference for name, result in results.items()} == {
        name: True for name in results}


def test_every_twin_is_placed_by_the_fast_read(twins: dict[str, Path]) -> None:
    """openpyxl's write-only mode writes no <dimension>: its sheet is placed from its first
    rows and read in parts like the others, not by the slow fallback."""
    import zipfile

    with zipfile.ZipFile(twins["openpyxl-write-only"]) as archive:
        assert declared_range(archive, SHEET) is None
    reference = route.sheet_columns(twins["xlsxwriter"], "answers")
    assert reference is not None
    expected = [c.to_pylist() for c in reference.columns]
    for name, path in twins.items():
        placed = route.sheet_columns(path, "answers")
        assert placed is not None, name
        assert (placed.row_offset, placed.col_offset, len(placed.columns)) == (0, 0, 86), name
        assert len(placed.columns[0]) == 42, name
        if name != "libreoffice":  # LibreOffice writes the numbers 3 and 5.5 its own way
            assert [c.to_pylist() for c in placed.columns] == expected, name


def dimensionless(rows: list[list[object]], path: Path, before: int = 0) -> Path:
    """``rows`` written by openpyxl's write-only mode (no <dimension>) below ``before`` empty
    rows, after a first sheet."""
    book = Workbook(write_only=True)
    book.create_sheet("안내").append(["read me"])
    sheet = book.create_sheet("answers")
    for _ in range(before):
        sheet.append([])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_sheet_without_dimension_is_placed_at_its_first_cell(tmp_path: Path) -> None:
    rows = [[None, None, "id", "a", "b"]] + [[None, None, f"S{i}", f"{i}", "예"]
                                             for i in range(300)]
    path = dimensionless(rows, tmp_path / "wo.xlsx", before=3)
    placed = route.sheet_columns(path, "answers")
    assert placed is not None and (placed.row_offset, placed.col_offset) == (3, 2)
    assert [c.to_pylist() for c in placed.columns] == [[r[j] for r in rows] for j in (2, 3, 4)]


def test_a_wrong_dimension_is_placed_from_the_cells(tmp_path: Path) -> None:
    """Some streaming writers declare `A1` whatever the sheet holds."""
    rows = [["id", "a", "b"]] + [[f"S{i}", "x", "y"] for i in range(100)]
    path = write_xlsx(tmp_path / "plain.xlsx", rows)
    lying = rewrite(path, tmp_path / "a1.xlsx", {SHEET: lambda d: re.sub(
        rb'<dimension ref="A1:C101"\s*/>', b'<dimension ref="A1"/>', d)})
    placed = route.sheet_columns(lying, "answers")
    assert placed is not None and (placed.row_offset, placed.col_offset) == (0, 0)
    assert [c.to_pylist() for c in placed.columns] == [
        [r[j] for r in rows] for j in range(3)]


def test_a_cell_beyond_the_first_rows_is_never_misplaced(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """Without <dimension>, a value right of the columns the first rows use (far below them)
    makes the guessed extent wrong: the read is refused and calamine reads the sheet (a sheet
    small enough to scan is placed by the extent of all its cells), with the same result as the
    workbook that declares its extent."""
    from conftest import MINI
    from test_hostile import GOOD, HEADER

    rows: list[list[object]] = [HEADER] + [[f"S{i:03d}", "가", None, 10, *GOOD]
                                           for i in range(200)]
    rows[150] = [*rows[150], None, None, "memo"]
    path = dimensionless(rows, tmp_path / "wo.xlsx")
    assert split_read.head_extent_of(path, "answers") == (0, 0, len(HEADER) - 1)
    placed = route.sheet_columns(path, "answers")  # placed by the scan of every cell
    assert placed is not None and (placed.row_offset, placed.col_offset) == (0, 0)
    assert len(placed.columns) == len(HEADER) + 3
    assert placed.columns[-1].to_pylist() == [r[-1] if k == 150 else None
                                              for k, r in enumerate(rows)]

    with pytest.MonkeyPatch.context() as patch:  # a sheet too big to scan: the guess is refused
        patch.setattr(route, "scanned_extent", lambda path, name: None)
        assert route.sheet_columns(path, "answers") is None
    normal = write_xlsx(tmp_path / "normal.xlsx", rows)
    a = esg("score", path, "-q", MINI, "--format", "json")
    b = esg("score", normal, "-q", MINI, "--format", "json")
    assert a.exit_code == b.exit_code == 0
    assert [{**r, "file": None} for r in json.loads(a.stdout)["suppliers"]] == \
        [{**r, "file": None} for r in json.loads(b.stdout)["suppliers"]]


def test_a_first_row_the_guess_does_not_see_is_never_misplaced(tmp_path: Path) -> None:
    """A string cell with an empty value (`t="str"`) counts for calamine but not for the cheap
    scan: the row counts disagree and the read is refused rather than shifted by a row."""
    rows = [["id", "a"]] + [[f"S{i}", "x"] for i in range(200)]
    path = dimensionless(rows, tmp_path / "wo.xlsx", before=1)
    sheet = "xl/worksheets/sheet2.xml"
    odd = rewrite(path, tmp_path / "odd.xlsx", {sheet: lambda d: d.replace(
        b"<sheetData>", b'<sheetData><row r="1"><c r="B1" t="str"><v></v></c></row>', 1)})
    assert split_read.head_extent_of(odd, "answers") == (1, 0, 1)
    assert route.sheet_columns(odd, "answers") is None
