"""What a person reads from `esg certify` and `esg certs ...` on the terminal, in Korean and in
English (#12 item 11, #14 item 6): tables, statuses, messages, failure text and help."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import DATA, MINI

from esgcli.cli.app import app

EXAMPLE = DATA.parent.parent / "examples" / "suppliers.xlsx"
HANGUL = re.compile(r"[가-힣]")


@pytest.fixture
def reg(esg, tmp_path: Path) -> Path:  # noqa: ANN001
    """The example's certificates (issued 2024-12-01), ESG-2024-0002 revoked."""
    path = tmp_path / "r.sqlite"
    assert esg("certify", EXAMPLE, "--policy", "esg-excellent", "--year", 2024, "--registry", path,
               "--date", "2024-12-01").exit_code == 0
    assert esg("certs", "revoke", "ESG-2024-0002", "--reason", "허위 증빙", "--registry", path,
               "--date", "2024-12-02").exit_code == 0
    return path


def test_certs_list_table_in_korean_and_english(esg, reg: Path) -> None:  # noqa: ANN001
    ko = esg("certs", "list", "--registry", reg, "--date", "2026-01-01", "--lang", "ko",
             COLUMNS="160")
    assert ko.exit_code == 0, ko.stderr
    for header in ("인증서 번호", "협력사코드", "협력사명", "유효기간", "상태", "준수율"):
        assert header in ko.stdout
    s002 = next(line for line in ko.stdout.splitlines() if "ESG-2024-0001" in line)
    assert "만료" in s002 and "expired" not in s002  # past valid_until on --date
    assert "취소" in next(line for line in ko.stdout.splitlines() if "ESG-2024-0002" in line)
    en = esg("certs", "list", "--registry", reg, "--date", "2025-01-01", "--lang", "en",
             COLUMNS="160")
    for header in ("Number", "Supplier", "Valid until", "Status", "Compliance"):
        assert header in en.stdout
    assert "active" in next(line for line in en.stdout.splitlines() if "ESG-2024-0001" in line)
    assert not HANGUL.search(en.stdout.split("\n", 3)[1])  # the header line
    narrow = esg("certs", "list", "--registry", reg, "--date", "2025-01-01", "--lang", "en",
                 COLUMNS="60")
    assert all(len(line) <= 60 for line in narrow.stdout.splitlines())
    assert "2025-11-30" in narrow.stdout and "97.7%" in narrow.stdout  # dates, rates never cut
    assert "TBL-001" in narrow.stderr and "Policy" in narrow.stderr  # what was left out


def test_certs_show_table_names_every_field(esg, reg: Path) -> None:  # noqa: ANN001
    ko = esg("certs", "show", "ESG-2024-0002", "--registry", reg, "--date", "2025-01-01")
    assert ko.exit_code == 0, ko.stderr
    for name in ("인증서 번호", "협력사명", "유효기간", "상태", "취소 사유", "영역별", "질문지 SHA-256"):
        assert name in ko.stdout
    assert "허위 증빙" in ko.stdout and "취소" in ko.stdout
    assert "{'" not in ko.stdout and "supplier_id" not in ko.stdout  # no raw dict, no key names
    assert re.search(r"E 준수율 \d+\.\d% · 점수 \d+\.\d", ko.stdout)
    en = esg("certs", "show", "ESG-2024-0001", "--registry", reg, "--date", "2025-01-01",
             "--lang", "en")
    for name in ("Supplier name", "Valid until", "Revocation reason", "Areas", "active"):
        assert name in en.stdout
    assert re.search(r"E compliance 100\.0% · score \d+\.\d", en.stdout)
    assert not HANGUL.search(en.stdout.replace("(주)태성전자", "").replace("진단결과", "")
                             .replace("사후", ""))


def test_certs_verify_table_in_korean_and_english(esg, reg: Path) -> None:  # noqa: ANN001
    ko = esg("certs", "verify", "ESG-2024-0001", EXAMPLE, "--registry", reg, "--date", "2025-01-01")
    assert ko.exit_code == 0, ko.stderr
    assert ko.stdout.startswith("ESG-2024-0001: 일치")
    for text in ("항목", "기록", "현재", "상태", "응답 파일 SHA-256", "기준 충족", "예", "97.7%"):
        assert text in ko.stdout
    assert "True" not in ko.stdout and "active" not in ko.stdout
    en = esg("certs", "verify", "ESG-2024-0002", "--registry", reg, "--date", "2025-01-01",
             "--lang", "en")
    assert en.exit_code == 3  # revoked
    assert en.stdout.startswith("ESG-2024-0002: MISMATCH")
    row = next(line for line in en.stdout.splitlines() if "status" in line)
    assert "✗" in row and "active" in row and "revoked" in row


