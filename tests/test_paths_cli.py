"""Commands on many files and folders (SPEC §12): one result, each record with its file."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, MINI, as_json, without_files, write_xlsx

sys.path.insert(0, str(DATA))
from make_fixtures import ROWS  # noqa: E402

HEADER, BODY = ROWS[2], ROWS[3:]
POLICY = DATA / "mini-policy.yaml"


def split(folder: Path, formats: dict[str, str]) -> Path:
    """mini.xlsx as one file per supplier, in the format given for each supplier id."""
    folder.mkdir(parents=True, exist_ok=True)
    for ident, suffix in formats.items():
        rows = [[ident, *r[1:]] for r in BODY if str(r[0]).removesuffix(".0") == ident]
        path = folder / f"{ident}{suffix}"
        if suffix == ".csv":
            import csv

            with path.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows([HEADER, *rows])
        else:
            write_xlsx(path, [HEADER, *rows], sheet="응답")
    return folder


MIXED = {"A001": ".xlsx", "A002": ".csv", "A003": ".xlsx", "1234": ".csv"}


def records(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted((s["supplier_id"], s["round"], s["compliance"], s["score"], s["grade"])
                  for s in data["suppliers"])


def rounded(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return round(value, 9) if isinstance(value, float) else value


def test_score_on_a_folder_equals_the_whole_workbook(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = split(tmp_path / "replies", MIXED)
    whole = as_json(esg("score", DATA / "mini.xlsx", "-q", MINI, "--format", "json"))
    result = esg("score", folder, "-q", MINI, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = as_json(result)
    assert records(data) == records(whole)
    assert [(s["file"], s["records"]) for s in data["sources"]] == [
        ("1234.csv", 1), ("A001.xlsx", 2), ("A002.csv", 2), ("A003.xlsx", 1)]
    assert {(s["supplier_id"], s["file"]) for s in data["suppliers"]} == {
        ("1234", "1234.csv"), ("A001", "A001.xlsx"), ("A002", "A002.csv"), ("A003", "A003.xlsx")}
    assert rounded(data["summary"]) == rounded(whole["summary"])  # means: summed in another order
    assert result.stderr.count("questionnaire: mini 1") == 1
    # files and folders together; the table and CSV outputs too
    files = esg("score", folder / "A001.xlsx", folder / "A002.csv", "-q", MINI, "--format", "csv")
    assert files.exit_code == 0 and files.stdout.count("\n") == 5


def test_the_same_warning_in_many_files_is_said_once(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = split(tmp_path / "replies", MIXED)
    result = esg("score", folder, "-q", MINI, "--format", "json", "--lang", "en")
    assert result.exit_code == 0
    # the remarks column K '비고' is known and silent (issue 12 #17): rename it to get a warning
    assert not [x for x in result.stderr.splitlines() if "HDR-003" in x]
    HEADER[10] = "담당자"
    try:
        folder = split(tmp_path / "other", MIXED)
    finally:
        HEADER[10] = "비고"
    result = esg("score", folder, "-q", MINI, "--format", "json", "--lang", "en")
    lines = [x for x in result.stderr.splitlines() if "HDR-003" in x]
    assert lines == ["warning HDR-003 1234.csv, A001.xlsx, A002.csv … (+1) (4 files) › … › "
                     "row 1: columns ignored: K '담당자'"]


def test_a_duplicate_across_files_stops_naming_both_or_the_latest_is_kept(
        esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = split(tmp_path / "replies", MIXED)
    again = split(tmp_path / "again", {"A002": ".xlsx"}) / "A002.xlsx"
    os.utime(folder / "A002.csv", (1_000_000, 1_000_000))
    stopped = esg("score", folder, again, "-q", MINI, "--lang", "en")
    assert stopped.exit_code == 3
    assert "A002.xlsx › 응답 › row 2 (A002): supplier A002 (round 사전, year 2024) is also in " \
        "A002.csv row 2" in stopped.stderr
    kept = esg("score", folder, again, "-q", MINI, "--format", "json", "--on-duplicate",
               "latest", "--lang", "en")
    assert kept.exit_code == 0, kept.stderr
    assert {s["file"] for s in as_json(kept)["suppliers"] if s["supplier_id"] == "A002"} == {
        "A002.xlsx"}
    assert "SRC-002" in kept.stderr


def test_validate_on_a_folder_lists_every_file_s_problems(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = split(tmp_path / "replies", MIXED)
    (folder / "broken.xlsx").write_text("no", encoding="utf-8")
    (folder / "~$A001.xlsx").write_text("lock", encoding="utf-8")
    result = esg("validate", folder, "-q", MINI, "--format", "json", "--lang", "en")
    assert result.exit_code == 3
    data = as_json(result)
    assert [(p["code"], p["file"]) for p in data["problems"] if p["severity"] == "error"] == [
        ("WB-002", "broken.xlsx")]
    assert [s["file"] for s in data["sources"]] == ["1234.csv", "A001.xlsx", "A002.csv",
                                                    "A003.xlsx"]
    assert data["records"] == 6
    missing = esg("validate", tmp_path / "nowhere", "-q", MINI, "--lang", "en")
    assert missing.exit_code == 3 and "nowhere: file not found" in missing.stderr


def test_improve_takes_two_folders_as_before_and_after(esg, tmp_path: Path) -> None:  # noqa: ANN001
    whole = as_json(esg("improve", DATA / "mini.xlsx", "-q", MINI, "--format", "json"))
    pre, post = tmp_path / "pre", tmp_path / "post"
    pre.mkdir()
    post.mkdir()
    for rnd, folder in (("사전", pre), ("사후", post)):
        for row in BODY:
            if row[2] == rnd:
                write_xlsx(folder / f"{str(row[0]).removesuffix('.0')}.xlsx", [HEADER, row])
    result = esg("improve", pre, post, "-q", MINI, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = as_json(result)
    assert data["cohort"] == whole["cohort"]
    assert without_files(data["suppliers"]) == without_files(whole["suppliers"])
    assert [(s["file"], s["file_before"]) for s in data["suppliers"]] == [
        (f"{s['supplier_id']}.xlsx",) * 2 for s in data["suppliers"]]  # named within each PATH
    assert len(data["sources"]) == len([*pre.iterdir(), *post.iterdir()])  # every file, once
    merged = esg("improve", pre, post, "-q", MINI, "--before", "사전", "--after", "사후",
                 "--format", "json")  # rounds named: from the records of both folders
    assert merged.exit_code == 0 and as_json(merged)["cohort"] == whole["cohort"]


def test_certify_records_each_supplier_s_own_file_and_verify_finds_it(
        esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = split(tmp_path / "replies", MIXED)
    registry = tmp_path / "reg.sqlite"
    result = esg("certify", folder, "-q", MINI, "--policy", POLICY, "--year", "2024",
                 "--registry", registry, "--date", "2024-12-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    issued = [s for s in as_json(result)["suppliers"] if s["certificate"]]
    assert issued
    from esgcli.answers.paths import file_sha256
    from esgcli.registry.core import Registry

    reg = Registry.open(registry)
    try:
        certs = reg.certificates()
    finally:
        reg.close()
    assert {(c.supplier_id, c.answers_file, c.answers_sha256) for c in certs} == {
        (c.supplier_id, f"{c.supplier_id}{MIXED[c.supplier_id]}",
         file_sha256(folder / f"{c.supplier_id}{MIXED[c.supplier_id]}")) for c in certs}
    number = certs[0].number
    verify = esg("certs", "verify", number, folder, "-q", MINI, "--policy", POLICY,
                 "--registry", registry, "--date", "2024-12-01", "--format", "json")
    assert verify.exit_code == 0, verify.stdout + verify.stderr
    checks = {c["check"]: c["ok"] for c in json.loads(verify.stdout)["checks"]}
    assert checks["answers_sha256"] is True


@pytest.mark.parametrize("command", ["score", "validate", "certify", "report"])
def test_every_command_takes_a_folder(esg, tmp_path: Path, command: str) -> None:  # noqa: ANN001
    folder = split(tmp_path / "replies", MIXED)
    extra: list[Any] = {"score": ["--format", "json"], "validate": ["--format", "json"],
                        "certify": ["--policy", POLICY, "--year", "2024", "--dry-run",
                                    "--registry", tmp_path / "r.sqlite", "--format", "json"],
                        "report": ["--year", "2024", "-o", tmp_path / "r.json"]}[command]
    result = esg(command, folder, "-q", MINI, *extra)
    assert result.exit_code == 0, result.stderr
