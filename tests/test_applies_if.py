"""Every `applies_if` operator and `all`/`any`/`not` from the command line (SPEC §2, §5), against
an oracle written here in plain Python: which indicators apply to which supplier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

QUESTIONNAIRE = """\
format: esg-questionnaire/1
id: ops
version: "1"
title: {ko: 연산자, en: Operators}
language: en
profile:
  - {id: employees, type: integer, title: {ko: 상시근로자 수, en: Employees}}
  - id: industry
    type: string
    title: {ko: 업종, en: Industry}
    values:
      - {value: manufacturing, label: {ko: 제조업, en: Manufacturing}, aliases: [제조]}
      - {value: construction, label: {ko: 건설업, en: Construction}}
      - {value: services, label: {ko: 서비스업, en: Services}}
areas:
  - {id: E, title: {ko: 환경, en: Environment}}
indicators:
  - {id: EQ, area: E, title: {ko: 같음, en: eq}, scale: yes_no,
     applies_if: {field: industry, op: "==", value: manufacturing}}
  - {id: NE, area: E, title: {ko: 다름, en: ne}, scale: yes_no,
     applies_if: {field: industry, op: "!=", value: services}}
  - {id: GT, area: E, title: {ko: 초과, en: gt}, scale: yes_no,
     applies_if: {field: employees, op: ">", value: 50}}
  - {id: GE, area: E, title: {ko: 이상, en: ge}, scale: yes_no,
     applies_if: {field: employees, op: ">=", value: 50}}
  - {id: LT, area: E, title: {ko: 미만, en: lt}, scale: yes_no,
     applies_if: {field: employees, op: "<", value: 50}}
  - {id: LE, area: E, title: {ko: 이하, en: le}, scale: yes_no,
     applies_if: {field: employees, op: "<=", value: 50}}
  - {id: IN, area: E, title: {ko: 포함, en: in}, scale: yes_no,
     applies_if: {field: industry, op: in, value: [manufacturing, construction]}}
  - {id: NI, area: E, title: {ko: 제외, en: not in}, scale: yes_no,
     applies_if: {field: industry, op: not_in, value: [construction]}}
  - id: ALL
    area: E
    title: {ko: 모두, en: all}
    scale: yes_no
    applies_if:
      all:
        - {field: employees, op: ">=", value: 50}
        - {field: industry, op: "==", value: construction}
  - id: ANY
    area: E
    title: {ko: 하나라도, en: any}
    scale: yes_no
    applies_if:
      any:
        - {field: employees, op: "<", value: 10}
        - {field: industry, op: "==", value: services}
  - id: NOT
    area: E
    title: {ko: 아님, en: not}
    scale: yes_no
    applies_if:
      not: {field: employees, op: ">=", value: 300}
  - id: NEST
    area: E
    title: {ko: 중첩, en: nested}
    scale: yes_no
    applies_if:
      any:
        - all:
            - {field: industry, op: in, value: [manufacturing]}
            - not: {field: employees, op: "<", value: 100}
        - {field: employees, op: "==", value: 50}
  - {id: ALWAYS, area: E, title: {ko: 항상, en: always}, scale: yes_no}
"""

ORACLE: dict[str, Any] = {
    "EQ": lambda e, i: i == "manufacturing",
    "NE": lambda e, i: i != "services",
    "GT": lambda e, i: e > 50,
    "GE": lambda e, i: e >= 50,
    "LT": lambda e, i: e < 50,
    "LE": lambda e, i: e <= 50,
    "IN": lambda e, i: i in ("manufacturing", "construction"),
    "NI": lambda e, i: i != "construction",
    "ALL": lambda e, i: e >= 50 and i == "construction",
    "ANY": lambda e, i: e < 10 or i == "services",
    "NOT": lambda e, i: not e >= 300,
    "NEST": lambda e, i: (i == "manufacturing" and not e < 100) or e == 50,
    "ALWAYS": lambda e, i: True,
}
CANONICAL = {"제조업": "manufacturing", "제조": "manufacturing", "건설업": "construction",
             "Services": "services"}
# (employees, industry as written in the workbook: values, Korean labels, aliases, English labels)
SUPPLIERS = [(5, "services"), (49, "제조업"), (50, "construction"), (51, "제조"),
             (100, "manufacturing"), (299, "건설업"), (300, "Services"), (1200, "manufacturing")]


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, Path]:
    q = tmp_path / "ops.yaml"
    q.write_text(QUESTIONNAIRE, encoding="utf-8")
    header = ["supplier_id", "supplier_name", "employees", "industry", *ORACLE]
    lines = [",".join(header)]
    for k, (employees, industry) in enumerate(SUPPLIERS, start=1):
        lines.append(",".join([f"S{k:02d}", f"Supplier {k}", str(employees), industry,
                               *(["yes"] * len(ORACLE))]))
    answers = tmp_path / "answers.csv"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return q, answers


def test_every_operator_and_combinator_matches_the_oracle(esg: Any, case: tuple[Path, Path]) -> None:
    q, answers = case
    result = esg("score", answers, "-q", q, "--detail", "--format", "json")
    assert result.exit_code == 0, result.stderr
    suppliers = json.loads(result.stdout)["suppliers"]
    assert len(suppliers) == len(SUPPLIERS)
    for record, (employees, written) in zip(suppliers, SUPPLIERS, strict=True):
        industry = CANONICAL.get(written, written)
        for indicator, rule in ORACLE.items():
            applies = rule(employees, industry)
            status = record["indicators"][indicator]["status"]
            assert status == ("counted" if applies else "not_applicable"), \
                (record["supplier_id"], employees, written, indicator)
        counted = sum(rule(employees, industry) for rule in ORACLE.values())
        # every counted indicator is answered yes: compliance is 100% over the counted ones only
        assert record["compliance"] == 100.0 and counted > 0


def test_explain_names_the_condition_of_an_indicator_that_does_not_apply(esg: Any,
                                                                          case: tuple[Path, Path]) -> None:
    q, answers = case
    result = esg("score", answers, "-q", q, "--explain", "S01", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "employees >= 300" in result.stdout or "NOT" in result.stdout


def test_a_value_outside_the_declared_ones_is_a_located_error(esg: Any, case: tuple[Path, Path],
                                                               tmp_path: Path) -> None:
    q, answers = case
    text = answers.read_text(encoding="utf-8").replace("construction", "constuction", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    result = esg("validate", bad, "-q", q, "--lang", "en")
    assert result.exit_code == 3
    assert "constuction" in result.stdout + result.stderr
    assert "construction" in (result.stdout + result.stderr).lower()  # the close match is offered


@pytest.mark.parametrize(("lang", "expected"), [
    ("ko", "적용 제외: 적용 조건(업종: 제조업, 건설업 중 하나)에 해당하지 않음"),
    ("en", "does not apply: needs Industry is one of Manufacturing, Construction")])
def test_explain_names_declared_values_by_their_labels(esg: Any, lang: str, expected: str) -> None:
    """`--explain` said `적용 조건(업종: manufacturing, construction 중 하나)` in Korean: the
    stored values. A declared value is shown by its label in the run's language (#12 item 11)."""
    root = Path(__file__).resolve().parent.parent
    result = esg("score", root / "examples" / "suppliers.xlsx", "--explain", "S001", "--lang", lang,
                 COLUMNS="200")
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout, result.stdout
