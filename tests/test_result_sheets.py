"""`-o FILE.xlsx` of score, improve and certify: sheet names and headers in the run's language,
true/false cells shown as 예/아니오 (Yes/No) but stored as 1/0; CSV and JSON keep the keys."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, MINI
from openpyxl import load_workbook

ANSWERS = DATA / "mini.xlsx"
POLICY = DATA / "mini-policy.yaml"


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    book = load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def _formats(path: Path, sheet: str, column: int) -> set[str]:
    ws = load_workbook(path)[sheet]
    return {row[column].number_format for row in ws.iter_rows(min_row=2) if row[column].value is not None}


def test_score_detail_sheets_in_korean(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "s.xlsx"
    result = esg("score", ANSWERS, "-q", MINI, "--detail", "--lang", "ko", "-o", out)
    assert result.exit_code == 0, result.stderr
    sheets = _sheets(out)
    assert list(sheets) == ["점수", "지표별"]
    assert sheets["점수"][0][:9] == ["협력사코드", "협력사명", "차수", "연도", "준수율", "점수", "등급",
                                    "E 준수율", "E 점수"]
    assert sheets["점수"][0][-2:] == ["중대 미준수", "미응답"]
    assert sheets["지표별"][0] == ["협력사코드", "차수", "연도", "지표", "상태", "응답", "획득 점수",
                                  "최대 점수", "준수", "미응답"]
    # the true/false columns: 1/0 under a number format that shows 예/아니오
    assert {r[8] for r in sheets["지표별"][1:]} <= {0, 1, None}
    assert {r[9] for r in sheets["지표별"][1:]} == {0, 1}
    assert _formats(out, "지표별", 8) == _formats(out, "지표별", 9) == {'"예";"예";"아니오"'}
    assert _formats(out, "점수", 4) == {"0.0"}  # rates keep their format under Korean headers
    # coded values in words: status counted / na / not_applicable
    assert {r[4] for r in sheets["지표별"][1:]} <= {"평가", "해당없음", "적용 제외"}
    assert "평가" in {r[4] for r in sheets["지표별"][1:]}


def test_score_sheet_in_english_is_readable(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "s.xlsx"
    assert esg("score", ANSWERS, "-q", MINI, "--detail", "--lang", "en", "-o", out).exit_code == 0
    sheets = _sheets(out)
    assert list(sheets) == ["scores", "indicators"]
    assert sheets["scores"][0][:9] == ["Supplier ID", "Supplier name", "Round", "Year", "Compliance",
                                      "Score", "Grade", "E compliance", "E score"]
    assert sheets["indicators"][0][-3:] == ["Max points", "Compliant", "Missing"]
    assert _formats(out, "indicators", 9) == {'"Yes";"Yes";"No"'}


def test_csv_and_json_keep_the_keys_in_korean(esg, tmp_path: Path) -> None:  # noqa: ANN001
    text = esg("score", ANSWERS, "-q", MINI, "--detail", "--lang", "ko", "--format", "csv").stdout
    assert next(csv.reader(io.StringIO(text)))[-2:] == ["compliant", "missing"]
    assert "true" in text or "false" in text
    esg("certify", ANSWERS, "-q", MINI, "--policy", POLICY, "--year", 2024, "--dry-run",
        "--lang", "ko", "-o", tmp_path / "c.csv")
    head = (tmp_path / "c.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("supplier_id,supplier_name,qualifies,compliance")


def test_improve_sheets_in_korean(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "i.xlsx"
    assert esg("improve", ANSWERS, "-q", MINI, "--lang", "ko", "-o", out).exit_code == 0
    sheets = _sheets(out)
    assert list(sheets) == ["전체 개선", "협력사별", "지표별", "한쪽 차수만", "등급 분포"]
    assert sheets["전체 개선"][0] == ["범위", "항목", "평균(전)", "평균(후)", "변화(%p)", "상대 향상률(%)",
                                   "비교 대상 수"]
    assert sheets["협력사별"][0][:4] == ["협력사코드", "협력사명", "준수율 전", "준수율 후"]
    assert sheets["지표별"][0][-1] == "정의 변경"
    assert _formats(out, "지표별", 11) == {'"예";"예";"아니오"'}
    assert _formats(out, "협력사별", 2) == {"0.0"}
    assert [r[:2] for r in sheets["전체 개선"][1:3]] == [["전체", "준수율"], ["전체", "점수"]]
    assert [r[1] for r in sheets["한쪽 차수만"][1:]] == ["전", "전"]  # A003, 1234 only before
    assert esg("improve", ANSWERS, "-q", MINI, "--lang", "ko", "--format", "csv").stdout.startswith(
        "supplier_id,supplier_name,compliance.before")


@pytest.mark.parametrize("lang, name, head, shown", [
    ("ko", "인증 판정", ["협력사코드", "협력사명", "기준 충족", "준수율", "점수", "등급", "인증서 번호",
                      "인증서 상태", "미충족 기준", "충족에 필요한 지표", "취소 사유"], '"예";"예";"아니오"'),
    ("en", "certification", ["Supplier ID", "Supplier name", "Qualifies", "Compliance", "Score",
                             "Grade", "Certificate", "Certificate status", "Failed criteria",
                             "Indicators to qualify", "Revocation reason"], '"Yes";"Yes";"No"')])
def test_certify_sheet_follows_the_language(esg, tmp_path: Path, lang: str, name: str,  # noqa: ANN001
                                             head: list[str], shown: str) -> None:
    out = tmp_path / "c.xlsx"
    result = esg("certify", ANSWERS, "-q", MINI, "--policy", POLICY, "--year", 2024, "--dry-run",
                 "--lang", lang, "-o", out)
    assert result.exit_code == 0, result.stderr
    sheets = _sheets(out)
    assert list(sheets) == [name] and sheets[name][0] == head
    json_rows = esg("certify", ANSWERS, "-q", MINI, "--policy", POLICY, "--year", 2024, "--dry-run",
                    "--format", "json").stdout
    import json

    qualifies = [int(s["qualifies"]) for s in json.loads(json_rows)["suppliers"]]
    assert [r[2] for r in sheets[name][1:]] == qualifies
    assert _formats(out, name, 2) == {shown}


@pytest.mark.parametrize("other", ["text", "date"])  # a date takes the openpyxl path
def test_flags_are_one_and_zero_shown_as_words_by_both_writers(tmp_path: Path, other: str) -> None:
    import datetime as dt

    from esgcli.outputs.files import write_table_xlsx
    from esgcli.outputs.xlsx_writer import Flag

    value = "x" if other == "text" else dt.datetime(2025, 3, 1)
    out = tmp_path / "f.xlsx"
    write_table_xlsx(out, [("t", ["a", "b"], [[Flag(True, "예", "아니오"), value],
                                              [Flag(False, "예", "아니오"), value]])])
    ws = load_workbook(out)["t"]
    assert [(c.value, c.number_format) for c in ws["A"][1:]] == [
        (1, '"예";"예";"아니오"'), (0, '"예";"예";"아니오"')]


def test_columns_are_wide_enough_for_korean_names(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """A Korean name takes two columns a character: the name column is as wide as the longest
    name (it was sized from the header alone, 10, and cut `(주)세한엔지니어링`)."""
    from conftest import ROOT

    from esgcli.outputs.xlsx_writer import text_width

    out = tmp_path / "s.xlsx"
    assert esg("score", ROOT / "examples" / "suppliers.xlsx", "-o", out, "--lang", "ko").exit_code == 0
    ws = load_workbook(out).worksheets[0]
    names = [r[1] for r in ws.iter_rows(min_row=2, values_only=True) if r[1]]
    assert ws.column_dimensions["B"].width >= max(text_width(n) for n in names) > 10
    assert ws.column_dimensions["A"].width >= text_width("협력사코드") + 4
