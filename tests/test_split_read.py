"""A big sheet read in parts on several cores gives exactly the cells of a whole read."""

from __future__ import annotations

import datetime
import json
import re
import sys
import zipfile
from pathlib import Path

import fastexcel
import pytest
from conftest import ROOT, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from esgcli.answers import xlsx_checks
from esgcli.answers.fastread import route, split_read
from esgcli.answers.xlsx_checks import declared_range, sheet_part
from esgcli.base import parallel

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import QUESTIONNAIRE, generate  # noqa: E402
from test_hostile import rewrite  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"


def whole(path: Path, name: str) -> list[list[str | None]]:
    batch = fastexcel.read_excel(str(path)).load_sheet(name, header_row=None, dtypes="string",
                                                       eager=True)
    return [batch.column(j).to_pylist() for j in range(batch.num_columns)]


def in_parts(path: Path, name: str, parts: int) -> list[list[str | None]] | None:
    with zipfile.ZipFile(path) as archive:
        part = sheet_part(archive, name)
        dim = declared_range(archive, str(part))
    assert dim is not None
    read = split_read.read_columns(path, name, str(part), dim, parts=parts, min_bytes=0,
                                   workers=2)
    if read is None:
        return None
    columns = read[0]
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
    placed = route.sheet_columns(path, "answers")
    assert placed is not None and (placed.row_offset, placed.col_offset) == (3, 2)


def test_parts_whose_first_or_last_columns_are_empty(tmp_path: Path) -> None:
    """A remarks column filled in a few rows only, an id column blank in many: every part still
    spans all columns (sentinel rows), so the split read equals the whole read."""
    rows = [["id", "a", "비고"]] + [[f"S{i}" if i % 3 else None, "x", "y" if i < 10 else None]
                                   for i in range(300)]
    path = write_xlsx(tmp_path / "gap.xlsx", rows)
    for parts in (2, 5):
        assert in_parts(path, "answers", parts) == whole(path, "answers")


def test_a_dimension_that_lies_is_not_trusted(tmp_path: Path) -> None:
    """Read by the declared range, the parts do not fit; placed from its cells (the first rows'
    extent, checked by the sentinels and row counts), the sheet reads whole and in place."""
    rows = [["id", "a", "b"]] + [[f"S{i}", "x", "y"] for i in range(100)]
    path = write_xlsx(tmp_path / "plain.xlsx", rows)
    lying = rewrite(path, tmp_path / "lying.xlsx", {SHEET: lambda d: re.sub(
        rb'<dimension ref="A1:C101"\s*/>', b'<dimension ref="A1:B101"/>', d)})
    assert in_parts(lying, "answers", 2) is None
    placed = route.sheet_columns(lying, "answers")
    assert placed is not None and (placed.row_offset, placed.col_offset) == (0, 0)
    assert [c.to_pylist() for c in placed.columns] == whole(path, "answers")


def test_rows_without_numbers_are_not_cut(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "plain.xlsx", [["id", "a"]] + [[f"S{i}", i] for i in range(200)])
    stripped = rewrite(path, tmp_path / "no-r.xlsx",
                       {SHEET: lambda d: re.sub(rb'<row r="\d+"', b"<row", d)})
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
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(split_read, "_read_parts", spy)
    split = esg("score", path, "-q", QUESTIONNAIRE, "--format", "json")
    assert calls and calls[0] is not None  # the sheet really was read in two parts
    assert split.exit_code == plain.exit_code == 0
    assert split.stdout == plain.stdout
    assert len(json.loads(split.stdout)["suppliers"]) == 3000


