"""Declared profile values (SPEC §2): matched like choice options, never a silent mismatch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT
from openpyxl import load_workbook

from esgcli import InputError, load_questionnaire, resolve_questionnaire

HEAD = """format: esg-questionnaire/1
id: pv
version: "1"
title: {ko: 프로필 값, en: Profile values}
language: en
profile:
  - {id: employees, type: integer, title: {ko: 상시근로자 수, en: Employees}}
  - id: industry
    type: string
    title: {ko: 업종, en: Industry}
    values:
      - {value: manufacturing, label: {ko: 제조업, en: Manufacturing}, aliases: [제조, mfg]}
      - {value: services, label: {ko: 서비스업, en: Services}}
areas:
  - {id: E, title: {ko: 환경, en: Environment}}
indicators:
  - {id: E-1, area: E, title: Targets, scale: yes_no}
"""
PV = HEAD + """  - id: E-2
    area: E
    title: Pollutants
    scale: yes_no
    critical: true
    applies_if: {field: industry, op: in, value: [manufacturing]}
"""


@pytest.fixture
def pv(tmp_path: Path) -> Path:
    path = tmp_path / "pv.yaml"
    path.write_text(PV, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[tuple[str, int | None, int | None, str | None]]:
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_questionnaire(path)
    return [(p.code, p.row, p.column, p.path) for p in info.value.problems]


def test_every_spelling_of_a_declared_value_applies_alike(esg, xlsx, pv: Path) -> None:  # noqa: ANN001
    """제조업, 제조, MFG and Manufacturing all mean `manufacturing`: E-2 applies to each."""
    answers = xlsx("""
| supplier_id | employees | industry      | E-1 | E-2 |
| A           | 10        | manufacturing | yes | no  |
| B           | 10        | 제조업         | yes | no  |
| C           | 10        | " 제조 "       | yes | no  |
| D           | 10        | MFG           | yes | no  |
| E           | 10        | Manufacturing | yes | no  |
| F           | 10        | 서비스업        | yes | no  |
""")
    result = esg("score", answers, "-q", pv, "--format", "json")
    assert result.exit_code == 0, result.stderr
    got = [(s["supplier_id"], s["compliance"], s["critical_failures"])
           for s in json.loads(result.stdout)["suppliers"]]
    assert got == [(x, 50.0, ["E-2"]) for x in "ABCDE"] + [("F", 100.0, [])]


def test_unknown_value_is_a_located_error_with_close_matches(esg, xlsx, pv: Path) -> None:  # noqa: ANN001
    answers = xlsx("""
| supplier_id | employees | industry | E-1 | E-2 |
| A           | 10        | 제조엄    | yes | no  |
| B           | 10        | 건설업    | yes | no  |
""")
    result = esg("score", answers, "-q", pv, "--lang", "en")
    assert result.exit_code == 3
    assert result.stdout == ""
    validate = esg("validate", answers, "-q", pv, "--format", "json", "--lang", "en")
    assert validate.exit_code == 3
    problems = [(p["code"], p["cell"], p["supplier_id"], p["value"])
                for p in json.loads(validate.stdout)["problems"]]
    assert problems == [("PRF-001", "C2", "A", "제조엄"), ("PRF-001", "C3", "B", "건설업")]
    messages = [p["message"] for p in json.loads(validate.stdout)["problems"]]
    assert messages[0] == (f"{answers.name} › answers › C2 (A): Industry (industry) \"제조엄\" is not "
                           "a valid value (→ 'Manufacturing'?). Allowed: Manufacturing, Services")
    korean = esg("validate", answers, "-q", pv, "--format", "json", "--lang", "ko")
    assert "(→ '제조업'?). 허용: 제조업, 서비스업" in json.loads(korean.stdout)["problems"][0]["message"]


def test_bundled_example_in_korean_scores_as_in_english(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """Issue 12 item 1: 업종 = 제조업 must mean manufacturing (same rates, same critical failures)."""
    example = ROOT / "examples" / "suppliers.xlsx"
    book = load_workbook(example)
    sheet = book.worksheets[0]
    column = next(c.column for c in sheet[4] if c.value == "업종")
    korean = {"manufacturing": "제조업", "construction": "건설업", "services": "서비스업",
              "it": "정보통신업"}
    changed = 0
    for row in range(5, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        if cell.value in korean:
            cell.value = korean[cell.value]
            changed += 1
    assert changed > 100
    translated = tmp_path / "korean.xlsx"
    book.save(translated)

    def results(path: Path) -> list[tuple[object, ...]]:
        run = esg("score", path, "--format", "json")
        assert run.exit_code == 0, run.stderr
        return [(s["supplier_id"], s["round"], s["compliance"], s["score"], s["critical_failures"],
                 s["areas"]) for s in json.loads(run.stdout)["suppliers"]]

    assert results(translated) == results(example)


def test_applies_if_with_an_undeclared_value_is_a_questionnaire_error(tmp_path: Path) -> None:
    text = HEAD + """  - id: E-2
    area: E
    title: Pollutants
    scale: yes_no
    applies_if: {any: [{field: industry, op: in, value: [manufacturing, construction]},
                       {field: industry, op: "==", value: servces}]}
