"""`esg actions` and `esg actions review` (SPEC §13): the plan workbook, reading it back, review."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, MINI, ROOT, as_json
from openpyxl import load_workbook

from esgcli.answers.read import read_answers
from esgcli.base.problems import InputError
from esgcli.engine.actions import PRIORITIES, build_plan, read_plan, review_plan
from esgcli.engine.certification import evaluate
from esgcli.engine.rounds import select_round
from esgcli.engine.scoring import score
from esgcli.outputs.files import to_json
from esgcli.questionnaire.policy import load_policy, resolve_policy
from esgcli.questionnaire.questionnaire import load_questionnaire, resolve_questionnaire
from esgcli.reports.plan_xlsx import display_width, write_plan_xlsx

EXAMPLE = ROOT / "examples" / "suppliers.xlsx"
MINI_ANSWERS = DATA / "mini.xlsx"
MINI_POLICY = DATA / "mini-policy.yaml"
PLAN_LO = DATA / "plan-lo.xlsx"  # made by tests/data/make_plan_fixture.py, saved by LibreOffice


@pytest.fixture(scope="module")
def example():  # noqa: ANN201
    return read_answers(EXAMPLE, resolve_questionnaire("supplier-esg"))


def _mini_plan(tmp_path: Path, esg, lang: str = "ko") -> Path:  # noqa: ANN001
    tmp_path.mkdir(exist_ok=True)  # -o makes no folder
    out = tmp_path / "plan.xlsx"
    result = esg("actions", MINI_ANSWERS, "-q", MINI, "--policy", MINI_POLICY, "--round", "사전",
                 "-o", out, "--due", "2024-09-30", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    return out


def _cells(path: Path) -> str:
    book = load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"## {sheet.title} ({sheet.sheet_state})")
        for row in sheet.iter_rows(values_only=True):
            lines.append(" | ".join("" if v is None else str(v) for v in row))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the plan
def test_plan_workbook_cells_golden(esg, golden, tmp_path: Path) -> None:  # noqa: ANN001
    golden("plan-mini-ko.txt", _cells(_mini_plan(tmp_path, esg, "ko")))
    golden("plan-mini-en.txt", _cells(_mini_plan(tmp_path / "en", esg, "en")))


def test_plan_workbook_is_ready_to_fill_in(esg, tmp_path: Path) -> None:  # noqa: ANN001
    book = load_workbook(_mini_plan(tmp_path, esg))
    sheet = book["개선과제"]
    assert [c.value for c in sheet[1]] == ["협력사코드", "협력사명", "지표", "영역", "지표명",
                                          "현재 응답", "충족 기준", "우선순위", "담당자", "기한",
                                          "상태", "비고"]
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == "A1:L9"
    rules = {(d.type, d.formula1, str(d.sqref)) for d in sheet.data_validations.dataValidation}
    assert rules == {("list", '"미착수,진행중,완료,보류"', "K2:K1000"),
                     ("date", "DATE(2000,1,1)", "J2:J1000")}
    assert sheet["J2"].value == dt.datetime(2024, 9, 30) and sheet["J2"].number_format == "yyyy-mm-dd"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.print_title_rows == "$1:$1"
    assert book["_esgcli"].sheet_state == "hidden"
    meta = {r[0]: r[1] for r in book["_esgcli"].iter_rows(values_only=True)}
    assert (meta["questionnaire_id"], meta["round"], meta["year"]) == ("mini", "사전", "2024")
    # widths fit the Korean text (wide characters count twice), and input text cannot run
    for letter, column in (("B", 2), ("E", 5)):
        longest = max(display_width(str(r[column - 1].value or "")) for r in sheet.iter_rows())
        assert sheet.column_dimensions[letter].width >= longest
    names = [c.value for c in sheet["B"]]
    assert "'-마이너스(주)" in names and "-마이너스(주)" not in names


def test_priorities_come_from_the_certify_gap(example) -> None:  # noqa: ANN001
    policy = resolve_policy("esg-excellent")
    plan = build_plan(example, policy, lang="en", round_name="사전")
    judged = score(select_round(example, "사전"))
    decisions = {d.supplier_id: d for d in evaluate(policy, judged)}
    critical = {i.id for i in judged.questionnaire.indicators if i.critical}
    order = judged.questionnaire.indicator_ids
    by_supplier: dict[str, list] = {}
    for a in plan.actions:
        by_supplier.setdefault(a.supplier_id, []).append(a)
    assert list(by_supplier) == sorted(by_supplier)
    for sid, actions in by_supplier.items():
        gap = set(decisions[sid].gap["indicators"]) if decisions[sid].gap else set()
        assert {a.indicator for a in actions if a.priority == "to-qualify"} == gap - critical
        assert {a.indicator for a in actions if a.priority == "critical"} == \
            {a.indicator for a in actions} & critical
        keys = [(PRIORITIES.index(a.priority), order.index(a.indicator)) for a in actions]
        assert keys == sorted(keys)
    assert plan.round == "사전" and len(plan.actions) == int(
        (judged.counted & ~judged.compliant).sum())


def test_cli_plan_json_equals_the_library_result(esg, tmp_path: Path) -> None:  # noqa: ANN001
    result = esg("actions", MINI_ANSWERS, "-q", MINI, "--policy", MINI_POLICY, "--round", "사전",
                 "-o", tmp_path / "p.xlsx", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    plan = build_plan(read_answers(MINI_ANSWERS, load_questionnaire(MINI)),
                      load_policy(MINI_POLICY), lang="en", round_name="사전")
    assert as_json(result) == json.loads(to_json(plan.to_dict()))


def test_an_edited_plan_is_not_replaced_without_force(esg, tmp_path: Path) -> None:  # noqa: ANN001
    plan = tmp_path / "plan.xlsx"
    shutil.copy(PLAN_LO, plan)
    args = ("actions", MINI_ANSWERS, "-q", MINI, "--round", "사전", "-o", plan)
    refused = esg(*args)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert plan.read_bytes() == PLAN_LO.read_bytes()
    assert esg(*args, "--force").exit_code == 0
    assert plan.read_bytes() != PLAN_LO.read_bytes()


# ---------------------------------------------------------------- reading back and review
def test_review_of_a_libreoffice_resaved_plan() -> None:
    plan = read_plan(PLAN_LO)
    review = review_plan(plan, dt.date(2024, 10, 1)).to_dict()
    rows = [(s["supplier_id"], s["actions"], s["done"], s["closure_pct"], s["overdue"],
             s["verified"]) for s in review["suppliers"]]
    assert rows == [("1234", 2, 1, 50.0, ["E-3"], None), ("A001", 1, 1, 100.0, [], None),
                    ("A002", 1, 0, 0.0, [], None), ("A003", 4, 1, 25.0, ["E-1"], None)]
    assert review["suppliers"][3]["supplier_name"] == "-마이너스(주)"  # neutralising undone
    assert review["summary"] == {"suppliers": 4, "actions": 8, "done": 3, "closure_pct": 37.5,
                                 "overdue": 2, "verified": None, "not_verified": None,
                                 "verified_pct": None, "improved_without_action": None}


def test_a_plan_saved_as_ods_reads_the_same() -> None:
    xlsx, ods = read_plan(PLAN_LO), read_plan(PLAN_LO.with_suffix(".ods"))
    assert (ods.sheet, ods.rows, ods.meta) == (xlsx.sheet, xlsx.rows, xlsx.meta)
    assert [r.cell for r in ods.rows] == [f"C{r}" for r in range(2, 10)]


def test_review_with_follow_up_answers_verifies_done_actions() -> None:
    followup = read_answers(MINI_ANSWERS, load_questionnaire(MINI))
    review = review_plan(read_plan(PLAN_LO), dt.date(2024, 10, 1), followup).to_dict()
    assert review["followup_round"] == "사후"
    split = {s["supplier_id"]: (s["verified"], s["not_verified"], s["improved_without_action"])
             for s in review["suppliers"]}
    # A001 closed S-1 and answers 책임자+training after: verified; A002 met E-1 while in progress;
    # 1234 and A003 have no after record: nothing can be verified for them
    assert split == {"1234": (None, None, None), "A001": (["S-1"], [], []),
                     "A002": ([], [], ["E-1"]), "A003": (None, None, None)}
    assert (review["summary"]["verified"], review["summary"]["not_verified"]) == (1, 0)


def test_review_against_the_examples_follow_up_round(example, tmp_path: Path) -> None:  # noqa: ANN001
    # suppliers S001–S015 (S014 did not reach the follow-up): a plan of a few hundred rows
    example = example.select((example.records["supplier_id"] <= "S015").to_numpy())
    plan = build_plan(example, lang="ko", round_name="사전")
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan, path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    for r in range(2, sheet.max_row + 1):  # every other action done
        sheet.cell(row=r, column=11).value = "완료" if r % 2 else "진행중"
    book.save(path)
    review = review_plan(read_plan(path), dt.date(2024, 10, 1), example).to_dict()
    after = score(select_round(example, "사후"))
    row_of = {s: i for i, s in enumerate(after.records["supplier_id"])}
    ids = after.questionnaire.indicator_ids
    done = {(a.supplier_id, a.indicator): bool(r % 2) for r, a in enumerate(plan.actions, start=2)}
    totals = np.zeros(2, dtype=int)
    missed = []
    for s in review["suppliers"]:
        sid = s["supplier_id"]
        if sid not in row_of:  # did not reach the follow-up
            assert s["followed_up"] is False and s["verified"] is None
            missed.append(sid)
            continue
        now = after.counted[row_of[sid]] & after.compliant[row_of[sid]]
        mine = [(ind, d) for (sup, ind), d in done.items() if sup == sid]
        assert s["verified"] == [i for i, d in mine if d and now[ids.index(i)]]
        assert s["not_verified"] == [i for i, d in mine if d and not now[ids.index(i)]]
        assert s["improved_without_action"] == [i for i, d in mine if not d and now[ids.index(i)]]
        totals += [len(s["verified"]), len(s["not_verified"])]
    assert totals.min() > 0 and missed == ["S014"]  # both kinds, and a supplier not followed up
    assert [review["summary"]["verified"], review["summary"]["not_verified"]] == totals.tolist()


PLAN_TABLE = """
| supplier_id | supplier_name | indicator | due        | status      | note |
| S1          | 가            | E-1       | 2024-09-01 | 미착수      |      |
| S1          | 가            | E-2       | 2024-09-01 | 진행중      |      |
| S1          | 가            | E-3       | 2024-09-01 | 완료        |      |
| S1          | 가            | S-1       |            | 보류        |      |
| S2          | 나            | E-1       | 2024/9/1   | not_started |      |
| S2          | 나            | E-2       | 2024-09-01 | In progress |      |
| S2          | 나            | E-3       | 2024-09-01 | DONE        |      |
| S2          | 나            | S-1       | 2024-12-01 | on hold     |      |
| S2          | 나            | S-2       | 2024-09-01 |             |      |
"""


def test_review_counts_every_status_in_either_language_and_overdue(xlsx) -> None:  # noqa: ANN001
    review = review_plan(read_plan(xlsx(PLAN_TABLE)), dt.date(2024, 10, 1)).to_dict()
    assert [(s["supplier_id"], s["by_status"], s["overdue"]) for s in review["suppliers"]] == [
        ("S1", {"not_started": 1, "in_progress": 1, "done": 1, "on_hold": 1}, ["E-1", "E-2"]),
        ("S2", {"not_started": 2, "in_progress": 1, "done": 1, "on_hold": 1},
         ["E-1", "E-2", "S-2"])]
    assert review["summary"]["overdue"] == 5 and review["summary"]["closure_pct"] == 2 / 9 * 100


def test_every_bad_status_and_date_is_a_located_error(xlsx) -> None:  # noqa: ANN001
    bad = PLAN_TABLE.replace("| 진행중      |", "| 끝남        |").replace(
        "| 2024/9/1   |", "| next week  |").replace("| 2024-12-01 |", "| 2024-13-01 |")
    bad += "| S1 | 가 | E-1 | 2024-09-01 | 완료 | |\n"
    with pytest.raises(InputError) as caught:
        read_plan(xlsx(bad, name="bad.xlsx"))
    assert [(p.code, p.file, p.sheet, p.cell, p.value) for p in caught.value.problems] == [
        ("PLN-002", "bad.xlsx", "answers", "E3", "끝남"),
        ("PLN-003", "bad.xlsx", "answers", "D6", "next week"),
        ("PLN-003", "bad.xlsx", "answers", "D9", "2024-13-01"),
        ("PLN-004", "bad.xlsx", "answers", "C11", None)]
    assert caught.value.problems[0].message("en") == (
        'bad.xlsx › answers › E3 (S1, E-2): "끝남" is not a status. Allowed: not_started, '
        "in_progress, done, on_hold (미착수, 진행중, 완료, 보류)")


def test_cli_review_json_csv_and_xlsx(esg, tmp_path: Path) -> None:  # noqa: ANN001
    args = ("actions", "review", PLAN_LO, MINI_ANSWERS, "-q", MINI, "--date", "2024-10-01")
    result = esg(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    expected = review_plan(read_plan(PLAN_LO), dt.date(2024, 10, 1),
                           read_answers(MINI_ANSWERS, load_questionnaire(MINI)))
    assert as_json(result) == json.loads(to_json(expected.to_dict()))
    csv_lines = esg(*args, "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("supplier_id,supplier_name,actions,done,closure_pct,overdue")
    assert csv_lines[2] == "A001,(주)가나,1,1,100.0,0,1,0,0,,"
    out = tmp_path / "review.xlsx"
    assert esg(*args, "-o", out).exit_code == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("협력사코드", "협력사명", "과제", "완료", "완료율(%)")  # the run's language
    assert len(rows) == 5
    table = esg(*args, "--lang", "en")
    assert table.exit_code == 0 and "Program" in table.stdout and "Verified" in table.stdout


def test_cli_review_of_a_bad_plan_exits_3(esg, xlsx) -> None:  # noqa: ANN001
    bad = xlsx(PLAN_TABLE.replace("| 진행중      |", "| 끝남        |"))
    result = esg("actions", "review", bad, "--lang", "en")
    assert result.exit_code == 3 and "E3" in result.stderr and "끝남" in result.stderr


# ---------------------------------------------------------------- esg report --actions
@pytest.mark.parametrize("suffix", [".json", ".html", ".md", ".xlsx"])
def test_report_gains_a_consulting_section(esg, tmp_path: Path, suffix: str) -> None:  # noqa: ANN001
    out = tmp_path / f"report{suffix}"
    epoch = str(int(dt.datetime(2024, 10, 1, tzinfo=dt.UTC).timestamp()))
    result = esg("report", MINI_ANSWERS, "-q", MINI, "--year", "2024", "--actions", PLAN_LO,
                 "-o", out, "--lang", "en", SOURCE_DATE_EPOCH=epoch)
    assert result.exit_code == 0, result.stderr
    if suffix == ".json":
        consulting = json.loads(out.read_text(encoding="utf-8"))["consulting"]
        review = review_plan(read_plan(PLAN_LO), dt.date(2024, 10, 1),
                             read_answers(MINI_ANSWERS, load_questionnaire(MINI)))
        assert consulting == {"plan": "plan-lo.xlsx", "date": "2024-10-01",
                              "followup_round": "사후", **review.summary}
        assert (consulting["actions"], consulting["closure_pct"], consulting["verified_pct"]) == \
            (8, 37.5, 100.0)
    elif suffix == ".xlsx":
        sheet = load_workbook(out)["Consulting (corrective actions)"]
        values = {r[0]: r[1] for r in sheet.iter_rows(min_row=3, values_only=True)}
        assert values["Closure rate"] == "37.5%" and values["Verified share"] == "100.0%"
    else:
        text = out.read_text(encoding="utf-8")
        assert "Consulting (corrective actions)" in text and "37.5%" in text
