"""Many answer files as one (SPEC §12): path expansion, merging, duplicates, one questionnaire."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import MINI, parse_table, write_xlsx
from hypothesis import given
from hypothesis import strategies as st

from esgcli import resolve_questionnaire
from esgcli.answers.inputs import expand_paths, input_files, read_answer_paths, said_once
from esgcli.base.problems import InputError, Problem
from esgcli.outputs.template import SupplierRow, write_template

HEADER = "| 협력사코드 | 협력사명 | 차수 | 연도 | 상시근로자 수 | E-1 | E-2 | E-3 | S-1 | S-2 |"


def answers(path: Path, *rows: str) -> Path:
    """A one-sheet workbook (or CSV) with the mini header and ``rows`` (markdown lines)."""
    table = "\n".join([HEADER, *rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        lines = parse_table(table, numbers=False)
        path.write_text("\n".join(",".join("" if c is None else str(c) for c in r) for r in lines)
                        + "\n", encoding="utf-8")
        return path
    return write_xlsx(path, parse_table(table))


A001 = "| A001 | 가 | 사후 | 2024 | 10 | yes | 3 | 30 | manager | |"
A002 = "| A002 | 나 | 사후 | 2024 | 20 | no | 1 | 0 | none | |"


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


# ---------------------------------------------------------------- expand_paths
def test_folders_are_read_recursively_in_sorted_order_skipping_hidden_and_lock_files(
        tmp_path: Path) -> None:
    root = tmp_path / "replies"
    for name in ["b.xlsx", "a/c.csv", "a.ods", "a/z/d.xls", "e.XLSM",  # kept
                 "~$b.xlsx", ".~lock.b.xlsx#", ".hidden.xlsx", ".git/x.xlsx",  # skipped
                 "notes.txt", "scan.pdf", "a/~$c.csv"]:
        touch(root / name)
    assert [p.relative_to(root).as_posix() for p in expand_paths([root])] == [
        "a/c.csv", "a/z/d.xls", "a.ods", "b.xlsx", "e.XLSM"]


def test_a_file_given_by_name_is_kept_and_each_file_comes_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    one = touch(folder / "one.xlsx")
    lock = touch(tmp_path / "~$odd.xlsx")
    assert expand_paths([lock, folder, one]) == [lock, one]


def test_names_are_paths_below_the_folder_and_typed_paths_when_they_clash(tmp_path: Path) -> None:
    touch(tmp_path / "2024" / "sub" / "S1.xlsx")
    touch(tmp_path / "x" / "S1.xlsx")
    touch(tmp_path / "y" / "S1.xlsx")
    assert [f.name for f in input_files([tmp_path / "2024"])] == ["sub/S1.xlsx"]
    assert [f.name for f in input_files([tmp_path / "x", tmp_path / "y"])] == [
        str(tmp_path / "x" / "S1.xlsx"), str(tmp_path / "y" / "S1.xlsx")]


def test_a_missing_path_and_an_empty_folder_are_located_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    touch(tmp_path / "empty" / "readme.txt")
    with pytest.raises(InputError) as caught:
        expand_paths([tmp_path / "nope.xlsx", tmp_path / "empty"])
    assert [(p.code, p.file) for p in caught.value.problems] == [
        ("WB-001", str(tmp_path / "nope.xlsx")), ("SRC-004", str(tmp_path / "empty"))]


# ---------------------------------------------------------------- read_answer_paths
def test_files_of_mixed_formats_merge_keeping_each_record_s_file(tmp_path: Path) -> None:
    answers(tmp_path / "in" / "a.xlsx", A001)
    answers(tmp_path / "in" / "b.csv", A002)
    data = read_answer_paths([tmp_path / "in"], MINI)
    assert data.records[["supplier_id", "file"]].values.tolist() == [["A001", "a.xlsx"],
                                                                     ["A002", "b.csv"]]
    assert [(s.file, s.records) for s in data.sources] == [("a.xlsx", 1), ("b.csv", 1)]
    assert data.records["excel_row"].tolist() == [2, 2]
    assert not data.errors


def test_one_file_reads_as_read_answers_does(tmp_path: Path) -> None:
    from esgcli.answers.read import read_answers

    path = answers(tmp_path / "one.xlsx", A001, A002)
    q = resolve_questionnaire(str(MINI))
    alone, merged = read_answers(path, q), read_answer_paths([path], q)
    assert merged.records.equals(alone.records)
    assert merged.sources == alone.sources == (alone.source,)
    assert (merged.points == alone.points).all()


def test_every_problem_names_its_own_file_and_record(tmp_path: Path) -> None:
    answers(tmp_path / "in" / "a.xlsx", A001)
    answers(tmp_path / "in" / "b.xlsx", A002.replace("| no | 1 |", "| maybe | 1 |"))
    (tmp_path / "in" / "c.xlsx").write_text("not a workbook", encoding="utf-8")
    data = read_answer_paths([tmp_path / "in"], MINI)
    assert [(p.code, p.file, p.cell, p.record) for p in data.errors] == [
        ("WB-002", "c.xlsx", None, None), ("ANS-001", "b.xlsx", "F2", 1)]
    assert len(data) == 2


def test_a_duplicate_across_files_is_an_error_naming_both_files_and_rows(tmp_path: Path) -> None:
    answers(tmp_path / "in" / "a.xlsx", A002, A001)
    answers(tmp_path / "in" / "b.xlsx", A001)
    data = read_answer_paths([tmp_path / "in"], MINI)
    [problem] = data.errors
    assert (problem.code, problem.file, problem.row, problem.record) == ("SRC-001", "b.xlsx", 2, 2)
    assert problem.params["first_file"] == "a.xlsx" and problem.params["first_row"] == 3
    assert problem.message("en") == (
        "b.xlsx › answers › row 2 (A001): supplier A001 (round 사후, year 2024) is also in "
        "a.xlsx row 3; remove one, or use --on-duplicate latest to keep the file modified last")


@pytest.mark.parametrize("blank", ["round", "year", "both"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_duplicate_across_files_with_a_blank_round_or_year_is_an_error(
        esg, tmp_path: Path, blank: str, suffix: str) -> None:  # noqa: ANN001
    """A supplier sent twice without a round or year (the template's year left blank) was
    scored twice, exit 0: the blank made the key NA, and the grouping dropped it."""
    row = A001
    if blank in ("round", "both"):
        row = row.replace("| 사후 |", "| |")
    if blank in ("year", "both"):
        row = row.replace("| 2024 |", "| |")
    answers(tmp_path / "in" / f"a{suffix}", row)
    answers(tmp_path / "in" / f"b{suffix}", row)
    data = read_answer_paths([tmp_path / "in"], MINI)
    assert [(p.code, p.file) for p in data.errors] == [("SRC-001", f"b{suffix}")]
    result = esg("score", tmp_path / "in", "-q", MINI, "--format", "json", "--lang", "en")
    assert result.exit_code == 3 and "SRC-001" in result.stderr, result.stdout
    latest = read_answer_paths([tmp_path / "in"], MINI, on_duplicate="latest")
    assert len(latest) == 1 and not latest.errors


def test_on_duplicate_latest_keeps_the_file_modified_last_and_warns(tmp_path: Path) -> None:
    old = answers(tmp_path / "in" / "z-old.xlsx", A001, A002)
    new = answers(tmp_path / "in" / "a-new.xlsx", A001.replace("| yes | 3 |", "| no | 3 |"))
    os.utime(old, (1_000_000, 1_000_000))
    os.utime(new, (2_000_000, 2_000_000))
    data = read_answer_paths([tmp_path / "in"], MINI, on_duplicate="latest")
    assert not data.errors
    assert data.records[["supplier_id", "file"]].values.tolist() == [["A001", "a-new.xlsx"],
                                                                     ["A002", "z-old.xlsx"]]
    [warning] = data.problems
    assert (warning.code, warning.severity, warning.file, warning.row) == (
        "SRC-002", "warning", "z-old.xlsx", 2)
    assert warning.params["kept"] == "a-new.xlsx"
    assert [(s.file, s.records) for s in data.sources] == [("a-new.xlsx", 1), ("z-old.xlsx", 1)]


def test_files_recording_different_questionnaires_are_an_error_naming_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "questionnaires").mkdir()
    (tmp_path / "questionnaires" / "mini.yaml").write_bytes(MINI.read_bytes())
    monkeypatch.chdir(tmp_path)
    mini = resolve_questionnaire(str(MINI))
    other = resolve_questionnaire("supplier-esg")
    write_template(mini, tmp_path / "in" / "a.xlsx", "en", [], [SupplierRow("A1", "x", {})])
    write_template(other, tmp_path / "in" / "b.xlsx", "en", [], [SupplierRow("B1", "y", {})])
    with pytest.raises(InputError) as caught:
        read_answer_paths([tmp_path / "in"])
    [problem] = caught.value.problems
    assert problem.code == "SRC-003"
    assert problem.params["detail"] == "mini: a.xlsx; supplier-esg: b.xlsx"
    data = read_answer_paths([tmp_path / "in" / "a.xlsx"])  # one recorded: it is used
    assert data.questionnaire.id == "mini"


def test_the_same_message_in_many_files_is_said_once() -> None:
    same = [Problem(code="HDR-003", severity="warning", file=f"{i}.xlsx", sheet="answers",
                    params={"headers": "memo2"}) for i in range(5)]
    other = Problem(code="HDR-003", severity="warning", file="x.xlsx", sheet="answers",
                    params={"headers": "zzz"})
    out = said_once([*same, other], "en")
    assert [p.file for p in out] == ["0.xlsx, 1.xlsx, 2.xlsx … (+2) (5 files)", "x.xlsx"]


# ---------------------------------------------------------------- --skip-invalid in the library
BAD = "| A003 | 다 | 사후 | 2024 | 10 | maybe | 3 | 30 | manager | |"


def test_keep_valid_leaves_out_records_with_errors_as_data(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """The selection `--skip-invalid` makes is the library's: the kept answers, the suppliers
    left out and every problem come back as data; the CLI only says them (#14)."""
    from esgcli.answers.inputs import keep_valid

    path = answers(tmp_path / "a.xlsx", A001, BAD, A002)
    data = read_answer_paths([path], MINI)
    with pytest.raises(InputError) as stopped:
        keep_valid(data)
    assert stopped.value.problems == data.problems
    valid = keep_valid(data, skip_invalid=True)
    assert list(valid.answers.records["supplier_id"]) == ["A001", "A002"]
    assert (valid.skipped, valid.left_out) == (["A003"], 1)
    assert [(p.code, p.cell) for p in valid.errors] == [("ANS-001", "F3")]
    note = valid.note()
    assert note is not None and note.text("en") == (
        "--skip-invalid: left out 1 record(s) with errors: A003")
    assert note.text("ko") == "--skip-invalid: 오류가 있는 1건 제외: A003"
    assert [p.code for p in valid.problems()] == ["ANS-001", "SRC-006"]
    cli = esg("score", path, "-q", MINI, "--skip-invalid", "--format", "json", "--lang", "en")
    assert cli.exit_code == 0
    assert cli.stderr.splitlines()[-1] == note.text("en")
    assert [s["supplier_id"] for s in json.loads(cli.stdout)["suppliers"]] == ["A001", "A002"]
    assert keep_valid(read_answer_paths([answers(tmp_path / "b.xlsx", A001)], MINI)).skipped == []


def test_errors_of_no_record_stop_even_when_skipping(esg, tmp_path: Path) -> None:  # noqa: ANN001
    from esgcli.answers.inputs import NotSkippable, keep_valid

    folder = tmp_path / "replies"
    answers(folder / "a.xlsx", A001, BAD)
    (folder / "broken.xlsx").write_bytes(b"not a workbook")
    data = read_answer_paths([folder], MINI)
    with pytest.raises(NotSkippable) as stopped:
        keep_valid(data, skip_invalid=True)
    assert [p.file for p in stopped.value.problems] == ["broken.xlsx"]
    assert stopped.value.valid.skipped == ["A003"]
    cli = esg("score", folder, "-q", MINI, "--skip-invalid", "--lang", "en")
    assert cli.exit_code == 3
    assert "--skip-invalid: left out 1 record(s) with errors: A003" in cli.stderr.splitlines()
    assert cli.stderr.count("error WB-002 broken.xlsx") == 1  # said once, by the run stopping
    (folder / "a.xlsx").unlink()  # nothing left out: no note of 0 records
    answers(folder / "a.xlsx", A001)
    only = esg("score", folder, "-q", MINI, "--skip-invalid", "--lang", "en")
    assert only.exit_code == 3 and "left out" not in only.stderr
    assert only.stderr.count("error WB-002 broken.xlsx") == 1


def _walked(paths: list[Path]) -> list[tuple[Path, str]]:
    """What input_files gave before it read folders with os.scandir: os.walk, pathlib, and
    every file resolved."""
    import os
    from collections import Counter

    out: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith((".", "~$"))]
                for name in files:
                    if not name.startswith((".", "~$")) and name.lower().endswith(
                            (".xlsx", ".xlsm", ".xls", ".ods", ".csv")):
                        f = Path(root) / name
                        found.append((f.relative_to(path).parts, f))
            pairs = [(f, f.relative_to(path).as_posix()) for _, f in sorted(found)]
        else:
            pairs = [(path, path.name)]
        for f, name in pairs:
            if f.resolve() not in seen:
                seen.add(f.resolve())
                out.append((f, name))
    counts = Counter(name for _, name in out)
    return [(f, str(f) if counts[name] > 1 else name) for f, name in out]


def test_folders_expand_as_os_walk_and_resolve_expanded_them(tmp_path: Path) -> None:
    """Nested folders, hidden and lock files, and symbolic links: to a file (the same file
    reached twice is read once), to a folder (not followed), and a folder given through a
    link."""
    root = tmp_path / "replies"
    for rel in ("b.xlsx", "a.csv", "sub/c.ods", "sub/deep/d.xlsx", ".hidden/e.xlsx", "~$f.xlsx",
                "sub/.~lock.g.xlsx#", "z/b.xlsx", "notes.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.xlsx").write_bytes(b"x")
    (root / "link.xlsx").symlink_to(outside / "o.xlsx")
    (root / "linked-folder").symlink_to(outside, target_is_directory=True)
    (tmp_path / "via").symlink_to(root, target_is_directory=True)
    for paths in ([root], [root, outside / "o.xlsx"], [outside / "o.xlsx", root],
                  [tmp_path / "via", root / "sub"], [root / "sub", root, tmp_path / "via"]):
        assert [(f.path, f.name) for f in input_files(paths)] == _walked(paths), paths


@given(st.builds(Problem, code=st.sampled_from(["ANS-007", "ANS-001", "WB-013"]),
                 severity=st.sampled_from(["error", "warning"]),
                 file=st.none() | st.text(max_size=5), sheet=st.none() | st.text(max_size=5),
                 cell=st.none() | st.text(max_size=4), row=st.none() | st.integers(1, 99),
                 value=st.none() | st.text(max_size=5) | st.integers(),
                 params=st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                 record=st.none() | st.integers(0, 9)),
       st.none() | st.text(max_size=5), st.none() | st.text(max_size=5))
def test_a_problem_placed_in_another_file_is_the_replaced_one(problem: Problem, file: str | None,
                                                              sheet: str | None) -> None:
    from dataclasses import replace

    moved = problem.placed(file, sheet)
    assert moved == replace(problem, file=file, sheet=sheet)
    assert moved is not problem and moved.params is problem.params  # a copy, as replace gives
