"""A small xlsx among many is opened from memory, each part unpacked once (answers.smallbook):
the same cells, checks and messages as opening it through the workbook reader, on good files
and on every kind of hostile or broken one."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import DATA, MINI, long_shared_text, rewrite_part, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

import esgcli.answers.xlsx_checks as checks
from esgcli.answers import references
from esgcli.answers.fastread.fidelity import scan_cells
from esgcli.answers.opening import find_sheet, open_file, workbook_meta
from esgcli.answers.paths import file_sha256
from esgcli.answers.workbook import open_workbook
from esgcli.base.problems import InputError

HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
SHEET = "xl/worksheets/sheet1.xml"



def _good(tmp: Path) -> Path:
    return write_xlsx(tmp / "good.xlsx", [HEADER, ["S1", "a", None, 10, "yes", 3, 30, "none", None],
                                          ["S2", "b", None, 10, "no", 2, "25%", "ppe", None]])


def _sheet_edit(edit: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    return lambda t: rewrite_part(_good(t), t / "edited.xlsx", SHEET, edit)


def _row_twice(xml: bytes) -> bytes:
    row = re.search(rb'<row r="2".*?</row>', xml, re.S)
    assert row is not None
    return xml.replace(row.group(0), row.group(0) * 2, 1)


def _cell_twice(xml: bytes) -> bytes:
    cell = re.search(rb'<c r="E2".*?</c>', xml, re.S)
    assert cell is not None
    return xml.replace(cell.group(0), cell.group(0) * 2, 1)


def _far_cell(xml: bytes) -> bytes:
    return xml.replace(b"</row>", b'<c r="XFD1048576"><v>1</v></c></row>', 1)


def _cell_under_any_prefix(xml: bytes) -> bytes:
    """E2 again under a prefix that is no XML name start (`-`): readers match the local name."""
    return xml.replace(b"</row>", b'<-:c r="E2"><v>1</v></-:c></row>', 1)


def _two_references(xml: bytes) -> bytes:
    """A cell placed by its second `r` (readers keep the last one): an answer moved to E2."""
    return xml.replace(b"</row>", b'<c r="K2" r="E2"><v>1</v></c></row>', 1)


def _second_reference_after_a_quote(xml: bytes) -> bytes:
    """`t="n"r="E2"`: no space before the second `r`, which the parser takes all the same."""
    return xml.replace(b"</row>", b'<c r="K2" t="n"r="E2"><v>1</v></c></row>', 1)


def _far_by_a_second_reference(xml: bytes) -> bytes:
    return xml.replace(b"</row>", b'<c r="K2" r="XFD1048576"><v>1</v></c></row>', 1)


def _past_zz(xml: bytes) -> bytes:  # within the limits, decided by the exact check
    return xml.replace(b"</row>", b'<c r="AAA1" t="inlineStr"><is><t>far</t></is></c></row>', 1)


def _zero_padded(xml: bytes) -> bytes:  # `E02` and `E2` name one cell
    cell = re.search(rb'<c r="E2".*?</c>', xml, re.S)
    assert cell is not None
    return xml.replace(cell.group(0), cell.group(0) + cell.group(0).replace(b'"E2"', b'"E02"'), 1)


def _error_and_formula(xml: bytes) -> bytes:
    xml = re.sub(rb'<c r="E2"[^>]*?(/>|>.*?</c>)', b'<c r="E2" t="e"><v>#N/A</v></c>', xml,
                 count=1, flags=re.S)
    return re.sub(rb'<c r="F2"[^>]*?(/>|>.*?</c>)', b'<c r="F2"><f>1+2</f></c>', xml, count=1,
                  flags=re.S)


def _entity(xml: bytes) -> bytes:
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return re.sub(rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or b"") + dtd, xml, count=1) \
        .replace(b">S1<", b">&b;<", 1)


def _bytes(data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / "raw.xlsx"
        path.write_bytes(data)
        return path
    return make


def _bomb(tmp: Path) -> Path:
    path = shutil.copy(_good(tmp), tmp / "bomb.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/huge.bin", b"\0" * (60 * 1024**2))
    return Path(path)


def _no_workbook(tmp: Path) -> Path:
    path = tmp / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return path


def _sst_billions(tmp: Path) -> Path:
    return rewrite_part(DATA / "mini-lo.xlsx", tmp / "sst.xlsx", "xl/sharedStrings.xml",
                    lambda d: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4000000000"', d))


def _long_shared_text(tmp: Path) -> Path:
    return long_shared_text(tmp)


ORIGINAL = sorted((DATA / "campaign" / "original").glob("*.xlsx"))[0]  # `esg template --per-supplier`
RECORD = "xl/worksheets/sheet4.xml"  # its hidden record, `_esgcli`


def _template_reply(tmp: Path) -> Path:
    return Path(shutil.copy(ORIGINAL, tmp / "reply.xlsx"))


def _record_edit(old: bytes, new: bytes) -> Callable[[Path], Path]:
    def edit(xml: bytes) -> bytes:
        assert old in xml
        return xml.replace(old, new, 1)
    return lambda t: rewrite_part(ORIGINAL, t / "record.xlsx", RECORD, edit)


BY = b"<t>esgcli 0.1.0</t>"  # the generated_by value of the record


def _outside_sheet_data(xml: bytes) -> bytes:  # no reader reads a cell in an extension
    return xml.replace(b"</worksheet>", b'<extLst><ext uri="x"><c r="A1"><v>1</v></c>'
                       b'<c r="A1"><v>2</v></c><row r="1"/></ext></extLst></worksheet>', 1)


def _prefixed_behind_a_decoy(xml: bytes) -> bytes:
    """The cells in a prefixed `<x:sheetData>` (readers match local names) with a far cell,
    and an empty `<sheetData>` in a comment after it, for a check that looks for the literal
    element to look at instead."""
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = xml.replace(b"<sheetData>", b'<x:sheetData xmlns:x="' + ns + b'">', 1)
    return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                       b"</x:sheetData><!--<sheetData></sheetData>-->", 1)


CASES: dict[str, Callable[[Path], Path]] = {
    "good": _good,
    "prefixed sheet data behind a decoy": _sheet_edit(_prefixed_behind_a_decoy),
    "record keys with spaces": _record_edit(b"<t>questionnaire_id</t>", b"<t> questionnaire_id </t>"),
    "template reply": _template_reply,
    "template reply, LibreOffice re-save": lambda t: Path(shutil.copy(
        sorted((DATA / "campaign" / "lo-xlsx").glob("*.xlsx"))[0], t / "lo-reply.xlsx")),
    "record with an escape": _record_edit(BY, b"<t>esg&amp;cli</t>"),
    "record with _x000D_": _record_edit(BY, b"<t>esg_x000D_cli</t>"),
    "record with spaces": _record_edit(BY, b"<t>  esgcli </t>"),
    "record with a blank value": _record_edit(BY, b"<t>  </t>"),
    "record with a third column": _record_edit(
        b"</c></row>", b'</c><c r="C1" t="inlineStr"><is><t>x</t></is></c></row>'),
    "record from row 2": _record_edit(
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>questionnaire_id</t></is></c><c r="B1"',
        b'<row r="9"><c r="A9" t="inlineStr"><is><t>questionnaire_id</t></is></c><c r="B9"'),
    "cells outside the sheet data": _sheet_edit(_outside_sheet_data),
    "libreoffice": lambda t: Path(shutil.copy(DATA / "mini-lo.xlsx", t / "lo.xlsx")),
    "libreoffice twin": lambda t: Path(shutil.copy(DATA / "twin-40-libreoffice.xlsx", t / "tw.xlsx")),
    "row twice": _sheet_edit(_row_twice),
    "cell twice": _sheet_edit(_cell_twice),
    "cell twice, zero-padded": _sheet_edit(_zero_padded),
    "far cell": _sheet_edit(_far_cell),
    "cell twice under any prefix": _sheet_edit(_cell_under_any_prefix),
    "cell with two references": _sheet_edit(_two_references),
    "second reference after a quote": _sheet_edit(_second_reference_after_a_quote),
    "far cell by a second reference": _sheet_edit(_far_by_a_second_reference),
    "cell past column ZZ": _sheet_edit(_past_zz),
    "error and formula": _sheet_edit(_error_and_formula),
    "entity": _sheet_edit(_entity),
    "zip bomb": _bomb,
    "zip without a workbook": _no_workbook,
    "shared strings declaring billions": _sst_billions,
    "long shared string in many cells": _long_shared_text,
    "not a zip": _bytes(b"just some text"),
    "empty": _bytes(b""),
    "truncated": _bytes((DATA / "mini.xlsx").read_bytes()[:3000]),
    "encrypted": _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
}


def _through_the_reader(path: Path) -> dict[str, Any]:
    """What opening one file of many gave before answers.smallbook: the workbook reader's
    grid path, its checks, the fidelity scan and the sha256, each opening the archive."""
    try:
        book = open_workbook(path, grid=True)
        sheet, header_row = find_sheet(book, None)
        reads = [p.code for p in book.reads]
        meta = workbook_meta(book)
    except InputError as exc:
        return {"problems": [(p.code, p.sheet, p.cell, p.row, p.params) for p in exc.problems]}
    assert hasattr(sheet, "cells")
    return {"cells": sheet.cells, "header_row": header_row, "meta": meta, "reads": reads,
            "bad_cells": scan_cells(path, sheet.name, []), "sha256": file_sha256(path)}


def _opened(path: Path) -> dict[str, Any]:
    opened = open_file(path, path.name, many=True)
    if opened.problems:
        return {"problems": [(p.code, p.sheet, p.cell, p.row, p.params) for p in opened.problems]}
    assert opened.sheet is not None and hasattr(opened.sheet, "cells")
    return {"cells": opened.sheet.cells, "header_row": opened.header_row, "meta": opened.meta,
            "reads": [p.code for p in opened.reads[:-1]], "bad_cells": opened.bad_cells,
            "sha256": opened.sha256}


@pytest.mark.parametrize("case", list(CASES))
def test_a_small_file_of_many_opens_as_the_reader_opens_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    if case == "long shared string in many cells":
        monkeypatch.setattr(references, "MAX_TEXT_BYTES", 1_000_000)  # 200 cells × 10 kB = 2 MB
    path = CASES[case](tmp_path)
    checks._scan.cache_clear()
    expected = _through_the_reader(path)
    got = _opened(path)
    assert got.keys() == expected.keys(), (got, expected)
    if "problems" in expected:
        assert got["problems"] == expected["problems"]
        assert expected["problems"], case
        return
    assert np.array_equal(got.pop("cells"), expected.pop("cells"))
    assert got == expected


def test_the_cases_cover_what_they_are_named_for(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Each hostile case is refused, and for the reason its name gives."""
    monkeypatch.setattr(references, "MAX_TEXT_BYTES", 1_000_000)
    codes = {}
    for case, make in CASES.items():
        folder = tmp_path / re.sub(r"\W+", "-", case)
        folder.mkdir()
        got = _opened(make(folder))
        codes[case] = [p[0] for p in got.get("problems", [])]
    assert codes["good"] == codes["libreoffice"] == codes["error and formula"] == []
    assert codes["cell past column ZZ"] == []
    assert codes["row twice"] == codes["cell twice"] == codes["cell twice, zero-padded"] == ["WB-013"]
    assert codes["far cell"] == codes["zip bomb"] == ["WB-009"]
    assert codes["cell twice under any prefix"] == ["WB-013"]
    assert codes["cell with two references"] == codes["far cell by a second reference"] == [
        "WB-016"] == codes["second reference after a quote"]
    assert codes["prefixed sheet data behind a decoy"] == ["WB-009"]
    assert codes["shared strings declaring billions"] == ["WB-009"]
    assert codes["long shared string in many cells"] == ["WB-009"]
    assert codes["entity"] == codes["not a zip"] == codes["truncated"] == ["WB-002"]
    assert codes["zip without a workbook"] == ["WB-002"]
    assert codes["empty"] == ["WB-004"] and codes["encrypted"] == ["WB-003"]
    assert _opened(_sheet_edit(_error_and_formula)(tmp_path))["bad_cells"] == {
        ("E", 2): ("error", "#N/A"), ("F", 2): ("formula", "=1+2")}


