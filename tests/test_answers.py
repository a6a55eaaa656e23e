"""Reading answers (SPEC §3–4): tokens, headers, layouts, located problems, other writers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, MINI
from hypothesis import given
from hypothesis import strategies as st

from esgcli import InputError, load_questionnaire, read_answers, score
from esgcli.base.tokens import normalise, parse_number
from esgcli.questionnaire.scales import ANSWERED, INVALID, MISSING, NA

Q = load_questionnaire(MINI)


def problems(path: Path) -> list[tuple[str, str | None, str | None]]:
    data = read_answers(path, Q)
    return [(p.code, p.cell, p.indicator) for p in data.problems]


# ----------------------------------------------------------------- §3 tokens
@pytest.mark.parametrize("raw,expected", [
    (3.0, "3"), ("3.0", "3"), (" 3 ", "3"), (True, "true"), (False, "false"),
    ("ＹＥＳ", "yes"), ("  Not Applicable ", "not applicable"), (1e-05, "1e-05"), ("", ""),
])
def test_normalise_section3(raw: object, expected: str) -> None:
    """§3: NFKC, trimmed, case-folded; 3.0 reads as 3; booleans as true/false."""
    assert normalise(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("1,234.5", 1234.5), ("25%", 25.0), ("25 %", 25.0), (25, 25.0), ("1e-05", 1e-05),
    ("abc", None), ("1,5", None), ("", None), (True, None), ("-3", -3.0),
])
def test_parse_number_section3(raw: object, expected: float | None) -> None:
    assert parse_number(raw) == expected


YES = ["yes", "y", "o", "○", "예", "네", "있음", "준수", "true", "1", True, 1.0, "YES", "Ｏ"]
NO = ["no", "n", "x", "×", "아니오", "아니요", "없음", "미준수", "false", "0", False, 0]
NA_TOKENS = ["n/a", "na", "n.a.", "not applicable", "해당없음", "해당 없음", "N/A", "NA"]


def test_yes_no_aliases_section3() -> None:
    matcher = Q.matchers["E-1"]
    assert {matcher.parse(v).answer for v in YES} == {"yes"}
    assert {matcher.parse(v).answer for v in NO} == {"no"}
    assert matcher.parse("maybe").status == INVALID


def test_choice_matches_value_label_alias_section3() -> None:
    matcher = Q.matchers["E-2"]
    for raw in (3, 3.0, "3", "3.0", "Good", "우수", "good"):
        assert matcher.parse(raw).points == 2
    assert matcher.parse("보통").points == 1  # alias
    assert matcher.parse(4).status == INVALID


def test_checklist_section3() -> None:
    matcher = Q.matchers["S-1"]
    assert matcher.parse("manager, training").points == 2
    assert matcher.parse("ppe;manager\ntraining").points == 3
    assert matcher.parse("책임자,보호구").answer == "manager, ppe"
    assert matcher.parse("none").points == 0
    assert matcher.parse("없음").status == ANSWERED
    assert matcher.parse("manager, manager").code == "ANS-004"
    assert matcher.parse("manager, none").code == "ANS-005"
    assert matcher.parse("manager, boss").code == "ANS-001"


def test_number_section3() -> None:
    matcher = Q.matchers["E-3"]
    assert matcher.parse("25%").points == 2
    assert matcher.parse(5).points == 1
    assert matcher.parse(4.99).points == 0
    assert matcher.parse(101).code == "ANS-003"
    assert matcher.parse("lots").code == "ANS-008"


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True), st.integers(), st.booleans(),
                 st.none()))
def test_token_parser_never_raises(value: object) -> None:
    """Property: any cell value gives a status, never an exception."""
    for ident, matcher in Q.matchers.items():
        parsed = matcher.parse(value) if value not in (None, "") else None
        assert parsed is None or parsed.status in (ANSWERED, INVALID), ident


# ----------------------------------------------------------------- §4 workbook
def test_header_below_title_rows_and_korean_headers_section4() -> None:
    data = read_answers(DATA / "mini.xlsx", Q)
    assert data.source.sheet == "응답"
    assert data.errors == []
    assert list(data.records["supplier_id"]) == ["A001", "A002", "A003", "1234", "A001", "A002"]
    assert list(data.records["excel_row"]) == [4, 5, 6, 7, 8, 9]
    assert data.problems == []  # the remarks column K '비고' is known and ignored silently (§4)


def without_file(suppliers: list[dict]) -> list[dict]:
    """Records as scored, apart from the file each came from."""
    return [{k: v for k, v in s.items() if k != "file"} for s in suppliers]


@pytest.mark.parametrize("name", ["mini.ods", "mini-lo.xlsx", "mini.csv"])
def test_libreoffice_copies_read_the_same(name: str) -> None:
    """Files re-saved by LibreOffice (ods, its own xlsx, UTF-8 csv) score like the original."""
    original = score(read_answers(DATA / "mini.xlsx", Q)).to_dict()
    other = score(read_answers(DATA / name, Q)).to_dict()
    assert without_file(other["suppliers"]) == without_file(original["suppliers"])
    assert {s["file"] for s in other["suppliers"]} == {name}


def test_indicator_status_and_na(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | 60 | yes | n/a | | none | 해당없음 |
""")
    data = read_answers(path, Q)
    assert list(data.status[0]) == [ANSWERED, NA, MISSING, ANSWERED, INVALID]
    assert [(p.code, p.cell, p.indicator) for p in data.errors] == [("ANS-002", "G2", "S-2")]


