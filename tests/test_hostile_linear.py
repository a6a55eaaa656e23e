"""Issue 13 class 3: every scan is linear in its input. Each test doubles a crafted input and
counts the work (bytes searched, probes, archive entries read), never the wall clock."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from esgcli.answers.fastread.fidelity import scan_xml
from esgcli.answers.sheet_reader import match_indicator

T = TypeVar("T")


class CountingBytes(bytes):
    """Bytes that count how many bytes `find` and `rfind` look at."""

    work = 0

    def find(self, sub, start=None, end=None):  # type: ignore[no-untyped-def,override]  # noqa: ANN001, ANN201
        lo = 0 if start is None else start
        hi = len(self) if end is None else end
        found = super().find(sub, lo, hi)
        CountingBytes.work += (hi if found < 0 else found + len(sub)) - lo
        return found

    def rfind(self, sub, start=None, end=None):  # type: ignore[no-untyped-def,override]  # noqa: ANN001, ANN201
        lo = 0 if start is None else start
        hi = len(self) if end is None else end
        found = super().rfind(sub, lo, hi)
        CountingBytes.work += hi - (lo if found < 0 else found)
        return found


def _work(xml: bytes, percent: set[bytes]) -> tuple[int, dict]:
    CountingBytes.work = 0
    found = scan_xml(CountingBytes(xml), percent)
    return CountingBytes.work, found


def _sheet(cells: list[bytes]) -> bytes:
    return (b'<worksheet><sheetData><row r="1">' + b"".join(cells) + b"</row></sheetData></worksheet>")


def test_fidelity_scan_of_a_cell_full_of_hashes_is_linear() -> None:
    def xml(n: int) -> bytes:
        text = b"#" * n
        return _sheet([b'<c r="A1" t="inlineStr"><is><t>x</t></is></c>',
                       b'<c r="B1" t="inlineStr"><is><t>' + text + b"</t></is></c>",
                       b'<c r="C1" t="e"><v>#N/A</v></c>'])

    small, found = _work(xml(20_000), set())
    big, found_big = _work(xml(40_000), set())
    assert found == found_big == {("C", 1): ("error", "#N/A")}
    assert big <= 2.5 * small, (small, big)


def test_fidelity_scan_with_many_percent_styles_passes_over_the_sheet_once() -> None:
    def case(styles: int) -> tuple[bytes, set[bytes]]:
        cells = [b'<c r="A%d" s="%d"><v>0.25</v></c>' % (k + 1, k) for k in range(styles)]
        return _sheet(cells), {str(k).encode() for k in range(styles)}

    small, found = _work(*case(200))
    big, found_big = _work(*case(400))
    assert len(found) == 200 and len(found_big) == 400
    assert found[("A", 1)] == ("percent", "0.25")
    assert big <= 2.5 * small, (small, big)


def test_a_header_of_a_million_separators_costs_what_a_short_one_costs() -> None:
    ids = {"e-1-1": "E-1-1", "s-2": "S-2"}

    class Counting(dict):
        probed = 0

        def __contains__(self, key: object) -> bool:
            Counting.probed += len(str(key))
            return super().__contains__(key)

    def cost(n: int) -> int:
        Counting.probed = 0
        assert match_indicator("E-1-1 " + ":" * n, Counting(ids)) == "E-1-1"
        assert match_indicator("X" + "." * n, Counting(ids)) is None
        return Counting.probed

    small, big = cost(50_000), cost(100_000)
    assert big <= 2.5 * small, (small, big)


def _many_sheets(path: Path, count: int) -> Path:
    from conftest import write_xlsx

    write_xlsx(path, [["title"]], sheet="s0")
    from openpyxl import load_workbook

    book = load_workbook(path)
    for k in range(1, count):
        book.create_sheet(f"s{k}")["A1"] = "x"
    sheet = book.create_sheet("answers")
    for row in (["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"],
                ["S1", 10, "yes", 3, 30, "none", None]):
        sheet.append(row)
    book.save(path)
    return path


def test_reading_a_workbook_of_many_sheets_reads_its_directory_a_bounded_number_of_times(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import MINI

    from esgcli import load_questionnaire
    from esgcli.answers.read import read_answers

    q = load_questionnaire(MINI)
    entries = {"n": 0}
    original = zipfile.ZipFile._RealGetContents

    def counting(self: zipfile.ZipFile) -> None:
        original(self)
        entries["n"] += len(self.filelist)

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", counting)

    def work(count: int) -> int:
        path = _many_sheets(tmp_path / f"m{count}.xlsx", count)
        entries["n"] = 0
        answers = read_answers(path, q)
        assert answers.source.sheet == "answers" and len(answers) == 1
        return entries["n"]

    small, big = work(60), work(120)
    assert big <= 2.5 * small, (small, big)


def _many_dimensionless_sheets(path: Path, count: int) -> Path:
    """openpyxl's write-only mode: no <dimension> in any sheet."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for k in range(count):
        book.create_sheet(f"s{k}").append(["x"])
    sheet = book.create_sheet("answers")
    for row in (["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"],
                ["S1", 10, "yes", 3, 30, "none", None]):
        sheet.append(row)
    book.save(path)
    return path


