"""`--lang` is settled before any message (SPEC §9): early errors and parser errors included."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

import esgcli.cli.main as cli
from esgcli.cli.lang import language_in_args

EXAMPLE = ROOT / "examples" / "suppliers.xlsx"


@pytest.mark.parametrize(("args", "env", "expected"), [
    (["score", "a.xlsx", "--lang", "en"], {}, "en"),
    (["score", "a.xlsx", "--lang=en", "--lang", "ko"], {}, "ko"),
    (["score", "a.xlsx", "--lang", "fr"], {"ESG_LANG": "en"}, "en"),
    (["score", "a.xlsx"], {"ESG_LANG": "en"}, "en"),
    (["score", "a.xlsx"], {}, None),
    (["score", "--", "--lang", "en"], {}, None),
])
def test_language_in_args(args: list[str], env: dict[str, str], expected: str | None) -> None:
    assert language_in_args(args, env) == expected


def test_no_module_state_carries_the_language() -> None:
    assert not hasattr(cli, "_state")


@pytest.mark.parametrize("lang", [["--lang", "en"], ["--lang=en"]])
def test_early_errors_speak_lang(esg, tmp_path: Path, lang: list[str]) -> None:  # noqa: ANN001
    result = esg("score", EXAMPLE, "-o", tmp_path / "out.txt", *lang)
    assert (result.exit_code, result.stderr) == (
        2, "error: OUT-002 unsupported output type '.txt' (allowed: .json, .csv, .xlsx)\n")
    result = esg("certify", EXAMPLE, "--policy", "esg-excellent", "--year", 2024,
                 "--date", "2024-13-01", *lang)
    assert (result.exit_code, result.stderr) == (2, "error: not a date: 2024-13-01 (YYYY-MM-DD)\n")


def test_early_errors_korean_by_default(esg) -> None:  # noqa: ANN001
    result = esg("certify", EXAMPLE, "--policy", "esg-excellent", "--year", 2024,
                 "--date", "2024-13-01")
    assert (result.exit_code, result.stderr) == (2, "오류: 날짜 형식이 아닙니다: 2024-13-01 (YYYY-MM-DD)\n")
    english = esg("certify", EXAMPLE, "--policy", "esg-excellent", "--year", 2024,
                  "--date", "2024-13-01", ESG_LANG="en")
    assert english.stderr == "error: not a date: 2024-13-01 (YYYY-MM-DD)\n"


def _error_line(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(("args", "korean", "english"), [
    (["certify", EXAMPLE], "오류: 필수 옵션 '--policy'이(가) 없습니다",
     "Error: Missing option '--policy'."),
    (["policy", "show"], "오류: 필수 인수 'ID|FILE'이(가) 없습니다",
     "Error: Missing argument 'ID|FILE'."),
    (["score", EXAMPLE, "--bogus"], "오류: 알 수 없는 옵션: --bogus", "Error: No such option: --bogus"),
    (["questionnaire", "show", "supplier-esg", "extra"], "오류: 필요 없는 인수가 있습니다 (extra)",
     "Error: Got unexpected extra argument(s) (extra)"),
    (["score", EXAMPLE, "--round"], "오류: 옵션 '--round'에 값이 필요합니다",
     "Error: Option '--round' requires an argument."),
    (["improve", EXAMPLE, "--year", "x"], "오류: '--year' 값이 올바르지 않습니다: 정수가 아닙니다",
     "Error: Invalid value for '--year': not a whole number"),
    (["certs", "list", "--status", "activ"],
     "오류: '--status' 값이 올바르지 않습니다: 'activ'은(는) 'active', 'revoked', 'expired' 중 하나가 아닙니다",
     "Error: Invalid value for '--status': 'activ' is not one of 'active', 'revoked', 'expired'."),
    (["scor"], "오류: 알 수 없는 명령 'scor' ('score'?)", "Error: No such command 'scor' ('score'?)"),
])
def test_parser_errors_in_both_languages(esg, args: list[object], korean: str,  # noqa: ANN001
                                         english: str) -> None:
    ko = esg(*args)
    assert (ko.exit_code, _error_line(ko.stderr)) == (2, korean)
    en = esg(*args, "--lang", "en") if args[-1] != "--round" else esg(*args, ESG_LANG="en")
    assert (en.exit_code, _error_line(en.stderr)) == (2, english)
    assert ko.stdout == en.stdout == ""


def test_parser_error_shows_usage_and_help_in_the_language(esg) -> None:  # noqa: ANN001
    ko = esg("certify", EXAMPLE).stderr.splitlines()  # the runner's program name is "root"
    assert ko[0].startswith("사용법: root certify [OPTIONS]")
    assert ko[1] == "도움말: root certify --help"
    en = esg("certify", EXAMPLE, "--lang", "en").stderr.splitlines()
    assert en[0].startswith("Usage: root certify [OPTIONS]")
    assert en[1] == "Try 'root certify --help' for help."