def test_invalid_answers_are_located_with_expected_values(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| 협력사코드 | 상시근로자 수 | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | 60 | yes? | 4 | 101 | manager, boss | no |
| Y | 10 | yes | 1 | 5 | none | maybe |
""")
    data = read_answers(path, Q)
    assert [(p.code, p.cell, p.supplier_id, p.indicator) for p in data.problems] == [
        ("ANS-001", "C2", "X", "E-1"), ("ANS-001", "D2", "X", "E-2"),
        ("ANS-003", "E2", "X", "E-3"), ("ANS-001", "F2", "X", "S-1"),
        ("ANS-007", "G3", "Y", "S-2")]
    assert data.problems[0].message("en") == (
        "answers1.xlsx › answers › C2 (X, E-1): \"yes?\" is not an answer (→ 'yes'?). Allowed: yes, no")
    assert data.problems[0].message("ko") == (
        "answers1.xlsx › answers › C2 (X, E-1): \"yes?\"은(는) 올바른 응답이 아닙니다 (→ 'yes'?). 허용: "
        "예, 아니오")
    assert "N/A" in data.problems[1].message("en")  # E-2 allows N/A


def test_duplicate_supplier_round_year_section4(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | round | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | 사전 | 10 | yes | 1 | 5 | none | |
| X | 사후 | 10 | yes | 1 | 5 | none | |
| "X " | 사전 | 10 | yes | 1 | 5 | none | |
""")
    assert problems(path) == [("ROW-002", "A4", None)]
    assert read_answers(path, Q).problems[0].params["first"] == 2


def test_a_row_given_twice_is_told_by_supplier_round_and_year(tmp_path: Path) -> None:
    """Blank years are one value, and 2024 given twice (once typed 2024.0) is one year; a blank
    and a given year are two (the blank one is SEL-004, not a duplicate)."""
    path = tmp_path / "dups.csv"
    path.write_text("supplier_id,round,year,employees,E-1,E-2,E-3,S-1,S-2\n"
                    "S1,사전,2024,10,yes,1,5,none,\nS1,사전,,10,yes,1,5,none,\n"
                    "S2,사전,,10,yes,1,5,none,\nS2,사전,,10,yes,1,5,none,\n"
                    "S3,사전,2024,10,yes,1,5,none,\nS3,사전,2024.0,10,yes,1,5,none,\n"
                    "S3,사후,2024,10,yes,1,5,none,\n", encoding="utf-8")
    twice = [(p.cell, p.params["first"]) for p in read_answers(path, Q).problems
             if p.code == "ROW-002"]
    assert twice == [("A5", 4), ("A7", 6)]


