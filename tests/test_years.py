"""Which year a record belongs to (SPEC §7, §8, §12): the year cell; a file with no year is taken
as the year asked for (said); a blank year beside years is a located error in every command,
never a record one command drops and another counts (`engine/years.py`)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import DATA, MINI, as_json

from esgcli.engine.years import year_in_name

POLICY = DATA / "mini-policy.yaml"
HEADER = ["협력사코드", "협력사명", "차수", "연도", "상시근로자 수", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = [10, "예", 3, 30, "책임자, training", "O"]
POOR = [10, "아니오", 1, 0, "none", "X"]


def write_csv(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def without_year(rows: list[list[object]]) -> tuple[list[str], list[list[object]]]:
    return [h for h in HEADER if h != "연도"], [r[:3] + r[4:] for r in rows]


@pytest.mark.parametrize(("name", "year"), [
    ("2023.xlsx", 2023), ("answers_2024.csv", 2024), ("2023년 응답.xlsx", 2023),
    ("2023/S001.xlsx", 2023), ("2024_사후.csv", 2024),
    ("사전진단_2023-11.csv", None),  # a date: the month of a diagnosis, not a program year
    ("report 11.2023.csv", None), ("S2019_베타.csv", None),  # a supplier code
    ("x20231.csv", None), ("2022-2023.xlsx", None), ("2022 and 2023.xlsx", None),
    ("answers.xlsx", None)])
def test_a_year_in_a_file_name_stands_alone(name: str, year: int | None) -> None:
    assert year_in_name(name) == year


def blank_year_beside_years(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "multi.csv", [
        ["A1", "가", "사전", 2023, *POOR], ["A1", "가", "사후", 2023, *GOOD],
        ["B1", "나", "사후", None, *GOOD],  # row 4: which year?
        ["A1", "가", "사전", 2024, *POOR], ["A1", "가", "사후", 2024, *GOOD]])


@pytest.mark.parametrize("command", [
    ["certify", "--policy", POLICY, "--year", "2024", "--dry-run"],
    ["certify", "--policy", POLICY, "--year", "2023", "--dry-run"],
    ["report", "--year", "2024", "-o", "{tmp}/r.json"],
    ["feedback", "--year", "2024", "--format", "json"],
    ["actions", "--year", "2024", "-o", "{tmp}/plan.xlsx"]])
def test_a_blank_year_beside_years_is_a_located_error_everywhere(esg, tmp_path: Path,  # noqa: ANN001
                                                                 command: list[object]) -> None:
    answers = blank_year_beside_years(tmp_path)
    args = [str(a).replace("{tmp}", str(tmp_path)) for a in command]
    result = esg(args[0], answers, "-q", MINI, *args[1:], "--lang", "en")
    assert result.exit_code == 3, result.stderr
    assert "SEL-004" in result.stderr and "row 4 (B1)" in result.stderr, result.stderr


def test_a_file_without_years_is_taken_as_the_year_asked_and_said(esg, tmp_path: Path) -> None:  # noqa: ANN001
    header, rows = without_year([["A1", "가", "사후", 0, *GOOD], ["B1", "나", "사후", 0, *POOR]])
    answers = write_csv(tmp_path / "replies.csv", rows, header)
    result = esg("certify", answers, "-q", MINI, "--policy", POLICY, "--year", "2024",
                 "--dry-run", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert [s["supplier_id"] for s in as_json(result)["suppliers"]] == ["A1", "B1"]
    assert "hold no year: their answers are taken as 2024's: replies.csv" in result.stderr


def test_a_report_of_two_dated_files_is_one_year_as_improve_pairs_them(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """`사전진단_2023-11.csv` and `사후평가_2024-06.csv` (no year column) were two years, each
    single-round, with empty program figures and exit 0; they are one program's before/after."""
    header, before = without_year([["A1", "가", "사전", 0, *POOR], ["B1", "나", "사전", 0, *POOR]])
    _, after = without_year([["A1", "가", "사후", 0, *GOOD], ["B1", "나", "사후", 0, *POOR]])
    first = write_csv(tmp_path / "사전진단_2023-11.csv", before, header)
    second = write_csv(tmp_path / "사후평가_2024-06.csv", after, header)
    improve = as_json(esg("improve", first, second, "-q", MINI, "--format", "json"))
    result = esg("report", first, second, "-q", MINI, "--year", "2024", "-o",
                 tmp_path / "r.json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    program = as_json_file(tmp_path / "r.json")["program_to_date"]
    assert program["participations"] == 2
    cohort = improve["cohort"]["compliance"]
    assert program["compliance"]["mean_before"] == pytest.approx(cohort["mean_before"])
    assert program["compliance"]["mean_after"] == pytest.approx(cohort["mean_after"])
    assert "SEL-005" in result.stderr  # taken as 2024, said


def test_years_in_file_names_are_each_files_own(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """A folder's files are named one by one: the merged source name (`a, b, c …`) gave every
    record the year of a supplier code (`S2019_…`)."""
    header, rows = without_year([["A1", "가", "사후", 0, *GOOD]])
    folder = tmp_path / "inbox"
    write_csv(folder / "A001_알파.csv", rows, header)
    write_csv(folder / "S2019_베타.csv", [["S2019", "베타", "사후", *GOOD]], header)
    write_csv(folder / "V2031_감마.csv", [["V2031", "감마", "사후", *POOR]], header)
    result = esg("report", folder, "-q", MINI, "--year", "2024", "-o", tmp_path / "r.json")
    assert result.exit_code == 0, result.stderr
    assert [y["year"] for y in as_json_file(tmp_path / "r.json")["trend"]] == [2024]
    # a file per year, no year column: the year each name holds, said
    rows = [["A1", "가", "사전", *POOR], ["A1", "가", "사후", *GOOD]]
    first = write_csv(tmp_path / "years" / "2023년.csv", rows, header)
    second = write_csv(tmp_path / "years" / "answers_2024.csv", rows, header)
    result = esg("report", first, second, "-q", MINI, "--year", "2024", "-o",
                 tmp_path / "y.json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    report = as_json_file(tmp_path / "y.json")
    assert [y["year"] for y in report["trend"]] == [2023, 2024]
    assert report["program_to_date"]["participations"] == 2
    assert "RPT-014" in result.stderr and "2023년.csv → 2023" in result.stderr


def as_json_file(path: Path) -> dict:
    import json

    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- esg status
def status(esg, folder: Path, suppliers: Path, *args: object) -> dict:  # noqa: ANN001
    result = esg("status", folder, "--suppliers", suppliers, "-q", MINI, "--round", "사후",
                 "--format", "json", "--lang", "en", *args)
    assert result.exit_code == 0, result.stderr
    return {**as_json(result), "stderr": result.stderr}


def listing(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text("협력사코드,협력사명\nA1,가\nB1,나\nC1,다\n", encoding="utf-8")
    return path


def test_status_of_a_year_counts_replies_that_hold_no_year(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """`--year 2024` on replies without a year column made every supplier `missing` (certify
    judges the same records as 2024's)."""
    header, rows = without_year([["A1", "가", "사후", 0, *GOOD]])
    folder = tmp_path / "inbox"
    write_csv(folder / "A1.csv", rows, header)
    data = status(esg, folder, listing(tmp_path), "--year", "2024")
    assert {s["supplier_id"]: s["status"] for s in data["suppliers"]} == {
        "A1": "returned", "B1": "missing", "C1": "missing"}
    assert "SEL-005" in data["stderr"] and "STA-001" not in data["stderr"]


def test_status_of_a_duplicated_reply_is_invalid_as_every_command_refuses_it(  # noqa: ANN001
        esg, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    write_csv(folder / "A1_v1.csv", [["A1", "가", "사후", 2024, *GOOD]])
    write_csv(folder / "A1_v2.csv", [["A1", "가", "사후", 2024, *POOR]])
    write_csv(folder / "B1.csv", [["B1", "나", "사후", 2023, *GOOD], ["B1", "나", "사후", 2024, *GOOD]])
    data = status(esg, folder, listing(tmp_path))
    by_id = {s["supplier_id"]: s for s in data["suppliers"]}
    assert by_id["A1"]["status"] == "invalid" and by_id["A1"]["errors"] == 1
    assert "A1_v1.csv, A1_v2.csv" in by_id["A1"]["first_problem"]
    assert by_id["B1"]["status"] == "returned"  # two years: its latest, not a duplicate
    assert esg("score", folder, "-q", MINI, "--round", "사후").exit_code == 3  # SRC-001


def test_status_of_a_reply_with_a_blank_year_beside_years_is_invalid(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "inbox"
    write_csv(folder / "all.csv", [["A1", "가", "사후", 2024, *GOOD], ["B1", "나", "사후", None, *GOOD]])
    data = status(esg, folder, listing(tmp_path), "--year", "2024")
    by_id = {s["supplier_id"]: s for s in data["suppliers"]}
    assert by_id["A1"]["status"] == "returned"
    assert by_id["B1"]["status"] == "invalid" and "year is blank" in by_id["B1"]["first_problem"]


# ---------------------------------------------------------------- second review
def test_a_folder_of_per_supplier_forms_is_never_read_for_years(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """A campaign's replies are named `{supplier_id}_{supplier_name}`: `2019_다라` and
    `(주)2000산업` are no years; the report took them for 2019 and 2000 (exit 0)."""
    header, rows = without_year([["1001", "가나", "사전", 0, *POOR], ["1001", "가나", "사후", 0, *GOOD]])
    folder = tmp_path / "replies"
    write_csv(folder / "1001_가나.csv", rows, header)
    write_csv(folder / "2019_다라.csv", [["2019", "다라", "사전", *POOR], ["2019", "다라", "사후", *GOOD]],
              header)
    write_csv(folder / "3001_(주)2000산업.csv", [["3001", "(주)2000산업", "사전", *POOR],
                                              ["3001", "(주)2000산업", "사후", *GOOD]], header)
    result = esg("report", folder, "-q", MINI, "--year", "2024", "-o", tmp_path / "r.json",
                 "--lang", "en")
    assert result.exit_code == 0, result.stderr
    report = as_json_file(tmp_path / "r.json")
    assert [y["year"] for y in report["trend"]] == [2024]
    assert report["program_to_date"]["participations"] == 3
    assert "SEL-005" in result.stderr and "RPT-014" not in result.stderr


def test_a_path_per_year_takes_its_folders_year_as_typed(esg, tmp_path: Path) -> None:  # noqa: ANN001
    header, rows = without_year([["A1", "가", "사전", 0, *POOR], ["A1", "가", "사후", 0, *GOOD]])
    first = write_csv(tmp_path / "2023" / "answers.csv", rows, header)
    second = write_csv(tmp_path / "2024" / "answers.csv", rows, header)
    result = esg("report", first, second, "-q", MINI, "--year", "2024", "-o",
                 tmp_path / "r.json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert [y["year"] for y in as_json_file(tmp_path / "r.json")["trend"]] == [2023, 2024]
    # no year anywhere: both PATHs are 2024's, and the same records twice are refused
    plain = [write_csv(tmp_path / d / "answers.csv", rows, header) for d in ("a", "b")]
    result = esg("report", *plain, "-q", MINI, "--year", "2024", "-o", tmp_path / "s.json",
                 "--lang", "en")
    assert result.exit_code == 3 and "SEL-006" in result.stderr, result.stderr


def dated_and_undated(tmp_path: Path) -> Path:
    """S001's after round in a file of 2024 and in a file holding no year."""
    folder = tmp_path / "dup"
    write_csv(folder / "a.csv", [["S001", "가", "사후", 2024, *POOR], ["S004", "라", "사후", 2024, *GOOD]])
    header, rows = without_year([["S001", "가", "사후", 0, *GOOD]])
    write_csv(folder / "b.csv", rows, header)
    return folder


@pytest.mark.parametrize("command", [
    ["report", "--year", "2024", "--policy", POLICY, "-o", "{tmp}/r.json"],
    ["certify", "--policy", POLICY, "--year", "2024", "--dry-run"],
    ["feedback", "--year", "2024", "--format", "json"]])
def test_a_reply_taken_as_the_year_that_repeats_one_of_it_is_refused(  # noqa: ANN001
        esg, tmp_path: Path, command: list[object]) -> None:
    """The report counted S001 twice (3 suppliers of 2, exit 0); certify said IMP-002 "pick a
    year with --year" with --year given."""
    folder = dated_and_undated(tmp_path)
    args = [str(a).replace("{tmp}", str(tmp_path)) for a in command]
    result = esg(args[0], folder, "-q", MINI, *args[1:], "--lang", "en")
    assert result.exit_code == 3, result.stderr
    assert "SEL-006 b.csv › b › row 2 (S001)" in result.stderr and "a.csv row 2" in result.stderr


def test_status_of_a_reply_taken_as_the_year_beside_a_dated_one_is_invalid(  # noqa: ANN001
        esg, tmp_path: Path) -> None:
    folder = dated_and_undated(tmp_path)
    path = tmp_path / "list.csv"
    path.write_text("협력사코드,협력사명\nS001,가\nS004,라\n", encoding="utf-8")
    result = esg("status", folder, "--suppliers", path, "-q", MINI, "--year", "2024",
                 "--format", "json", "--lang", "en")
    by_id = {s["supplier_id"]: s for s in as_json(result)["suppliers"]}
    assert by_id["S001"]["status"] == "invalid" and "a.csv, b.csv" in by_id["S001"]["first_problem"]
    assert by_id["S004"]["status"] == "returned"
    # without --year: a reply of no year beside a dated one cannot be placed: both, invalid
    result = esg("status", folder, "--suppliers", path, "-q", MINI, "--format", "json")
    assert {s["supplier_id"]: s["status"] for s in as_json(result)["suppliers"]}["S001"] == "invalid"


def test_status_of_a_supplier_twice_in_one_file_shows_the_files_own_error(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "inbox"
    write_csv(folder / "c.csv", [["C1", "다", "사후", 2024, *GOOD], ["C1", "다", "사후", 2024, *GOOD]])
    data = status(esg, folder, listing(tmp_path))
    c1 = {s["supplier_id"]: s for s in data["suppliers"]}["C1"]
    assert c1["status"] == "invalid" and "c.csv, c.csv" not in (c1["first_problem"] or "")
    assert esg("score", folder, "-q", MINI).exit_code == 3  # as every command refuses it


def test_validate_lists_a_blank_year_and_skip_invalid_leaves_it_out(esg, tmp_path: Path) -> None:  # noqa: ANN001
    answers = blank_year_beside_years(tmp_path)
    result = esg("validate", answers, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3 and "SEL-004" in result.stdout + result.stderr
    result = esg("certify", answers, "-q", MINI, "--policy", POLICY, "--year", "2024",
                 "--dry-run", "--skip-invalid", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert [s["supplier_id"] for s in as_json(result)["suppliers"]] == ["A1"]
    assert "left out 1 record(s) with errors: B1" in result.stderr
