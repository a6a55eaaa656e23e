"""The fast read is chosen in one place (`fastread.route`) and says how it read each sheet
(`esg --debug`); sheets of any size are checked before a reader allocates them (issue 13
class 4: a far cell or an over-used long shared string in a sheet over 8 MB of XML)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, MINI, long_shared_text, write_xlsx

from esgcli.answers import references, xlsx_checks
from esgcli.answers.fastread import route, split_read
from esgcli.base import parallel

HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = ["yes", 3, 30, "manager,training,ppe", None]
SHEET = "xl/worksheets/sheet1.xml"


def _rewrite(src: Path, dst: Path, part: str, edit: object) -> Path:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, edit(data) if item.filename == part else data)  # type: ignore[operator]
    return dst


def _answers(tmp: Path, rows: int = 300, name: str = "a.xlsx") -> Path:
    return write_xlsx(tmp / name, [HEADER] + [[f"S{i:03d}", "n", None, 10, *GOOD]
                                              for i in range(rows)])


def _debug_lines(result: object) -> list[str]:
    return [line for line in result.stderr.splitlines()  # type: ignore[attr-defined]
            if re.match(r"\s*RD-0\d\d ", line)]


def _split_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split_read, "MIN_SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)


def _validate_as_big(esg, path: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001, ANN202
                     path_taken: str):
    """`esg validate` of ``path`` as of a big sheet (scanned as it streams), read whole or, for
    ``path_taken`` "parts", in parts."""
    monkeypatch.setattr(xlsx_checks, "SCAN_LIMIT", 1000)
    if path_taken == "parts":
        _split_everything(monkeypatch)
    return esg("validate", path, "-q", MINI, "--lang", "en")

def _scanned(xml: bytes, size: int, lengths: object = None, **kwargs: object) -> object:
    """`SheetScanner.finish()` after feeding ``xml`` in pieces of ``size`` bytes."""
    import numpy as np

    scanner = references.SheetScanner(
        "f", "s", np.zeros(0, dtype=np.int64) if lengths is None else lengths, **kwargs)  # type: ignore[arg-type]
    for k in range(0, len(xml), size):
        scanner.feed(xml[k:k + size])
    return scanner.finish()



# ---------------------------------------------------------------- esg --debug
def test_debug_says_which_path_read_the_sheet_and_why(esg, tmp_path: Path,  # noqa: ANN001
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = _answers(tmp_path)
    plain = esg("score", path, "-q", MINI, "--format", "json", "--lang", "en")
    assert plain.exit_code == 0 and _debug_lines(plain) == []  # only with --debug
    whole = esg("--debug", "score", path, "-q", MINI, "--format", "json", "--lang", "en")
    assert whole.stdout == plain.stdout
    assert _debug_lines(whole) == [
        "RD-001 a.xlsx › answers: read whole by fastexcel",
        "  RD-006 placed by its <dimension> A1:I301",
        "  RD-013 not read in parts: the sheet's XML (0.1 MB) is under 32 MB",
        "  RD-022 error values, formulas, percent formats: scanned in the sheet's XML after the read"]

    korean = esg("--debug", "score", path, "-q", MINI, "--format", "json", "--lang", "ko")
    assert "RD-001 a.xlsx › answers: fastexcel로 시트 전체를 한 번에 읽었습니다" in korean.stderr

    with monkeypatch.context() as patch:
        _split_everything(patch)
        split = esg("--debug", "score", path, "-q", MINI, "--format", "json", "--lang", "en")
    assert split.stdout == plain.stdout
    assert _debug_lines(split)[:2] == [
        "RD-002 a.xlsx › answers: read by fastexcel in 2 parts on 2 threads",
        "  RD-006 placed by its <dimension> A1:I301"]
    assert "  RD-021 error values, formulas, percent formats: scanned in the XML as it streamed" \
        in _debug_lines(split)

    with monkeypatch.context() as patch:  # as on a machine without fastexcel
        patch.setattr(route, "fastexcel_module", lambda: None)
        calamine = esg("--debug", "score", path, "-q", MINI, "--format", "json", "--lang", "en")
    assert calamine.stdout == plain.stdout
    assert _debug_lines(calamine)[:2] == ["RD-003 a.xlsx › answers: read by calamine",
                                          "  RD-010 fastexcel is not installed"]


def test_debug_says_why_a_dimension_was_not_trusted(esg, tmp_path: Path) -> None:  # noqa: ANN001
    path = _answers(tmp_path)
    lying = _rewrite(path, tmp_path / "lying.xlsx", SHEET, lambda d: re.sub(
        rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B301"/>', d))
    result = esg("--debug", "validate", lying, "-q", MINI, "--lang", "en")
    assert result.exit_code == 0, result.stdout
    assert _debug_lines(result)[:2] == [
        "RD-001 lying.xlsx › answers: read whole by fastexcel",
        "  RD-007 placed by the extent of all its cells A1:I301 (<dimension>: A1:B301)"]


def test_debug_lists_every_file_read(esg, tmp_path: Path) -> None:  # noqa: ANN001
    first = _answers(tmp_path, 3, "one.xlsx")
    second = tmp_path / "two.csv"
    second.write_text(",".join(HEADER) + "\nS900,n,,10,yes,3,30,none,\n", encoding="utf-8")
    result = esg("--debug", "validate", first, second, "-q", MINI, "--lang", "en")
    assert _debug_lines(result) == [  # small files among many: read into grids (answers.stacked)
        "RD-003 one.xlsx › answers: read by calamine",
        "  RD-025 a small file among many: read by calamine, to be read in one pass with the "
        "files that share its header",
        "  RD-022 error values, formulas, percent formats: scanned in the sheet's XML after the read",
        "RD-004 two.csv › two: read as CSV (UTF-8)",
        "  RD-023 error values, formulas, percent formats: not scanned: .csv"]


# ---------------------------------------------------------------- sheets over 8 MB of XML
def _far_cell(tmp_path: Path) -> Path:
    return _rewrite(_answers(tmp_path), tmp_path / "far.xlsx", SHEET, lambda d: d.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
                         b"</c></row></sheetData>"))


@pytest.mark.parametrize("path_taken", ["whole", "parts", "calamine"])
def test_a_far_cell_in_a_big_sheet_is_refused_before_a_reader_allocates(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path_taken: str) -> None:  # noqa: ANN001
    """Sheets over 8 MB of XML were checked against their declared <dimension> only: a cell at
    XFD1048576 made the reader allocate 17 billion cells. Every reference is now scanned (as
    the XML streams into the parts, or in one pass before a whole read)."""
    far = _far_cell(tmp_path)
    monkeypatch.setattr(xlsx_checks, "SCAN_LIMIT", 1000)  # the sheet counts as a big one
    if path_taken == "parts":
        _split_everything(monkeypatch)
    if path_taken == "calamine":
        monkeypatch.setattr(route, "fastexcel_module", lambda: None)
    import fastexcel

    parsed: list[str] = []
    original = fastexcel.read_excel

    def spy(source: object, *args: object, **kwargs: object) -> object:
        parsed.append(str(source))
        return original(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fastexcel, "read_excel", spy)
    result = esg("validate", far, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert "WB-009 far.xlsx › answers: workbook too large: the sheet spans 1,048,576 rows × " \
           "16,384 columns" in result.stdout
    parts = [p for p in parsed if p != str(far)]
    assert len(parts) <= 1  # the part holding the far cell (the last) was never parsed
    control = esg("validate", _answers(tmp_path, name="ok.xlsx"), "-q", MINI, "--lang", "en")
    assert control.exit_code == 0, control.stdout


SPELLINGS = [b't="s"', b"t='s'", b't = "s"', b"t\n=\n's'"]  # readers take every one


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("path_taken", ["whole", "parts"])
def test_a_long_shared_string_used_by_many_cells_of_a_big_sheet_is_refused(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path_taken: str,  # noqa: ANN001
        spelling: bytes) -> None:
    target = long_shared_text(tmp_path, spelling)
    monkeypatch.setattr(references, "MAX_TEXT_BYTES", 1_000_000)  # 200 cells × 10 kB = 2 MB
    result = _validate_as_big(esg, target, monkeypatch, path_taken)
    assert result.exit_code == 3, result.stdout
    assert "WB-009 long.xlsx › " in result.stdout and "of shared text" in result.stdout
    monkeypatch.setattr(references, "MAX_TEXT_BYTES", 3_000_000)
    xlsx_checks._streamed.cache_clear()
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert "WB-009" not in result.stdout


def test_the_streamed_scan_equals_a_whole_scan_however_the_xml_is_cut() -> None:
    import numpy as np

    rows = [b'<row r="%d">%s</row>' % (r, b"".join(
        b'<c r="%s%d" t="s"><v>%d</v></c>' % (c, r, r % 3) for c in (b"B", b"C", b"AA")))
        for r in range(3, 400)]
    rows.append(b'<row r="9000"><c r="XF9000" t="inlineStr"><is><t>r="ZZZ</t></is></c></row>')
    xml = b"<sheetData>" + b"".join(rows) + b"</sheetData>"
    lengths = np.array([5, 7, 9], dtype=np.int64)
    expected = (2, 1, 8999, references.column_index("XF"))
    for size in (7, 50, 81, 1000, len(xml)):
        scanner = references.SheetScanner("f", "s", lengths)
        for k in range(0, len(xml), size):
            scanner.feed(xml[k:k + size])
        assert scanner.finish() == expected, size
        assert scanner.cells == scanner.refs == 397 * 3 + 1


@pytest.mark.parametrize("size", [7, 50, 81, 1000, 10**9])
def test_whitespace_of_any_length_before_the_equals_of_r_is_refused(size: int) -> None:
    """`r  =  "XFD1048576"` (two spaces) passed the scan of big sheets, and the reader then
    aborted allocating 549 GB (a Rust backtrace, the process killed). Whitespace of any
    length between a name `r` and `=` is now refused, wherever the XML is cut; a word `r`
    followed by spaces in a cell's text is not."""
    from esgcli.base.problems import InputError

    def scan(xml: bytes) -> str | None:
        try:
            _scanned(xml, size)
        except InputError as exc:
            return exc.problems[0].code
        return None


    rows = b"".join(b'<row r="%d"><c r="B%d"><v>1</v></c></row>' % (r, r) for r in range(1, 40))
    for gap in (b" ", b"  ", b"\t\n", b" " * 63, b" " * 64, b" " * 1000):
        odd = b'<row r="40"><c r' + gap + b'="XFD1048576"><v>1</v></c></row>'
        assert scan(b"<sheetData>" + rows + odd + b"</sheetData>") == "WB-016", (size, len(gap))
        text = b'<row r="40"><c r="C40" t="inlineStr"><is><t>a r' + gap + b"b</t></is></c></row>"
        assert scan(b"<sheetData>" + rows + text + b"</sheetData>") is None, (size, len(gap))
    assert scan(b"<sheetData>" + rows + b'<row r="40"><c r="C40" t="inlineStr"><is><t>r'
                + b" " * 30 + b"</t></is></c></row></sheetData>") is None
    longer = b'<row r="40"><c r="C40" t="inlineStr"><is><t>a r' + b" " * 2000 + b"b</t></is></c>"
    assert scan(b"<sheetData>" + rows + longer + b"</row></sheetData>") == "WB-016"  # not known


