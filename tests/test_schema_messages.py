"""What pydantic finds in a questionnaire or policy, said in the catalogue's words (#14): each
kind of error has its code and Korean and English text, keeps the YAML line, the key path and
the bad value; an unknown kind is SCH-001, never pydantic's own English."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA

from esgcli import InputError, load_questionnaire
from esgcli.questionnaire.policy import load_policy
from esgcli.questionnaire.yamlsource import YamlDocument, schema_problem

HEAD = 'format: esg-questionnaire/1\nid: t\nversion: "1"\ntitle: T\nareas:\n  - {id: E, title: Env}\n'
ONE = "indicators:\n  - {id: E-1, area: E, title: t, scale: yes_no}\n"


def _indicator(extra: str) -> str:
    return HEAD + "indicators:\n  - {id: E-1, area: E, title: t, scale: yes_no" + extra + "}\n"


CASES = [  # yaml, (code, line, path, value), English text, Korean text
    (_indicator(", weight: heavy"), ("SCH-004", 8, "indicators[0].weight", "heavy"),
     "the value 'heavy' is not a number", "값 'heavy'의 형식이 맞지 않습니다 (필요한 형식: 숫자)"),
    (_indicator(", critical: maybe"), ("SCH-004", 8, "indicators[0].critical", "maybe"),
     "the value 'maybe' is not true or false",
     "값 'maybe'의 형식이 맞지 않습니다 (필요한 형식: true 또는 false)"),
    (_indicator(", weight: -1"), ("SCH-005", 8, "indicators[0].weight", -1),
     "the value -1 is out of range: it must be > 0", "값 -1이(가) 범위를 벗어났습니다 (허용 범위: > 0)"),
    (HEAD + "grades: {bands: [{grade: A, min: 120}]}\n" + ONE,
     ("SCH-005", 7, "grades.bands[0].min", 120),
     "the value 120 is out of range: it must be ≤ 100", "값 120이(가) 범위를 벗어났습니다 (허용 범위: ≤ 100)"),
    (HEAD + "language: fr\n" + ONE, ("SCH-006", 7, "language", "fr"),
     "the value 'fr' is not allowed. Allowed: ko, en", "값 'fr'은(는) 쓸 수 없습니다. 가능한 값: ko, en"),
    (HEAD + "indicators:\n  - id: E-1\n    area: E\n    title: t\n    answer: {type: slider}\n",
     ("SCH-006", 11, "indicators[0].answer.type", "slider"),
     "the value 'slider' is not allowed. Allowed: choice, checklist, number",
     "값 'slider'은(는) 쓸 수 없습니다. 가능한 값: choice, checklist, number"),
    (_indicator("").replace("id: E-1", "id: e1"), ("SCH-007", 8, "indicators[0].id", "e1"),
     "the value 'e1' does not match the pattern ^[A-Z][A-Za-z0-9_.-]*$",
     "값 'e1'이(가) 형식 ^[A-Z][A-Za-z0-9_.-]*$에 맞지 않습니다"),
    (HEAD.replace("areas:\n  - {id: E, title: Env}\n", "areas: []\n") + ONE,
     ("SCH-008", 5, "areas", []), "0 item(s): at least 1 needed", "항목이 0개입니다: 최소 1개가 필요합니다"),
    (HEAD.replace("title: T", "title: {}") + ONE, ("SCH-011", 4, "title", {}),
     "the text is empty: give it in ko or en", "텍스트가 비어 있습니다: ko 또는 en 중 하나는 적으세요"),
    (HEAD + "indicators:\n  - id: E-1\n    area: E\n    title: t\n    answer: {options: []}\n",
     ("SCH-012", 11, "indicators[0].answer", None),
     "the key 'type' is missing: it says which kind of entry this is",
     "키 'type'이(가) 없습니다: 이 항목이 어떤 종류인지 정하는 키입니다"),
    (HEAD + "indicators:\n  - E-1\n", ("SCH-004", 8, "indicators[0]", "E-1"),
     "the value 'E-1' is not a mapping (key: value)",
     "값 'E-1'의 형식이 맞지 않습니다 (필요한 형식: 매핑 (키: 값))"),
    (HEAD + "~: 1\n" + ONE, ("SCH-013", 7, None, None),
     "a key must be a plain value (not a list, a mapping or empty)",
     "키는 단순한 값이어야 합니다 (목록·매핑·빈 값은 키가 될 수 없습니다)"),
]


@pytest.mark.parametrize(("text", "where", "en", "ko"), CASES, ids=[c[1][0] + " " + str(c[1][2]) for c in CASES])
def test_schema_problems_in_both_languages(tmp_path: Path, text: str, where: tuple, en: str, ko: str) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_questionnaire(path)
    problem = info.value.problems[0]
    assert (problem.code, problem.row, problem.path, problem.value) == where
    assert (problem.text("en"), problem.text("ko")) == (en, ko)
    for lang in ("ko", "en"):
        assert "Input should" not in problem.message(lang) and "Value error" not in problem.message(lang)


def test_a_value_of_none_of_the_types_a_key_takes_is_one_problem(tmp_path: Path) -> None:
    """`value:` of a condition takes text, numbers, true/false or a list: one line naming them
    all, at the key itself (pydantic reports one error per type, located at `value.int`…)."""
    path = tmp_path / "q.yaml"
    path.write_text(HEAD + "profile: [{id: n, type: integer}]\nindicators:\n  - id: E-1\n    area: E\n"
                    "    title: t\n    scale: yes_no\n    applies_if: {field: n, op: '>', value: {a: 1}}\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_questionnaire(path)
    assert [(p.code, p.row, p.path, p.value) for p in info.value.problems] == [
        ("SCH-004", 13, "indicators[0].applies_if.value", {"a": 1})]
    problem = info.value.problems[0]
    assert problem.text("en") == ("the value {a: 1} is not text, a whole number, a number, true or "
                                  "false, or a list (- item)")
    assert problem.text("ko") == ("값 {a: 1}의 형식이 맞지 않습니다 (필요한 형식: 텍스트, 정수, 숫자, "
                                  "true 또는 false, 목록 (- 항목))")


def test_an_unknown_kind_of_error_still_names_the_path_and_the_value() -> None:
    doc = YamlDocument(file="q.yaml", data={"id": "x"}, marks={("id",): (2, 5)}, sha256="")
    problem = schema_problem(doc, ("id",), {"type": "uuid_parsing", "input": "x",
                                            "msg": "Input should be a valid UUID", "ctx": {}})
    assert (problem.code, problem.row, problem.path, problem.value) == ("SCH-001", 2, "id", "x")
    assert problem.message("en") == "q.yaml:2:5 id: the value 'x' is not valid here (uuid_parsing)"
    assert problem.message("ko") == "q.yaml:2:5 id: 값 'x'을(를) 여기에 쓸 수 없습니다 (uuid_parsing)"


POLICY = DATA / "mini-policy.yaml"


@pytest.mark.parametrize(("number", "code", "en", "ko"), [
    ("MINI-{seq", "POL-001",
     "invalid certificate number template 'MINI-{seq': unmatched braces or a bad format spec "
     "(e.g. {seq:03d})",
     "인증서 번호 형식 'MINI-{seq'을(를) 읽을 수 없습니다: 중괄호의 짝이 맞지 않거나 필드의 형식 지정이 "
     "잘못되었습니다 (예: {seq:03d})"),
    ("{seq:q}", "POL-001",
     "invalid certificate number template '{seq:q}': unmatched braces or a bad format spec "
     "(e.g. {seq:03d})",
     "인증서 번호 형식 '{seq:q}'을(를) 읽을 수 없습니다: 중괄호의 짝이 맞지 않거나 필드의 형식 지정이 "
     "잘못되었습니다 (예: {seq:03d})"),
    ("{seq:0999999999d}", "POL-004",
     "certificate number template '{seq:0999999999d}': the format of {seq} ('0999999999d') is "
     "too wide (at most 32 characters, no nested fields)",
     "인증서 번호 형식 '{seq:0999999999d}': {seq}의 형식 '0999999999d'이(가) 너무 깁니다 (최대 32자, "
     "중첩된 필드는 쓸 수 없습니다)"),
    ("{}-{seq}", "POL-005",
     "certificate number template '{}-{seq}' has unknown field(s) {}; the fields are {policy}, "
     "{seq}, {supplier_id}, {year}",
     "인증서 번호 형식 '{}-{seq}'에 알 수 없는 필드가 있습니다: {}. 쓸 수 있는 필드: {policy}, {seq}, "
     "{supplier_id}, {year}"),
    ("MINI-{year}", "POL-006",
     "certificate number template 'MINI-{year}' needs {seq} or {supplier_id} to be unique",
     "인증서 번호 형식 'MINI-{year}'에는 번호가 겹치지 않도록 {seq} 또는 {supplier_id}가 필요합니다"),
])
def test_certificate_number_problems_in_both_languages(tmp_path: Path, number: str, code: str, en: str,
                                                       ko: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(POLICY.read_text(encoding="utf-8").replace('"MINI-{year}-{seq:03d}"', repr(number)),
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_policy(path)
    problem = info.value.problems[0]
    assert (problem.code, problem.row, problem.path, problem.value) == (code, 10, "certificate.number",
                                                                        number)
    assert (problem.text("en"), problem.text("ko")) == (en, ko)
