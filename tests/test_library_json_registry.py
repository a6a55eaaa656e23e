"""The library gives what the command prints: for certify, certs list/show/verify/revoke/history/
copy, report, feedback and actions make/review, the CLI's `--format json` (or `-o x.json`) is
exactly the core result's `to_dict()` (as frictionless-py tests its `--json`)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, MINI, without_files, write_xlsx

from esgcli.answers.inputs import read_answer_paths
from esgcli.engine.actions import build_plan, read_plan, review_plan
from esgcli.engine.certify_run import certify
from esgcli.engine.feedback import build_feedback
from esgcli.engine.verification import verify
from esgcli.outputs.files import to_json
from esgcli.questionnaire.policy import load_policy, resolve_policy
from esgcli.questionnaire.questionnaire import load_questionnaire
from esgcli.registry.core import open_registry
from esgcli.registry.views import (
    certificate_history,
    copy_registry,
    get_certificate,
    list_certificates,
    revoke_certificate,
    show_certificate,
)
from esgcli.reports.annual import annual_report

POLICY = DATA / "mini-policy.yaml"
EXAMPLE = DATA.parent.parent / "examples" / "suppliers.xlsx"
TODAY = dt.date(2024, 12, 1)
CERTIFY = ("--policy", POLICY, "-q", MINI, "--year", 2024, "--round", "사전", "--date", "2024-12-01")


@pytest.fixture
def issued(esg, tmp_path: Path) -> Path:  # noqa: ANN001
    """A registry holding the certificates of the example (esg-excellent 2024)."""
    reg = tmp_path / "issued.sqlite"
    result = esg("certify", EXAMPLE, "--policy", "esg-excellent", "--year", 2024,
                 "--registry", reg, "--date", "2024-12-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return reg


def mini_answers() -> object:
    return read_answer_paths([DATA / "mini.xlsx"], MINI)


def test_certify_dry_run_json_is_the_library_run(esg, tmp_path: Path) -> None:  # noqa: ANN001
    reg = tmp_path / "reg.sqlite"
    cli = esg("certify", DATA / "mini.xlsx", *CERTIFY, "--registry", reg, "--dry-run",
              "--format", "json")
    assert cli.exit_code == 0, cli.stderr
    run = certify(mini_answers(), load_policy(POLICY), str(reg), year=2024, today=TODAY,
                  round_name="사전", dry_run=True)
    assert cli.stdout == to_json(run.to_dict())
    assert not reg.exists()  # a dry run creates no registry


def test_certify_issuing_json_is_the_library_run(esg, tmp_path: Path) -> None:  # noqa: ANN001
    lenient = tmp_path / "lenient.yaml"  # a policy some mini suppliers meet
    lenient.write_text(POLICY.read_text(encoding="utf-8").replace("compliance_min: 80",
                                                                  "compliance_min: 50")
                       .replace("{E: {compliance_min: 40}, S: {compliance_min: 40}}", "{}"),
                       encoding="utf-8")
    cli_reg, lib_reg = tmp_path / "cli.sqlite", tmp_path / "lib.sqlite"
    args = ("--policy", lenient, "-q", MINI, "--year", 2024, "--round", "사전", "--date",
            "2024-12-01", "--format", "json")
    cli = esg("certify", DATA / "mini.xlsx", *args, "--registry", cli_reg)
    assert cli.exit_code == 0, cli.stderr
    run = certify(mini_answers(), load_policy(lenient), str(lib_reg), year=2024, today=TODAY,
                  round_name="사전")
    assert run.to_dict()["summary"]["issued"] > 0
    assert cli.stdout == to_json(run.to_dict()).replace(str(lib_reg), str(cli_reg))
    # the second run holds them (existing); the library reports the same with an open registry
    again = esg("certify", DATA / "mini.xlsx", *args, "--registry", cli_reg)
    with open_registry(lib_reg) as reg:
        second = certify(mini_answers(), load_policy(lenient), reg, year=2024, today=TODAY,
                         round_name="사전")
    assert again.stdout == to_json(second.to_dict()).replace(str(lib_reg), str(cli_reg))
    assert second.to_dict()["summary"]["issued"] == 0


def test_certify_warnings_are_returned_not_printed(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    run = certify(mini_answers(), load_policy(POLICY), str(tmp_path / "r.sqlite"), today=TODAY,
                  round_name="사전", dry_run=True)  # no year: taken from the records
    assert [p.code for p in run.problems] == ["CRT-002"]
    assert run.year == 2024
    assert capsys.readouterr() == ("", "")


def test_certs_list_show_history_json_are_the_library_results(esg, issued: Path) -> None:  # noqa: ANN001
    at = ("--registry", issued, "--date", "2025-06-01", "--format", "json")
    today = dt.date(2025, 6, 1)
    assert esg("certs", "list", *at).stdout == to_json(
        list_certificates(str(issued), today).to_dict())
    assert esg("certs", "list", *at, "--year", 2024, "--supplier", "S002").stdout == to_json(
        list_certificates(str(issued), today, 2024, supplier="S002").to_dict())
    assert esg("certs", "show", "ESG-2024-0001", *at).stdout == to_json(
        show_certificate(str(issued), "ESG-2024-0001", today).to_dict())
    history = esg("certs", "history", "ESG-2024-0001", "--registry", issued, "--format", "json")
    assert history.stdout == to_json(certificate_history(str(issued), "ESG-2024-0001").to_dict())


def test_certs_revoke_and_status_filter(esg, issued: Path, tmp_path: Path) -> None:  # noqa: ANN001
    copy = tmp_path / "copy.sqlite"
    shutil.copy(issued, copy)
    cli = esg("certs", "revoke", "ESG-2024-0002", "--reason", "test", "--registry", issued,
              "--date", "2024-12-02", "--operator", "op", "--format", "json")
    assert cli.exit_code == 0, cli.stderr
    lib = revoke_certificate(str(copy), "ESG-2024-0002", "test", dt.date(2024, 12, 2), "op")
    assert json.loads(cli.stdout) == lib.to_dict() | {"created_at": json.loads(cli.stdout)["created_at"]}
    assert lib.to_dict()["status"] == "revoked"
    revoked = esg("certs", "list", "--registry", issued, "--status", "revoked", "--format", "json")
    assert revoked.stdout == to_json(list_certificates(str(copy), dt.date.today(),
                                                       status="revoked").to_dict())
    assert [c["number"] for c in json.loads(revoked.stdout)] == ["ESG-2024-0002"]


def test_certs_verify_json_is_the_library_verification(esg, issued: Path) -> None:  # noqa: ANN001
    at = ("--registry", issued, "--date", "2025-06-01", "--format", "json")
    cert = get_certificate(str(issued), "ESG-2024-0001")
    bare = esg("certs", "verify", "ESG-2024-0001", *at)
    assert bare.exit_code == 0
    assert bare.stdout == to_json(verify(cert, dt.date(2025, 6, 1)).to_dict())
    full = esg("certs", "verify", "ESG-2024-0001", EXAMPLE, *at)
    data = read_answer_paths([EXAMPLE], cert.questionnaire_id)
    result = verify(cert, dt.date(2025, 6, 1), data, resolve_policy(cert.policy_id))
    assert full.stdout == to_json(result.to_dict())
    assert result.matches and full.exit_code == 0
    expired = esg("certs", "verify", "ESG-2024-0001", "--registry", issued, "--date",
                  "2030-01-01", "--format", "json")
    assert expired.exit_code == 3
    assert expired.stdout == to_json(verify(cert, dt.date(2030, 1, 1)).to_dict())


def test_certs_copy_json_is_the_library_copy(esg, issued: Path, tmp_path: Path) -> None:  # noqa: ANN001
    cli = esg("certs", "copy", "--from", issued, "--to", tmp_path / "a.sqlite", "--format", "json")
    assert cli.exit_code == 0, cli.stderr
    lib = copy_registry(str(issued), str(tmp_path / "b.sqlite")).to_dict()
    assert json.loads(cli.stdout) == json.loads(to_json(lib).replace("b.sqlite", "a.sqlite"))


def test_report_json_is_the_library_report(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "r.json"
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    cli = esg("report", EXAMPLE, "--year", 2024, "--policy", "esg-excellent", "-o", out, **env)
    assert cli.exit_code == 0, cli.stderr
    sets = [read_answer_paths([EXAMPLE])]
    lib = annual_report(sets, 2024, policy=resolve_policy("esg-excellent"),
                        at="2023-11-14T22:13:20+00:00")
    assert out.read_text(encoding="utf-8") == to_json(lib.to_dict())


def test_feedback_json_is_the_library_result(esg) -> None:  # noqa: ANN001
    cli = esg("feedback", EXAMPLE, "--policy", "esg-excellent", "--date", "2024-12-01",
              "--format", "json")
    assert cli.exit_code == 0, cli.stderr
    lib = build_feedback(read_answer_paths([EXAMPLE]), resolve_policy("esg-excellent"), None,
                         "ko", TODAY)
    assert cli.stdout == to_json(lib.to_dict())


def test_actions_make_and_review_json_are_the_library_results(esg, tmp_path: Path) -> None:  # noqa: ANN001
    plan_file = tmp_path / "plan.xlsx"
    cli = esg("actions", EXAMPLE, "--round", "사전", "-o", plan_file, "--policy", "esg-excellent",
              "--format", "json")
    assert cli.exit_code == 0, cli.stderr
    data = read_answer_paths([EXAMPLE])
    plan = build_plan(data, resolve_policy("esg-excellent"), None, "ko", "사전")
    assert cli.stdout == to_json(plan.to_dict())
    review = esg("actions", "review", plan_file, EXAMPLE, "--date", "2024-10-01", "--format",
                 "json")
    assert review.exit_code == 0, review.stderr
    lib = review_plan(read_plan(plan_file), dt.date(2024, 10, 1), data)
    assert review.stdout == to_json(lib.to_dict())


# ------------------------------------------------------------------ report: several files
HEADER = ["supplier_id", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]


def test_report_merges_several_files_of_one_year(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """Two files each holding both rounds of its suppliers: one year, merged (never before)."""
    rows = {"P1": (["no", 1, 0, "manager", None], ["yes", 3, 30, "manager,ppe", None]),
            "P2": (["no", 1, 0, None, None], ["yes", 2, 10, "manager", None]),
            "P3": (["yes", 1, 5, "manager", None], ["yes", 3, 30, "manager,ppe", None])}
    a = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["P1", "사전", 10, *rows["P1"][0]],
                                         ["P1", "사후", 10, *rows["P1"][1]],
                                         ["P2", "사전", 10, *rows["P2"][0]],
                                         ["P2", "사후", 10, *rows["P2"][1]]])
    b = write_xlsx(tmp_path / "b.xlsx", [HEADER, ["P3", "사전", 10, *rows["P3"][0]],
                                         ["P3", "사후", 10, *rows["P3"][1]]])
    one = write_xlsx(tmp_path / "one.xlsx", [HEADER, *[[s, r, 10, *v] for s, pair in rows.items()
                                                     for r, v in zip(("사전", "사후"), pair,
                                                                     strict=True)]])
    merged, single = tmp_path / "merged.json", tmp_path / "single.json"
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    assert esg("report", a, b, "-q", MINI, "--year", 2024, "-o", merged, **env).exit_code == 0
    assert esg("report", one, "-q", MINI, "--year", 2024, "-o", single, **env).exit_code == 0
    got, want = (json.loads(p.read_text(encoding="utf-8")) for p in (merged, single))
    assert got["main"]["diagnosed_before"] == got["main"]["diagnosed_after"] == 3
    assert got["main"]["both"] == 3
    assert without_files(got["main"]["improvement"]) == without_files(want["main"]["improvement"])
    assert [s["file"] for s in got["main"]["improvement"]["sources"]] == ["a.xlsx", "b.xlsx"]
    # the library merges the same way
    lib = annual_report([read_answer_paths([a], MINI), read_answer_paths([b], MINI)], 2024,
                        lang=load_questionnaire(MINI).language, at="2023-11-14T22:13:20+00:00")
    assert merged.read_text(encoding="utf-8") == to_json(lib.to_dict())


def test_report_refuses_to_merge_files_of_different_questionnaire_versions(
        esg, tmp_path: Path) -> None:  # noqa: ANN001
    new = tmp_path / "mini2.yaml"
    new.write_text(MINI.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"'),
                   encoding="utf-8")
    a = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["P1", "사전", 10, "no", 1, 0, "manager", None],
                                         ["P1", "사후", 10, "yes", 3, 30, "manager", None]])
    b = write_xlsx(tmp_path / "b.xlsx", [HEADER, ["P2", "사전", 10, "no", 1, 0, "manager", None],
                                         ["P2", "사후", 10, "yes", 3, 30, "manager", None]])
    result = esg("report", a, b, "-q", MINI, "-q", new, "--year", 2024, "-o", tmp_path / "r.json",
                 "--lang", "en")
    assert result.exit_code == 3
    assert "RPT-004" in result.stderr and "a.xlsx: mini 1, b.xlsx: mini 2" in result.stderr
    assert load_questionnaire(new).version == "2"