@pytest.mark.parametrize("ref", [b"ZZZZ1", b"XFDA1", b"A0000001", b"B00000000050", b"B7 ", b"",
                                 b"B", b"7B"])
@pytest.mark.parametrize("size", [7, 1000, 10**9])
def test_a_reference_readers_place_otherwise_than_the_scan_reads_is_refused(
        ref: bytes, size: int) -> None:
    """calamine places `ZZZZ1` at column 475,254 (the scan read three letters and skipped it:
    a 12 MB sheet with one such cell made the reader abort allocating 68 GB) and `A0000001`
    at row 1 (its eight digits sorted above `A999999`'s six, hiding the far row). Only
    `[A-Z]{1,3}[1-9][0-9]{0,6}` followed by the quote is read; anything else is WB-016."""

    from esgcli.base.problems import InputError

    rows = b"".join(b'<row r="%d"><c r="B%d"><v>1</v></c></row>' % (r, r) for r in range(1, 40))
    xml = (b"<sheetData>" + rows + b'<row r="40"><c r="A999999"><v>1</v></c><c r="' + ref
           + b'"><v>1</v></c></row></sheetData>')
    with pytest.raises(InputError) as caught:
        _scanned(xml, size)
    assert caught.value.problems[0].code == "WB-016"


@pytest.mark.parametrize("odd", [False, True])
@pytest.mark.parametrize("size", [7, 81, 1000, 10**9])
def test_the_shared_text_limit_is_exact_where_a_bound_would_pass_it(size: int, odd: bool) -> None:
    """Near the limit the text of shared strings is counted cell by cell (a bound summed over
    pieces refused a sheet under it): a sheet under the limit is never refused and one over it
    always is, however the XML is cut and whether its cells are written as writers write them
    or (``odd``, every 7th) otherwise."""
    import numpy as np

    from esgcli.base.problems import InputError

    cell = (b'<c r="B%d" t="s"><v>%d</v></c>', b'<c r="B%d"\tt="s" s="2">\n<v>%d</v></c>')
    rows = b"".join(b'<row r="%d">%s<c r="C%d"><v>1</v></c></row>'
                    % (r, cell[r % 7 == 0 and odd] % (r, r % 2), r) for r in range(1, 1001))
    xml = b"<sheetData>" + rows + b"</sheetData>"
    lengths = np.array([100, 1], dtype=np.int64)  # 500 cells of 100 bytes, 500 of 1: 50,500
    for limit, refused in ((50_500, False), (50_499, True), (200_000, False)):
        try:
            _scanned(xml, size, lengths, text=limit)
        except InputError as exc:
            assert refused and exc.problems[0].code == "WB-009", (limit, size)
        else:
            assert not refused, (limit, size)


