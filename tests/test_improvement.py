"""Before/after improvement (SPEC §6)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, MINI, ROOT, as_json, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esgcli import InputError, load_questionnaire, read_answers, score
from esgcli.engine.improvement import change, improve, improve_answers, recognise_rounds

Q = load_questionnaire(MINI)
HEADER = ["supplier_id", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]


def answers(tmp_path: Path, rows: list[list[object]], name: str = "a.xlsx"):  # noqa: ANN201
    return read_answers(write_xlsx(tmp_path / name, [HEADER, *rows]), Q)


def test_change_section6() -> None:
    """§6: delta_pp = after − before; relative_pct null when before is 0 or a value is null."""
    assert change(40.0, 60.0) == {"delta_pp": 20.0, "relative_pct": 50.0}
    assert change(0.0, 60.0) == {"delta_pp": 60.0, "relative_pct": None}
    assert change(None, 60.0) == {"delta_pp": None, "relative_pct": None}


def test_recognised_round_names_section6() -> None:
    assert recognise_rounds(["사전", "사후"]) == ("사전", "사후")
    assert recognise_rounds(["Follow-up", "Baseline"]) == ("Baseline", "Follow-up")
    assert recognise_rounds(["1차", "2차"]) == ("1차", "2차")
    assert recognise_rounds(["지원 전", "지원 후"]) == ("지원 전", "지원 후")
    assert recognise_rounds(["a", "b"]) is None
    assert recognise_rounds(["사전", "사후", "3차"]) is None


def test_pairing_and_unpaired_are_never_averaged_section6(tmp_path: Path) -> None:
    data = answers(tmp_path, [
        ["P1", "사전", 10, "no", 1, 0, "none", None],          # 0% before
        ["P2", "사전", 10, "yes", 3, 30, "manager,training", None],  # 100%
        ["B1", "사전", 10, "yes", 3, 30, "manager,training", None],  # only before
        ["P1", "사후", 10, "yes", 3, 30, "manager,training", None],  # 100%
        ["P2", "사후", 10, "yes", 3, 30, "none", None],         # 80%
        ["A1", "사후", 10, "no", 1, 0, "none", None],           # only after
    ])
    result = improve_answers([data]).to_dict()
    assert (result["before"], result["after"], result["paired"]) == ("사전", "사후", 2)
    assert (result["only_before"], result["only_after"]) == (["B1"], ["A1"])
    cohort = result["cohort"]["compliance"]
    assert cohort == {"mean_before": 50.0, "mean_after": 90.0, "delta_pp": 40.0,
                      "relative_pct": 80.0, "n": 2}
    p1 = result["suppliers"][0]
    assert p1["supplier_id"] == "P1"
    assert p1["compliance"] == {"before": 0.0, "after": 100.0, "delta_pp": 100.0,
                                "relative_pct": None}
    s1 = next(r for r in result["indicators"] if r["indicator"] == "S-1")
    assert (s1["compliant_before_pct"], s1["compliant_after_pct"]) == (50.0, 50.0)
    assert (s1["became_compliant"], s1["regressed"], s1["stayed_compliant"],
            s1["stayed_non_compliant"]) == (1, 1, 0, 0)


def test_indicator_shares_only_over_suppliers_counted_in_both_section6(tmp_path: Path) -> None:
    data = answers(tmp_path, [
        ["P1", "사전", 10, "yes", "n/a", 0, "none", None],
        ["P2", "사전", 10, "yes", 1, 0, "none", None],
        ["P1", "사후", 10, "yes", 3, 0, "none", None],
        ["P2", "사후", 10, "yes", 3, 0, "none", None],
    ])
    e2 = next(r for r in improve_answers([data]).to_dict()["indicators"] if r["indicator"] == "E-2")
    assert e2["counted_both"] == 1  # P1 answered N/A before
    assert (e2["compliant_before_pct"], e2["compliant_after_pct"]) == (0.0, 100.0)


def test_null_values_are_left_out_of_cohort_means_section6(tmp_path: Path) -> None:
    q = tmp_path / "na.yaml"
    q.write_text(MINI.read_text(encoding="utf-8").replace(
        "{id: E-1, area: E,", "{id: E-1, area: E, na_allowed: true,").replace(
        "      type: number\n", "      type: number\n").replace(
        "  - id: E-3\n", "  - id: E-3\n    na_allowed: true\n"), encoding="utf-8")
    questionnaire = load_questionnaire(q)
    path = write_xlsx(tmp_path / "n.xlsx", [HEADER,
                      ["P1", "사전", 10, "n/a", "n/a", "n/a", "none", None],  # E null
                      ["P2", "사전", 10, "yes", 3, 30, "none", None],
                      ["P1", "사후", 10, "yes", 3, 30, "none", None],
                      ["P2", "사후", 10, "yes", 3, 30, "none", None]])
    result = improve_answers([read_answers(path, questionnaire)]).to_dict()
    assert result["cohort"]["areas"]["E"]["compliance"]["n"] == 1
    assert result["suppliers"][0]["areas"]["E"]["compliance"]["before"] is None
    assert result["suppliers"][0]["areas"]["E"]["compliance"]["delta_pp"] is None


def test_ambiguous_rounds_need_before_and_after(tmp_path: Path) -> None:
    data = answers(tmp_path, [["P1", "A", 10, "no", 1, 0, "none", None],
                              ["P1", "B", 10, "no", 1, 0, "none", None]])
    with pytest.raises(InputError) as info:
        improve_answers([data])
    assert info.value.problems[0].code == "IMP-001"
    assert improve_answers([data], before="A", after="B").to_dict()["paired"] == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["yes", "no", None]), st.sampled_from([1, 2, 3, "n/a"]),
                          st.sampled_from([0, 7, 30]), st.sampled_from(["none", "manager,ppe"])),
                min_size=1, max_size=8))
def test_property_improve_x_x_is_zero(tmp_path: Path, rows: list[tuple]) -> None:
    data = answers(tmp_path, [[f"S{i}", None, 10, *r, None] for i, r in enumerate(rows)])
    result = score(data)
    d = improve(result, result).to_dict()
    for metric in ("compliance", "score"):
        assert d["cohort"][metric]["delta_pp"] in (0.0, None)
    for s in d["suppliers"]:
        assert s["compliance"]["delta_pp"] in (0.0, None)
    for r in d["indicators"]:
        assert r["delta_pp"] in (0.0, None) and r["became_compliant"] == r["regressed"] == 0


def test_two_files_with_different_versions_compare_shared_indicators(tmp_path: Path, esg) -> None:  # noqa: ANN001
    new = tmp_path / "mini2.yaml"
    new.write_text(MINI.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"').replace(
        "pass_points: 2\n", "pass_points: 3\n"), encoding="utf-8")
    before = write_xlsx(tmp_path / "before.xlsx", [HEADER, ["P1", None, 10, "no", 1, 0, "manager,ppe", None]])
    after = write_xlsx(tmp_path / "after.xlsx", [HEADER, ["P1", None, 10, "yes", 3, 30, "manager,ppe", None]])
    result = esg("improve", before, after, "-q", MINI, "-q", new, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [c["indicator"] for c in data["method_changes"] if c["indicator"]] == ["S-1"]
    assert ("indicator S-1 is defined differently before and after (pass points changed): its "
            "change is not measured on the same terms") in result.stderr
    assert next(r for r in data["indicators"] if r["indicator"] == "S-1")["definition_changed"]
    assert (data["before"], data["after"]) == ("before.xlsx", "after.xlsx")
    # the warnings are the library's: the CLI only says them (#14)
    library = improve_answers([read_answers(before, load_questionnaire(MINI)),
                               read_answers(after, load_questionnaire(new))], None, None, None)
    warned = library.method_change_problems()
    assert [(p.code, p.severity) for p in warned] == [("IMP-004", "warning"), ("IMP-003", "warning")]
    assert [p.message("en") for p in warned] == [line for line in result.stderr.splitlines()
                                                 if line.startswith(("indicator S-1", "the "))][-2:]
    assert warned[0].message("ko") == ("지표 S-1의 정의가 전·후 사이에 바뀌었습니다 (바뀐 것: 준수 기준 "
                                       "점수): 이 지표의 변화는 같은 기준으로 잰 값이 아닙니다")


def test_improve_cli_golden(esg, golden) -> None:  # noqa: ANN001
    result = esg("improve", DATA / "mini.xlsx", "-q", MINI, "--format", "json")
    assert result.exit_code == 0, result.stderr
    golden("improve-mini.json", result.stdout)
    table = esg("improve", DATA / "mini.xlsx", "-q", MINI, "--sort", "id")
    golden("improve-mini.txt", table.stdout)


def test_improve_outputs(esg, tmp_path: Path) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    out = tmp_path / "imp.xlsx"
    assert esg("improve", DATA / "mini.xlsx", "-q", MINI, "-o", out).exit_code == 0
    assert load_workbook(out).sheetnames == ["cohort", "suppliers", "indicators", "unpaired", "grades"]
    csv_out = esg("improve", DATA / "mini.xlsx", "-q", MINI, "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("supplier_id,supplier_name,compliance.before")


def test_readme_quotes_the_example_cohort(esg) -> None:  # noqa: ANN001
    """The README's cohort figure is what `esg improve` computes on the bundled example."""
    data = as_json(esg("improve", ROOT / "examples" / "suppliers.xlsx", "--format", "json"))
    c = data["cohort"]["compliance"]
    quoted = (f"{c['mean_before']:.1f}% → {c['mean_after']:.1f}% "
              f"(+{c['delta_pp']:.1f}%p, +{c['relative_pct']:.1f}%)")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert quoted in readme, quoted
    assert data["paired"] == 61 and len(data["only_before"]) == 5
    assert re.search(r"61 paired\s+suppliers", readme)
    assert np.isclose(c["delta_pp"], c["mean_after"] - c["mean_before"])


