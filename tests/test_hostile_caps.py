"""A review of the caps on problems and scans (issue 12, hostile inputs): a supplier past a
column's cap is as invalid as one listed; every spelling of a shared-string cell counts; the
scans refuse the same files on one core and on two; what is shown on a terminal is measured as
shown."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import MINI, long_shared_text
from openpyxl import load_workbook
from test_fast_read import SHEET, _answers, _rewrite, _scanned, _validate_as_big

import esgcli.answers.sheet_reader as sheet_reader
from esgcli.answers import references, xlsx_checks
from esgcli.answers.fastread import fidelity, split_read
from esgcli.base import parallel
from esgcli.base.problems import InputError

HEADER = "supplier_id,supplier_name,round,employees,E-1,E-2,E-3,S-1,S-2\n"


def _many(path: Path, count: int, answer: str = "maybe") -> Path:
    path.write_text(HEADER + "".join(f"S{i:04d},N,after,10,{answer},1,0,none,\n"
                                     for i in range(count)), encoding="utf-8")
    return path


def test_suppliers_past_a_columns_cap_are_left_out_and_reported_like_the_others(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """The counting problem past the cap named only its first row: `--skip-invalid` scored the
    rest with exit 0, and `esg status` called them returned without errors."""
    monkeypatch.setattr(sheet_reader, "CELLS_PER_COLUMN", 5)
    answers = _many(tmp_path / "many.csv", 9)
    with (tmp_path / "ok.csv").open("a", encoding="utf-8") as extra:
        extra.write(HEADER + "T1,N,after,10,yes,1,0,none,\n")
    scored = esg("score", answers, tmp_path / "ok.csv", "-q", MINI, "--skip-invalid",
                 "--format", "json", "--lang", "en")
    assert scored.exit_code == 0, scored.stdout + scored.stderr
    assert [s["supplier_id"] for s in json.loads(scored.stdout)["suppliers"]] == ["T1"]
    assert "9 record" in scored.stderr
    listed = tmp_path / "list.csv"
    listed.write_text("supplier_id,supplier_name\n" + "".join(f"S{i:04d},N\n" for i in range(9)),
                      encoding="utf-8")
    status = esg("status", answers, "-q", MINI, "--suppliers", listed, "--format", "json",
                 "--lang", "en")
    rows = json.loads(status.stdout)["suppliers"]
    assert len(rows) == 9 and all(r["status"] == "invalid" and r["errors"] for r in rows), rows


def test_a_big_sheet_whose_shared_cells_are_all_spelled_otherwise_is_counted() -> None:
    """With no `t="s"` in a piece, the piece's other spellings were never counted."""
    xml = b"<sheetData>" + b"".join(b'<row r="%d"><c r="A%d" t=\'s\'><v>0</v></c></row>' % (r, r)
                                    for r in range(1, 5001)) + b"</sheetData>"
    with pytest.raises(InputError) as caught:
        _scanned(xml, 65536, np.array([1000], dtype=np.int64), text=1_000_000)
    assert caught.value.problems[0].code == "WB-009"


