"""Tolerant reading (issue 12 items 15, 17): remarks columns, close indicator headers, more
supplier-id headers, suggestions for unknown answers, spacing in item names."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI, ROOT

from esgcli import InputError, load_questionnaire, read_answers

Q = load_questionnaire(MINI)


@pytest.mark.parametrize("header", ["비고", "remarks", "Note", "메모"])
def test_remarks_columns_are_ignored_silently(xlsx, header: str) -> None:  # noqa: ANN001
    path = xlsx(f"""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 | {header} | extra |
| X | 60 | yes | 1 | 5 | none | yes | 전화 확인 | 1 |
""")
    data = read_answers(path, Q)
    # the remarks column is not listed; a truly unknown column still is
    assert [(p.code, p.params.get("headers")) for p in data.problems] == [("HDR-003", "I 'extra'")]


def test_bundled_example_prints_no_unknown_column_warning(esg) -> None:  # noqa: ANN001
    result = esg("score", ROOT / "examples" / "suppliers.xlsx", "--format", "json")
    assert result.exit_code == 0
    assert "HDR-003" not in result.stderr


def test_unknown_header_close_to_an_indicator_id_is_named(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | employees | E1 | E-2 | E-3 | S-1 | S-2 |
| X | 60 | yes | 1 | 5 | none | yes |
""")
    with pytest.raises(InputError) as caught:
        read_answers(path, Q)
    assert [p.message("en") for p in caught.value.problems] == [
        "answers1.xlsx › answers › row 1: columns ignored: C 'E1' (→ E-1?)",
        "answers1.xlsx › answers › row 1: indicator columns missing: E-1 (← C 'E1'?)"]


def test_unrelated_header_gets_no_suggestion(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 | 담당자 |
| X | 60 | yes | 1 | 5 | none | yes | 김 |
""")
    assert [p.params["headers"] for p in read_answers(path, Q).problems] == ["H '담당자'"]


@pytest.mark.parametrize("header", ["사업자번호", "회사코드"])
def test_more_supplier_id_headers(xlsx, header: str) -> None:  # noqa: ANN001
    path = xlsx(f"""
| {header} | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| 123-45-67890 | 60 | yes | 1 | 5 | none | yes |
""")
    data = read_answers(path, Q)
    assert list(data.records["supplier_id"]) == ["123-45-67890"]


def test_no_header_row_lists_the_accepted_supplier_id_headers(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| 업체 | E-1 |
| X | yes |
""")
    with pytest.raises(InputError) as caught:
        read_answers(path, Q)
    [problem] = caught.value.problems
    assert problem.code == "WB-006"
    assert problem.text("ko") == (
        "처음 20행 안에 협력사코드 열 머리글이 있는 시트가 없습니다. 인식하는 머리글: supplier_id, "
        "supplier id, supplier code, 협력사코드, 업체코드, 사업자등록번호, 사업자번호, 회사코드")


def test_unknown_answers_suggest_close_matches(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | 60 | ㅇ | 3단계 | 5 | manager, trainig | yes |
| Y | 60 | 글쎄 | 7 | 5 | none | yes |
""")
    data = read_answers(path, Q)
    assert [(p.cell, p.text("en")) for p in data.errors] == [
        ("C2", "\"ㅇ\" is not an answer (→ 'O'?). Allowed: yes, no"),
        ("D2", "\"3단계\" is not an answer (→ '3'?). Allowed: 1 (Poor), 2, 3 (Good), N/A"),
        ("F2", "\"manager, trainig\" is not an answer (→ 'training'?). Allowed: the items met, "
               "separated by commas (Manager; training; ppe), or none"),
        ("C3", "\"글쎄\" is not an answer. Allowed: yes, no"),
        ("D3", "\"7\" is not an answer. Allowed: 1 (Poor), 2, 3 (Good), N/A")]


SPACED = """\
format: esg-questionnaire/1
id: spaced
version: "1"
title: {{ko: 띄어쓰기, en: Spacing}}
language: ko
areas: [{{id: G, title: {{ko: 지배구조, en: Governance}}}}]
indicators:
  - id: G-1
    area: G
    title: {{ko: 추진체계, en: System}}
    answer:
      type: checklist
      items: [{items}]
"""


def _spaced(tmp_path: Path, items: str) -> object:
    path = tmp_path / "spaced.yaml"
    path.write_text(SPACED.format(items=items), encoding="utf-8")
    return load_questionnaire(path)


def test_item_names_match_when_only_spacing_differs(tmp_path: Path, xlsx) -> None:  # noqa: ANN001
    q = _spaced(tmp_path, "{value: 전담 조직}, {value: 예산 편성}")
    path = xlsx("""
| supplier_id | G-1 |
| X | 전담조직, 예산편성 |
| Y | 전담  조직 |
""")
    data = read_answers(path, q)  # type: ignore[arg-type]
    assert data.errors == []
    assert [data.answers.value(i, 0) for i in range(2)] == ["전담 조직, 예산 편성", "전담 조직"]


def test_spacing_is_not_forgiven_when_two_items_would_meet(tmp_path: Path, xlsx) -> None:  # noqa: ANN001
    q = _spaced(tmp_path, "{value: 전담 조직}, {value: 전담조 직}")
    path = xlsx("""
| supplier_id | G-1 |
| X | 전담조직 |
""")
    data = read_answers(path, q)  # type: ignore[arg-type]
    assert [(p.code, p.cell) for p in data.errors] == [("ANS-001", "B2")]