"""
    assert problems_of(tmp_path, text) == [
        ("QST-022", 22, 73, "indicators[1].applies_if.any[0].value[1]"),
        ("QST-022", 23, 52, "indicators[1].applies_if.any[1].value")]
    with pytest.raises(InputError) as info:
        load_questionnaire(tmp_path / "q.yaml")
    assert info.value.problems[1].text("en") == (
        "'servces' is not a declared value of profile field 'industry' (→ 'services'?). "
        "Declared: manufacturing, services")


def test_applies_if_may_name_a_value_by_its_label(tmp_path: Path, esg, xlsx) -> None:  # noqa: ANN001
    path = tmp_path / "label.yaml"
    path.write_text(PV.replace("value: [manufacturing]", "value: [제조업]"), encoding="utf-8")
    answers = xlsx("""
| supplier_id | employees | industry      | E-1 | E-2 |
| A           | 10        | manufacturing | yes | no  |
| B           | 10        | services      | yes |     |
""")
    result = esg("score", answers, "-q", path, "--format", "json")
    assert [s["compliance"] for s in json.loads(result.stdout)["suppliers"]] == [50.0, 100.0]


def test_values_only_on_string_fields_and_unique(tmp_path: Path) -> None:
    text = HEAD.replace(
        "  - {id: employees, type: integer, title: {ko: 상시근로자 수, en: Employees}}",
        "  - {id: employees, type: integer, values: [{value: small}]}").replace(
        "aliases: [제조, mfg]}", "aliases: [제조, mfg, Services]}")
    assert problems_of(tmp_path, text) == [("QST-020", 7, 36, "profile[0].values"),
                                           ("QST-021", 13, 9, "profile[1].values[1]")]


def test_template_gives_declared_values_a_dropdown(esg, tmp_path: Path, pv: Path) -> None:  # noqa: ANN001
    for lang, expected in (("ko", ["제조업", "서비스업"]), ("en", ["Manufacturing", "Services"])):
        out = tmp_path / f"t-{lang}.xlsx"
        assert esg("template", "-q", pv, "-o", out, "--lang", lang).exit_code == 0
        book = load_workbook(out)
        sheet = book.worksheets[0]
        column = next(c.column_letter for c in sheet[3] if c.value in ("업종", "Industry"))
        lists = [dv for dv in sheet.data_validations.dataValidation
                 if str(dv.sqref).startswith(f"{column}4:")]
        assert [dv.type for dv in lists] == ["list"]
        ref = lists[0].formula1.split("!")[1].replace("$", "")
        values = [c.value for row in book["_lists"][ref] for c in row]
        assert values == expected


def test_bundled_string_profile_fields_declare_their_values() -> None:
    for ident in ("supplier-esg", "kesg-2021"):
        q = resolve_questionnaire(ident)
        strings = [p.id for p in q.model.profile if p.type == "string"]
        assert sorted(q.profile_values) == sorted(strings)
    values = resolve_questionnaire("supplier-esg").profile_values["industry"]
    assert values.canonical("제조업") == "manufacturing"
    assert values.canonical("건설") == "construction"


def test_show_lists_declared_values(esg, pv: Path) -> None:  # noqa: ANN001
    shown = esg("questionnaire", "show", pv, "--lang", "ko")
    assert shown.exit_code == 0
    lines = [line.strip("│├└─ ") for line in shown.stdout.splitlines()]
    assert "employees 상시근로자 수 (정수)" in lines  # the header's id, and the title
    assert "industry 업종 (텍스트): manufacturing (제조업), services (서비스업)" in lines


def test_template_prefills_declared_values_as_dropdown_entries(esg, tmp_path: Path, pv: Path) -> None:  # noqa: ANN001
    """A supplier list may spell a value any declared way; the template shows the dropdown's
    entry in its language, and keeps an undeclared spelling as it is (validate names it)."""
    suppliers = tmp_path / "list.csv"
    suppliers.write_text("supplier_id,industry\nA,MFG\nB,서비스업\nC,광업\n", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert esg("template", "-q", pv, "-o", out, "--lang", "ko", "--suppliers", suppliers).exit_code == 0
    sheet = load_workbook(out).worksheets[0]
    column = next(c.column for c in sheet[3] if c.value == "업종")
    assert [sheet.cell(row=r, column=column).value for r in (4, 5, 6)] == ["제조업", "서비스업", "광업"]
