"""Options a user combines, honoured or refused (SPEC §9; issue 12 review, item 2): `-o` with a
typed `--format table`, `$ESG_LANG` spelled as people spell it, and `-o` into a folder that
does not exist."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import DATA, MINI, ROOT

EXAMPLE = ROOT / "examples" / "suppliers.xlsx"
ANSWERS = DATA / "mini.xlsx"
POLICY = DATA / "mini-policy.yaml"
PLAN = DATA / "plan-lo.xlsx"


def _commands(tmp_path: Path) -> dict[str, list[object]]:
    listed = tmp_path / "list.csv"
    with listed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["supplier_id", "supplier_name"], ["A001", "가"]])
    return {
        "score": ["score", ANSWERS, "-q", MINI],
        "explain": ["score", ANSWERS, "-q", MINI, "--explain", "A001"],
        "improve": ["improve", ANSWERS, "-q", MINI],
        "certify": ["certify", ANSWERS, "-q", MINI, "--policy", POLICY, "--year", 2024,
                    "--dry-run"],
        "status": ["status", ANSWERS, "-q", MINI, "--suppliers", listed, "--round", "사전"],
        "review": ["actions", "review", PLAN, "--date", "2024-10-01"],
    }


@pytest.mark.parametrize("command", ["score", "explain", "improve", "certify", "status", "review"])
def test_a_typed_format_table_prints_the_table_beside_the_file(esg, tmp_path: Path,  # noqa: ANN001
                                                                command: str) -> None:
    args = _commands(tmp_path)[command]
    suffix = ".xlsx" if command == "status" else ".json"  # status writes a list to chase
    out = tmp_path / f"out{suffix}"
    alone = esg(*args, "-o", out, "--lang", "en")
    assert (alone.exit_code, alone.stdout) == (0, "")  # -o alone: the file takes the table's place
    out.unlink()
    both = esg(*args, "-o", out, "--format", "table", "--lang", "en")
    assert both.exit_code == 0, both.stderr
    assert out.is_file()
    terminal = esg(*args, "--lang", "en")
    assert both.stdout == terminal.stdout != ""  # the same table as without -o


def test_improve_with_o_and_table_orders_the_table_as_the_terminal(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "improvement.json"
    both = esg("improve", EXAMPLE, "-o", out, "-f", "table", "--lang", "en")
    assert both.stdout == esg("improve", EXAMPLE, "--lang", "en").stdout
    assert [s["supplier_id"] for s in json.loads(out.read_text("utf-8"))["suppliers"]][:2] == \
        ["S001", "S002"]  # the file in id order, as without --format


# ---------------------------------------------------------------- $ESG_LANG
@pytest.mark.parametrize(("value", "lang"), [
    ("en", "en"), ("EN", "en"), ("En", "en"), ("en_US.UTF-8", "en"), ("en-GB", "en"),
    ("ko", "ko"), ("KO", "ko"), ("ko_KR.UTF-8", "ko"), ("ko_KR.utf8@euro", "ko"), ("", "ko"),
])
def test_esg_lang_in_any_case_or_as_a_locale(esg, value: str, lang: str) -> None:  # noqa: ANN001
    result = esg("certify", EXAMPLE, "--policy", "esg-excellent", "--date", "2024-13-01",
                 ESG_LANG=value)
    expected = {"en": "error: not a date: 2024-13-01 (YYYY-MM-DD)\n",
                "ko": "오류: 날짜 형식이 아닙니다: 2024-13-01 (YYYY-MM-DD)\n"}[lang]
    assert (result.exit_code, result.stderr) == (2, expected)


@pytest.mark.parametrize("value", ["fr", "korean", "C", "english"])
def test_an_esg_lang_that_is_no_language_is_a_usage_error_in_both(esg, value: str) -> None:  # noqa: ANN001
    result = esg("score", EXAMPLE, ESG_LANG=value)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"오류: USE-045 환경 변수 ESG_LANG의 값 '{value}'은(는) 언어가 아닙니다. 가능한 값: ko, en "
        "(대소문자 무관, ko_KR.UTF-8 같은 로캘 이름도 가능). --lang 을 주면 --lang 을 따릅니다",
        f"error: USE-045 the environment variable ESG_LANG is '{value}', which is no language. "
        "Accepted: ko, en (any case; a locale name such as en_US.UTF-8 works too). --lang, when "
        "given, wins"]


def test_lang_wins_over_esg_lang_and_takes_any_case(esg, tmp_path: Path) -> None:  # noqa: ANN001
    for lang in ("en", "EN", "En"):
        result = esg("score", EXAMPLE, "-o", tmp_path / "x.txt", "--lang", lang, ESG_LANG="fr")
        assert (result.exit_code, result.stderr) == (
            2, "error: OUT-002 unsupported output type '.txt' (allowed: .json, .csv, .xlsx)\n")
    assert esg("score", "--help", ESG_LANG="fr").exit_code == 0  # help needs no language


# ---------------------------------------------------------------- -o into a missing folder
@pytest.mark.parametrize("command", ["score", "improve", "certify", "status", "review"])
def test_o_into_a_missing_folder_is_refused_and_makes_nothing(esg, tmp_path: Path,  # noqa: ANN001
                                                              command: str) -> None:
    args = _commands(tmp_path)[command]
    out = tmp_path / "typo" / "sub" / ("out.xlsx" if command == "status" else "out.json")
    result = esg(*args, "-o", out, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"error: OUT-013 the folder {out.parent} does not exist, so {out} was not written: check "
        "its name, or create it first")
    assert not (tmp_path / "typo").exists()


def test_o_files_of_other_commands_need_their_folder(esg, tmp_path: Path) -> None:  # noqa: ANN001
    missing = tmp_path / "typo"
    for args in (["template", "-o", missing / "answers.xlsx"],
                 ["report", ANSWERS, "-q", MINI, "--year", 2024, "-o", missing / "r.html"],
                 ["actions", ANSWERS, "-q", MINI, "-o", missing / "plan.xlsx"]):
        result = esg(*args, "--lang", "en")
        assert (result.exit_code, "OUT-013" in result.stderr) == (2, True), (args, result.stderr)
    assert not missing.exists()


def test_folder_outputs_make_the_folder_but_not_its_parent(esg, tmp_path: Path) -> None:  # noqa: ANN001
    listed = tmp_path / "list.csv"
    listed.write_text("supplier_id,supplier_name\nA001,가\n", encoding="utf-8")
    runs = {
        "feedback": lambda folder: ["feedback", ANSWERS, "-q", MINI, "-o", folder],
        "template": lambda folder: ["template", "-q", MINI, "--suppliers", listed,
                                    "--per-supplier", "-o", folder],
        "documents": lambda folder: ["certify", ANSWERS, "-q", MINI, "--policy", POLICY,
                                     "--year", 2024, "--registry", tmp_path / "r.sqlite",
                                     "--documents", folder],
    }
    for name, args in runs.items():
        deep = tmp_path / f"no-{name}" / "out"
        refused = esg(*args(deep), "--lang", "en")
        assert refused.exit_code == 2, (name, refused.stderr)
        assert refused.stderr.splitlines()[-1] == (
            f"error: OUT-014 the folder {deep.parent} does not exist, so the folder {deep} was "
            f"not made: check the name, or create {deep.parent} first")
        assert not deep.parent.exists()
        made = esg(*args(tmp_path / f"{name}-out"), "--lang", "en")
        assert made.exit_code == 0, (name, made.stderr)
        assert any((tmp_path / f"{name}-out").iterdir())