def test_supplier_ids_are_text_section4(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| 1234.0 | 10 | yes | 1 | 5 | none | |
| "0012" | 10 | yes | 1 | 5 | none | |
""")
    data = read_answers(path, Q)
    assert list(data.records["supplier_id"]) == ["1234", "0012"]


def test_missing_indicator_and_profile_columns_section4(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | E-1 | E-2 | S-1 |
| X | yes | 1 | none |
""")
    with pytest.raises(InputError) as info:
        read_answers(path, Q)
    assert [(p.code, p.params) for p in info.value.problems] == [
        ("HDR-002", {"name": "employees", "title": "Employees"}),
        ("HDR-001", {"ids": "E-3, S-2"})]


def test_indicator_header_followed_by_text_longest_id_wins(tmp_path: Path) -> None:
    from esgcli.answers.read import match_indicator

    ids = {"e-1-1": "E-1-1", "e-1-1.2": "E-1-1.2", "e-1-10": "E-1-10"}
    assert match_indicator("E-1-1 환경경영 목표", ids) == "E-1-1"
    assert match_indicator("E-1-1: 목표", ids) == "E-1-1"
    assert match_indicator("E-1-1. 목표", ids) == "E-1-1"
    assert match_indicator("E-1-1.2 세부", ids) == "E-1-1.2"
    assert match_indicator("E-1-10", ids) == "E-1-10"
    assert match_indicator("E-1-1x", ids) is None


def test_long_layout_section4(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| 협력사코드 | 차수 | 상시근로자 수 | 지표 | 응답 |
| X | 사전 | 10 | E-1 | yes |
| X | 사전 | 10 | E-2 환경 | 2 |
| X | 사전 | 10 | E-3 | 10 |
| X | 사전 | 10 | S-1 | manager |
| Y | 사전 | 60 | E-1 | no |
| Y | 사전 | 60 | E-1 | yes |
| Y | 사전 | 60 | E-9 | yes |
""")
    data = read_answers(path, Q)
    assert data.source.layout == "long"
    assert [(p.code, p.cell) for p in data.errors] == [("ROW-007", "D7"), ("ROW-006", "D8")]
    wide = read_answers(DATA / "mini.xlsx", Q)
    x = score(data.select(data.records["supplier_id"].eq("X").to_numpy())).supplier_dict(0)
    w = score(wide.select(wide.records["excel_row"].eq(4).to_numpy())).supplier_dict(0)
    for key in ("compliance", "score", "areas", "critical_failures", "missing"):
        assert x[key] == w[key]
    assert score(data).supplier_dict(1)["missing"] == ["E-2", "E-3", "S-1", "S-2"]


def test_csv_in_cp949_is_read_with_a_warning(tmp_path: Path) -> None:
    text = (DATA / "mini.csv").read_text(encoding="utf-8")
    path = tmp_path / "euckr.csv"
    path.write_bytes(text.encode("cp949"))
    data = read_answers(path, Q)
    assert data.problems[0].code == "WB-008"
    assert without_file(score(data).to_dict()["suppliers"]) == \
        without_file(score(read_answers(DATA / "mini.csv", Q)).to_dict()["suppliers"])


def test_csv_with_semicolons_and_bom(tmp_path: Path) -> None:
    text = (DATA / "mini.csv").read_text(encoding="utf-8")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path = tmp_path / "semi.csv"
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    assert without_file(score(read_answers(path, Q)).to_dict()["suppliers"]) == \
        without_file(score(read_answers(DATA / "mini.csv", Q)).to_dict()["suppliers"])


def test_missing_error_policy(tmp_path: Path, xlsx) -> None:  # noqa: ANN001
    strict = tmp_path / "strict.yaml"
    strict.write_text(MINI.read_text(encoding="utf-8").replace(
        "language: en\n", "language: en\nmissing: error\n"), encoding="utf-8")
    path = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | 10 | yes | | 5 | none | |
""")
    data = read_answers(path, load_questionnaire(strict))
    assert [(p.code, p.cell) for p in data.errors] == [("ANS-006", "D2")]


