"""`esg template --per-supplier` (SPEC §12): one locked workbook per supplier, read back as a folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI
from openpyxl import load_workbook

ANSWERS: dict[tuple[str, str], dict[str, object]] = {
    ("A/1", "사전"): {"E-1": "yes", "E-2": "N/A", "E-3": 25, "S-1": "Manager, training"},
    ("A/1", "사후"): {"E-1": "yes", "E-2": "Good", "E-3": "30%", "S-1": "manager,training,ppe"},
    ("B2", "사전"): {"E-1": "no", "E-2": "Poor", "E-3": 0, "S-1": "none", "S-2": "no"},
    ("B2", "사후"): {"E-1": "yes", "E-2": 2, "E-3": 5, "S-1": "ppe; training", "S-2": "yes"},
}


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    """A folder where `mini` resolves by name (so scoring needs no -q) and a supplier list."""
    (tmp_path / "questionnaires").mkdir()
    (tmp_path / "questionnaires" / "mini.yaml").write_text(MINI.read_text(encoding="utf-8"),
                                                         encoding="utf-8")
    (tmp_path / "suppliers.csv").write_text(
        "협력사코드,협력사명,상시근로자 수\nA/1,가:나,10\nB2,나,80\n", encoding="utf-8")
    return tmp_path


def fill(path: Path, answers: dict[tuple[str, str], dict[str, object]]) -> None:
    """Type answers into every supplier row of a template (by supplier id and round)."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = {str(c.value).split(" ")[0]: c.column for c in sheet[3] if c.value}
    for row in sheet.iter_rows(min_row=4):
        key = (str(row[0].value), str(row[2].value))
        for name, value in answers.get(key, {}).items():
            sheet.cell(row=row[0].row, column=header[name], value=value)
    book.save(path)


def make(esg: Any, campaign: Path, *extra: object) -> Any:  # noqa: ANN401
    return esg("template", "-q", "mini", "--suppliers", "suppliers.csv", "--per-supplier",
               "-o", "forms", "--rounds", "사전,사후", "--year", "2024", *extra, cwd=campaign)


def scores(result: Any) -> list[tuple[Any, ...]]:  # noqa: ANN401
    assert result.exit_code == 0, result.stderr
    return [(s["supplier_id"], s["round"], s["compliance"], s["score"], s["grade"], s["missing"])
            for s in json.loads(result.stdout)["suppliers"]]


def test_one_workbook_per_supplier_named_filled_and_locked(esg, campaign: Path) -> None:  # noqa: ANN001
    made = make(esg, campaign)
    assert made.exit_code == 0, made.stderr
    assert "2 per-supplier workbooks" in made.stderr or "응답 양식 2개" in made.stderr
    forms = campaign / "forms"
    assert sorted(p.name for p in forms.iterdir()) == ["A_1_가_나.xlsx", "B2_나.xlsx"]
    sheet = load_workbook(forms / "B2_나.xlsx").worksheets[0]
    header = [c.value for c in sheet[3]]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4, max_row=6)]
    employees = next(i for i, h in enumerate(header) if "상시근로자" in str(h) or h == "Employees")
    assert [r[:4] for r in rows] == [["B2", "나", "사전", 2024], ["B2", "나", "사후", 2024],
                                     [None, None, None, None]]
    assert rows[0][employees] == 80
    assert sheet.protection.sheet is True and not sheet.protection.password
    first_answer = next(i for i, h in enumerate(header) if str(h).startswith("E-1")) + 1
    for col in range(1, first_answer):  # id, name, round, year, profile: locked
        assert sheet.cell(row=4, column=col).protection.locked, header[col - 1]
    for col in range(first_answer, len(header) + 1):  # every answer cell of both rounds editable
        for r in (4, 5):
            assert not sheet.cell(row=r, column=col).protection.locked
    assert sheet.cell(row=6, column=first_answer).protection.locked  # no room for another row


def test_filled_workbooks_score_like_one_workbook_and_as_a_folder(esg, campaign: Path) -> None:  # noqa: ANN001
    assert make(esg, campaign).exit_code == 0
    forms = campaign / "forms"
    for path in forms.iterdir():
        fill(path, ANSWERS)
    whole = campaign / "whole.xlsx"
    assert esg("template", "-q", "mini", "--suppliers", "suppliers.csv", "-o", whole, "--rounds",
               "사전,사후", "--year", "2024", cwd=campaign).exit_code == 0
    fill(whole, ANSWERS)
    expected = scores(esg("score", whole, "--format", "json", cwd=campaign))
    assert len(expected) == 4
    one = scores(esg("score", forms / "B2_나.xlsx", "--format", "json", cwd=campaign))
    assert one == [s for s in expected if s[0] == "B2"]
    assert scores(esg("score", "forms", "--format", "json", cwd=campaign)) == expected


def test_existing_files_refused_without_force(esg, campaign: Path) -> None:  # noqa: ANN001
    assert make(esg, campaign).exit_code == 0
    kept = campaign / "forms" / "B2_나.xlsx"
    fill(kept, ANSWERS)
    before = kept.read_bytes()
    again = make(esg, campaign)
    assert again.exit_code == 2
    assert "TPL-003" in again.stderr and "B2_나.xlsx" in again.stderr
    assert kept.read_bytes() == before
    assert make(esg, campaign, "--force").exit_code == 0
    assert kept.read_bytes() != before