def test_certs_revoke_message_in_the_run_language(esg, reg: Path) -> None:  # noqa: ANN001
    ko = esg("certs", "revoke", "ESG-2024-0003", "--reason", "사유", "--registry", reg,
             "--date", "2024-12-03")
    assert ko.stdout.strip() == "인증서 ESG-2024-0003 (S004) 취소 (2024-12-03): 사유"
    en = esg("certs", "revoke", "ESG-2024-0004", "--reason", "why", "--registry", reg,
             "--date", "2024-12-03", "--lang", "en")
    assert en.stdout.strip() == "revoked ESG-2024-0004 (S005) on 2024-12-03: why"
    again = esg("certs", "revoke", "ESG-2024-0004", "--reason", "x", "--registry", reg,
                "--lang", "en")
    assert again.exit_code == 4 and "already revoked" in again.stderr


def test_certs_history_events_in_the_run_language(esg, reg: Path) -> None:  # noqa: ANN001
    ko = esg("certs", "history", "ESG-2024-0002", "--registry", reg)
    assert "발급" in ko.stdout and "취소" in ko.stdout and "처리자" in ko.stdout
    en = esg("certs", "history", "ESG-2024-0002", "--registry", reg, "--lang", "en")
    assert "issued" in en.stdout and "revoked" in en.stdout and "Operator" in en.stdout


def test_certify_failure_text_and_summary(esg, tmp_path: Path) -> None:  # noqa: ANN001
    args = ("certify", DATA / "mini.xlsx", "--policy", DATA / "mini-policy.yaml", "-q", MINI,
            "--year", 2024, "--round", "사전", "--registry", tmp_path / "r.sqlite", "--dry-run")
    ko = esg(*args, "--lang", "ko")
    assert ko.exit_code == 0, ko.stderr
    a003 = next(line for line in ko.stdout.splitlines() if re.match(r"^\W*A003 ", line))
    assert "준수율 33.3% < 80%" in a003
    assert "S 준수율 0.0% < 40%" in ko.stdout
    assert "판정 4개사 · 기준 충족 0개사 (0.0%) · 신규 발급 0 · 기존 0 · 모의 실행(기록 안 함)" \
        in ko.stderr
    en = esg(*args, "--lang", "en")
    assert "compliance 33.3% < 80%" in en.stdout and "S compliance 0.0% < 40%" in en.stdout
    assert "evaluated 4 · qualified 0 (0.0%) · newly issued 0 · existing 0 · dry run " \
           "(nothing written)" in en.stderr
    csv = esg(*args, "--lang", "en", "--format", "csv")
    row = next(line for line in csv.stdout.splitlines() if line.startswith("A003"))
    assert "compliance 33.3% < 80%; S compliance 0.0% < 40%" in row


MY_COMMANDS = [("certify",), ("report",), ("feedback",), ("actions", "make"),
               ("actions", "review"), *[("certs", c) for c in ("list", "show", "revoke", "export",
                                                               "verify", "history", "copy")]]
SHARED = {"lang", "output_format", "questionnaire", "sheet", "skip_invalid", "on_duplicate",
          "force", "answers", "paths", "help"}  # declared once in the shared options


def _command(path: tuple[str, ...]) -> Any:
    command: Any = typer.main.get_command(app)
    for name in path:
        found = command.commands.get(name)
        assert found is not None, path
        command = found
    return command


@pytest.mark.parametrize("path", MY_COMMANDS, ids=" ".join)
def test_help_is_bilingual_and_shows_no_python_types(esg, path: tuple[str, ...]) -> None:  # noqa: ANN001
    command = _command(path)
    for param in command.params:
        if param.name in SHARED:
            continue
        text = getattr(param, "help", None) or ""
        assert HANGUL.search(text) and re.search(r"[A-Za-z]{3}", text), (path, param.name)
        if param.param_type_name == "option" and not param.is_flag:
            assert param.metavar is not None or param.name == "status", (path, param.name)
    shown = esg(*path, "--help").stdout
    assert "{number}" not in shown and "<str>" not in shown.split("Arguments:")[0]
    if path[0] == "certs" and path[1] in ("show", "revoke", "verify", "history"):
        assert "NUMBER" in shown