def test_many_big_sheets_without_dimension_are_read_without_copies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sheets over 8 MB without <dimension> were placed by reading them in parts, each part a
    copy of the workbook (quadratic in the sheet count): now by the scan of their cells, read
    whole. Counts archive entries listed and written, which double with the sheets."""
    from test_hostile_linear import _many_dimensionless_sheets, archive_entries_while

    from esgcli import load_questionnaire
    from esgcli.answers.read import read_answers

    q = load_questionnaire(MINI)

    def work(count: int) -> int:
        path = _many_dimensionless_sheets(tmp_path / f"w{count}.xlsx", count)
        with monkeypatch.context() as patch:
            patch.setattr(xlsx_checks, "SCAN_LIMIT", 0)  # every sheet counts as a big one
            entries, answers = archive_entries_while(patch, lambda: read_answers(path, q))
        assert answers.source.sheet == "answers" and len(answers) == 1
        assert any(n.code == "RD-007" for n in answers.source.reads)  # placed by its cells
        return entries

    small, big = work(30), work(60)
    assert big <= 2.5 * small, (small, big)


def test_a_read_ahead_is_used_and_a_failed_one_is_noted(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from esgcli import load_questionnaire
    from esgcli.answers.fastread import prefetch
    from esgcli.answers.read import read_answers

    path = _answers(tmp_path)
    q = load_questionnaire(MINI)
    monkeypatch.setattr(prefetch, "MIN_BYTES", 0)
    prefetch.maybe_start(["esg", "score", str(path)], route.read_ahead)
    ahead = read_answers(path, q)
    assert [n.code for n in ahead.source.reads][:3] == ["RD-001", "RD-005", "RD-006"]

    def broken() -> None:
        raise RuntimeError("no luck")

    monkeypatch.setattr(route, "fastexcel_module", broken)
    prefetch.maybe_start(["esg", "--debug", "score", str(path)], route.read_ahead)
    assert prefetch.reader_for(path) is None  # waits for the read ahead: it failed
    monkeypatch.undo()
    again = read_answers(path, q)
    assert [n.code for n in again.source.reads][:3] == ["RD-001", "RD-019", "RD-006"]
    assert again.source.reads[1].text("en") == "the read ahead failed: RuntimeError: no luck"
    assert ahead.records.equals(again.records)


def test_a_big_sheet_without_dimension_is_read_in_parts_without_a_first_pass(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """openpyxl's write-only mode writes no <dimension>: a sheet big enough to be read in
    parts is placed by its first rows and checked part by part, not unpacked twice."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("answers")
    for row in [HEADER] + [[f"S{i:03d}", "n", None, 10, *GOOD] for i in range(300)]:
        sheet.append(row)
    path = tmp_path / "wo.xlsx"
    book.save(path)
    normal = esg("score", path, "-q", MINI, "--format", "json")
    first_passes: list[str] = []
    monkeypatch.setattr(route, "streamed_extent", lambda p, n: first_passes.append(n))
    monkeypatch.setattr(xlsx_checks, "SCAN_LIMIT", 100)
    xlsx_checks._scan.cache_clear()  # scanned whole by the first read
    _split_everything(monkeypatch)
    result = esg("--debug", "score", path, "-q", MINI, "--format", "json", "--lang", "en")
    assert result.stdout == normal.stdout
    lines = _debug_lines(result)
    assert "RD-002 wo.xlsx › answers: read by fastexcel in 2 parts on 2 threads" in lines
    assert any(line.startswith("  RD-008 placed by the extent of its first rows") for line in lines), lines
    assert "answers" not in first_passes