@pytest.mark.parametrize("drop", ["--suppliers", "-o"])
def test_per_supplier_needs_suppliers_and_folder(esg, campaign: Path, drop: str) -> None:  # noqa: ANN001
    args = {"--suppliers": "suppliers.csv", "-o": "forms"}
    del args[drop]
    result = esg("template", "-q", "mini", "--per-supplier",
                 *[x for kv in args.items() for x in kv], cwd=campaign)
    assert result.exit_code == 2
    assert "TPL-001" in result.stderr
    assert not (campaign / "forms").exists()


def test_per_supplier_with_a_bundled_questionnaire(esg, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "suppliers.csv").write_text(
        "supplier_id,supplier_name,employees,personal_data,customer_data,it_environment\n"
        "S1,Alpha,120,staff,holds,cloud\nS2,Beta,,,,\n",
        encoding="utf-8")
    made = esg("template", "-q", "supplier-security", "--suppliers", "suppliers.csv",
               "--per-supplier", "-o", "out", "--lang", "en", cwd=tmp_path)
    assert made.exit_code == 0, made.stderr
    files = sorted((tmp_path / "out").iterdir())
    assert [p.name for p in files] == ["S1_Alpha.xlsx", "S2_Beta.xlsx"]
    sheet = load_workbook(files[0]).worksheets[0]
    header = [c.value for c in sheet[3]]
    row = [c.value for c in sheet[4]]
    assert row[header.index("Personal data processed")] == "Employees only"
    assert row[header.index("Employees")] == 120
    empty = load_workbook(files[1]).worksheets[0]  # profile the list lacks: left editable
    assert not empty.cell(row=4, column=header.index("Employees") + 1).protection.locked
    assert empty.cell(row=4, column=1).protection.locked
    book = load_workbook(files[1])  # the supplier types its profile into the unlocked cells
    for title, value in (("Employees", 30), ("Personal data processed", "None"),
                         ("Customer data handled", "None"),
                         ("IT environment", "PCs and web mail only")):
        book.worksheets[0].cell(row=4, column=header.index(title) + 1, value=value)
    book.save(files[1])
    result = esg("score", "out", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert [s["supplier_id"] for s in json.loads(result.stdout)["suppliers"]] == ["S1", "S2"]


def test_names_that_look_like_formulas_read_back_exactly(esg, campaign: Path) -> None:  # noqa: ANN001
    """`-마이너스(주)`, `=1+1` and `@x` are names, not formulas: the template writes them as text
    (a string cell with Excel's quote prefix), with no apostrophe that scoring would read back
    as part of the name (CSV output keeps its apostrophe defence)."""
    (campaign / "suppliers.csv").write_text(
        "협력사코드,협력사명,상시근로자 수\n-A1,-마이너스(주),10\nB2,=1+1,80\nC3,@x +y,10\n",
        encoding="utf-8")
    made = make(esg, campaign)
    assert made.exit_code == 0, made.stderr
    forms = sorted((campaign / "forms").iterdir())
    for path in forms:
        sheet = load_workbook(path).worksheets[0]
        for cell in (sheet["A4"], sheet["B4"]):
            if str(cell.value)[:1] in "-=@":
                assert (cell.data_type, cell.quotePrefix) == ("s", True), (path.name, cell.value)
    answers = {("-A1", "사전"): {"E-1": "yes"}, ("B2", "사전"): {"E-1": "no"},
               ("C3", "사후"): {"E-1": "yes"}}
    for path in forms:
        fill(path, answers)
    scored = esg("score", "forms", "--format", "json", cwd=campaign)
    assert scored.exit_code == 0, scored.stderr
    names = {(s["supplier_id"], s["supplier_name"]) for s in json.loads(scored.stdout)["suppliers"]}
    assert names == {("-A1", "-마이너스(주)"), ("B2", "=1+1"), ("C3", "@x +y")}
    listed = esg("score", "forms", "--format", "csv", cwd=campaign).stdout
    assert "'-마이너스(주)" in listed and "'=1+1" in listed  # CSV: the apostrophe defence
    written = esg("score", "forms", "-o", "scores.xlsx", cwd=campaign)  # xlsx: as the template
    assert written.exit_code == 0, written.stderr
    cells = [c for row in load_workbook(campaign / "scores.xlsx").worksheets[0].iter_rows(min_row=2)
             for c in row if isinstance(c.value, str) and c.value[:1] in "-=@'"]
    assert {c.value for c in cells} == {"-A1", "-마이너스(주)", "=1+1", "@x +y"}
    assert all((c.data_type, c.quotePrefix) == ("s", True) for c in cells)


def test_forms_of_earlier_versions_with_an_apostrophe_before_such_names_read_back_exactly(
        esg, tmp_path: Path) -> None:  # noqa: ANN001
    """Earlier versions of `esg template` wrote `'-마이너스(주)` into the cell (an apostrophe,
    not Excel's quote prefix): forms already sent out come back so, and the name is read
    without it, as Excel shows it."""
    from conftest import write_xlsx

    path = write_xlsx(tmp_path / "old.xlsx", [
        ["supplier_id", "supplier_name", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"],
        ["'-A1", "'-마이너스(주)", 10, "yes", 2, 30, "none", None],
        ["B2", "'=1+1", 80, "yes", 2, 30, "none", "no"],
        ["C3", "it's fine", 10, "yes", 2, 30, "none", None]])
    result = esg("score", path, "-q", MINI, "--format", "json")
    assert result.exit_code == 0, result.stderr
    suppliers = json.loads(result.stdout)["suppliers"]
    assert [(s["supplier_id"], s["supplier_name"]) for s in suppliers] == [
        ("-A1", "-마이너스(주)"), ("B2", "=1+1"), ("C3", "it's fine")]