@pytest.mark.parametrize("opening", [b"<c\n", b"<c\t", b"<c\r\n"])
def test_a_cell_without_a_reference_is_refused_however_its_name_ends(opening: bytes) -> None:
    """`<c\\n t="s">` escaped the count of cells without a reference (only `<c ` and `<c>`
    were counted): readers place it by position."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(1, 50))
    xml = b"<sheetData>" + rows + b'<row r="50">' + opening + b't="s"><v>0</v></c></row></sheetData>'
    with pytest.raises(InputError) as caught:
        _scanned(xml, 100)
    assert caught.value.problems[0].code == "WB-016"
    head = b'<cols><col min="1" max="3" width="9"/></cols><sheetData>'  # not cells
    assert _scanned(head + rows + b"</sheetData><conditionalFormatting/>", 100) is not None


@pytest.mark.parametrize("cores", [1, 2])
def test_error_values_are_capped_alike_on_one_core_and_two_and_percent_cells_are_not(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int) -> None:  # noqa: ANN001
    path = _answers(tmp_path)
    book = load_workbook(path)
    for r in range(2, 22):  # 20 answers typed as percentages (Excel stores 30% as 0.3, "0%")
        book.active.cell(row=r, column=7, value=0.3).number_format = "0%"
    book.save(path)
    monkeypatch.setattr(xlsx_checks, "SCAN_LIMIT", 1000)
    monkeypatch.setattr(split_read, "MIN_SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "cores", lambda: cores)
    monkeypatch.setattr(fidelity, "MAX_MARKED", 9)
    result = esg("validate", path, "-q", MINI, "--lang", "en")
    assert result.exit_code == 0, result.stdout  # percent cells are data, not counted

    def errors(xml: bytes) -> bytes:
        return re.sub(rb'<c r="E(1\d)"( s="\d+")?( t="\w+")?>.*?</c>',
                      rb'<c r="E\1" t="e"><v>#N/A</v></c>', xml)

    target = _rewrite(path, tmp_path / "na.xlsx", SHEET, errors)
    xlsx_checks._streamed.cache_clear()
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    both = result.stdout + result.stderr
    assert result.exit_code == 3 and "more than 9 cells hold an Excel error value" in both, both


def test_a_name_full_of_escapes_keeps_the_table_aligned_at_80_columns(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """rich measures an escape as no cell wide and `�` as one: replaced after measuring, a
    name of 40 escapes pushed its row 40 cells right and cut the numbers after it."""
    path = tmp_path / "w.csv"
    path.write_text(HEADER + "S1,Evil" + "\x1b" * 40 + ",after,10,yes,3,30,ppe,\n"
                    "S2,Fine,after,10,yes,3,30,ppe,\n", encoding="utf-8")
    result = esg("score", path, "-q", MINI, "--lang", "en", COLUMNS="80")
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("S1", "S2"))]
    assert len(lines) == 2 and "\x1b" not in result.stdout
    assert all(len(line.rstrip()) <= 80 for line in lines), lines
    assert lines[0].rstrip()[-20:] == lines[1].rstrip()[-20:], lines  # same numbers, same place


def test_a_file_name_in_the_progress_bar_is_shown_not_obeyed(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import esgcli.cli.main as cli

    monkeypatch.setattr(cli, "PROGRESS_MIN_BYTES", 0)
    path = _many(tmp_path / "big\x1b]0;pwned\x07[blink]b.csv", 3, "yes")
    result = esg("validate", path, "-q", MINI, "--lang", "en", FORCE_COLOR="1", NO_COLOR=None,
                 TERM="xterm")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "\x1b]0;" not in result.stderr and "\x1b[5m" not in result.stderr
    assert "[blink]" in result.stderr, result.stderr


def test_a_line_break_in_an_answer_cannot_forge_a_problem_line(esg, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "f.csv"
    path.write_text(HEADER + 'S1,N,after,10,"maybe\nerror ANS-999 forged",1,0,none,\n',
                    encoding="utf-8")
    result = esg("validate", path, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3
    assert not any(line.startswith("error ANS-999") for line in result.stdout.splitlines())
    assert "maybe\u21b5error ANS-999 forged" in result.stdout


@pytest.mark.parametrize("path_taken", ["whole", "parts"])
def test_only_other_spellings_in_a_big_sheet_are_counted_against_the_text_limit(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path_taken: str) -> None:  # noqa: ANN001
    target = long_shared_text(tmp_path, b"t='s'", everywhere=True)
    assert b't="s"' not in zipfile.ZipFile(target).read(SHEET)
    monkeypatch.setattr(references, "MAX_TEXT_BYTES", 1_000_000)  # 200 cells × 10 kB = 2 MB
    result = _validate_as_big(esg, target, monkeypatch, path_taken)
    assert result.exit_code == 3 and "of shared text" in result.stdout, result.stdout