@pytest.mark.parametrize("spelling", [b"r='XFD1048576'", b'r = "XFD1048576"',
                                      b'\nr="XFD1048576"', b'r="xfd1048576"',
                                      b's="0"r="XFD1048576"', b'r="A1" s="0"r="XFD1048576"',
                                      b'r  =  "XFD1048576"', b"r\t\t=\n'XFD1048576'",
                                      b'r=\n"XFD1048576"'],
                         ids=["single quotes", "spaces", "line break", "lower case",
                              "after a quote", "second, after a quote", "two spaces",
                              "tabs and a line break", "line break after ="])
@pytest.mark.parametrize("path_taken", ["whole", "parts"])
def test_a_far_cell_spelled_otherwise_in_a_big_sheet_is_refused(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path_taken: str,
        spelling: bytes) -> None:  # noqa: ANN001
    """The scan of big sheets reads ` r="B7"`; readers also place `r='B7'`, `r = "B7"`, r
    after a line break and `r="b7"`. Such a reference is refused (WB-016) rather than let a
    far cell through to the reader (which would abort allocating it)."""
    target = _rewrite(_answers(tmp_path), tmp_path / "odd.xlsx", SHEET, lambda d: d.replace(
        b"</sheetData>", b'<row r="1048576"><c ' + spelling + b' t="inlineStr"><is><t>x</t>'
                         b"</is></c></row></sheetData>"))
    result = _validate_as_big(esg, target, monkeypatch, path_taken)
    assert result.exit_code == 3, result.stdout
    assert "WB-016 odd.xlsx › answers: where cells belong is ambiguous (references written" \
        in result.stdout, result.stdout
    control = esg("validate", _answers(tmp_path, name="ok.xlsx"), "-q", MINI, "--lang", "en")
    assert control.exit_code == 0, control.stdout


