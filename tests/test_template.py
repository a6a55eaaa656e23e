"""Answer templates (`esg template`) and the bundled K-ESG questionnaire."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from conftest import MINI, ROOT
from openpyxl import load_workbook

from esgcli import resolve_questionnaire


def fill(path: Path, rows: dict[int, dict[str, object]]) -> None:
    """Type answers into the template under the headers it wrote (no header edits)."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = {str(c.value).split(" ")[0]: c.column for c in sheet[3] if c.value}
    for r, values in rows.items():
        for key, value in values.items():
            sheet.cell(row=r, column=header[key], value=value)
    book.save(path)


def test_template_round_trip_without_q(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """Generate, fill with every kind of answer, score with no -q: the recorded one is used."""
    (tmp_path / "questionnaires").mkdir()
    (tmp_path / "questionnaires" / "mini.yaml").write_text(MINI.read_text(encoding="utf-8"),
                                                         encoding="utf-8")
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text("협력사코드,협력사명,상시근로자 수\nA1,가,10\nB2,나,80\n", encoding="utf-8")
    out = tmp_path / "answers.xlsx"
    made = esg("template", "-q", "mini", "-o", out, "--rounds", "사전,사후", "--suppliers",
               suppliers, cwd=tmp_path)
    assert made.exit_code == 0, made.stderr
    fill(out, {
        4: {"E-1": "yes", "E-2": "N/A", "E-3": 25, "S-1": "Manager, training"},  # A1 사전
        5: {"E-1": "yes", "E-2": "Good", "E-3": "30%", "S-1": "manager,training,ppe"},
        6: {"E-1": "no", "E-2": "Poor", "E-3": 0, "S-1": "none", "S-2": "no"},  # B2 사전
        7: {"E-1": "yes", "E-2": 2, "E-3": 5, "S-1": "ppe; training", "S-2": "yes"},
    })
    result = esg("score", out, "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "questionnaire: mini 1" in result.stderr
    data = json.loads(result.stdout)
    got = [(s["supplier_id"], s["round"], s["compliance"], s["missing"]) for s in data["suppliers"]]
    assert got == [("A1", "사전", 100.0, []), ("A1", "사후", 100.0, []),
                   ("B2", "사전", 0.0, []), ("B2", "사후", 100.0, [])]
    assert data["suppliers"][0]["areas"]["E"]["na"] == 1


def test_template_has_real_validations(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "t.xlsx"
    assert esg("template", "-q", MINI, "-o", out, "--lang", "ko").exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["응답", "질문", "작성 안내", "_esgcli", "_lists"]
    assert book["_esgcli"].sheet_state == "hidden"
    meta = {r[0]: r[1] for r in book["_esgcli"].iter_rows(values_only=True)}
    assert meta["questionnaire_id"] == "mini"
    assert len(meta["questionnaire_sha256"]) == 64
    sheet = book["응답"]
    headers = [c.value for c in sheet[3]]
    assert headers == ["협력사코드", "협력사명", "차수", "상시근로자 수", "E-1 환경 목표", "E-2 추진체계",
                       "E-3 재생에너지 비율", "S-1 안전보건", "S-2 장애인 고용"]
    assert sheet.freeze_panes == "D4"
    by_range = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    e1, e2, e3 = by_range["E4:E303"], by_range["F4:F303"], by_range["G4:G303"]
    lists = book["_lists"]

    def options(dv):  # noqa: ANN001, ANN202
        col = dv.formula1.split("!$")[1][0]
        return [c.value for c in lists[col] if c.value is not None]

    assert (e1.type, options(e1)) == ("list", ["예", "아니오"])
    assert (e2.type, options(e2)) == ("list", ["미흡", "2", "우수", "해당없음"])
    assert (e3.type, e3.formula1, e3.formula2) == ("decimal", "0", "100")
    assert e1.prompt.startswith("환경 목표")
    assert by_range["D4:D303"].type == "whole"
    questions = list(book["질문"].iter_rows(values_only=True))
    assert questions[0][:3] == ("지표", "영역", "범주")
    assert questions[5][9] == "employees >= 50"


def test_kesg_has_61_items() -> None:
    q = resolve_questionnaire("kesg-2021")
    assert len(q.indicators) == 61
    assert Counter(i.area for i in q.indicators) == {"P": 5, "E": 17, "S": 22, "G": 17}
    assert {q.matchers[i.id].kind for i in q.indicators} == {"choice", "checklist", "number"}
    assert all(i.category is not None for i in q.indicators)
    text = (ROOT / "questionnaires" / "kesg-2021.yaml").read_text(encoding="utf-8")
    assert "SIMPLIFIED" in text and "not the official" in text


def test_kesg_template_scores(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "k.xlsx"
    assert esg("template", "-q", "kesg-2021", "-o", out, "--lang", "en").exit_code == 0
    book = load_workbook(out)
    sheet = book.worksheets[0]
    sheet.cell(row=4, column=1, value="K1")
    for c in sheet[3][3:]:
        sheet.cell(row=4, column=c.column, value=None)
    book.save(out)
    result = esg("score", out, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["suppliers"][0]["compliance"] == 0.0


def test_questionnaire_diff_golden(esg, golden) -> None:  # noqa: ANN001
    old, new = MINI, MINI.parent / "mini-v2.yaml"
    table = esg("questionnaire", "diff", old, new, "--lang", "en")
    assert table.exit_code == 0
    golden("diff-mini.txt", table.stdout)
    data = json.loads(esg("questionnaire", "diff", old, new, "--format", "json").stdout)
    assert (data["added"], data["removed"], data["retitled"]) == (["E-4"], ["E-3"], ["E-1"])
    assert {c["indicator"]: c["fields"] for c in data["changed"]} == {
        "E-1": ["title"], "E-2": ["weight"], "S-1": ["pass_points"],
        "S-2": ["critical", "applies_if"]}
    assert data["areas"] == [{"area": "E", "change": "weight", "old": None, "new": 1.0},
                             {"area": "S", "change": "weight", "old": None, "new": 1.0}]
    same = json.loads(esg("questionnaire", "diff", old, old, "--format", "json").stdout)
    assert same["changed"] == same["added"] == same["removed"] == []


def test_questionnaire_show_and_list_golden(esg, golden) -> None:  # noqa: ANN001
    shown = esg("questionnaire", "show", MINI)
    assert shown.exit_code == 0
    golden("show-mini.txt", shown.stdout)
    data = json.loads(esg("questionnaire", "show", MINI, "--format", "json").stdout)
    assert [i["id"] for i in data["indicators"]] == ["E-1", "E-2", "E-3", "S-1", "S-2"]
    assert data["indicators"][3]["max_points"] == 3 and data["indicators"][3]["pass_points"] == 2
    listed = esg("questionnaire", "list", "--format", "csv", cwd=ROOT)
    rows = [line.split(",")[:4] for line in listed.stdout.splitlines()]
    assert rows[:3] == [["id", "version", "title", "indicators"],
                        ["kesg-2021", "2021.12-simplified", "K-ESG 가이드라인 자가진단 (간이)", "61"],
                        ["supplier-esg", "2024.1", "협력사 ESG 자가진단", "46"]]


def test_changed_questionnaire_is_flagged(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "mini.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert esg("template", "-q", "mini", "-o", out, cwd=tmp_path).exit_code == 0
    fill(out, {4: {"supplier_id": "A1", "Employees": 10, "E-1": "yes", "E-2": 3, "E-3": 30,
                   "S-1": "none"}})
    (folder / "mini.yaml").write_text(MINI.read_text(encoding="utf-8").replace(
        "pass_points: 2\n", "pass_points: 3\n"), encoding="utf-8")
    result = esg("score", out, "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0
    assert "warning SRC-005 t.xlsx: made for mini 1, and the questionnaire file has changed " \
        "since" in result.stderr