def test_reading_many_sheets_without_dimension_copies_no_workbook_per_sheet(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet without <dimension> was placed by reading it in parts, each part a copy of the
    whole workbook: the work grew with the square of the sheet count (1,000 sheets: 81 s).
    Counts archive entries listed and written, which double with the sheets when linear."""
    from conftest import MINI

    from esgcli import load_questionnaire
    from esgcli.answers.read import read_answers

    q = load_questionnaire(MINI)

    def work(count: int) -> int:
        path = _many_dimensionless_sheets(tmp_path / f"w{count}.xlsx", count)
        entries, answers = archive_entries_while(monkeypatch, lambda: read_answers(path, q))
        assert answers.source.sheet == "answers" and len(answers) == 1
        return entries

    small, big = work(40), work(80)
    assert big <= 2.5 * small, (small, big)


def archive_entries_while(monkeypatch: pytest.MonkeyPatch, run: Callable[[], T]) -> tuple[int, T]:
    """Archive entries zipfile lists and writes while ``run`` runs, and its result: linear work
    doubles them when the input doubles."""
    entries = 0
    listed = zipfile.ZipFile._RealGetContents  # type: ignore[attr-defined]
    written = zipfile.ZipFile.writestr

    def counting(self: zipfile.ZipFile) -> None:
        nonlocal entries
        listed(self)
        entries += len(self.filelist)

    def counting_write(self: zipfile.ZipFile, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]  # noqa: ANN002, ANN003
        nonlocal entries
        entries += 1
        written(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(zipfile.ZipFile, "_RealGetContents", counting)
        patch.setattr(zipfile.ZipFile, "writestr", counting_write)
        result = run()
    return entries, result


# Patterns applied to a whole sheet, table or content.xml, by module. A run of a negated class
# that may pass `<` lets every start scan to the end of the input when the tag it looks for
# never ends: quadratic in crafted XML (40 KB of `<row ` took 44 s in `_oddly_spelled`).
BOUNDED_INSIDE = {  # applied to text already cut to one cell or one tag: linear as it is
    "esgcli.answers.fastread.fidelity": {"_VALUE"},
}


def _patterns() -> list[tuple[str, str, bytes]]:
    import importlib
    import re

    found = []
    for module in ("esgcli.answers.xlsx_checks", "esgcli.answers.references",
                   "esgcli.answers.fastread.fidelity", "esgcli.answers.fastread.split_read",
                   "esgcli.answers.smallbook", "esgcli.answers.workbook"):
        mod = importlib.import_module(module)
        for name, value in vars(mod).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, bytes) \
                    and name not in BOUNDED_INSIDE.get(module, set()):
                found.append((module, name, value.pattern))
    return found


@pytest.mark.parametrize(("module", "name", "pattern"), _patterns(),
                         ids=lambda v: v if isinstance(v, str) and not v.startswith("esg") else "")
def test_no_unbounded_run_of_a_sheet_pattern_passes_a_tag(module: str, name: str,
                                                          pattern: bytes) -> None:
    import re

    assert not re.search(rb"(?<!\\)\.[*+]", pattern), f"{module}.{name}: `.*` runs to the end"
    for run in re.finditer(rb"\[\^((?:\\.|[^\]])*)\]([*+])", pattern):
        excluded = run.group(1)
        assert b"<" in excluded or b">" not in excluded and b"\\s" in excluded, (
            f"{module}.{name}: {run.group(0)!r} may pass the next `<`")


def test_the_shared_string_lengths_are_read_in_one_pass() -> None:
    """`string_lengths` gives what the pattern it replaced gave (`<si>(.*?)</si>|<si/>`, which
    was quadratic on a table of `<si>` without `</si>`)."""
    import random
    import re

    from esgcli.answers.xlsx_checks import string_lengths

    old = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
    rng = random.Random(7)
    tokens = [b"<si>", b"</si>", b"<si/>", b"ab", b"<t>x</t>", b"\n", b"<si ", b"</s"]
    for _ in range(3000):
        table = b"<sst>" + b"".join(rng.choice(tokens) for _ in range(rng.randrange(12))) + b"</sst>"
        assert string_lengths(table) == [len(m.group(1) or b"") for m in old.finditer(table)], table


def test_the_vector_read_of_plain_string_lengths_equals_the_tag_by_tag_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A table written `<si>`…`</si>` one after the other is measured by a few vector
    operations (~0.15 s -> 0.01 s for 100,000 strings, at the start of every big read); any
    other table by the tags one by one. Both give the same lengths."""
    import random

    from esgcli.answers import xlsx_checks

    rng = random.Random(11)
    tokens = [b"<si>", b"</si>", b"<si/>", b"ab", b"<t>x</t>", b"\n", b"<si ", b"</s", b"</si",
              b"<x:si>", b"</x:si>", b"<sit>", b">", b"\xea\xb0\x80"]
    plain = b"".join(b"<si><t>" + b"x" * rng.randrange(5) + b"</t></si>" for _ in range(50))
    tables = [b"<sst>" + plain + b"</sst>", b"", b"<si>", b"</si>"]
    tables += [b"<sst>" + b"".join(rng.choice(tokens) for _ in range(rng.randrange(14))) + b"</sst>"
               for _ in range(3000)]
    tables += [plain[:cut] for cut in range(0, len(plain), 7)]
    fast = [xlsx_checks.string_lengths(t) for t in tables]
    assert xlsx_checks._plain_string_lengths(tables[0]) is not None  # the fast path was taken
    monkeypatch.setattr(xlsx_checks, "_plain_string_lengths", lambda table: None)
    assert fast == [xlsx_checks.string_lengths(t) for t in tables]


def test_the_ods_row_scan_reads_each_row_once(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`ods_problem` looked for every repeated row's closing tag from that row to the end of
    content.xml: rows whose tag never closes made it quadratic (a 6 KB .ods took 31 s).
    Each row's search now stops at the next row: the bytes searched are counted."""
    from esgcli.answers import xlsx_checks

    def work(rows: int) -> int:
        row = b'<table:table-row table:number-rows-repeated="3"><table:table-cell/>'
        content = b"<office:body>" + row * rows + b"</office:body>"
        path = tmp_path / f"r{rows}.ods"
        with zipfile.ZipFile(path, "w") as out:
            out.writestr("content.xml", content)
        monkeypatch.setattr(zipfile.ZipFile, "read",
                            lambda self, name, pwd=None: CountingBytes(content))
        CountingBytes.work = 0
        assert xlsx_checks.ods_problem(path) is None
        monkeypatch.undo()
        return CountingBytes.work

    small, big = work(2000), work(4000)
    assert 0 < big <= 2.5 * small, (small, big)
