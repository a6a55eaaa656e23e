"""Hostile and broken input (SPEC §10): nothing crashes, nothing leaks, nothing is lost."""

from __future__ import annotations

import csv
import io
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA, MINI, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from esgcli import InputError, load_questionnaire, score
from esgcli.answers.read import read_answers_frame

Q = load_questionnaire(MINI)
HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = ["yes", 3, 30, "manager,training,ppe", None]


def rewrite(src: Path, dst: Path, edits: dict[str, object]) -> Path:
    """Copy an xlsx, replacing some parts (bytes, or a function of the old bytes)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            edit = edits.get(item.filename)
            data = edit(data) if callable(edit) else (edit if edit is not None else data)
            new.writestr(item, data)
    return dst


def base(tmp_path: Path, rows: list[list[object]] | None = None) -> Path:
    return write_xlsx(tmp_path / "base.xlsx", [HEADER, *(rows or [["S1", "가", None, 10, *GOOD]])])


def run_ok(esg, path: Path, *extra: object):  # noqa: ANN001, ANN201
    result = esg("validate", path, "-q", MINI, "--lang", "en", *extra)
    assert "Traceback" not in result.stdout + result.stderr
    return result


_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_BOMB_DTD = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
             + b"".join(b'<!ENTITY lol%d "%s">' % (i + 1, b"&lol%d;" % i * 10 if i else b"&lol;" * 10)
                        for i in range(9)) + b"]>")
_XXE_DTD = b'<!DOCTYPE x [<!ENTITY lol9 SYSTEM "file:///etc/passwd">]>'


def handmade_xlsx(path: Path, part: str, text: bytes, dtd: bytes = b"") -> Path:
    """A minimal workbook built part by part: a sheet holding the header and one supplier.
    ``text`` goes into ``part`` only: the supplier name in the shared strings
    (`xl/sharedStrings.xml`) or in an inline string of the sheet (`xl/worksheets/sheet1.xml`),
    or the sheet's name (`xl/workbook.xml`); ``dtd`` goes before that part's root element, so
    what it declares reaches the parser that reads the part."""
    shared = text if part == "xl/sharedStrings.xml" else b"Acme"
    sheet_name = text if part == "xl/workbook.xml" else b"answers"
    name_cell = (b'<c r="B2" t="inlineStr"><is><t>%s</t></is></c>' % text
                 if part == "xl/worksheets/sheet1.xml" else b'<c r="B2" t="s"><v>0</v></c>')
    header = [h.encode() for h in HEADER]
    letters = [chr(65 + j).encode() for j in range(len(HEADER))]
    head = b"".join(b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (c, h)
                    for c, h in zip(letters, header, strict=True))
    row = (b'<c r="A2" t="inlineStr"><is><t>S1</t></is></c>%s<c r="D2"><v>10</v></c>'
           b'<c r="E2" t="inlineStr"><is><t>yes</t></is></c><c r="F2"><v>3</v></c>'
           b'<c r="G2"><v>30</v></c>'
           b'<c r="H2" t="inlineStr"><is><t>manager,training,ppe</t></is></c>') % name_cell
    parts = {
        "[Content_Types].xml": (
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
            b"</Relationships>" % _REL),
        "xl/workbook.xml": (
            b'<workbook %s xmlns:r="%s"><sheets><sheet name="%s" sheetId="1" r:id="rId1"/>'
            b"</sheets></workbook>" % (_MAIN, _REL, sheet_name)),
        "xl/_rels/workbook.xml.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/>'
            b"</Relationships>" % (_REL, _REL)),
        "xl/worksheets/sheet1.xml": (
            b'<worksheet %s><dimension ref="A1:I2"/><sheetData><row r="1">%s</row>'
            b'<row r="2">%s</row></sheetData></worksheet>' % (_MAIN, head, row)),
        "xl/sharedStrings.xml": (
            b'<sst %s count="1" uniqueCount="1"><si><t>%s</t></si></sst>' % (_MAIN, shared)),
    }
    prolog = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, prolog + (dtd if name == part else b"") + data)
    return path


_PARTS = ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml"]


@pytest.mark.parametrize("part", _PARTS)
def test_a_handmade_workbook_is_read_with_the_text_of_each_part(esg, tmp_path: Path,  # noqa: ANN001
                                                                 part: str) -> None:
    """The control for the entity attacks below: without a DOCTYPE the same workbook is read,
    and the text placed in the attacked part reaches the result."""
    path = handmade_xlsx(tmp_path / "plain.xlsx", part, b"Zeta")
    result = esg("score", path, "-q", MINI, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    [supplier] = json.loads(result.stdout)["suppliers"]
    assert supplier["supplier_id"] == "S1"
    if part == "xl/workbook.xml":
        assert esg("score", path, "-q", MINI, "--sheet", "Zeta").exit_code == 0
    else:
        assert supplier["supplier_name"] == "Zeta"


@pytest.mark.parametrize("dtd", [_BOMB_DTD, _XXE_DTD], ids=["billion-laughs", "external-entity"])
@pytest.mark.parametrize("part", _PARTS)
def test_billion_laughs_and_external_entities_are_not_expanded(
        esg, tmp_path: Path, part: str, dtd: bytes) -> None:  # noqa: ANN001
    """An entity declared in a DOCTYPE and used in a part the readers parse (the shared
    strings, the sheet, the workbook part) is refused as bad input, never expanded: no
    gigabyte of "lol", no file of the machine read into the output."""
    path = handmade_xlsx(tmp_path / "attack.xlsx", part, b"&lol9;", dtd)
    for command in ("validate", "score"):
        result = esg(command, path, "-q", MINI, "--lang", "en", "--format", "json")
        out = result.stdout + result.stderr
        assert "Traceback" not in out
        assert result.exit_code == 3, (command, result.exit_code, out[:2000])
        assert "lollol" not in out and "root:" not in out
        assert len(out) < 100_000


def test_zip_bomb_is_refused(esg, tmp_path: Path) -> None:  # noqa: ANN001
    target = tmp_path / "bomb.xlsx"
    shutil.copy(base(tmp_path), target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/huge.bin", b"\0" * (80 * 1024**2))
    result = run_ok(esg, target)
    assert result.exit_code == 3
    assert "WB-009 bomb.xlsx: workbook too large: xl/media/huge.bin is compressed" in result.stdout


def test_wide_and_tall_sheets_stay_bounded(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """16,384 columns or a million rows read in bounded time; both at once are refused before
    any reader allocates the range (calamine would abort the process)."""
    for name, cells, code in (("wide", {"XFD2": "far right"}, 0),
                              ("tall", {"A1048576": " "}, 0),
                              ("both", {"XFD2": "x", "A1048576": " "}, 3)):
        path = base(tmp_path)
        book = load_workbook(path)
        for ref, value in cells.items():
            book.active[ref] = value
        target = tmp_path / f"{name}.xlsx"
        book.save(target)
        start = time.monotonic()
        result = run_ok(esg, target)
        assert result.exit_code == code, (name, result.stdout)
        assert time.monotonic() - start < 60
        if code:
            assert "WB-009 both.xlsx › answers: workbook too large: the sheet spans 1,048,576 rows " \
                   "× 16,384 columns" in result.stdout


def test_merged_title_and_dates_and_errors(esg, tmp_path: Path) -> None:  # noqa: ANN001
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    sheet.append(["2024 진단"])
    sheet.merge_cells("A1:I1")
    sheet.append(HEADER)
    sheet.append(["S1", "가", None, 10, dt.datetime(2024, 1, 2), 3, 30, "none", None])
    path = tmp_path / "merged.xlsx"
    book.save(path)
    result = run_ok(esg, path)
    assert result.exit_code == 3
    assert result.stdout.splitlines()[0] == (
        'error ANS-001 merged.xlsx › answers › E3 (S1, E-1): "2024-01-02 00:00:00" is not an '
        "answer. Allowed: yes, no")


def test_excel_errors_and_formulas_without_values_are_reported(esg, tmp_path: Path) -> None:  # noqa: ANN001
    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    sheet.append(HEADER)
    sheet.append(["S1", "가", None, 10, "PLACEHOLDER", 3, 30, "none", None])
    sheet.append(["S2", "나", None, 10, "=1+1", 3, 30, "none", None])
    source = tmp_path / "src.xlsx"
    book.save(source)
    target = rewrite(source, tmp_path / "errors.xlsx", {"xl/worksheets/sheet1.xml": lambda d: d.replace(
        b'<c r="E2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>', b'<c r="E2" t="e"><v>#N/A</v></c>')})
    result = run_ok(esg, target)
    assert result.exit_code == 3
    assert result.stdout.splitlines()[:2] == [
        "error ANS-009 errors.xlsx › answers › E2 (S1, E-1): the Excel error value #N/A is not an "
        "answer; type the answer in",
        "error ANS-010 errors.xlsx › answers › E3 (S2, E-1): the formula =1+1 was saved without its "
        "value; open and save the file in Excel (or type the value in)"]


@pytest.mark.parametrize("encoding", ["utf-16", "cp949", "utf-8-sig"])
def test_csv_encodings(esg, tmp_path: Path, encoding: str) -> None:  # noqa: ANN001
    text = (DATA / "mini.csv").read_text(encoding="utf-8")
    path = tmp_path / "a.csv"
    path.write_bytes(text.encode(encoding))
    result = run_ok(esg, path)
    assert result.exit_code == 0, result.stdout
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 10)
    bad = run_ok(esg, garbage)
    assert bad.exit_code == 3 and "WB-010" in bad.stdout + bad.stderr


def test_yaml_wrong_types_and_huge_numbers(esg, tmp_path: Path) -> None:  # noqa: ANN001
    cases = {
        "weight: 1e400": ("weight: 2", "weight: 1e400"),
        "title list": ("title: {ko: 미니 진단, en: Mini assessment}", "title: [a, b]"),
        "areas mapping": ("areas:\n", "areas: 5\nold_areas:\n"),
        "points text": ("points: 0}", "points: many}"),
    }
    for name, (old, new) in cases.items():
        path = tmp_path / "q.yaml"
        path.write_text(MINI.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        result = esg("questionnaire", "check", path, "--lang", "en")
        assert result.exit_code == 3, name
        assert "Traceback" not in result.stdout + result.stderr
        assert result.stderr.startswith("error "), (name, result.stderr)
        assert "q.yaml:" in result.stderr.splitlines()[0], name


def _cells(text: object) -> str:
    return str(text)


@pytest.mark.parametrize("command", ["score", "improve", "certify", "export", "template"])
def test_formula_injection_is_neutralised_in_every_writer(esg, tmp_path: Path, command: str) -> None:  # noqa: ANN001
    rows = [["+cmd", "=HYPERLINK(\"x\")", "사전", 10, "no", 1, 0, "none", None],
            ["+cmd", "@SUM(A1)", "사후", 10, *GOOD]]
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, *rows])
    policy = DATA / "mini-policy.yaml"
    reg = tmp_path / "r.sqlite"
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"out{suffix}"
        args = {
            "score": ("score", answers, "-q", MINI, "-o", out),
            "improve": ("improve", answers, "-q", MINI, "-o", out),
            "certify": ("certify", answers, "--policy", policy, "-q", MINI, "--year", 2024,
                        "--registry", reg, "-o", out),
            "export": ("certs", "export", "--registry", reg, "-o", out),
            # a prefilled template holds supplier rows: a second run may not replace it (§9)
            "template": ("template", "-q", MINI, "-o", tmp_path / f"t{suffix}.xlsx", "--suppliers",
                         answers),
        }[command]
        if command == "export":
            esg("certify", answers, "--policy", policy, "-q", MINI, "--year", 2024, "--registry", reg)
        result = esg(*args)
        assert result.exit_code == 0, result.stdout + result.stderr
        written = out if command != "template" else tmp_path / f"t{suffix}.xlsx"
        cells = _unsafe_cells(written)
        assert not cells, cells


def _unsafe_cells(path: Path) -> list[object]:
    """Values that a spreadsheet would run as formulas: in CSV, text starting with = + - @ (our
    writers put an apostrophe first); in XLSX, formula cells, and such text unless it is a string
    cell with Excel's quote prefix (kept text when edited; the template writes names so)."""
    looks = ("=", "+", "-", "@")
    if path.suffix == ".csv":
        return [c for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
                for c in row if c[:1] in looks]
    book = load_workbook(path)
    return [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row
            if c.data_type == "f" or (isinstance(c.value, str) and c.value[:1] in looks
                                      and not (c.data_type == "s" and c.quotePrefix))]


