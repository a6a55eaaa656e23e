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


def _workbook(tmp_path: Path, rows: int = 3, percent: tuple[str, float] = ("G3", 0.25)) -> Path:
    """``rows`` suppliers, the cell ``percent`` (E-3, %) holding its value percent-formatted."""
    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append([f"S{i:03d}", "가", None, 10, "yes", 3, 30, "none", None])
    sheet[percent[0]] = percent[1]
    sheet[percent[0]].number_format = "0%"
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


@pytest.mark.parametrize("spelled", [b"<c t='e' r=\"E300\"><v>#N/A</v></c>",
                                     b'<x:c r="E300"><x:f>1+1</x:f></x:c>',
                                     b"<c s='1' r=\"G300\"><v>0.25</v></c>"], ids=lambda v: v.decode())
def test_a_big_sheet_read_in_parts_finds_a_cell_in_any_spelling(esg, tmp_path: Path,  # noqa: ANN001
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                spelled: bytes) -> None:
    """The split read scans the XML as it streams (`StreamScanner`): the same as a whole read.
    (A big sheet's `r` spelled otherwise than `r="E300"` is refused, WB-016: not tried here.)"""
    from esgcli.answers import xlsx_checks
    from esgcli.answers.fastread import split_read
    from esgcli.base import parallel

    # G2: 30%, as typed in the other rows: style 1 is a percent format
    source = _workbook(tmp_path, 400, ("G2", 0.3))
    ref = re.search(rb"r=[\"']([A-Z]+\d+)", spelled).group(1)  # type: ignore[union-attr]
    whole = _score(esg, source, tmp_path / "whole", {ref: spelled})
    monkeypatch.setattr(xlsx_checks, "SCAN_LIMIT", 1000)  # a big sheet, as far as the route knows
    monkeypatch.setattr(split_read, "MIN_SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(split_read, "PART_BYTES", 8000)
    calls: list[object] = []
    read_parts = split_read._read_parts
    monkeypatch.setattr(split_read, "_read_parts", lambda *a: calls.append(read_parts(*a)) or calls[-1])
    split = _score(esg, source, tmp_path / "split", {ref: spelled})
    assert calls and calls[0] is not None  # the sheet really was read in parts
    assert split == whole
    if ref.startswith(b"G"):  # 25%, read as 25: full points, as its neighbours
        row_300 = next(s for s in whole[2] if s["supplier_id"] == "S298")
        assert whole[0] == 0 and row_300["areas"]["E"]["compliant"] == 3
    else:
        assert whole[0] == 3 and any(ref.decode() in line for line in whole[1])


@pytest.mark.parametrize("colons", [0, 3, 99])  # `spans="1:9"` rows: the `:` rare or common
def test_a_prefixed_formula_is_found_whether_f_is_rare_common_or_found_by_numpy(
        monkeypatch: pytest.MonkeyPatch, colons: int) -> None:
    from esgcli.answers.fastread import fidelity

    spans = ' spans="1:9"'
    rows = [f'<x:row r="{r}"{spans if r <= colons else ""}><x:c r="A{r}" '
            f't="inlineStr"><x:is><x:t>{"f" * 3}</x:t></x:is></x:c>'
            + (f'<x:c r="B{r}"><x:f>A{r}&amp;"x"</x:f></x:c>' if r % 20 == 7 else "")
            + "</x:row>" for r in range(1, 100)]
    xml = ("<x:sheetData>" + "".join(rows) + "</x:sheetData>").encode()
    expected = {("B", r): ("formula", f'=A{r}&amp;"x"') for r in range(1, 100) if r % 20 == 7}
    assert scan_xml(xml, set()) == expected  # `f` common: `<f` by `find`, `:f` besides
    padded = b" " * (xml.count(b"f") * 512) + xml
    assert len(padded) < fidelity.VECTOR_BYTES
    assert scan_xml(padded, set()) == expected  # `f` rare: each `f` looked at
    monkeypatch.setattr(fidelity, "VECTOR_BYTES", 0)  # every `f` found by numpy
    assert scan_xml(xml, set()) == expected


def test_looking_back_for_a_marker_s_cell_is_linear() -> None:
    """Markers outside any cell, each after a tag of its own (`<y/>#`, a row's `ht="1"` where
    style 1 is a percent format): each is looked back from down to the marker before it only,
    not to the last cell (bytes searched are counted, never the clock)."""

    class Counting(bytes):
        work = 0

        def rfind(self, sub, start=None, end=None):  # type: ignore[no-untyped-def,override]  # noqa: ANN001, ANN201
            lo, hi = start or 0, len(self) if end is None else end
            found = super().rfind(sub, lo, hi)
            Counting.work += hi - (lo if found < 0 else found)
            return found

    def work(n: int) -> int:
        first = b'<row r="1"><c r="A1" t="e"><v>#N/A</v></c></row>'
        rows = b"".join(b'<row r="%d" ht="1"><y/>#<y/>#</row>' % r for r in range(2, n))
        Counting.work = 0
        assert scan_xml(Counting(b"<sheetData>" + first + rows + b"</sheetData>"), {b"1"}) == {
            ("A", 1): ("error", "#N/A")}
        return Counting.work

    assert work(4000) <= 2.5 * work(2000)