def test_column_built_improvement_json_equals_dict_json(tmp_path: Path) -> None:
    """`esg improve --format json` is built from columns: exactly the text of the dicts, with
    nulls (all N/A), before = 0 (relative null), names from either round, and a renamed round."""
    from esgcli.outputs.files import to_json
    from esgcli.outputs.record_lines import improvement_json_parts
    from esgcli.questionnaire.questionnaire import resolve_questionnaire

    rows = [["A", "사전", 10, "no", 1, 0, "none", None], ["A", "사후", 10, "yes", 3, 30, "manager", None],
            ["B", "사전", 10, "해당없음", "해당없음", "해당없음", "none", None],
            ["B", "사후", 10, "yes", "해당없음", "해당없음", "none", None],
            ["C", "사전", 60, "yes", 3, 30, "manager,training,ppe", "yes"], ["D", "사후", 10, "no", 1, 0, "", None]]
    cases = [improve_answers([answers(tmp_path, rows)]),
             improve_answers([read_answers(ROOT / "examples" / "suppliers.xlsx", resolve_questionnaire(None))]),
             improve_answers([read_answers(DATA / "mini.xlsx", Q)])]
    for imp in cases:
        assert b"".join(improvement_json_parts(imp)).decode() == to_json(imp.to_dict())