def test_a_campaign_folder_scores_the_same_read_through_either_path(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import esgcli.answers.opening as opening

    folder = tmp_path / "replies"
    folder.mkdir()
    for n in range(6):
        write_xlsx(folder / f"r{n}.xlsx", [HEADER, [f"S{n}", f"n{n}", None, 10, "yes", 1 + n % 3,
                                                    f"{10 * n}%", "none", None]])
    fast = esg("score", folder, "-q", MINI, "--format", "json")
    monkeypatch.setattr(opening, "SMALL_FILE", 0)  # every file through the reader
    slow = esg("score", folder, "-q", MINI, "--format", "json")
    assert fast.exit_code == slow.exit_code == 0, fast.stderr
    assert fast.stdout == slow.stdout


def test_many_files_opened_by_a_process_per_core_give_the_one_process_result(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """The parallel opening (answers.opening.open_all) keeps the files' order, their problems
    and an unreadable file among them, whatever the chunking."""
    import esgcli.answers.opening as opening

    folder = tmp_path / "replies"
    folder.mkdir()
    for n in range(23):
        write_xlsx(folder / f"r{n:02d}.xlsx", [HEADER, [f"S{n}", f"n{n}", None, 10, "yes",
                                                        1 + n % 3, f"{n}%", "none", None]])
    (folder / "r07.xlsx").write_bytes(b"not a workbook")
    (folder / "r19.xlsx").write_bytes(b"")
    listed = tmp_path / "suppliers.csv"
    listed.write_text("supplier_id\n" + "".join(f"S{n}\n" for n in range(25)), encoding="utf-8")
    runs = {}
    for mode, minimum, chunk in (("one", 10**9, 16), ("many", 2, 5), ("many-1", 2, 1)):
        monkeypatch.setattr(opening, "PARALLEL_MIN", minimum)
        monkeypatch.setattr(opening, "CHUNK", chunk)
        result = esg("status", folder, "--suppliers", listed, "-q", MINI, "--format", "json",
                     "--lang", "en")
        assert result.exit_code == 0, result.stderr
        scored = esg("score", folder, "-q", MINI, "--format", "json", "--lang", "en")
        runs[mode] = (result.stdout, scored.exit_code, scored.stdout, scored.stderr)
    assert runs["one"] == runs["many"] == runs["many-1"]
    assert '"unreadable": 2' in runs["one"][0] and '{"file": "r19.xlsx", "problem"' in runs["one"][0]


NS = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NO = b'<is><t>no</t></is>'


def _after_row_2(extra: bytes) -> Callable[[bytes], bytes]:
    """Another element at the end of row 2, whose E2 holds S1's `yes`."""
    return lambda xml: xml.replace(b"</row>", extra + b"</row>", 2).replace(
        extra + b"</row>", b"</row>", 1)


ODD: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "attributes in another order": (
        _after_row_2(b'<c t="inlineStr" r="E2">' + NO + b"</c>"), "WB-013"),
    "single quotes": (_after_row_2(b"<c r='E2' t=\"inlineStr\">" + NO + b"</c>"), "WB-013"),
    "two spaces": (_after_row_2(b'<c  r="E2" t="inlineStr">' + NO + b"</c>"), "WB-013"),
    "lower case": (_after_row_2(b'<c r="e2" t="inlineStr">' + NO + b"</c>"), "WB-013"),
    "namespace prefix": (_after_row_2(b"<x:c " + NS + b' r="E2" t="inlineStr"><x:is><x:t>no'
                                      b"</x:t></x:is></x:c>"), "WB-013"),
    "far cell after another attribute": (
        _after_row_2(b'<c s="0" r="XFD1048576"><v>1</v></c>'), "WB-009"),
    "a cell without a reference": (_after_row_2(b'<c t="inlineStr">' + NO + b"</c>"), "WB-016"),
    "a row without a reference": (
        lambda xml: xml.replace(b"</sheetData>", b'<row><c t="inlineStr"><is><t>S9</t></is></c>'
                                                 b"</row></sheetData>"), "WB-016"),
}


@pytest.mark.parametrize("case", list(ODD))
def test_references_spelled_as_readers_accept_them_are_checked(
        esg, tmp_path: Path, case: str) -> None:  # noqa: ANN001
    """Readers take `r` after other attributes, in single quotes, with spaces, in lower case
    or under a namespace prefix, and place cells that carry none: none of it may hide a cell
    given twice or one far outside the sheet (the reader would abort), alone or in a folder."""
    edit, code = ODD[case]
    folder = tmp_path / "replies"
    folder.mkdir()
    target = rewrite_part(_good(tmp_path), folder / "odd.xlsx", SHEET, edit)
    for n in range(3):
        write_xlsx(folder / f"ok{n}.xlsx", [HEADER, [f"T{n}", "t", None, 10, "yes", 2, 30,
                                                     "none", None]])
    for path in (target, folder):
        result = esg("score", path, "-q", MINI, "--format", "json", "--lang", "en")
        assert result.exit_code == 3, (case, path, result.stdout)
        assert f"error {code} odd.xlsx › answers" in result.stderr, result.stderr


def test_a_sheet_name_spelled_otherwise_in_the_workbook_part_is_still_checked(
        esg, tmp_path: Path) -> None:  # noqa: ANN001
    """calamine keeps a tab in a sheet's name where the XML parser makes it a space: the
    checks of that sheet must not be skipped because its part is not found by name."""
    middle = rewrite_part(_good(tmp_path), tmp_path / "m.xlsx", SHEET, _row_twice)
    folder = tmp_path / "replies"
    folder.mkdir()
    target = rewrite_part(middle, folder / "tab.xlsx", "xl/workbook.xml",
                      lambda xml: xml.replace(b'name="answers"', b'name="ans&#9;wers"'))
    write_xlsx(folder / "ok.xlsx", [HEADER, ["T1", "t", None, 10, "yes", 2, 30, "none", None]])
    for path in (target, folder):
        result = esg("score", path, "-q", MINI, "--format", "json", "--lang", "en")
        assert result.exit_code == 3, (path, result.stdout)
        assert "error WB-013 tab.xlsx" in result.stderr and "row 2 is given twice" in result.stderr


def test_a_formulas_float_noise_reads_as_excel_shows_it_on_every_path(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """0.7/3.5*100 is stored as 19.999999999999996; Excel shows 20 and so does the fast reader
    of one file; a reply read among many (calamine's floats) used to keep the noise, and a
    threshold at 20 then scored the same file differently alone and in a folder."""
    folder = tmp_path / "replies"
    folder.mkdir()
    for n in range(2):  # openpyxl rounds what it writes: the noise is put in the XML
        made = write_xlsx(tmp_path / f"r{n}.xlsx", [HEADER, [f"S{n}", "n", None, 10, "yes", 2,
                                                              12345, "none", None]])
        rewrite_part(made, folder / f"r{n}.xlsx", SHEET, lambda xml, n=n: xml.replace(
            b"<v>12345</v>", b"<v>19.999999999999996</v>" if n == 0 else b"<v>4.9</v>"))
    together = esg("score", folder, "-q", MINI, "--format", "json", "--lang", "en")
    alone = esg("score", folder / "r0.xlsx", "-q", MINI, "--format", "json", "--lang", "en")
    assert together.exit_code == alone.exit_code == 0, together.stderr
    import json

    first = json.loads(together.stdout)["suppliers"][0]
    assert first == json.loads(alone.stdout)["suppliers"][0]
    explained = esg("score", folder, "-q", MINI, "--explain", "S0", "--format", "json")
    assert '"20"' in explained.stdout or '"20%"' in explained.stdout, explained.stdout[:3000]


def test_the_hidden_record_is_read_from_its_xml_only_when_written_as_esg_writes_it(
        tmp_path: Path) -> None:
    from esgcli.answers.opening import META_SHEET
    from esgcli.answers.smallbook import open_small_xlsx

    straight = open_small_xlsx(_template_reply(tmp_path))
    assert straight.recorded(META_SHEET) == workbook_meta(straight.book) != {}
    assert straight.recorded("응답") is None  # not a record: read as any sheet
    for case in ("record with an escape", "record with _x000D_", "record with a third column",
                 "record from row 2", "template reply, LibreOffice re-save",
                 "record keys with spaces", "record with spaces"):
        folder = tmp_path / re.sub(r"\W+", "-", case)
        folder.mkdir()
        assert open_small_xlsx(CASES[case](folder)).recorded(META_SHEET) is None, case


def _known_by_patterns(cells: bytes) -> bool:
    """What `references.few_cells` must say, told by regular expressions (the checks it
    replaced): every `<c`, not `<co`, written `<c r="B7"`; every `<row` carrying `r="7"`; no
    prefixed element; no reference past ZZ or 9999 or with a leading zero; nothing twice."""
    refs = re.findall(rb'<c r="([A-Z]{1,3}\d{1,7})"', cells)
    if cells.count(b"<c") - cells.count(b"<co") != len(refs):
        return False
    rows = re.findall(rb'<row [^>]*?r="(\d{1,7})"', cells)
    if cells.count(b"<row") != len(rows):
        return False
    if re.search(rb"<[^\s<>/!?:]+:(?:c|row)[\s/>]", cells):  # any prefix, as readers take it
        return False
    if len(re.findall(rb"[\s\"']r(?=[\s=])", cells)) != len(refs) + len(rows):
        return False  # an `r` attribute twice in a tag (or the word r in a cell's text)
    if re.search(rb'<c r="(?:[A-Z]{3}|[A-Z]{1,2}(?:0|\d{5}))', cells):
        return False
    return len({int(r) for r in rows}) == len(rows) and len(set(refs)) == len(refs)


TAIL = st.sampled_from([b"/>", b' s="5" t="n"/>', b' t="s"><v>0</v></c>', b"><v>1</v></c>"])
ODD_XML = st.sampled_from([b"<c/>", b"<c>", b'<c s="1" r="B2"/>', b"<c r='B2'/>", b'<c  r="B2"/>',
                           b'<x:c r="B2"/>', b"<cfRule/>", b"<col/>", b'<c r="B2">10:30</c>',
                           b"<row>", b'<row r="07">', b'<row spans="1:2" r="3">', b'<x:row r="9">',
                           b'<c r="B2"/>', b'<row r="2">', b'<-:c r="B2"/>',
                           "<é:c r='B2'/>".encode(), b'<c r="K2" r="B2"/>',
                           b'<c r="K2"\tr="B2"/>', b'<c r="K2" s="1"\nr = "B2"/>',
                           b'<c r="K3" t="inlineStr"><is><t>a r b</t></is></c>',
                           b'<row r="3" r="4">', b"<-:c><v>5</v></-:c>", "<é:row>".encode(),
                           b'<c r="K2" t="n"r="B2"/>', b"<c r='K2'r='B2'/>"])
BAD_REF = st.sampled_from([b"AAA1", b"A01", b"A12345", b"a1", b"A1234567", b"A", b"1", b"B0"])


@st.composite
def sheet_data(draw: st.DrawFn) -> bytes:
    """`<sheetData>` as writers write it (rows and cells in order, each once), then up to three
    changes: a fragment spelled otherwise, a reference that is far, zero-padded or malformed,
    a cell or row given twice."""
    tokens: list[bytes] = []
    for r in sorted(draw(st.lists(st.integers(1, 9999), max_size=4, unique=True))):
        tokens.append(b'<row r="%d">' % r)
        for col in sorted(draw(st.lists(st.sampled_from([b"A", b"B", b"Z", b"AB", b"ZZ"]),
                                        max_size=4, unique=True)), key=lambda c: (len(c), c)):
            tokens.append(b'<c r="%s%d"%s' % (col, r, draw(TAIL)))
        tokens.append(b"</row>")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(tokens)))
        change = draw(st.sampled_from(["odd", "ref", "twice"]))
        if change == "odd":
            tokens.insert(at, draw(ODD_XML))
        elif tokens and change == "ref":
            k = min(at, len(tokens) - 1)
            tokens[k] = re.sub(rb'r="[A-Z]*\d*"', b'r="%s"' % draw(BAD_REF), tokens[k], count=1)
        elif tokens:
            tokens.insert(at, tokens[min(at, len(tokens) - 1)])
    return b"<sheetData>" + b"".join(tokens) + b"</sheetData>"


@settings(max_examples=400)
@given(sheet_data())
def test_a_small_sheet_is_known_clean_exactly_when_the_patterns_say_so(cells: bytes) -> None:
    assert references.few_cells(cells) == _known_by_patterns(cells), cells


def test_a_reply_as_the_template_writes_it_is_known_clean(tmp_path: Path) -> None:
    xml = zipfile.ZipFile(_template_reply(tmp_path)).read(SHEET)
    cells = checks.sheet_data(xml)
    assert references.few_cells(cells) and _known_by_patterns(cells)
    twice = cells.replace(b'<c r="A1"', b'<c r="A2"', 1)
    assert not references.few_cells(twice) and not _known_by_patterns(twice)


def test_a_control_byte_in_a_tag_is_no_whitespace_to_the_quick_check() -> None:
    """`<row \\x00r="64">` is no markup; the quick check said the sheet was clean (review)."""
    cells = b'<sheetData><row \x00r="64"><c r="ZZ648" s="5" t="n"/></row></sheetData>'
    assert not references.few_cells(cells) and not _known_by_patterns(cells)
