"""Round names (SPEC §6, §8): one recogniser for improve, report and certify; report rounds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import DATA, MINI, as_json, write_xlsx

from esgcli.engine.rounds import recognise_rounds, round_side


def mini_rows(before: str | None, after: str | None) -> list[list[object]]:
    """tests/data/mini.csv (header on row 3) with its rounds 사전/사후 renamed."""
    with (DATA / "mini.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))[2:]
    names = {"사전": before, "사후": after}
    out: list[list[object]] = [rows[0][:-1]]  # without the remarks column (비고)
    for row in rows[1:]:
        row = list(row)[:-1]
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


def _one_round(path: Path, keep: str, name: str) -> Path:
    rows = mini_rows("사전", "사후")
    return write_xlsx(path, [rows[0]] + [[*r[:2], name, *r[3:]] for r in rows[1:] if r[2] == keep])


def test_improve_warns_when_the_files_look_swapped(esg, tmp_path: Path) -> None:  # noqa: ANN001
    before = _one_round(tmp_path / "before.xlsx", "사전", "사전진단")
    after = _one_round(tmp_path / "after.xlsx", "사후", "사후진단")
    swapped = esg("improve", after, before, "-q", MINI, "--format", "json", "--lang", "en")
    assert swapped.exit_code == 0, swapped.stderr
    warning = ("the first file (after.xlsx) has the after round '사후진단' and the second "
               "(before.xlsx) the before round '사전진단'; the first file was taken as before: if "
               "they are swapped, run esg improve before.xlsx after.xlsx")
    assert warning in swapped.stderr.splitlines()
    assert as_json(swapped)["cohort"]["compliance"]["delta_pp"] < 0
    right = esg("improve", before, after, "-q", MINI, "--format", "json", "--lang", "en")
    assert right.exit_code == 0 and "swapped" not in right.stderr
    assert as_json(right)["cohort"]["compliance"]["delta_pp"] == \
        -as_json(swapped)["cohort"]["compliance"]["delta_pp"]


def _certify(esg, book: Path, tmp_path: Path, *extra: object):  # noqa: ANN001, ANN202
    return esg("certify", book, "-q", MINI, "--policy", DATA / "mini-policy.yaml", "--dry-run",
               "--format", "json", "--registry", tmp_path / "r.sqlite", "--lang", "en", *extra)


def test_certify_takes_the_year_from_the_records(esg, tmp_path: Path) -> None:  # noqa: ANN001
    book = mini_book(tmp_path / "a.xlsx", "사전", "사후")
    result = _certify(esg, book, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "no --year: judging the records' year, 2024" in result.stderr.splitlines()
    assert as_json(result)["year"] == 2024
    assert as_json(result) == as_json(_certify(esg, book, tmp_path, "--year", 2024))


@pytest.mark.parametrize(("years", "code", "message"), [
    ([2023, 2024], 2, "error: the records hold several years (2023, 2024): pick one with --year"),
    # a blank year beside years: which year it is no one can tell, in every command (SEL-004)
    ([None, 2024], 3, "stopped on invalid input: 4 error(s), 0 warning(s)"),
    ([None, None], 2, "error: the records have no year: give the certificates' year with --year"),
])
def test_certify_without_year_when_the_records_do_not_hold_one(
        esg, tmp_path: Path, years: list[int | None], code: int, message: str) -> None:  # noqa: ANN001
    rows = mini_rows("사전", "사후")
    rows = [rows[0]] + [[*r[:3], years[r[2] == "사후"], *r[4:]] for r in rows[1:]]
    book = write_xlsx(tmp_path / "a.xlsx", rows)
    result = _certify(esg, book, tmp_path)
    assert (result.exit_code, result.stdout) == (code, "")
    assert result.stderr.splitlines()[-1] == message
    assert ("SEL-004" in result.stderr) == (code == 3)