def test_split_read_reports_excel_errors_formulas_and_percent_cells(esg, tmp_path: Path,  # noqa: ANN001
                                                                   monkeypatch) -> None:  # noqa: ANN001
    """The fidelity scan runs on the XML the split read streams: same problems and values as
    the whole read (which scans sheets up to 64 MB only)."""
    from conftest import MINI
    from test_hostile import HEADER

    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    sheet.append(HEADER)
    for i in range(400):
        sheet.append([f"S{i:03d}", "가", None, 10, "yes", 3, 30, "none", None])
    sheet["C5"] = "=1+1"  # round: a formula without a value, in the first part
    sheet["G390"] = 0.25  # E-3 (%): percent-formatted, in the last part
    sheet["G390"].number_format = "0%"
    source = tmp_path / "src.xlsx"
    book.save(source)
    target = rewrite(source, tmp_path / "errors.xlsx", {SHEET: lambda d: d.replace(
        b'<c r="E300" t="inlineStr"><is><t>yes</t></is></c>', b'<c r="E300" t="e"><v>#N/A</v></c>')
        .replace(b'<c r="E7" t="inlineStr"><is><t>yes</t></is></c>', b'<c r="E7"><f>A1</f><v></v></c>')})
    whole_run = esg("score", target, "-q", MINI, "--format", "json", "--lang", "en")
    monkeypatch.setattr(split_read, "MIN_SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(split_read, "PART_BYTES", 8000)
    split_run = esg("score", target, "-q", MINI, "--format", "json", "--lang", "en")
    assert split_run.exit_code == whole_run.exit_code == 3
    assert (split_run.stdout, split_run.stderr) == (whole_run.stdout, whole_run.stderr)
    for code, cell in (("ANS-009", "E300"), ("ANS-010", "E7")):
        assert f"{code} errors.xlsx › answers › {cell}" in split_run.stderr
    scanned = route.sheet_columns(target, "answers")
    assert scanned is not None and scanned.scanned == {
        ("E", 300): ("error", "#N/A"), ("E", 7): ("formula", "=A1"), ("C", 5): ("formula", "=1+1"),
        ("G", 390): ("percent", "0.25")}


@given(cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=12))
@settings(max_examples=60, deadline=None)
def test_stream_scanner_equals_whole_scan_for_any_pieces(cuts: list[int]) -> None:
    from esgcli.answers.fastread.fidelity import StreamScanner, scan_xml

    rows = []
    for r in range(1, 60):
        cells = [f'<c r="A{r}" t="inlineStr"><is><t>S{r}</t></is></c>', f'<c r="B{r}" s="3"><v>0.{r}</v></c>']
        if r % 7 == 0:
            cells.append(f'<c r="C{r}" t="e"><v>#DIV/0!</v></c>')
        if r % 11 == 0:
            cells.append(f'<c r="D{r}"><f>B{r}*2</f></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    xml = ("<sheetData>" + "".join(rows) + "</sheetData>").encode()
    scanner = StreamScanner({b"3"})
    bounds = sorted({min(c, len(xml)) for c in cuts} | {0, len(xml)})
    for a, b in zip(bounds, bounds[1:], strict=False):
        scanner.feed(xml[a:b])
    assert scanner.finish() == scan_xml(xml, {b"3"})
    assert len(scan_xml(xml, {b"3"})) == 59 + 8 + 5


@given(rows=st.lists(st.tuples(st.booleans(), st.integers(0, 40), st.booleans()), min_size=1,
                     max_size=30))
@settings(max_examples=80, deadline=None)
def test_formulas_are_found_whether_the_letter_f_is_rare_or_common(
        rows: list[tuple[bool, int, bool]]) -> None:
    """`<f` is looked for by its `f` where that letter is rare; texts full of `f` and formulas
    anywhere (the first cell, a self-closed shared formula) give the same cells either way."""
    from esgcli.answers.fastread.fidelity import scan_xml

    parts, expected = [], {}
    for r, (formula, fs, shared) in enumerate(rows, start=1):
        cells = [f'<c r="A{r}" t="inlineStr"><is><t>{"f" * fs}</t></is></c>']
        if formula:
            body = '<f t="shared" si="0"/>' if shared else f"<f>B{r}+1</f>"
            cells.insert(0 if r % 2 else 1, f'<c r="B{r}">{body}</c>')
            expected[("B", r)] = ("formula", "=" if shared else f"=B{r}+1")
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    xml = ("<sheetData>" + "".join(parts) + "</sheetData>").encode()
    assert scan_xml(xml, set()) == expected
    padded = b" " * (xml.count(b"f") * 512) + xml  # the same cells where `f` is rare
    assert scan_xml(padded, set()) == expected
    from esgcli.answers.fastread import fidelity

    saved = fidelity.VECTOR_BYTES
    fidelity.VECTOR_BYTES = 0  # every `f` found by numpy, as in a big piece
    try:
        assert scan_xml(xml, set()) == expected
        assert scan_xml(padded, set()) == expected
        assert scan_xml(xml, set(), 1, len(xml) - 1) == expected
    finally:
        fidelity.VECTOR_BYTES = saved


def test_a_sheet_is_cut_into_a_multiple_of_the_threads() -> None:
    """Seven parts on two threads left the seventh parsed alone, one core idle."""
    mb = 1024**2
    assert split_read.part_count(335 * mb, 2) == 8
    assert split_read.part_count(265 * mb, 2) == 6
    assert split_read.part_count(40 * mb, 2) == 2
    assert split_read.part_count(0, 2) == 2
    assert split_read.part_count(100 * mb, 3) == 3
    assert all(split_read.part_count(size * mb, w) % w == 0 for size in range(0, 500, 7)
               for w in (2, 3, 4))


def test_big_sheets_start_and_end_with_half_parts(esg, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """From four parts on, the first and the last are half parts (so the first is parsed
    sooner); the result is the whole read's, to the byte."""
    assert split_read.part_cuts(1000, 4) == [125, 375, 625, 875]
    assert split_read.part_cuts(1000, 4, halves=False) == [250, 500, 750]
    assert split_read.part_cuts(1000, 2) == [500]
    path = generate(3000, tmp_path / "big.xlsx")
    plain = esg("score", path, "-q", QUESTIONNAIRE, "--format", "json")
    monkeypatch.setattr(split_read, "MIN_SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    size = zipfile.ZipFile(path).getinfo(SHEET).file_size
    monkeypatch.setattr(split_read, "PART_BYTES", size // 5)
    split = esg("--debug", "score", path, "-q", QUESTIONNAIRE, "--format", "json", "--lang", "en")
    assert "RD-002 big.xlsx › answers: read by fastexcel in 7 parts on 2 threads" in split.stderr
    assert split.exit_code == plain.exit_code == 0
    assert split.stdout == plain.stdout


@pytest.mark.parametrize("dimension", [False, True])
def test_row_tags_that_disagree_with_their_cells_lose_no_supplier(
        esg, tmp_path: Path, monkeypatch, dimension: bool) -> None:  # noqa: ANN001
    """Readers place a cell by its own `r`; the split read took each part's first row from the
    `<row r=…>` tag. Row tags 98 above their cells' rows lost the first supplier of a part (and
    a larger shift added one, built from the sentinel row). Each part's sentinel row must now
    be where its row tags put it, else the sheet is read whole: the whole read's output."""
    path = generate(3000, tmp_path / "big.xlsx")

    def lie(xml: bytes) -> bytes:
        if not dimension:
            xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
        else:  # a <dimension> that agrees with the row tags
            xml = re.sub(rb'(<dimension ref="[A-Z]+\d+:[A-Z]+)(\d+)"',
                         lambda m: m.group(1) + b"%d" % (int(m.group(2)) + 98) + b'"', xml)
        return re.sub(rb'<row r="(\d+)"', lambda m: b'<row r="%d"' % (
            int(m.group(1)) + (98 if int(m.group(1)) > 1 else 0)), xml)

    target = rewrite(path, tmp_path / "lie.xlsx", {SHEET: lie})
    whole = esg("score", target, "-q", QUESTIONNAIRE, "--format", "json")
    assert whole.exit_code == 0 and len(json.loads(whole.stdout)["suppliers"]) == 3000
    monkeypatch.setattr(split_read, "MIN_SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(xlsx_checks, "SCAN_LIMIT", 1000)  # a big sheet: its cells not scanned first
    again = rewrite(path, tmp_path / "lie2.xlsx", {SHEET: lie})  # not the scans cached above
    split = esg("--debug", "score", again, "-q", QUESTIONNAIRE, "--format", "json", "--lang", "en")
    assert split.exit_code == 0
    assert json.loads(split.stdout)["suppliers"] == [
        {**s, "file": "lie2.xlsx"} for s in json.loads(whole.stdout)["suppliers"]]
    assert "RD-015" in split.stderr  # the read in parts given up (its cells out of place): whole