@pytest.mark.parametrize("size", [7, 81, 1000, 10**9])
@pytest.mark.parametrize(("case", "what"), [
    ("row twice", "rows given twice"), ("cell twice", "cells given twice"),
    ("cells out of order", "cells given twice"), ("rows out of order", "rows given twice"),
    ("a cell without r", "cells without a reference"), ("above the part", "given twice or out of order"),
])
def test_a_cell_or_row_given_twice_in_a_big_sheet_is_refused(size: int, case: str, what: str) -> None:
    """Sheets over 8 MB were not checked for a cell or row given twice: a copied row silently
    replaced a supplier, exit 0 (hostile-input probe, B1), and cells without `r` among the
    others were placed by position (A3: a last row of 50,000 such cells made the reader abort).
    The scan now requires rows, and cells by row then column, in strictly increasing order (as
    every writer writes them), and a reference on every cell."""

    from esgcli.base.problems import InputError

    def row(r: int, cells: bytes | None = None) -> bytes:
        return b'<row r="%d">%s</row>' % (r, cells if cells is not None else
                                           b'<c r="A%d"><v>1</v></c><c r="B%d"><v>2</v></c>' % (r, r))

    rows = [row(r) for r in range(1, 40)]
    after_row = 1
    if case == "row twice":
        rows.insert(20, row(20))
    elif case == "cell twice":
        rows[5] = row(6, b'<c r="A6"><v>1</v></c><c r="A6"><v>9</v></c>')
    elif case == "cells out of order":
        rows[5] = row(6, b'<c r="B6"><v>1</v></c><c r="A6"><v>9</v></c>')
    elif case == "rows out of order":
        rows[5], rows[6] = rows[6], rows[5]
    elif case == "a cell without r":
        rows[5] = row(6, b'<c r="A6"><v>1</v></c><c><v>9</v></c>')
    else:  # a part whose first row is 10 holds a cell of row 3
        after_row = 10
        rows = [row(3)] + [row(r) for r in range(10, 40)]
    xml = b"<sheetData>" + b"".join(rows) + b"</sheetData>"
    with pytest.raises(InputError) as caught:
        _scanned(xml, size, after_row=after_row)
    assert caught.value.problems[0].code == "WB-016"
    assert what in caught.value.problems[0].text("en")
    clean = b"<sheetData>" + b"".join(row(r) for r in range(1, 40)) + b"</sheetData>"
    assert _scanned(clean, size) == (0, 0, 38, 1)


