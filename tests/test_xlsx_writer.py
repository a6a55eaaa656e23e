"""The SpreadsheetML writer of result tables: what openpyxl wrote before, read back cell by cell."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

from esgcli.outputs.files import _write_tables_openpyxl, write_table_xlsx
from esgcli.outputs.xlsx_writer import Unsupported, write_tables

HEADER = ["supplier_id", "name", "compliance", "count", "flag", "E.score", "note"]
ROWS: list[list[object]] = [
    ["S1", "(주)가나 & <다라>", 45.5, 3, True, 12.345678901234567, None],
    ["=cmd|' /C calc'!A0", "+plus", float("nan"), 0, False, 0.0, "  spaces kept  "],
    ["-5", "bell\x07and\x1btab\tok", 100.0, -2, None, 1e-300, "줄\n바꿈"],
    ["@x", "x" * 40000, None, 10**15, True, 99.99999999999999, ""],
]


def rate(name: str) -> bool:
    return name.endswith(("compliance", "score"))


def cells(path: Path) -> list[list[tuple[object, str, bool]]]:
    sheet = load_workbook(path)["scores"]
    return [[(c.value, c.number_format, bool(c.font and c.font.b)) for c in row]
            for row in sheet.iter_rows()]


def test_same_cells_formats_and_header_as_openpyxl(tmp_path: Path) -> None:
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    write_tables(fast, [("scores", HEADER, ROWS)], rate)
    _write_tables_openpyxl(slow, [("scores", HEADER, ROWS)], rate)  # control characters too
    got, expected = cells(fast), cells(slow)
    assert len(got) == len(expected) == 5
    for row_got, row_expected in zip(got, expected, strict=True):
        for (value, fmt, bold), (value2, fmt2, bold2) in zip(row_got, row_expected, strict=False):
            # openpyxl keeps 16 significant digits; this writer every digit (checked below)
            assert (value, bold) == (pytest.approx(value2, rel=1e-15) if isinstance(value2, float)
                                     else value2, bold2)
            if isinstance(value, float):
                assert fmt == fmt2
    book = load_workbook(fast)
    assert book["scores"].freeze_panes == "B2"
    widths = {c: load_workbook(slow)["scores"].column_dimensions[c].width for c in "ABG"}
    assert {c: book["scores"].column_dimensions[c].width for c in "ABG"} == widths == {
        "A": 20, "B": 50, "G": 17}  # room for the longest text of the column, at most 50
    assert got[2][0][0] == "=cmd|' /C calc'!A0" and got[3][0][0] == "-5"  # as given, no apostrophe:
    for path in (fast, slow):  # text cells with Excel's quote prefix, never formulas
        sheet = load_workbook(path)["scores"]
        assert [(c.data_type, c.quotePrefix) for c in (sheet["A3"], sheet["A4"])] == [("s", True)] * 2
        assert sheet["A2"].quotePrefix is False
    assert got[2][2][0] is None and got[4][2][0] is None  # NaN and None: blank cells
    assert got[1][2][1] == "0.0" and got[1][3][1] == "General"
    assert [got[1][5][0], got[4][5][0]] == [12.345678901234567, 99.99999999999999]  # exact


def test_text_xml_cannot_hold_is_replaced_and_long_text_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_tables(path, [("scores", HEADER, ROWS)], rate)
    values = [[c.value for c in row] for row in load_workbook(path)["scores"].iter_rows()]
    assert values[3][1] == "bell\ufffdand\ufffdtab\tok"
    assert len(values[4][1]) == 32767


def test_dates_fall_back_to_openpyxl(tmp_path: Path) -> None:
    rows = [["S1", "n", 1.0, 1, True, 2.0, dt.date(2025, 3, 1)]]
    with pytest.raises(Unsupported):
        write_tables(tmp_path / "x.xlsx", [("scores", HEADER, rows)], rate)
    out = tmp_path / "out.xlsx"
    write_table_xlsx(out, [("scores", HEADER, iter(rows))], rate)
    assert load_workbook(out)["scores"]["G2"].value == dt.datetime(2025, 3, 1)


def test_several_sheets_with_awkward_titles(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    write_table_xlsx(out, [("scores", ["a"], [[1.5]]), ("a/b:c*" + "x" * 40, ["b"], [[math.pi]]),
                           ("SCORES", ["c"], [])])
    book = load_workbook(out)
    assert book.sheetnames == ["scores", "a_b_c_" + "x" * 25, "SCORES(2)"]
    assert book.worksheets[1]["A2"].value == math.pi


def test_tables_longer_than_excel_allows_continue_on_more_sheets(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from esgcli.outputs import files as output

    monkeypatch.setattr(output, "EXCEL_MAX_ROWS", 4)  # a header and 3 rows a sheet
    out = tmp_path / "long.xlsx"
    write_table_xlsx(out, [("indicators", ["n"], [[i] for i in range(7)]), ("empty", ["m"], [])])
    book = load_workbook(out)
    assert book.sheetnames == ["indicators", "indicators (2)", "indicators (3)", "empty"]
    assert [[c.value for c in row] for row in book["indicators (3)"].iter_rows()] == [["n"], [6]]
