"""`esg feedback` and its core (SPEC §13): what would pass, cohorts, privacy, pages, JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import MINI, ROOT, as_json, without_files

from esgcli.answers.read import read_answers, read_answers_frame
from esgcli.engine.certification import evaluate
from esgcli.engine.feedback import COHORT_MIN, build_feedback, percentile_rank
from esgcli.engine.passing import answer_text, passes_with
from esgcli.engine.scoring import score
from esgcli.engine.selection import choose_rounds
from esgcli.outputs.files import to_json
from esgcli.questionnaire.models import ChecklistScale, ChoiceScale, NumberScale
from esgcli.questionnaire.policy import resolve_policy
from esgcli.questionnaire.questionnaire import load_questionnaire, resolve_questionnaire
from esgcli.questionnaire.scales import make_matcher
from esgcli.reports.feedback_html import page_name, render_page, write_feedback_pages

EXAMPLE = ROOT / "examples" / "suppliers.xlsx"
TODAY = dt.date(2024, 12, 1)


@pytest.fixture(scope="module")
def example():  # noqa: ANN201
    q = resolve_questionnaire("supplier-esg")
    return read_answers(EXAMPLE, q), resolve_policy("esg-excellent")


@pytest.fixture(scope="module")
def example_feedback(example):  # noqa: ANN001, ANN201
    data, policy = example
    return build_feedback(data, policy, lang="ko", today=TODAY)


# ---------------------------------------------------------------- what would pass
def test_passes_with_every_answer_type_in_the_users_terms() -> None:
    q = load_questionnaire(MINI)
    m = q.matchers
    assert [passes_with(m["E-1"], "no", lang) for lang in ("ko", "en")] == ["예", "yes"]
    # level3: the lowest passing option (2, no label), and anything above it
    assert [passes_with(m["E-2"], "1", lang) for lang in ("ko", "en")] == ["2 이상", "2 or better"]
    assert passes_with(m["E-3"], "2", "en") == "≥ 5%"
    # checklist, pass at 2 of 3: the items still missing, and how many of them
    assert passes_with(m["S-1"], None, "en") == "at least 2 of: Manager, training, ppe"
    assert passes_with(m["S-1"], "manager", "en") == "at least 1 of: training, ppe"
    assert passes_with(m["S-1"], "none", "ko") == "다음 중 2개 이상: 책임자, training, ppe"


def test_passes_with_number_rules_with_max_ranges_and_units() -> None:
    fewer = make_matcher(NumberScale(type="number", unit="건", points=[{"max": 0, "points": 1}]))
    assert passes_with(fewer, "3", "ko") == "≤ 0건"
    band = make_matcher(NumberScale(type="number", unit="tCO2eq", points=[
        {"min": 10, "max": 50, "points": 2}, {"min": 80, "points": 2}, {"min": 1, "points": 1}],
        pass_points=2))
    assert passes_with(band, "3", "en") == "10–50 tCO2eq or ≥ 80 tCO2eq"
    assert answer_text(band, "3", "en") == "3 tCO2eq"


def test_passes_with_choice_and_unequal_checklist() -> None:
    level = make_matcher(ChoiceScale(type="choice", pass_points=3, options=[
        {"value": 1, "label": {"ko": "미흡", "en": "Poor"}, "points": 0},
        {"value": 2, "points": 3}, {"value": 3, "label": {"ko": "우수", "en": "Good"}, "points": 4}]))
    assert passes_with(level, "1", "en") == "2 or better"
    only_top = make_matcher(ChoiceScale(type="choice", options=[
        {"value": "a", "points": 0}, {"value": "b", "label": {"ko": "최고", "en": "Top"},
                                      "points": 2}]))
    assert passes_with(only_top, "a", "ko") == "b (최고)"
    weighted = make_matcher(ChecklistScale(type="checklist", pass_points=3, items=[
        {"value": "x", "points": 2}, {"value": "y", "points": 1},
        {"value": "z", "label": {"ko": "제트", "en": "Zed"}, "points": 1}]))
    assert passes_with(weighted, "y", "en") == "2 more points from: x (+2), Zed (+1)"
    assert answer_text(weighted, "y, z", "ko") == "y, 제트"
    assert answer_text(weighted, None, "ko") is None


# ---------------------------------------------------------------- cohort
def test_percentile_rank_counts_peers_below_and_half_the_ties() -> None:
    values = np.array([10.0, 20.0, 20.0, 40.0, np.nan])
    assert percentile_rank(values)[:4].tolist() == [12.5, 50.0, 50.0, 87.5]
    assert np.isnan(percentile_rank(values)[4])


def _frame(n: int) -> pd.DataFrame:
    rows = [{"supplier_id": f"X{k}", "supplier_name": f"n{k}", "employees": 10,
             "E-1": "yes" if k % 2 else "no", "E-2": 1 + k % 3, "E-3": 3 * k, "S-1": "manager",
             "S-2": None} for k in range(n)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("n", [COHORT_MIN - 1, COHORT_MIN])
def test_cohort_figures_only_from_five_suppliers(n: int) -> None:
    data = read_answers_frame(_frame(n), load_questionnaire(MINI))
    result = build_feedback(data, lang="en", today=TODAY)
    entries = result.to_dict()["suppliers"]
    if n < COHORT_MIN:
        assert all(e["cohort"] is None for e in entries)
        assert all(a["cohort_mean"] is None and a["percentile"] is None
                   for e in entries for a in e["areas"].values())
        assert [(p.code, p.params["count"]) for p in result.notes] == [("FBK-001", n)]
    else:
        scores = score(data)
        assert result.notes == []
        for e in entries:
            assert e["cohort"]["suppliers"] == n
            assert e["cohort"]["compliance_mean"] == pytest.approx(float(np.mean(scores.compliance)))
            mine = scores.compliance[scores.records["supplier_id"].tolist().index(e["supplier_id"])]
            below = float(np.sum(scores.compliance < mine) + 0.5 * np.sum(scores.compliance == mine))
            assert e["cohort"]["percentile"] == pytest.approx(100 * below / n)


# ---------------------------------------------------------------- rounds and the certify gap
def test_latest_round_change_and_the_certify_gap(example, example_feedback) -> None:  # noqa: ANN001
    data, policy = example
    entries = {e["supplier_id"]: e for e in example_feedback.to_dict()["suppliers"]}
    choice = choose_rounds(data)
    judged, before = score(choice.judged), score(choice.before)
    decisions = {d.supplier_id: d for d in evaluate(policy, judged, before)}
    assert len(entries) == len(set(data.records["supplier_id"]))
    for sid, d in decisions.items():
        e = entries[sid]
        assert e["round"] == "사후" and e["qualifies"] == d.qualifies
        assert e["to_qualify"] == (d.gap["indicators"] if d.gap else [])
        assert e["failed"] == [f.to_dict() for f in d.failed]
        assert e["change"]["compliance"]["after"] == e["compliance"]
    # seen only before support: feedback on the before round, not judged, no change
    for sid in choice.not_evaluated:
        assert entries[sid]["round"] == "사전"
        assert entries[sid]["change"] is None and entries[sid]["qualifies"] is None
    # critical indicators first, and each item is really counted and not compliant
    i = judged.records["supplier_id"].tolist().index("S001")
    items = entries["S001"]["non_compliant"]
    flags = [item["critical"] for item in items]
    assert flags == sorted(flags, reverse=True)
    failing = {judged.questionnaire.indicator_ids[j]
               for j in np.flatnonzero(judged.counted[i] & ~judged.compliant[i])}
    assert {item["indicator"] for item in items} == failing


def test_one_supplier_json_and_page_golden(example_feedback, golden) -> None:  # noqa: ANN001
    s001 = next(s for s in example_feedback.suppliers if s.supplier_id == "S001")
    golden("feedback-S001.json", to_json(s001.to_dict()))
    golden("feedback-S001.html", render_page(example_feedback, s001.to_dict()))


# ---------------------------------------------------------------- privacy
def test_no_page_holds_another_suppliers_id_or_name(example_feedback, tmp_path: Path) -> None:  # noqa: ANN001
    written = write_feedback_pages(example_feedback, tmp_path)
    people = {s.supplier_id: s.supplier_name for s in example_feedback.suppliers}
    assert len(written) == len(people) == len(list(tmp_path.iterdir()))
    for sid, path in written.items():
        text = path.read_text(encoding="utf-8")
        assert sid in text and people[sid] in text
        for other, name in people.items():
            if other != sid:
                assert other not in text and name not in text, (path.name, other)


def test_a_page_does_not_change_when_another_supplier_answers_differently(tmp_path: Path) -> None:
    """Fewer than 5 suppliers: no aggregate at all, so a page depends on its supplier alone."""
    q = load_questionnaire(MINI)
    frame = _frame(3)
    first = build_feedback(read_answers_frame(frame, q), lang="ko", today=TODAY)
    frame.loc[1, ["E-1", "E-2", "E-3", "S-1"]] = ["no", 1, 0, "none"]
    second = build_feedback(read_answers_frame(frame, q), lang="ko", today=TODAY)
    page = [render_page(r, r.suppliers[0].to_dict()) for r in (first, second)]
    assert page[0] == page[1]
    assert first.suppliers[1].to_dict() != second.suppliers[1].to_dict()


def test_input_text_is_escaped_and_file_names_are_safe(tmp_path: Path) -> None:
    frame = _frame(2)
    frame.loc[0, "supplier_name"] = '<script>alert("x")</script> A/B:C'
    data = read_answers_frame(frame, load_questionnaire(MINI))
    result = build_feedback(data, lang="en", today=TODAY)
    written = write_feedback_pages(result, tmp_path)
    text = written["X0"].read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert written["X0"].name == "X0__script_alert(_x_)__script_ A_B_C.html"
    assert page_name("S1", None) == "S1.html"


# ---------------------------------------------------------------- the command
def test_cli_json_equals_the_library_result(esg, example_feedback) -> None:  # noqa: ANN001
    result = esg("feedback", EXAMPLE, "--policy", "esg-excellent", "--format", "json",
                 "--date", "2024-12-01", "--lang", "ko")
    assert result.exit_code == 0, result.stderr
    assert as_json(result) == json.loads(to_json(example_feedback.to_dict()))


def test_cli_writes_one_page_per_supplier(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "feedback"
    result = esg("feedback", ROOT / "tests" / "data" / "mini.xlsx", "-q", MINI, "-o", out,
                 "--lang", "en", "--date", "2024-12-01")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "1234_숫자코드.html", "A001_(주)가나.html", "A002_(주)다라.html", "A003_-마이너스(주).html"]
    assert "FBK-001" in result.stderr  # 2 suppliers after, 2 before only: no cohort figures
    assert "A001" in result.stdout


def test_cli_refuses_csv_and_a_file_as_folder(esg, tmp_path: Path) -> None:  # noqa: ANN001
    assert esg("feedback", EXAMPLE, "--format", "csv").exit_code == 2
    file = tmp_path / "x.html"
    file.write_text("x")
    assert esg("feedback", EXAMPLE, "-o", file).exit_code == 2


def test_registry_certificate_and_validity(esg, tmp_path: Path) -> None:  # noqa: ANN001
    registry = tmp_path / "reg.sqlite"
    mini_answers = ROOT / "tests" / "data" / "mini.xlsx"
    policy = ROOT / "tests" / "data" / "mini-policy.yaml"
    issued = esg("certify", mini_answers, "-q", MINI, "--policy", policy, "--year", "2024",
                 "--registry", registry, "--date", "2024-10-01")
    assert issued.exit_code == 0, issued.stderr
    result = esg("feedback", mini_answers, "-q", MINI, "--policy", policy, "--registry", registry,
                 "--date", "2026-12-01", "--format", "json", "-o", tmp_path / "pages")
    assert result.exit_code == 0, result.stderr
    certs = {s["supplier_id"]: s["certificate"] for s in as_json(result)["suppliers"]}
    assert certs["A001"] == {"number": "MINI-2024-001", "policy": "mini-excellent", "year": 2024,
                             "issued_on": "2024-10-01", "valid_until": "2026-09-30",
                             "status": "expired"}
    assert certs["A003"] is None
    page = (tmp_path / "pages" / "A001_(주)가나.html").read_text(encoding="utf-8")
    assert "MINI-2024-001" in page and "2026-09-30" in page
    assert "MINI-2024-002" not in page  # A002's certificate stays on A002's page


def test_several_paths_read_as_one(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """The rounds in two files give the same feedback as the rounds in one file."""
    from conftest import write_xlsx
    from openpyxl import load_workbook

    cells = [list(r) for r in load_workbook(ROOT / "tests" / "data" / "mini.xlsx").active.iter_rows(
        values_only=True)]
    header, rows = cells[2], cells[3:]
    before = write_xlsx(tmp_path / "before.xlsx", [header] + [r for r in rows if r[2] == "사전"])
    after = write_xlsx(tmp_path / "after.xlsx", [header] + [r for r in rows if r[2] == "사후"])
    one = esg("feedback", ROOT / "tests" / "data" / "mini.xlsx", "-q", MINI, "--format", "json",
              "--date", "2024-12-01")
    two = esg("feedback", before, after, "-q", MINI, "--format", "json", "--date", "2024-12-01")
    assert two.exit_code == 0, two.stderr
    assert without_files(as_json(two)) == without_files(as_json(one))
    assert [s["file"] for s in as_json(two)["sources"]] == ["before.xlsx", "after.xlsx"]
    assert {(s["round"], s["file"]) for s in as_json(two)["suppliers"]} == {
        ("사후", "after.xlsx"), ("사전", "before.xlsx")}  # seen only before: that round's file
    folder = esg("feedback", tmp_path, "-q", MINI, "--format", "json", "--date", "2024-12-01")
    assert folder.exit_code == 0, folder.stderr
    assert without_files(as_json(folder)) == without_files(as_json(one))


@pytest.mark.parametrize("columns", [80, 160])
def test_the_feedback_and_plan_tables_fit_and_tell_names_apart(esg, tmp_path: Path,  # noqa: ANN001
                                                               columns: int) -> None:
    """SPEC §9: at 80 columns "(주)동양물산" and "(주)동양기공" both showed as "(주)동양 …" and
    the page's file name wrapped over three lines."""
    from rich.cells import cell_len

    example = ROOT / "examples" / "suppliers.xlsx"
    for args in (("feedback", example, "-o", tmp_path / "pages"),
                 ("actions", example, "-o", tmp_path / "plan.xlsx", "--policy", "esg-excellent")):
        result = esg(*args, COLUMNS=str(columns))
        assert result.exit_code == 0, result.stderr
        rows = [line for line in result.stdout.splitlines() if re.search(r"\bS0\d\d\b", line)]
        assert len(rows) == (66 if args[0] == "feedback" else len(set(rows)))
        assert rows and all(cell_len(line) <= columns for line in rows), result.stdout
        names = {re.search(r"\bS0\d\d\b", line).group(0): line for line in rows}  # type: ignore[union-attr]
        assert "동양물산" in names["S001"] and "동양기공" in names["S003"], (names["S001"], names["S003"])
