"""A big sheet read in parts on several cores gives exactly the cells of a whole read."""

from __future__ import annotations

import datetime
import json
import sys
import zipfile
from pathlib import Path

import fastexcel
import pytest
from conftest import ROOT, write_xlsx
from openpyxl import Workbook

from esgcli import split_read
from esgcli.xlsx_checks import dimensions

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import QUESTIONNAIRE, generate  # noqa: E402


def whole(path: Path, name: str) -> list[list[str | None]]:
    batch = fastexcel.read_excel(str(path)).load_sheet(name, header_row=None, dtypes="string",
                                                       eager=True)
    return [batch.column(j).to_pylist() for j in range(batch.num_columns)]


def in_parts(path: Path, name: str, parts: int) -> list[list[str | None]] | None:
    dim = dimensions(path)[name]
    with zipfile.ZipFile(path) as archive:
        from esgcli.xlsx_checks import sheet_part

        part = sheet_part(archive, name)
    columns = split_read.read_columns(path, name, str(part), dim, parts=parts, min_bytes=0,
                                      workers=2)
    if columns is None:
        return None
    assert all(c.num_chunks == parts for c in columns)
    return [c.to_pylist() for c in columns]


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_parts_equal_whole_read(tmp_path: Path, parts: int) -> None:
    path = generate(600, tmp_path / "wide.xlsx")
    assert in_parts(path, "answers", parts) == whole(path, "answers")


def test_placed_sheet_with_offsets_other_sheets_and_shared_strings(tmp_path: Path) -> None:
    """Starts at C4 behind another sheet; shared strings (openpyxl), numbers, dates."""
    book = Workbook()
    first = book.active
    first.title = "안내"
    first["A1"] = "read me"
    sheet = book.create_sheet("answers")
    for r in range(4, 404):
        sheet.cell(r, 3, f"S{r:04d}")
        sheet.cell(r, 4, r * 1.5)
        sheet.cell(r, 5, "예" if r % 3 else "해당없음")
        sheet.cell(r, 6, datetime.date(2025, 1, 1) + datetime.timedelta(days=r))
    path = tmp_path / "offset.xlsx"
    book.save(path)
    expected = whole(path, "answers")
    assert in_parts(path, "answers", 2) == expected
    placed = split_read.sheet_columns(path, "answers")
    assert placed is not None and placed[1:] == (3, 2)


def test_rows_that_cannot_be_placed_fall_back(tmp_path: Path) -> None:
    """A part whose last column is empty would shift the columns: no split, whole read instead."""
    rows = [["id", "a", "b"]] + [[f"S{i}", "x", "y" if i < 10 else None] for i in range(100)]
    path = write_xlsx(tmp_path / "gap.xlsx", rows)
    assert in_parts(path, "answers", 2) is None
    placed = split_read.sheet_columns(path, "answers")
    assert placed is not None and [c.to_pylist() for c in placed[0]] == whole(path, "answers")


def test_rows_without_numbers_are_not_cut(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "plain.xlsx", [["id", "a"]] + [[f"S{i}", i] for i in range(200)])
    stripped = tmp_path / "no-r.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stripped, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                import re

                data = re.sub(rb'<row r="\d+"', b"<row", data)
            out.writestr(info, data)
    assert in_parts(stripped, "answers", 2) is None


def test_esg_score_reads_big_sheets_in_parts(esg, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    path = generate(3000, tmp_path / "big.xlsx")
    plain = esg("score", path, "-q", QUESTIONNAIRE, "--format", "json")
    calls: list[object] = []
    original = split_read._read_parts

    def spy(*args: object) -> object:
        result = original(*args)  # type: ignore[arg-type]
        calls.append(result)
        return result

    monkeypatch.setattr(split_read, "MIN_SPLIT_BYTES", 0)
    monkeypatch.setattr(split_read, "cores", lambda: 2)
    monkeypatch.setattr(split_read, "_read_parts", spy)
    split = esg("score", path, "-q", QUESTIONNAIRE, "--format", "json")
    assert calls and calls[0] is not None  # the sheet really was read in two parts
    assert split.exit_code == plain.exit_code == 0
    assert split.stdout == plain.stdout
    assert len(json.loads(split.stdout)["suppliers"]) == 3000
