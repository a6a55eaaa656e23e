"""A big sheet read in parts is cut only between rows: a `</row><row r="N">` inside a comment,
a processing instruction or a CDATA text (legal XML, no row) never moves, loses or adds a cell
(the cut lands inside it, the part is unreadable, and the sheet is read whole). The scan of big
sheets, which cannot tell markup from a comment, refuses such a sheet whole and in parts alike
(its rows seem given twice: WB-016)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MINI, rewrite_part, write_xlsx

from esgcli.answers import xlsx_checks
from esgcli.answers.fastread import split_read
from esgcli.base import parallel

HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
SHEET = "xl/worksheets/sheet1.xml"


def _answers(tmp: Path, rows: int = 400) -> Path:
    return write_xlsx(tmp / "src.xlsx", [HEADER] + [
        [f"S{i:03d}", f"name{i}", None, 10 if i % 4 else 60, "yes" if i % 2 else "no",
         1 + i % 3, i % 40, "manager,training" if i % 5 else "ppe", "yes" if i % 3 else "no"]
        for i in range(rows)])


DECOYS = {
    "comment": lambda n: b'<!-- </row><row r="%d"> -->' % n,
    "processing instruction": lambda n: b'<?pi </row><row r="%d">?>' % n,
}


@pytest.mark.parametrize("decoy", sorted(DECOYS))
@pytest.mark.parametrize("part_bytes", [None, 40_000])
def test_row_tags_inside_comments_do_not_cut_a_sheet(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, decoy: str,  # noqa: ANN001
        part_bytes: int | None) -> None:
    def decoys(xml: bytes) -> bytes:  # before every row but the first: its own tag, as markup
        return re.sub(rb'(?<=</row>)<row r="(\d+)"',
                      lambda m: DECOYS[decoy](int(m.group(1))) + m.group(0), xml)

    src = _answers(tmp_path)
    target = rewrite_part(src, tmp_path / "decoy.xlsx", SHEET, decoys)
    monkeypatch.setattr(xlsx_checks, "SCAN_LIMIT", 1000)  # a big sheet: the checks of the parts
    whole = esg("score", target, "-q", MINI, "--format", "json", "--lang", "en")
    monkeypatch.setattr(split_read, "MIN_SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    if part_bytes is not None:
        monkeypatch.setattr(split_read, "PART_BYTES", part_bytes)
        monkeypatch.setattr(split_read, "CHUNK", 1024)
    parts = esg("--debug", "score", target, "-q", MINI, "--format", "json", "--lang", "en")
    if whole.exit_code == 3:  # the scan of a big sheet reads the decoys' `r` as rows out of order
        assert parts.exit_code == 3 and "rows given twice or out of order" in parts.stderr
        assert "rows given twice or out of order" in whole.stderr
        return
    assert whole.exit_code == parts.exit_code == 0, parts.stderr
    assert parts.stdout == whole.stdout
    assert re.search(r"RD-002 |RD-015 ", parts.stderr), parts.stderr  # in parts, or tried and given up
    plain = esg("score", src, "-q", MINI, "--format", "json", "--lang", "en")
    strip = re.compile(r'"(file|sha256)": "[^"]*"')
    assert strip.sub("", parts.stdout) == strip.sub("", plain.stdout)  # the same suppliers