@pytest.mark.parametrize("path_taken", ["whole", "parts"])
def test_a_row_copied_in_a_big_sheet_is_refused_not_read(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path_taken: str) -> None:  # noqa: ANN001
    source = _answers(tmp_path)
    twice = _rewrite(source, tmp_path / "twice.xlsx", SHEET, lambda d: re.sub(
        rb'(<row r="150"[^>]*>.*?</row>)', lambda m: m.group(1) * 2, d, count=1, flags=re.S))
    result = _validate_as_big(esg, twice, monkeypatch, path_taken)
    assert result.exit_code == 3, result.stdout
    assert "WB-016 twice.xlsx › answers: where cells belong is ambiguous (rows given twice" \
        in result.stdout, result.stdout


@pytest.mark.parametrize("path_taken", ["small", "whole"])
@pytest.mark.parametrize("cell", [
    b'<c r="J%d" t="s"><f>1</f><v>%d</v></c>', b'<c t="s" r="J%d"><v>%d</v></c>',
    b'<c r="J%d" t="s"><v>\n%d</v></c>',
    b'<c r="J%d" t="s" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx="1"><v>%d</v></c>'],
    ids=["formula first", "t before r", "line break", "long attribute"])
def test_shared_text_is_counted_however_its_cells_are_written(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path_taken: str, cell: bytes) -> None:  # noqa: ANN001
    """Cells the patterns did not read (a formula before the value, `t` before `r`, a line
    break, a long attribute) were not counted against the shared-text limit: the reader then
    panicked copying 2 GB of text (hostile-input probe, C). Such a cell now counts as holding
    the longest string."""
    source = DATA / "mini-lo.xlsx"
    count = len(re.findall(rb"<si>", zipfile.ZipFile(source).read("xl/sharedStrings.xml")))
    middle = _rewrite(source, tmp_path / "m.xlsx", "xl/sharedStrings.xml", lambda xml: xml.replace(
        b"</sst>", b"<si><t>" + b"x" * 10_000 + b"</t></si></sst>"))
    rows = b"".join(b'<row r="%d">' % r + cell % (r, count) + b"</row>" for r in range(100, 300))
    target = _rewrite(middle, tmp_path / "long.xlsx", SHEET,
                      lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    if path_taken == "whole":
        monkeypatch.setattr(xlsx_checks, "SCAN_LIMIT", 1000)
    monkeypatch.setattr(references, "MAX_TEXT_BYTES", 1_000_000)  # 200 cells × 10 kB = 2 MB
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert "WB-009 long.xlsx › " in result.stdout and "of shared text" in result.stdout


def test_a_big_sheet_of_error_values_is_refused_past_the_scan_limit(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """1.75 million `#N/A` in a 10 MB file took 289 s and 3.2 GB (a Python object per cell found,
    then a problem per cell): the streamed scan stops at MAX_MARKED with WB-009."""
    from esgcli.answers.fastread import fidelity

    def errors(xml: bytes) -> bytes:
        return re.sub(rb'<c r="E(1\d)"( s="\d+")?( t="\w+")?>.*?</c>',
                      rb'<c r="E\1" t="e"><v>#N/A</v></c>', xml)

    target = _rewrite(_answers(tmp_path), tmp_path / "na.xlsx", SHEET, errors)
    assert zipfile.ZipFile(target).read(SHEET).count(b"#N/A") == 10
    monkeypatch.setattr(xlsx_checks, "SCAN_LIMIT", 1000)
    _split_everything(monkeypatch)
    monkeypatch.setattr(fidelity, "MAX_MARKED", 9)
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert "WB-009 na.xlsx › answers: workbook too large: more than 9 cells hold an Excel error " \
           "value" in result.stdout
    monkeypatch.setattr(fidelity, "MAX_MARKED", 10)
    xlsx_checks._streamed.cache_clear()
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert "WB-009" not in result.stdout and result.stdout.count("ANS-009") == 10, result.stdout
