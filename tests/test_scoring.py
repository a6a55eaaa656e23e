"""Scoring rules of SPEC §5, computed by hand on tests/data/mini.yaml."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import MINI, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esgcli import load_questionnaire, read_answers, score

HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]


def run(tmp_path: Path, rows: list[list[object]], q: Path = MINI, header: list[str] = HEADER):
    path = write_xlsx(tmp_path / "a.xlsx", [header, *rows])
    answers = read_answers(path, load_questionnaire(q))
    answers.require_valid()
    return score(answers)


def test_rates_by_hand_section5(tmp_path: Path) -> None:
    """§5: compliance = 100·Σw·c/Σw and score = 100·Σw·p/Σw·m over counted indicators."""
    result = run(tmp_path, [["X", "x", None, 10, "yes", 2, 10, "manager", None]])
    d = result.supplier_dict(0)
    # E: E-1 yes 1/1, E-2 "2" 1/2 (w 2), E-3 10% 1/2: all compliant
    assert d["areas"]["E"]["compliance"] == 100.0
    assert d["areas"]["E"]["score"] == pytest.approx(100 * 4 / 7)
    # S: S-1 one item 1/3 not compliant; S-2 does not apply (employees 10 < 50)
    assert d["areas"]["S"]["compliance"] == 0.0
    assert d["areas"]["S"]["score"] == pytest.approx(100 / 3)
    assert d["areas"]["S"]["not_applicable"] == 1
    # pooled overall (no area weights): 4 of 5 weight compliant; points 5 of 10
    assert d["compliance"] == pytest.approx(80.0)
    assert d["score"] == pytest.approx(50.0)
    assert d["grade"] == "A"
    assert d["critical_failures"] == ["S-1"]
    assert d["missing"] == []


def test_na_leaves_the_denominator_section5(tmp_path: Path) -> None:
    """§5: an N/A answer changes neither numerator nor denominator."""
    result = run(tmp_path, [["X", "", None, 10, "yes", "해당없음", 10, "manager, training", None]])
    d = result.supplier_dict(0)
    assert d["areas"]["E"] == {"compliance": 100.0, "score": pytest.approx(100 * 2 / 3),
                               "counted": 2, "compliant": 2, "na": 1, "not_applicable": 0,
                               "missing": 0}
    assert d["compliance"] == 100.0


def test_missing_counts_as_non_compliant_section5(tmp_path: Path) -> None:
    """§5: a blank counted indicator is missing and not compliant (missing: non_compliant)."""
    result = run(tmp_path, [["X", "", None, 60, None, 3, 25, "none", "no"]])
    d = result.supplier_dict(0)
    assert d["missing"] == ["E-1"]
    assert d["areas"]["E"]["missing"] == 1
    assert d["areas"]["E"]["compliance"] == pytest.approx(100 * 3 / 4)  # weights 1+2+1
    assert d["areas"]["S"]["counted"] == 2
    assert d["areas"]["S"]["compliance"] == 0.0
    assert d["critical_failures"] == ["S-1"]


def test_not_applicable_blank_is_not_missing_section5(tmp_path: Path) -> None:
    result = run(tmp_path, [["X", "", None, 10, "yes", 3, 25, "manager,training", None]])
    assert result.supplier_dict(0)["missing"] == []


def test_area_with_nothing_counted_is_null_section5(tmp_path: Path) -> None:
    result = run(tmp_path, [["X", "", None, 10, "n/a", "n/a", 30, None, None]],
                 q=_variant(tmp_path, {"E-1": "na_allowed: true"}))
    d = result.supplier_dict(0)
    assert d["areas"]["S"]["compliance"] == 0.0  # S-1 blank: counted, missing
    result = run(tmp_path, [["Y", "", None, 10, "n/a", "n/a", 30, "manager,ppe", None]],
                 q=_variant(tmp_path, {"E-1": "na_allowed: true"}))
    assert result.supplier_dict(0)["areas"]["E"]["counted"] == 1


def _variant(tmp_path: Path, extra: dict[str, str], text: str | None = None) -> Path:
    """mini.yaml with extra keys added to some indicators (flow mappings get a new key)."""
    source = text if text is not None else MINI.read_text(encoding="utf-8")
    for ident, addition in extra.items():
        marker = f"{{id: {ident}, "
        if marker in source:
            source = source.replace(marker, f"{{id: {ident}, {addition}, ", 1)
        else:
            source = source.replace(f"  - id: {ident}\n", f"  - id: {ident}\n    {addition}\n", 1)
    path = tmp_path / f"variant{abs(hash(source))}.yaml"
    path.write_text(source, encoding="utf-8")
    return path


def test_area_weights_weighted_mean_section5(tmp_path: Path) -> None:
    """§5: with area weights, overall = weighted mean of non-null area values."""
    text = MINI.read_text(encoding="utf-8").replace(
        "{id: E, title: {ko: 환경, en: Environment}}",
        "{id: E, title: {ko: 환경, en: Environment}, weight: 3}").replace(
        "{id: S, title: {ko: 사회, en: Social}}", "{id: S, title: {ko: 사회, en: Social}, weight: 1}")
    q = tmp_path / "weighted.yaml"
    q.write_text(text, encoding="utf-8")
    result = run(tmp_path, [["X", "", None, 10, "yes", 2, 10, "manager", None]], q=q)
    d = result.supplier_dict(0)
    assert d["compliance"] == pytest.approx((3 * 100 + 1 * 0) / 4)
    assert d["score"] == pytest.approx((3 * 100 * 4 / 7 + 1 * 100 / 3) / 4)


def test_grade_bands_from_the_highest_min_section5(tmp_path: Path) -> None:
    rows = [["A1", "", None, 10, "yes", 3, 30, "manager,training", None],   # 100 -> A
            ["B1", "", None, 10, "no", 3, 30, "manager,training", None],    # 80 -> A (>= 80)
            ["C1", "", None, 10, "no", 1, 30, "manager,training", None]]    # 2 of 5 = 40 -> C
    result = run(tmp_path, rows)
    assert [result.supplier_dict(i)["grade"] for i in range(3)] == ["A", "A", "C"]
    assert [result.supplier_dict(i)["compliance"] for i in range(3)] == [100.0, 80.0, 40.0]


def test_every_round_is_scored_section5(tmp_path: Path) -> None:
    rows = [["X", "", "before", 10, "no", 1, 0, "none", None],
            ["X", "", "after", 10, "yes", 3, 50, "manager,training,ppe", None]]
    result = run(tmp_path, rows)
    assert [result.supplier_dict(i)["round"] for i in range(2)] == ["before", "after"]
    assert [result.supplier_dict(i)["compliance"] for i in range(2)] == [0.0, 100.0]
    assert [result.supplier_dict(i)["score"] for i in range(2)] == [0.0, 100.0]


# ------------------------------------------------------------------ properties (hypothesis)
YES_NO = ["yes", "no", "예", "아니오", "O", "X", None]
LEVEL = [1, 2, 3, "미흡", "보통", "Good", "n/a", None]
NUMBER = [0, 4.9, 5, 19.99, 20, 100, "25%", None]
CHECK = ["none", "manager", "manager, training", "ppe;training;manager", "책임자", None]

row_strategy = st.tuples(st.integers(1, 500), st.sampled_from(YES_NO), st.sampled_from(LEVEL),
                         st.sampled_from(NUMBER), st.sampled_from(CHECK), st.sampled_from(YES_NO))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row_strategy, min_size=1, max_size=12), seed=st.randoms())
def test_properties_range_and_order(tmp_path: Path, rows: list[tuple], seed) -> None:  # noqa: ANN001
    """Compliance and score in [0, 100]; reordering rows or columns changes nothing."""
    table = [[f"S{i:03d}", "", None, *r] for i, r in enumerate(rows)]
    first = run(tmp_path, table).to_dict()
    for s in first["suppliers"]:
        for value in [s["compliance"], s["score"]] + [a["compliance"] for a in s["areas"].values()]:
            assert value is None or 0.0 <= value <= 100.0
    shuffled = table[:]
    seed.shuffle(shuffled)
    order = list(range(len(HEADER)))
    seed.shuffle(order)
    header = [HEADER[k] for k in order]
    permuted = [[row[k] for k in order] for row in shuffled]
    second = run(tmp_path, permuted, header=header).to_dict()
    by_id = {s["supplier_id"]: s for s in second["suppliers"]}
    for s in first["suppliers"]:
        assert by_id[s["supplier_id"]] == s


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row_strategy, min_size=1, max_size=8))
def test_property_not_applicable_changes_nothing(tmp_path: Path, rows: list[tuple]) -> None:
    """Whatever is written in an indicator that does not apply, the result is the same."""
    small = [[f"S{i}", "", None, 10, *r[1:5], None] for i, r in enumerate(rows)]
    answered = [[f"S{i}", "", None, 10, *r[1:5], "yes"] for i, r in enumerate(rows)]
    a = run(tmp_path, small).to_dict()["suppliers"]
    b = run(tmp_path, answered).to_dict()["suppliers"]
    assert a == b


def test_vectorised_matches_a_plain_loop(tmp_path: Path) -> None:
    """The matrix implementation equals a direct reading of §5 on random answers."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(60):
        rows.append([f"S{i}", "", None, int(rng.integers(1, 100)),
                     rng.choice(["yes", "no", None]), rng.choice([1, 2, 3, "n/a", None]),
                     float(rng.choice([0, 7, 25])), rng.choice(["none", "manager", "manager,ppe"]),
                     rng.choice(["yes", "no"])])
    result = run(tmp_path, rows)
    q = result.questionnaire
    for i in range(len(rows)):
        num = den = 0.0
        for j, ind in enumerate(q.indicators):
            if not result.applicable[i, j] or result.status[i, j] == 1:
                continue
            den += ind.weight
            num += ind.weight * bool(result.compliant[i, j])
        expected = 100 * num / den if den else math.nan
        assert result.compliance[i] == pytest.approx(expected, nan_ok=True)