def test_change_columns_follow_change_value_by_value() -> None:
    """The column form used for supplier rows and JSON is §6's `change`, null as NaN."""
    from esgcli.engine.improvement import change_columns

    before = np.array([40.0, 0.0, np.nan, 33.333333333333336, 100.0, 0.0])
    after = np.array([60.0, 60.0, 60.0, 66.66666666666667, np.nan, 0.0])
    columns = change_columns(before, after)
    for i in range(len(before)):
        b = None if np.isnan(before[i]) else float(before[i])
        a = None if np.isnan(after[i]) else float(after[i])
        expected = change(b, a)
        for name in ("delta_pp", "relative_pct"):
            got = float(columns[name][i])
            assert (None if np.isnan(got) else got) == expected[name]


def test_one_round_named_or_the_same_round_twice_is_a_usage_error(esg) -> None:  # noqa: ANN001
    """SPEC §6, §9: --before and --after name two rounds; one of them alone (it exited 3 as if
    the file were at fault) or the same round twice (66 suppliers "improved" by +0.0%p,
    exit 0) is a usage error."""
    example = ROOT / "examples" / "suppliers.xlsx"
    alone = esg("improve", example, "--before", "사전", "--lang", "en")
    assert alone.exit_code == 2 and "give --before and --after together" in alone.stderr
    for spelled in ("사전", "사 전"):  # one round however it is spaced (round names are matched so)
        same = esg("improve", example, "--before", "사전", "--after", spelled, "--lang", "en")
        assert same.exit_code == 2 and "name the same round '사전'" in same.stderr
    certify = esg("certify", example, "--policy", "esg-excellent", "--before", "사후", "--after",
                  "사후", "--dry-run", "--registry", "none.sqlite", "--lang", "en")
    assert certify.exit_code == 2 and "name the same round '사후'" in certify.stderr
    named = esg("improve", example, "--before", "사전", "--after", "사후", "--format", "json")
    assert named.exit_code == 0 and json.loads(named.stdout)["paired"] > 0
