"""Readers find a workbook's parts by name ignoring case, with `\\` read as `/`, and match
elements by their local names (ISO Strict, or no namespace). esg looked parts up by their exact
names, so a sheet spelled `xl/worksheets/Sheet1.xml` (or listed in another namespace) had none
of its checks, and a far cell in it made the reader abort (the hostile-input probe's A1, A2,
A4). Parts named alike, and sheets named alike, are refused: readers may take either."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from esgcli.answers import xlsx_checks

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_RELS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
FAR = '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>' \
      '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def _book(path: Path, *, sheet_member: str = "xl/worksheets/sheet1.xml",
          target: str = "worksheets/sheet1.xml", main: str = MAIN, rels: str = RELS,
          sheets: tuple[str, ...] = ("answers",), extra: dict[str, str] | None = None,
          cells: str = FAR) -> Path:
    listed = "".join(f'<sheet name="{name}" sheetId="{k + 1}" r:id="rId{k + 1}"/>'
                     for k, name in enumerate(sheets))
    relations = "".join(f'<Relationship Id="rId{k + 1}" Type="{rels}/worksheet" Target="{target}"/>'
                        for k in range(len(sheets)))
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                   f'{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{main}" '
                   f'xmlns:r="{rels}"><sheets>{listed}</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns='
                   f'"http://schemas.openxmlformats.org/package/2006/relationships">{relations}'
                   "</Relationships>")
        z.writestr(sheet_member, f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>'
                   f"{cells}</sheetData></worksheet>")
        for name, text in (extra or {}).items():
            z.writestr(name, text)
    return path


@pytest.mark.parametrize(("member", "target"), [
    ("xl/worksheets/Sheet1.xml", "worksheets/sheet1.xml"),
    ("xl/worksheets/sheet1.xml", "Worksheets/Sheet1.xml"),
    ("xl\\worksheets\\sheet1.xml", "worksheets/sheet1.xml"),
    ("xl/worksheets/sheet1.xml", "worksheets\\sheet1.xml"),
])
def test_a_sheet_spelled_otherwise_is_checked_as_readers_find_it(
        tmp_path: Path, member: str, target: str) -> None:
    path = _book(tmp_path / "b.xlsx", sheet_member=member, target=target)
    assert xlsx_checks.zip_problem(path) is None
    problem = xlsx_checks.check_extent(path)
    assert problem is not None and problem.code == "WB-009", problem


def test_a_workbook_in_the_strict_namespace_is_checked(tmp_path: Path) -> None:
    path = _book(tmp_path / "s.xlsx", main=STRICT, rels=STRICT_RELS)
    assert list(xlsx_checks.sheet_index(path)) == ["answers"]
    problem = xlsx_checks.check_extent(path)
    assert problem is not None and problem.code == "WB-009", problem


def test_parts_named_alike_are_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "p.xlsx", extra={"xl/worksheets/Sheet1.xml": "<worksheet/>"})
    problem = xlsx_checks.zip_problem(path)
    assert problem is not None and problem.code == "WB-002"
    assert "named alike (xl/worksheets/sheet1.xml, xl/worksheets/Sheet1.xml)" in problem.text("en")


def test_sheets_named_alike_are_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "n.xlsx", sheets=("answers", "Answers"))
    problem = xlsx_checks.zip_problem(path)
    assert problem is not None and problem.code == "WB-002"
    assert "two sheets are named 'Answers'" in problem.text("en")


def test_a_shared_string_table_spelled_otherwise_is_checked(tmp_path: Path) -> None:
    table = '<?xml version="1.0"?><sst xmlns="%s" uniqueCount="4000000000"><si><t>a</t></si></sst>'
    path = _book(tmp_path / "t.xlsx", cells='<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                 extra={"xl/SharedStrings.xml": table % MAIN})
    problem = xlsx_checks.zip_problem(path) or xlsx_checks.check_extent(path)
    assert problem is not None and problem.code == "WB-009", problem
    assert "declares 4,000,000,000 strings" in problem.text("en")