def test_profile_problems(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | many | yes | 1 | 5 | none | |
| Y | | yes | 1 | 5 | none | |
| Z | 12.5 | yes | 1 | 5 | none | |
""")
    assert [(p.code, p.cell) for p in read_answers(path, Q).errors] == [
        ("ROW-004", "B2"), ("ROW-005", "B3"), ("ROW-004", "B4")]


def test_skip_invalid_selects_clean_records(xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | 10 | yes | 1 | 5 | none | |
| Y | 10 | what | 1 | 5 | none | |
""")
    data = read_answers(path, Q)
    assert data.invalid_records() == [1]
    clean = data.select(data.records.index.to_numpy() != 1)
    assert clean.errors == [] and list(clean.records["supplier_id"]) == ["X"]


def test_percent_formatted_cells_read_as_seen(tmp_path: Path) -> None:
    """Excel stores 25% as 0.25 in a percent-formatted cell: a `%` indicator reads 25."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"])
    sheet.append(["X", 10, "yes", 1, 0.25, "none", None])
    sheet.append(["Y", 10, "yes", 1, 0.049, "none", None])
    sheet.append(["Z", 10, "yes", 1, 30, "none", None])
    sheet["E2"].number_format = "0%"
    sheet["E3"].number_format = "0.0%"
    sheet["B2"].number_format = "0%"  # not a % indicator: untouched
    path = tmp_path / "pct.xlsx"
    book.save(path)
    data = read_answers(path, Q)
    assert data.errors == []
    assert [data.answers.value(i, 2) for i in range(3)] == ["25", "4.9", "30"]
    assert list(data.points[:, 2]) == [2.0, 0.0, 2.0]
    assert data.profile["employees"].tolist() == [10.0, 10.0, 10.0]


@pytest.mark.parametrize("reader", ["fastexcel", "calamine"])
def test_sheet_not_starting_at_a1_keeps_cell_references(tmp_path: Path, reader: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    if reader == "calamine":  # as without fastexcel installed
        from esgcli.answers.fastread import route

        monkeypatch.setattr(route, "fastexcel_module", lambda: None)
    book = Workbook()
    sheet = book.active
    for j, value in enumerate(["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]):
        sheet.cell(row=3, column=3 + j, value=value)
    for j, value in enumerate(["X", 10, "maybe", 1, 5, "none", None]):
        sheet.cell(row=4, column=3 + j, value=value)
    path = tmp_path / "offset.xlsx"
    book.save(path)
    data = read_answers(path, Q)
    assert [(p.code, p.cell) for p in data.errors] == [("ANS-001", "E4")]
    assert list(data.records["excel_row"]) == [4]


_PIECES = ["S", "0", "17", " ", "'", "=", "-", "(주)", "가나", "\t", "\n", "\x00", "\x7f", "\u200b",
           "\u3000", "\xa0", "（", "㈜", "ｱ", "é", "e\u0301", "\ufeff", "A", "z", "@", "+", "\U0001F600",
           "\x1c", "ㄱ", "\u1100\u1161"]


@given(values=st.lists(st.one_of(st.lists(st.sampled_from(_PIECES), max_size=5).map("".join),
                                 st.text(max_size=6)), max_size=80))
def test_ids_and_names_left_as_they_are_are_found_by_arrow_exactly(values: list[str]) -> None:
    """`cleaned_all` finds the texts that cleaning leaves unchanged by one Arrow pattern match;
    every other text (spaces at either end, control or invisible characters, fullwidth or
    compatibility forms, decomposed jamo, a quoting apostrophe) is cleaned in Python. The
    result is the Python cleaning of every value, whatever the mix."""
    from esgcli.base import tokens

    saved = tokens.AS_IS_FROM
    tokens.AS_IS_FROM = 0
    try:
        for clean in (tokens.clean_id, tokens.clean_text):
            assert tokens.cleaned_all(values, clean) == [clean(v) for v in values]
        mixed = [*values, 1234.0, None, True]  # numbers and blanks (a calamine read)
        assert tokens.cleaned_all(mixed, tokens.clean_id) == [tokens.clean_id(v) for v in mixed]
    finally:
        tokens.AS_IS_FROM = saved
