"""Korean mode speaks Korean, English mode English, and neither shows internal keys (issue 12
review, item 1): the answers of `-o` indicator sheets, `certs export` and `actions review`
workbooks, `questionnaire show`'s answer types, IMP-004, improve's indicator titles."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DATA, MINI, ROOT, write_xlsx
from openpyxl import load_workbook

from esgcli.answers.read import read_answers
from esgcli.engine.improvement import improve_answers
from esgcli.questionnaire.questionnaire import load_questionnaire

EXAMPLE = ROOT / "examples" / "suppliers.xlsx"
ANSWERS = DATA / "mini.xlsx"
POLICY = DATA / "mini-policy.yaml"


def _sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


# ---------------------------------------------------------------- 1a: answers as read
def _answers_of(rows: list[tuple[object, ...]], round_name: str) -> dict[object, object]:
    header = rows[0]
    return {r[header.index(header[3])]: r[5] for r in rows[1:] if r[1] == round_name}


def test_explain_xlsx_shows_answers_as_the_reader_reads_them(esg, tmp_path: Path) -> None:  # noqa: ANN001
    wanted = {"ko": {"E-1-1": "아니오", "E-1-2": "전사 거버넌스, 성과지표 연계", "E-1-3": "예",
                     "E-3-1": "대부분 이행", "E-4-2": "4.1%", "E-5-1": "해당없음"},
              "en": {"E-1-1": "No", "E-1-2": "Company-wide governance, KPI linkage", "E-1-3": "Yes",
                     "E-3-1": "Mostly implemented", "E-4-2": "4.1%", "E-5-1": "N/A"}}
    for lang, sheet in (("ko", "지표별"), ("en", "indicators")):
        out = tmp_path / f"explain-{lang}.xlsx"
        result = esg("score", EXAMPLE, "--explain", "S004", "-o", out, "--lang", lang)
        assert result.exit_code == 0, result.stderr
        rows = _sheets(out)[sheet]
        assert rows[0][5] == {"ko": "응답", "en": "Answer"}[lang]
        shown = _answers_of(rows, "사전")
        assert {k: shown[k] for k in wanted[lang]} == wanted[lang]
    # CSV and JSON keep the stored values, the keys a program reads
    csv_out = esg("score", EXAMPLE, "--explain", "S004", "--format", "csv").stdout.splitlines()
    assert csv_out[1].split(",")[3:6] == ["E-1-1", "counted", "no"]
    data = json.loads(esg("score", EXAMPLE, "--explain", "S004", "--format", "json").stdout)
    assert data["suppliers"][0]["indicators"]["E-3-1"]["answer"] == "4"


def test_the_xlsx_answer_is_what_explain_shows_as_read(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """The terminal's read column and the workbook's answers come from one function."""
    out = tmp_path / "detail.xlsx"
    assert esg("score", EXAMPLE, "--detail", "--round", "사전", "--explain", "S004",
               "-o", out).exit_code == 0
    shown = {(r[0], r[3]): r[5] for r in _sheets(out)["지표별"][1:]}
    terminal = esg("score", EXAMPLE, "--round", "사전", "--explain", "S004", COLUMNS="250").stdout
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in terminal.splitlines()
             if line.startswith("│ ")]
    header = [c.strip() for c in terminal.splitlines()[3].split("┃")[1:-1]]
    read_as = header.index("인식값")
    assert len(cells) == 46 and read_as == 3
    for row in cells:
        if row[read_as]:  # not-applicable indicators show no reading on the terminal
            assert shown[("S004", row[0])] == row[read_as], row


# ---------------------------------------------------------------- 1b: certs export, actions review
def test_certs_export_xlsx_in_the_runs_language_csv_and_json_keep_keys(esg, tmp_path: Path) -> None:  # noqa: ANN001
    registry = tmp_path / "r.sqlite"
    issued = esg("certify", ANSWERS, "-q", MINI, "--policy", POLICY, "--year", 2024,
                 "--registry", registry)
    assert issued.exit_code == 0, issued.stderr
    for lang, sheet, header, status in (
            ("ko", "인증서", ["인증서 번호", "협력사코드", "협력사명", "정책", "정책 버전", "연도", "발급일",
                            "유효기간", "상태", "준수율", "점수", "등급", "질문지", "질문지 버전",
                            "질문지 SHA-256", "응답 파일", "응답 파일 SHA-256", "차수", "취소일", "취소 사유",
                            "대체한 인증서"], "유효"),
            ("en", "certificates", ["Number", "Supplier ID", "Supplier name", "Policy",
                                    "Policy version", "Year", "Issued on", "Valid until", "Status",
                                    "Compliance", "Score", "Grade", "Questionnaire",
                                    "Questionnaire version", "Questionnaire SHA-256",
                                    "Answers file", "Answers SHA-256", "Round", "Revoked on",
                                    "Revocation reason", "Replaces"], "active")):
        out = tmp_path / f"certs-{lang}.xlsx"
        result = esg("certs", "export", "--registry", registry, "-o", out, "--date", "2024-12-01",
                     "--lang", lang)
        assert result.exit_code == 0, result.stderr
        sheets = _sheets(out)
        assert list(sheets) == [sheet]
        assert list(sheets[sheet][0]) == header
        assert {r[8] for r in sheets[sheet][1:]} == {status}
    for lang in ("ko", "en"):  # the CSV file: the keys and values of the JSON, in either language
        out = tmp_path / f"certs-{lang}.csv"
        assert esg("certs", "export", "--registry", registry, "-o", out, "--date", "2024-12-01",
                   "--lang", lang).exit_code == 0
        lines = out.read_text(encoding="utf-8-sig").splitlines()
        assert lines[0].startswith("number,supplier_id,supplier_name,policy_id,")
        assert ",active," in lines[1]
    out = tmp_path / "certs.json"
    assert esg("certs", "export", "--registry", registry, "-o", out).exit_code == 0
    assert json.loads(out.read_text("utf-8"))[0]["status"] == "active"


def test_actions_review_xlsx_headers_in_the_runs_language(esg, tmp_path: Path) -> None:  # noqa: ANN001
    plan = DATA / "plan-lo.xlsx"
    for lang, sheet, first in (("ko", "개선과제 점검", ["협력사코드", "협력사명", "과제", "완료", "완료율(%)"]),
                               ("en", "review", ["Supplier ID", "Supplier name", "Actions", "Done",
                                                 "Closure (%)"])):
        out = tmp_path / f"review-{lang}.xlsx"
        result = esg("actions", "review", plan, "--date", "2024-10-01", "-o", out, "--lang", lang)
        assert result.exit_code == 0, result.stderr
        sheets = _sheets(out)
        assert list(sheets) == [sheet] and list(sheets[sheet][0][:5]) == first
    out = tmp_path / "review.csv"
    assert esg("actions", "review", plan, "--date", "2024-10-01", "-o", out).exit_code == 0
    assert out.read_text("utf-8-sig").startswith("supplier_id,supplier_name,actions,done,")


# ---------------------------------------------------------------- 1c: questionnaire show
def test_questionnaire_show_names_answer_and_profile_types_in_the_runs_language(esg) -> None:  # noqa: ANN001
    ko = esg("questionnaire", "show", "supplier-security").stdout
    assert "employees 상시근로자 수 (정수)" in ko and "personal_data 개인정보 처리 (텍스트): " in ko
    assert "선택형 · 최대 1 · 준수 ≥ 1" in ko
    for raw in ("choice ·", "checklist ·", "number ·", "(integer)", "(string)"):
        assert raw not in ko
    kinds = {line.split("·")[0].strip(" │├└─") for line in ko.splitlines() if " · 최대 " in line}
    assert kinds == {"선택형", "체크리스트", "숫자"}
    en = esg("questionnaire", "show", "supplier-esg", "--lang", "en").stdout
    assert "choice · max 1 · pass ≥ 1" in en and "employees Employees (integer)" in en
    data = json.loads(esg("questionnaire", "show", "supplier-esg", "--format", "json").stdout)
    assert {i["type"] for i in data["indicators"]} == {"choice", "checklist", "number"}


# ---------------------------------------------------------------- 1d: IMP-004 and the report
def test_a_changed_definition_is_said_in_words(esg, tmp_path: Path) -> None:  # noqa: ANN001
    new = tmp_path / "mini2.yaml"
    new.write_text(MINI.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"').replace(
        "pass_points: 2\n", "pass_points: 3\n"), encoding="utf-8")
    header = ["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
    before = write_xlsx(tmp_path / "before.xlsx", [header, ["P1", 10, "no", 1, 0, "manager,ppe", None]])
    after = write_xlsx(tmp_path / "after.xlsx", [header, ["P1", 10, "yes", 3, 30, "manager,ppe", None]])
    result = improve_answers([read_answers(before, load_questionnaire(MINI)),
                              read_answers(after, load_questionnaire(new))], None, None, None)
    [warning] = [p for p in result.method_change_problems() if p.code == "IMP-004"]
    assert warning.message("ko") == ("지표 S-1의 정의가 전·후 사이에 바뀌었습니다 (바뀐 것: 준수 기준 점수): "
                                     "이 지표의 변화는 같은 기준으로 잰 값이 아닙니다")
    assert "pass_points" not in warning.message("en")
    cli = esg("improve", before, after, "-q", MINI, "-q", new, "--lang", "ko")
    assert warning.message("ko") in cli.stderr and "pass_points" not in cli.stderr
    for suffix in (".html", ".md"):
        page = tmp_path / f"r{suffix}"
        made = esg("report", before, after, "-q", MINI, "-q", new, "--year", 2024, "-o", page,
                   "--lang", "ko")
        assert made.exit_code == 0, made.stderr
        text = page.read_text(encoding="utf-8")
        assert "S-1 (준수 기준 점수)" in text and "pass_points" not in text


# ---------------------------------------------------------------- found in the sweep
def test_improve_xlsx_titles_indicators_in_the_runs_language(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "improvement.xlsx"
    assert esg("improve", EXAMPLE, "-o", out, "--lang", "en").exit_code == 0
    rows = _sheets(out)["indicators"]
    titles = {r[0]: r[2] for r in rows[1:]}
    assert titles["G-3-1"] == "ESG on the board agenda"
    assert not any("\uac00" <= ch <= "\ud7a3" for t in titles.values() for ch in str(t))
    ko = tmp_path / "improvement-ko.xlsx"
    assert esg("improve", EXAMPLE, "-o", ko).exit_code == 0
    assert {r[0]: r[2] for r in _sheets(ko)["지표별"][1:]}["G-3-1"] == "이사회 내 ESG 안건 상정"