@pytest.mark.parametrize("plain_from", [64, 0], ids=["python", "arrow-quoted"])
def test_column_built_json_and_csv_equal_row_by_row_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_from: int) -> None:
    """The fast writers give exactly the text of encoding the dicts / writing rows with csv;
    with ``plain_from`` 0 every JSON text column is quoted by Arrow (as for 64 or more distinct
    texts), escaped ones (a quote, a line break) by Python."""
    from conftest import ROOT

    from esgcli.outputs import record_lines

    monkeypatch.setattr(record_lines, "PLAIN_FROM", plain_from)

    from esgcli.outputs.files import csv_text, to_json
    from esgcli.outputs.record_lines import detail_csv_parts, score_csv_parts, score_json_parts
    from esgcli.outputs.tables import detail_table, score_table
    from esgcli.questionnaire.questionnaire import resolve_questionnaire

    nasty = write_xlsx(tmp_path / "nasty.xlsx", [HEADER + ["year"],
        ["=1+2", 'a, "quoted"\nname', "사전", 10, "yes", 2, 10, "manager", None, 2024],
        ["-5", None, None, 60, "해당없음", None, None, None, "yes", None],
        ["@x", "협력사 ㈜", "사후", 100, "no", 1, 0, "", "no", 2025],
        ["S 4", "+plus", "사후", None, "Y", 3, 55, "manager, worker", "N/A", 2025],
        ['S"5', '큰"따옴표', "사후", 50, "Y", 3, 55, "manager", "N/A", 2025],
        ["S\\6", "C:\\temp", "사후", 50, "Y", 3, 55, "manager", "N/A", 2025]])
    cases = ((ROOT / "tests" / "data" / "mini.xlsx", load_questionnaire(MINI)),
             (ROOT / "examples" / "suppliers.xlsx", resolve_questionnaire(None)),
             (nasty, load_questionnaire(MINI)))
    for path, q in cases:
        result = score(read_answers(path, q))
        for part in (result, result.select(np.zeros(len(result), dtype=bool))):
            assert b"".join(score_json_parts(part)).decode() == to_json(part.to_dict())
            assert b"".join(score_json_parts(part, detail=True)).decode() == to_json(
                part.to_dict(detail=True))
            header, rows = score_table(part)
            assert b"".join(score_csv_parts(part)).decode() == csv_text(header, rows)
            detail_header, detail_rows = detail_table(part)
            assert b"".join(detail_csv_parts(part)).decode() == csv_text(
                detail_header, detail_rows)


@pytest.mark.parametrize("weight", ["2", "0.3"])
def test_scoring_in_row_blocks_on_threads_equals_one_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          weight: str) -> None:
    """Big inputs are scored in row blocks on a thread per core: bit for bit the same."""
    from conftest import ROOT

    from esgcli.base import parallel
    from esgcli.engine import scoring

    q_path = tmp_path / "q.yaml"
    q_path.write_text(MINI.read_text(encoding="utf-8").replace("weight: 2", f"weight: {weight}"),
                      encoding="utf-8")
    answers = read_answers(ROOT / "tests" / "data" / "mini.xlsx", load_questionnaire(q_path))
    one = score(answers)
    monkeypatch.setattr(scoring, "BLOCK_CELLS", 1)
    monkeypatch.setattr(parallel, "cores", lambda: 3)
    blocks = score(answers)
    for name in ("compliance", "score", "area_compliance", "area_score", "points", "counted",
                 "compliant", "missing", "status"):
        np.testing.assert_array_equal(getattr(blocks, name), getattr(one, name))
    for name, counts in one.area_counts.items():
        np.testing.assert_array_equal(blocks.area_counts[name], counts)
    assert blocks.to_dict() == one.to_dict()