def test_output_may_not_name_an_input(esg, tmp_path: Path) -> None:  # noqa: ANN001
    answers = base(tmp_path)
    before = answers.read_bytes()
    for args in (("score", answers, "-q", MINI, "-o", answers),
                 ("improve", answers, answers, "-q", MINI, "-o", answers),
                 ("report", answers, "-q", MINI, "--year", 2024, "-o", answers),
                 ("certify", answers, "--policy", DATA / "mini-policy.yaml", "-q", MINI,
                  "--year", 2024, "--registry", tmp_path / "r.sqlite", "-o", answers)):
        result = esg(*args)
        assert result.exit_code == 2, args
    assert answers.read_bytes() == before


def test_registry_survives_sigkill_mid_batch(tmp_path: Path) -> None:
    """Kill `esg certify` while it issues: all of the batch or none of it; a re-run completes."""
    exe = shutil.which("esg") or str(Path(sys.executable).parent / "esg")
    rows = [[f"S{i:03d}", "", None, 10, *GOOD] for i in range(40)]
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, *rows])
    reg = tmp_path / "r.sqlite"
    args = [exe, "certify", str(answers), "--policy", str(DATA / "mini-policy.yaml"), "-q",
            str(MINI), "--year", "2024", "--registry", str(reg), "--format", "json"]
    slow = [sys.executable, str(Path(__file__).parent / "slow_batch.py"), "0.05", *args[1:]]
    proc = subprocess.Popen(slow, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Path(str(reg) + "-journal").exists():
        time.sleep(0.01)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(reg) as db:
        count = db.execute("SELECT count(*) FROM certificates").fetchone()[0]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert count in (0, 40)
    again = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(reg) as db:
        numbers = [r[0] for r in db.execute("SELECT number FROM certificates ORDER BY seq")]
    assert numbers == [f"MINI-2024-{i:03d}" for i in range(1, 41)]


CELL = st.one_of(st.none(), st.text(max_size=12), st.integers(-5, 200),
                 st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
                 st.sampled_from(["yes", "n/a", "해당없음", "manager, ppe", "25%", "1,234.5", " "]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=7, max_size=7), min_size=0, max_size=12),
       st.permutations(list(range(7))))
