"""Issue 13 classes 4 and 5: sizes that a file declares or repeats are checked before a reader
allocates them, and no supplier is lost without a word (bad quotes, cells given twice, a
<dimension> that disagrees with the cells)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, MINI, rewrite_part, write_xlsx

import esgcli.answers.workbook as workbook

HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = ["yes", 3, 30, "manager,training,ppe", None]
CSV_HEADER = ",".join(HEADER) + "\n"
CSV_ROW = 'S{n},n{n},,10,yes,3,30,"manager,training,ppe",\n'



def _source(tmp: Path) -> Path:
    return write_xlsx(tmp / "src.xlsx", [HEADER, ["S1", "a", None, 10, *GOOD],
                                         ["S2", "b", None, 10, "PLACEHOLDER", 3, 30, "none", None]])


SHEET = "xl/worksheets/sheet1.xml"


# ---------------------------------------------------------------- 5. suppliers lost without a word
def test_an_unclosed_csv_quote_is_a_located_error(esg, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "q.csv"
    path.write_text(CSV_HEADER + CSV_ROW.format(n=1) + 'S2,"unclosed,10,yes,3,30,none,\n'
                    + "".join(CSV_ROW.format(n=n) for n in range(3, 9)), encoding="utf-8")
    result = esg("validate", path, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert result.stdout.splitlines()[0].startswith(
        "error WB-012 q.csv:3: the value starting on CSV line 3 is badly quoted")


def test_a_quoted_value_over_several_lines_is_still_read(esg, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "q.csv"
    path.write_text(CSV_HEADER + 'S1,"two\nlines",,10,yes,3,30,none,\n' + CSV_ROW.format(n=2),
                    encoding="utf-8")
    result = esg("validate", path, "-q", MINI, "--lang", "en")
    assert result.exit_code == 0, result.stdout
    assert "(2 suppliers" in result.stdout  # two records read, one round each


@pytest.mark.parametrize("what", ["row", "cell"])
def test_a_row_or_cell_given_twice_is_an_error(esg, tmp_path: Path, what: str) -> None:  # noqa: ANN001
    def twice(xml: bytes) -> bytes:
        row = re.search(rb'<row r="2".*?</row>', xml, re.S).group(0)
        if what == "row":
            return xml.replace(row, row + row.replace(b">S1<", b">S9<"), 1)
        cell = re.search(rb'<c r="E2".*?</c>', row, re.S).group(0)
        return xml.replace(cell, cell + cell.replace(b">yes<", b">no<"), 1)

    target = rewrite_part(_source(tmp_path), tmp_path / "twice.xlsx", SHEET, twice)
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    expected = {"row": "error WB-013 twice.xlsx › answers › row 2: row 2 is given twice",
                "cell": "error WB-013 twice.xlsx › answers › E2: cell E2 is given twice"}[what]
    assert result.stdout.startswith(expected), result.stdout


def test_a_dimension_that_disagrees_with_the_cells_moves_nothing(esg, tmp_path: Path) -> None:  # noqa: ANN001
    def shifted(xml: bytes) -> bytes:
        xml = xml.replace(b'<c r="E3" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>',
                          b'<c r="E3" t="e"><v>#N/A</v></c>')
        return re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="B2:J4"/>', xml)

    target = rewrite_part(_source(tmp_path), tmp_path / "shift.xlsx", SHEET, shifted)
    assert b'ref="B2:J4"' in zipfile.ZipFile(target).read(SHEET)
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert result.stdout.splitlines()[0] == (
        "error ANS-009 shift.xlsx › answers › E3 (S2, E-1): the Excel error value #N/A is not an "
        "answer; type the answer in")


# ---------------------------------------------------------------- 4. declared and real sizes
def test_a_shared_string_table_declaring_billions_is_refused(esg, tmp_path: Path) -> None:  # noqa: ANN001
    source = DATA / "mini-lo.xlsx"  # LibreOffice writes a shared-string table
    target = rewrite_part(source, tmp_path / "sst.xlsx", "xl/sharedStrings.xml", lambda d: re.sub(
        rb'uniqueCount="\d+"', b'uniqueCount="4000000000"', d))
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert "WB-009 sst.xlsx: workbook too large: the shared-string table declares " \
           "4,000,000,000 strings" in result.stdout


def test_csv_size_blank_lines_and_wide_rows_are_bounded(esg, tmp_path: Path,  # noqa: ANN001
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.csv"
    big.write_text(CSV_HEADER + CSV_ROW.format(n=1) + "x" * 3000 + "\n", encoding="utf-8")
    monkeypatch.setattr(workbook, "MAX_CSV_BYTES", 2000)
    result = esg("validate", big, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3 and "WB-009 big.csv" in result.stdout, result.stdout
    monkeypatch.undo()

    blank = tmp_path / "blank.csv"
    blank.write_text(CSV_HEADER + CSV_ROW.format(n=1) + "\n" * 200_000, encoding="utf-8")
    rows = workbook._csv_rows("blank.csv", blank.read_text(encoding="utf-8"), ",")
    assert len(rows) == 2  # trailing blank lines allocate nothing
    result = esg("validate", blank, "-q", MINI, "--lang", "en")
    assert result.exit_code == 0, result.stdout

    wide = tmp_path / "wide.csv"
    wide.write_text(CSV_HEADER + CSV_ROW.format(n=1) + "S2,n,,10,yes,3,30,none" + "," * 20_000 + "\n"
                    + "".join(CSV_ROW.format(n=n) for n in range(3, 50)), encoding="utf-8")
    result = esg("validate", wide, "-q", MINI, "--lang", "en")
    assert result.exit_code == 0, result.stdout  # empty trailing fields are not columns
    monkeypatch.setattr(workbook, "MAX_CELLS", 10_000)
    wide.write_text(CSV_HEADER + "S2," + "x," * 20_000 + "\n" + CSV_ROW.format(n=1),
                    encoding="utf-8")
    with pytest.raises(workbook.InputError) as info:
        workbook.open_workbook(wide)
    assert info.value.problems[0].code == "WB-009"


def test_the_delimiter_guess_is_linear(tmp_path: Path) -> None:
    """csv.Sniffer took minutes on 64 kB of blank lines; the guess reads one line."""
    assert workbook._delimiter("\n" * 100_000 + "a;b;c\n") == ";"
    assert workbook._delimiter('"x,y";b;c\n') == ";"
    assert workbook._delimiter("a\tb\tc\n") == "\t"
    assert workbook._delimiter("a,b\n") == ","


def test_an_ods_repeating_values_over_many_rows_and_columns_is_refused(esg, tmp_path: Path) -> None:  # noqa: ANN001
    def repeat(xml: bytes) -> bytes:
        row = (b'<table:table-row table:number-rows-repeated="5000"><table:table-cell '
               b'table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p>'
               b"</table:table-cell></table:table-row>")
        return xml.replace(b"</table:table>", row + b"</table:table>", 1)

    target = rewrite_part(DATA / "mini.ods", tmp_path / "rep.ods", "content.xml", repeat)
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert "WB-009 rep.ods: workbook too large: repeated cells would expand to" in result.stdout
    plain = esg("validate", DATA / "mini.ods", "-q", MINI, "--lang", "en")  # padding is fine
    assert "WB-009" not in plain.stdout


@pytest.mark.parametrize(("opening", "spelling"), [
    (b"<si>", b't="s"'), (b'<si xml:space="preserve">', b't="s"'), (b"<si >", b't="s"'),
    (b"<si>", b"t='s'"), (b"<si>", b't = "s"'), (b"<si>", b"t\n=\n's'")])
def test_a_long_shared_string_referenced_by_many_cells_is_refused(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opening: bytes,  # noqa: ANN001
        spelling: bytes) -> None:
    """However the string's tag is written (readers take attributes and spaces; the count saw
    only `<si>`, and a string written otherwise escaped the limit), and however the cells'
    type is spelled (`t='s'` escaped it too)."""
    import esgcli.answers.xlsx_checks as checks
    from esgcli.answers import references

    source = DATA / "mini-lo.xlsx"
    count = len(re.findall(rb"<si>", zipfile.ZipFile(source).read("xl/sharedStrings.xml")))

    def long_string(xml: bytes) -> bytes:
        return xml.replace(b"</sst>", opening + b"<t>" + b"x" * 10_000 + b"</t></si></sst>")

    def many_refs(xml: bytes) -> bytes:
        rows = b"".join(b'<row r="%d"><c r="J%d" %s><v>%d</v></c></row>' % (r, r, spelling, count)
                        for r in range(100, 300))
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")

    middle = rewrite_part(source, tmp_path / "m.xlsx", "xl/sharedStrings.xml", long_string)
    target = rewrite_part(middle, tmp_path / "long.xlsx", "xl/worksheets/sheet1.xml", many_refs)
    monkeypatch.setattr(references, "MAX_TEXT_BYTES", 1_000_000)  # 200 cells × 10 kB = 2 MB
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert "WB-009 long.xlsx › " in result.stdout and "of shared text" in result.stdout
    monkeypatch.setattr(references, "MAX_TEXT_BYTES", 3_000_000)
    checks._scan.cache_clear()
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert "WB-009" not in result.stdout


def _all_wrong(path: Path, first: int, count: int) -> Path:
    """``count`` suppliers who all answered E-1 with text that is no answer, and left E-3 blank."""
    rows = "".join(f'S{n},n{n},,10,zzz,3,,"ppe",\n' for n in range(first, first + count))
    path.write_text(CSV_HEADER + rows, encoding="utf-8")
    return path


def test_a_column_answered_wrongly_by_everyone_is_listed_up_to_a_cap_then_counted(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """1.75 million invalid answers in a 10 MB file ran out of memory (one problem object each):
    each file's column lists CELLS_PER_COLUMN of them, then one problem counts the rest, naming
    the first cells. A stacked folder counts per file, so no file's cells hide another's."""
    import json

    import esgcli.answers.sheet_reader as sheet_reader

    monkeypatch.setattr(sheet_reader, "CELLS_PER_COLUMN", 5)
    strict = tmp_path / "q.yaml"
    strict.write_text(MINI.read_text(encoding="utf-8") + "missing: error\n", encoding="utf-8")
    one = _all_wrong(tmp_path / "one.csv", 1, 12)
    result = esg("validate", one, "-q", strict, "--lang", "en", "--format", "json")
    assert result.exit_code == 3, result.stdout + result.stderr
    problems = json.loads(result.stdout)["problems"]
    for listed, more, column in (("ANS-001", "ANS-012", "E"), ("ANS-006", "ANS-013", "G")):
        cells = [p["cell"] for p in problems if p["code"] == listed]
        assert cells == [f"{column}{r}" for r in range(2, 7)]
        (rest,) = [p for p in problems if p["code"] == more]
        assert rest["cell"] == f"{column}7"
        assert "7 more answers in this column" in rest["message"]
        assert f"{column}7, {column}8, {column}9" in rest["message"]
    folder = tmp_path / "replies"
    folder.mkdir()
    _all_wrong(folder / "a.csv", 1, 7)
    _all_wrong(folder / "b.csv", 101, 8)
    result = esg("validate", folder, "-q", MINI, "--lang", "en", "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    by_file = {name: [p for p in problems if p["file"].endswith(name)] for name in ("a.csv", "b.csv")}
    for name, more in (("a.csv", 2), ("b.csv", 3)):
        assert sum(p["code"] == "ANS-001" for p in by_file[name]) == 5
        (rest,) = [p for p in by_file[name] if p["code"] == "ANS-012"]
        assert f"{more} more answers" in rest["message"] and rest["cell"] == "E7"


def test_a_shared_string_table_over_its_limit_is_refused_before_a_reader_holds_it(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """900,000 distinct 1 KB strings (0.9 GB in a 12 MB file), each used once, stayed under the
    shared-text limit and peaked at 3.45 GB: the reader holds the whole table, used or not."""
    import esgcli.answers.xlsx_checks as checks

    size = zipfile.ZipFile(DATA / "mini-lo.xlsx").getinfo("xl/sharedStrings.xml").file_size
    monkeypatch.setattr(checks, "MAX_TABLE_BYTES", size - 1)
    checks._scan.cache_clear()
    result = esg("validate", DATA / "mini-lo.xlsx", "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert "WB-009 mini-lo.xlsx: " in result.stdout and "shared-string table holds" in result.stdout
    monkeypatch.setattr(checks, "MAX_TABLE_BYTES", size)
    checks._scan.cache_clear()
    result = esg("validate", DATA / "mini-lo.xlsx", "-q", MINI, "--lang", "en")
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize(("xml", "count"), [
    (b'<c r="A1" t="s"><v>0</v></c>', 0),  # the canonical spelling is counted by the scan itself
    (b"<c r='A1' t='s'><v>0</v></c>", 1), (b'<c r="A1" t = "s"><v>0</v></c>', 1),
    (b'<c r="A1"\tt="s"><v>0</v></c>', 0), (b"<c r=\"A1\"t='s'><v>0</v></c>", 1),
    (b'<c r="A1" t=' + b" " * 20 + b"'s'><v>0</v></c>", 1),
    (b'<c r="A1" t' + b" " * 20 + b"=" + b" " * 20 + b"'s'><v>0</v></c>", 1),
    (b"<c r=\"A1\"\tt\n=\n's'><v>0</v></c>", 1), (b'<c r="A1" t="str"><v>s</v></c>', 0),
    (b'<c r="A1" t=' + b" " * 100 + b'"s"><v>0</v></c>', 1),  # a long run counts
    (b'<c r="A1" s="1" t="n"><v>1</v></c><c r="B1" t="inlineStr"><is><t>"s"</t></is></c>', 0)])
def test_other_spellings_of_a_shared_string_type_are_counted(xml: bytes, count: int) -> None:
    import numpy as np

    from esgcli.answers.references import other_type_spellings

    padded = b"<sheetData>" + xml + b"</sheetData>"
    assert other_type_spellings(np.frombuffer(padded, dtype=np.uint8), len(padded)) == count
