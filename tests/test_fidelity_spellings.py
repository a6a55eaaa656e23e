"""The fidelity scan finds an Excel error value, a formula saved without a value and a
percent-formatted number in every spelling readers accept: attributes in any order, either
quote, whitespace around `=`, a namespace prefix on the cell and its children. Each spelling
gives what the canonical one gives, through `scan_xml`, streamed in pieces, and through
`esg score` (the reviewer's case: the spelled cell was read as a blank or as 0.25, exit 0)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import MINI
from openpyxl import Workbook
from test_hostile import HEADER, rewrite

from esgcli.answers.fastread.fidelity import StreamScanner, scan_xml

SHEET = "xl/worksheets/sheet1.xml"
ERROR = b'<c r="E3" t="e"><v>#N/A</v></c>'
FORMULA = b'<c r="E3"><f>1+1</f></c>'
PERCENT = b'<c r="G3" s="1" t="n"><v>0.25</v></c>'
SPELLINGS = {  # canonical cell -> the same cell spelled otherwise
    ERROR: [b'<c t="e" r="E3"><v>#N/A</v></c>', b"<c r='E3' t='e'><v>#N/A</v></c>",
            b'<c r="E3" t = "e"><v>#N/A</v></c>', b'<c\tr="E3"\nt="e"><v>#N/A</v></c >',
            b'<x:c r="E3" t="e"><x:v>#N/A</x:v></x:c>'],
    FORMULA: [b'<c s="0" r="E3"><f>1+1</f></c>', b"<c s='0' r='E3'><f>1+1</f></c>",
              b'<x:c r="E3"><x:f>1+1</x:f></x:c>'],
    PERCENT: [b'<c s="1" r="G3"><v>0.25</v></c>', b"<c r=\"G3\" s='1'><v>0.25</v></c>",
              b'<c r="G3" s = "1"><v>0.25</v></c>', b'<c r="G3" t="n"s="1"><v>0.25</v></c>',
              b'<x:c s="1" r="G3"><x:v>0.25</x:v></x:c>'],
}
CASES = [(canonical, spelled) for canonical, spellings in SPELLINGS.items()
         for spelled in spellings]
IDS = [spelled.decode().replace("\t", "\\t").replace("\n", "\\n") for _, spelled in CASES]


def _sheet(cell: bytes, rows: int = 40) -> bytes:
    """Sheet XML whose row 3 holds ``cell`` among plain cells (shared strings, numbers)."""
    out = []
    for r in range(1, rows + 1):
        cells = f'<c r="A{r}" t="s"><v>{r}</v></c><c r="B{r}" s="2"><v>{r}.5</v></c>'.encode()
        out.append(f'<row r="{r}" spans="1:9">'.encode() + cells + (cell if r == 3 else b"")
                   + b"</row>")
    return b"<worksheet><sheetData>" + b"".join(out) + b"</sheetData></worksheet>"


@pytest.mark.parametrize(("canonical", "spelled"), CASES, ids=IDS)
def test_a_cell_in_any_spelling_is_scanned_as_its_canonical_spelling(canonical: bytes,
                                                                     spelled: bytes) -> None:
    expected = scan_xml(_sheet(canonical), {b"1"})
    assert len(expected) == 1  # the canonical cell itself is found
    for percent in ({b"1"}, {b"1", b"3", b"4", b"5", b"6", b"7"}):  # one search per style, one pass
        assert scan_xml(_sheet(canonical), percent) == expected
        assert scan_xml(_sheet(spelled), percent) == expected, percent
    xml = _sheet(spelled)
    for step in (7, 64, 300):  # streamed in pieces: the same cells, wherever it is cut
        scanner = StreamScanner({b"1"})
        for at in range(0, len(xml), step):
            scanner.feed(xml[at:at + step])
        assert scanner.finish() == expected, step


def test_a_prefixed_sheet_streamed_in_pieces_is_scanned_as_a_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows end with `</x:row>`: what has arrived is scanned up to there, not cut in the middle
    of a cell when it grows too long to keep (as it was without a `</row>`)."""
    from esgcli.answers.fastread import fidelity

    monkeypatch.setattr(fidelity, "CARRY_BYTES", 400)  # a few rows
    rows = [f'<x:row r="{r}"><x:c r="A{r}"><x:f>B{r}</x:f></x:c><x:c r="B{r}" t="e">'
            f"<x:v>#REF!</x:v></x:c></x:row>" for r in range(1, 30)]
    xml = ("<x:worksheet><x:sheetData>" + "".join(rows) + "</x:sheetData></x:worksheet>").encode()
    expected = scan_xml(xml, set())
    assert len(expected) == 58
    for step in (33, 100, 170):
        scanner = StreamScanner(set())
        for at in range(0, len(xml), step):
            scanner.feed(xml[at:at + step])
        assert scanner.finish() == expected


def test_a_font_family_in_rich_text_is_no_formula() -> None:
    """`<family val="2"/>` (a run's font in an inline string) starts with `<f`: not a formula."""
    cell = (b'<c r="E3" t="inlineStr"><is><r><rPr><family val="2"/></rPr><t>yes</t></r></is></c>')
    assert scan_xml(_sheet(cell), set()) == {}


def _workbook(tmp_path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    sheet.append(HEADER)
    for i in range(3):
        sheet.append([f"S{i}", "가", None, 10, "yes", 3, 30, "none", None])
    sheet["G3"] = 0.25  # E-3 (%), shown as 25%
    sheet["G3"].number_format = "0%"
    path = tmp_path / "source.xlsx"
    book.save(path)
    return path


def _score(esg, source: Path, where: Path, cells: dict[bytes, bytes]) -> tuple:  # noqa: ANN001
    """`esg score` of ``source`` with its cells replaced: exit code, problems, scores."""
    def edit(data: bytes) -> bytes:
        for ref, cell in cells.items():
            data, count = re.subn(rb'<c r="' + ref + rb'"[^>]*>.*?</c>', cell, data, count=1)
            assert count == 1, ref
        return data

    where.mkdir()
    path = rewrite(source, where / "reply.xlsx", {SHEET: edit})
    result = esg("score", path, "-q", MINI, "--format", "json", "--lang", "en")
    problems = sorted(line for line in result.stderr.splitlines() if "reply.xlsx ›" in line)
    scores = json.loads(result.stdout)["suppliers"] if result.stdout.strip() else None
    return result.exit_code, problems, scores


@pytest.mark.parametrize(("canonical", "spelled"), CASES, ids=IDS)
def test_esg_score_reads_a_cell_in_any_spelling_as_its_canonical_spelling(
        esg, tmp_path: Path, canonical: bytes, spelled: bytes) -> None:  # noqa: ANN001
    source = _workbook(tmp_path)
    ref = re.search(rb'r=["\']([A-Z]+\d+)', canonical).group(1)  # type: ignore[union-attr]
    expected = _score(esg, source, tmp_path / "canonical", {ref: canonical})
    if canonical == PERCENT:  # read as 25, as the supplier saw it (0.25 scores no point)
        assert expected[0] == 0
        assert expected[2][1]["areas"]["E"]["compliant"] == 3
    else:  # ANS-009 (error value) or ANS-010 (formula without value), located
        code = "ANS-009" if canonical == ERROR else "ANS-010"
        assert expected[0] == 3
        assert any(f"{code} reply.xlsx › answers › E3" in line for line in expected[1])
    assert _score(esg, source, tmp_path / "spelled", {ref: spelled}) == expected