def test_fuzz_reader_never_crashes(rows: list[list[object]], order: list[int]) -> None:
    """Random cells in random column orders: an AnswerSet with problems, or InputError."""
    header = ["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
    frame = pd.DataFrame([[r[k] for k in order] for r in rows],
                         columns=[header[k] for k in order], dtype=object)
    try:
        answers = read_answers_frame(frame, Q)
    except InputError as exc:
        assert exc.problems
        return
    clean = answers.select(~pd.Series(range(len(answers))).isin(answers.invalid_records()).to_numpy())
    result = score(clean)
    for value in result.compliance:
        assert value != value or 0 <= value <= 100


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["yes", "no", "Y", "N", "예", "아니오", None]),
                          st.sampled_from([1, 2, 3, "n/a", "Good", "보통"]),
                          st.floats(0, 100), st.sampled_from(["none", "manager", "ppe; training"]),
                          st.integers(1, 500)), min_size=1, max_size=10))
def test_fuzz_valid_inputs_always_score(rows: list[tuple]) -> None:
    header = ["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
    data = [[f"S{i}", r[4], r[0], r[1], r[2], r[3], "yes" if r[4] >= 50 else None]
            for i, r in enumerate(rows)]
    answers = read_answers_frame(pd.DataFrame(data, columns=header, dtype=object), Q)
    assert answers.errors == []
    assert len(score(answers)) == len(rows)


def test_certificate_html_escapes_input(esg, tmp_path: Path) -> None:  # noqa: ANN001
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["S1", "<img src=x onerror=alert(1)>", None,
                                                         10, *GOOD]])
    result = esg("certify", answers, "--policy", DATA / "mini-policy.yaml", "-q", MINI, "--year",
                 2024, "--registry", tmp_path / "r.sqlite", "--documents", tmp_path / "docs")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "docs" / "MINI-2024-001.html").read_text(encoding="utf-8")
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_control_characters_in_names_reach_every_xlsx_output(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """Excel stores a pasted control character as `_x0007_`; XML cannot hold it, and openpyxl
    raised IllegalCharacterError (exit 1, "unexpected error") in `report -o .xlsx`."""
    source = write_xlsx(tmp_path / "src.xlsx", [HEADER, ["S1", "bell", "사전", 10, *GOOD],
                                                ["S1", "bell", "사후", 10, *GOOD]])
    target = rewrite(source, tmp_path / "ctl.xlsx", {
        "xl/worksheets/sheet1.xml": lambda d: d.replace(b">bell<", b">be_x0007_ll<")})
    for args in (("score", target, "-q", MINI, "-o", tmp_path / "s.xlsx"),
                 ("report", target, "-q", MINI, "--year", "2025", "-o", tmp_path / "r.xlsx"),
                 ("improve", target, "-q", MINI, "-o", tmp_path / "i.xlsx")):
        result = esg(*args)
        assert result.exit_code == 0, result.stdout + result.stderr
    assert load_workbook(tmp_path / "s.xlsx")["scores"]["B2"].value == "be\ufffdll"
