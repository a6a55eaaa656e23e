"""Round names (SPEC §6, §8): one recogniser for improve, report and certify; report rounds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import DATA, MINI, as_json, write_xlsx

from esgcli.rounds import recognise_rounds, round_side


def mini_rows(before: str | None, after: str | None) -> list[list[object]]:
    """tests/data/mini.csv (header on row 3) with its rounds 사전/사후 renamed."""
    with (DATA / "mini.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))[2:]
    names = {"사전": before, "사후": after}
    out: list[list[object]] = [rows[0]]
    for row in rows[1:]:
        row = list(row)
        row[2] = names[row[2]]
        out.append([None if c == "" else c for c in row])
    return out


def mini_book(path: Path, before: str | None, after: str | None) -> Path:
    return write_xlsx(path, mini_rows(before, after))


@pytest.mark.parametrize(("before", "after"), [
    ("사전진단", "사후진단"), ("사전평가", "사후평가"), ("1회차", "2회차"), ("사전 평가", "사후_평가")])
def test_recogniser_knows_the_section6_names(before: str, after: str) -> None:
    assert recognise_rounds([after, before]) == (before, after)
    assert (round_side(before), round_side(after)) == ("before", "after")


def test_improve_and_certify_use_the_shared_names(esg, tmp_path: Path) -> None:  # noqa: ANN001
    book = mini_book(tmp_path / "a.xlsx", "1회차", "2회차")
    improved = esg("improve", book, "-q", MINI, "--format", "json")
    assert improved.exit_code == 0, improved.stderr
    assert (as_json(improved)["before"], as_json(improved)["after"]) == ("1회차", "2회차")
    certified = esg("certify", book, "-q", MINI, "--policy", DATA / "mini-policy.yaml",
                    "--year", 2024, "--dry-run", "--format", "json",
                    "--registry", tmp_path / "r.sqlite")
    assert certified.exit_code == 0, certified.stderr
    judged = as_json(certified)
    assert judged["summary"]["evaluated"] == 2  # the after round only
    assert judged["not_evaluated"] == ["1234", "A003"]


def _report(esg, book: Path, out: Path, *extra: object):  # noqa: ANN001, ANN202
    return esg("report", book, "-q", MINI, "--year", 2024, "-o", out, *extra,
               SOURCE_DATE_EPOCH="1733011200")


def test_report_with_recognised_names_has_before_and_after(esg, tmp_path: Path) -> None:  # noqa: ANN001
    book = mini_book(tmp_path / "a.xlsx", "사전평가", "사후평가")
    out = tmp_path / "report.json"
    result = _report(esg, book, out)
    assert result.exit_code == 0, result.stderr
    main = json.loads(out.read_text(encoding="utf-8"))["main"]
    assert (main["diagnosed_before"], main["diagnosed_after"], main["both"]) == (4, 2, 2)
    improved = as_json(esg("improve", book, "-q", MINI, "--format", "json"))
    assert main["improvement"]["cohort"] == improved["cohort"]


def test_report_refuses_rounds_it_cannot_tell_apart(esg, tmp_path: Path) -> None:  # noqa: ANN001
    book = mini_book(tmp_path / "a.xlsx", "예비", "본")
    out = tmp_path / "report.json"
    result = _report(esg, book, out, "--lang", "en")
    assert result.exit_code == 3
    assert "cannot tell the before and after rounds (rounds in the file: 예비, 본)" in result.stderr
    assert not out.exists()
    improved = esg("improve", book, "-q", MINI, "--lang", "en")
    assert improved.exit_code == 3 and "cannot tell the before and after rounds" in improved.stderr


def test_report_before_after_options(esg, tmp_path: Path) -> None:  # noqa: ANN001
    book = mini_book(tmp_path / "a.xlsx", "예비", "본")
    out = tmp_path / "report.json"
    result = _report(esg, book, out, "--before", "예비", "--after", "본")
    assert result.exit_code == 0, result.stderr
    main = json.loads(out.read_text(encoding="utf-8"))["main"]
    improved = as_json(esg("improve", book, "-q", MINI, "--before", "예비", "--after", "본",
                           "--format", "json"))
    assert (main["diagnosed_before"], main["diagnosed_after"]) == (4, 2)
    assert main["improvement"]["cohort"] == improved["cohort"]
    wrong = _report(esg, book, out, "--before", "예비", "--after", "사후", "--lang", "en")
    assert wrong.exit_code == 3 and "no round '사후'" in wrong.stderr
