"""`esg` starts opening a folder of replies before it loads the command (cli.early,
answers.opening.start_early): which arguments are PATHs, that the command takes what was opened
(and only what it would have opened itself), and the same results as without it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, write_xlsx

import esgcli.answers.opening as opening
from esgcli.base import parallel
from esgcli.cli.early import answer_paths, open_early

HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
needs_fork = pytest.mark.skipif(not parallel.forks() or parallel.cores() < 2,
                                reason="needs fork and 2 cores")


def _replies(folder: Path, n: int, start: int = 0) -> Path:
    folder.mkdir(parents=True)
    for k in range(start, start + n):
        write_xlsx(folder / f"r{k:03d}.xlsx", [HEADER, [f"S{k}", f"n{k}", None, 10, "yes",
                                                        1 + k % 3, f"{k}%", "none", None]])
    return folder


def test_the_paths_are_the_arguments_that_name_answer_files_or_folders(tmp_path: Path) -> None:
    folder = _replies(tmp_path / "replies", 1)
    one = folder / "r000.xlsx"
    (tmp_path / "q.yaml").write_text("x", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"x")
    argv = ["esg", "--debug", "score", str(folder), "-q", str(tmp_path / "q.yaml"), "-o", str(out),
            "--sheet", "응답", str(one), "--round", str(folder), "--force"]
    assert answer_paths(argv) == ([str(folder), str(one)], "응답")  # not -o's or --round's value
    assert answer_paths(["esg", "score", "--sheet=x", str(folder)]) == ([str(folder)], "x")
    assert answer_paths(["esg", "template", "-o", str(folder)]) is None  # writes, reads no replies
    assert answer_paths(["esg", "score", str(tmp_path / "missing")]) is None
    assert answer_paths(["esg", "score", "--", str(folder)]) is None
    assert answer_paths(["esg"]) is None


def test_every_option_that_takes_a_value_is_known_to_the_argument_scan() -> None:
    """A value (`-f json`, `--actions plan.xlsx`) is never taken for a PATH: the scan knows
    every option of every command that takes one."""
    import typer

    from esgcli.cli.app import app
    from esgcli.cli.early import VALUED

    valued: set[str] = set()

    def walk(command: object) -> None:
        for param in getattr(command, "params", []):
            if param.param_type_name == "option" and not param.is_flag:
                valued.update(param.opts + param.secondary_opts)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    assert valued == set(VALUED)


@needs_fork
def test_improve_is_opened_early_as_it_reads_its_paths(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two PATHs: each on its own (names relative to each); with --before/--after, or more
    PATHs, all at once."""
    before = _replies(tmp_path / "before", 5)
    after = _replies(tmp_path / "after", 5)
    monkeypatch.setattr(opening, "PARALLEL_MIN", 4)
    started: list[list[tuple[Path, str, str | None]]] = []
    monkeypatch.setattr("esgcli.cli.early.start_early",
                        lambda items, sheet: started.append(list(items)) or False)
    open_early(["esg", "improve", str(before), str(after)])
    open_early(["esg", "improve", str(before), str(after), "--before", "사전", "--after", "사후"])
    each, together = ({name for _, name in items} for items in started)
    assert each == {f"r{k:03d}.xlsx" for k in range(5)}  # the same names in both folders
    assert together == {str(folder / f"r{k:03d}.xlsx") for folder in (before, after)
                        for k in range(5)}


@needs_fork
def test_the_command_takes_the_replies_opened_early_and_scores_them_the_same(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    folder = _replies(tmp_path / "replies", 9)
    (folder / "r004.xlsx").write_bytes(b"not a workbook")
    plain = esg("score", folder, "-q", MINI, "--format", "json", "--lang", "en")
    monkeypatch.setattr(opening, "PARALLEL_MIN", 4)
    assert open_early(["esg", "score", str(folder), "-q", str(MINI), "--format", "json"])

    def not_again(*args: object, **kwargs: object) -> object:
        raise AssertionError("a file opened early was opened again")

    monkeypatch.setattr(opening, "open_file", not_again)  # the processes were forked before
    early = esg("score", folder, "-q", MINI, "--format", "json", "--lang", "en")
    assert (early.exit_code, early.stdout, early.stderr) == (
        plain.exit_code, plain.stdout, plain.stderr)
    assert "WB-002 r004.xlsx" in early.stderr


@needs_fork
def test_files_the_command_names_otherwise_are_opened_by_the_command(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """`improve BEFORE AFTER` reads each folder on its own, under names relative to it; a
    guess of other names is thrown away, never used under the wrong name."""
    before = _replies(tmp_path / "before", 6)
    after = _replies(tmp_path / "after", 6)
    plain = esg("improve", before, after, "-q", MINI, "--format", "json")
    monkeypatch.setattr(opening, "PARALLEL_MIN", 4)
    assert opening.start_early([(f, f"{f.parent.name}/{f.name}") for f in
                                sorted([*before.iterdir(), *after.iterdir()])])
    guessed = esg("improve", before, after, "-q", MINI, "--format", "json")
    assert (guessed.exit_code, guessed.stdout) == (plain.exit_code, plain.stdout)
    assert open_early(["esg", "improve", str(before), str(after), "-q", str(MINI)])
    each = esg("improve", before, after, "-q", MINI, "--format", "json")
    assert (each.exit_code, each.stdout) == (plain.exit_code, plain.stdout)


@needs_fork
def test_a_file_changed_after_its_early_opening_is_not_read_from_it_twice(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    folder = _replies(tmp_path / "replies", 5)
    monkeypatch.setattr(opening, "PARALLEL_MIN", 4)
    assert open_early(["esg", "validate", str(folder), "-q", str(MINI)])
    first = esg("score", folder, "-q", MINI, "--format", "json")
    write_xlsx(folder / "r002.xlsx", [HEADER, ["S2", "n2", None, 10, "no", 3, "99%", "none", None]])
    second = esg("score", folder, "-q", MINI, "--format", "json")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout != second.stdout  # the second run opened the files itself


def test_the_installed_esg_opens_a_campaign_folder_early_with_the_same_result(
        esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = _replies(tmp_path / "replies", opening.PARALLEL_MIN + 2)
    (folder / "r010.xlsx").write_bytes(b"%PDF-1.4 a scan")
    exe = shutil.which("esg") or str(Path(sys.executable).parent / "esg")
    process = subprocess.run([exe, "score", str(folder), "-q", str(MINI), "--format", "json",
                              "--lang", "en"], capture_output=True, text=True, timeout=120)
    in_process = esg("score", folder, "-q", MINI, "--format", "json", "--lang", "en")
    assert process.returncode == in_process.exit_code == 3
    assert (process.stdout, process.stderr) == (in_process.stdout, in_process.stderr)
    assert "WB-002 r010.xlsx" in process.stderr
    (folder / "r010.xlsx").unlink()
    process = subprocess.run([exe, "score", str(folder), "-q", str(MINI), "--format", "json"],
                             capture_output=True, text=True, timeout=120)
    in_process = esg("score", folder, "-q", MINI, "--format", "json")
    assert process.returncode == in_process.exit_code == 0, process.stderr
    assert json.loads(process.stdout) == json.loads(in_process.stdout)
    assert len(json.loads(process.stdout)["suppliers"]) == opening.PARALLEL_MIN + 1


def test_ctrl_c_while_esg_loads_leaves_no_traceback_and_no_process(tmp_path: Path) -> None:
    import os
    import signal
    import time

    folder = _replies(tmp_path / "replies", opening.PARALLEL_MIN + 2)
    exe = shutil.which("esg") or str(Path(sys.executable).parent / "esg")
    process = subprocess.Popen([exe, "score", str(folder), "-q", str(MINI)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True, text=True)

    def group() -> list[str]:  # the states of the command's processes (zombies left out)
        states = subprocess.run(["ps", "--no-headers", "-o", "stat", "-g", str(process.pid)],
                                capture_output=True, text=True).stdout.split()
        return [s for s in states if not s.startswith("Z")]

    deadline = time.monotonic() + 30
    while len(group()) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # until the opening processes are forked: the command is loading
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode in (130, 1), err  # 1: click's "Aborted!" once the command runs
    assert "Traceback" not in err
    deadline = time.monotonic() + 10
    while group() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert group() == []  # the opening processes ended


@needs_fork
def test_a_command_reading_part_of_what_was_opened_early_shows_progress_as_its_share(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _replies(tmp_path / "before", 6)
    after = _replies(tmp_path / "after", 6)
    monkeypatch.setattr(opening, "PARALLEL_MIN", 4)
    files = {folder: [(f, f.name) for f in sorted(folder.iterdir())] for folder in (before, after)}
    assert opening.start_early([*files[before], *files[after]])
    seen: list[tuple[int, int]] = []
    first = opening.open_all(files[before], progress=lambda done, total: seen.append((done, total)))
    assert [o.name for o in first] == [f"r{k:03d}.xlsx" for k in range(6)]
    assert seen and {total for _, total in seen} == {6} and seen[-1] == (6, 6)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert [o.path for o in opening.open_all(files[after])] == [f for f, _ in files[after]]


@needs_fork
@pytest.mark.parametrize("extra", [[], ["--on-duplicate", "latest"]])
def test_replies_read_in_batches_as_they_are_opened_give_the_same_result(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]) -> None:  # noqa: ANN001
    """The command reads the first replies while the processes open the rest
    (`opening.open_batches`, `inputs.MergingRead`): runs cut between batches, a header that
    changes, an unreadable file and a supplier in two files far apart come out as when every
    file is read at once."""
    folder = _replies(tmp_path / "replies", 12)
    write_xlsx(folder / "r005.xlsx", [[*HEADER, "비고"], ["S5", "n5", None, 10, "no", 2, "5%",
                                                          "none", None, "memo"]])
    write_xlsx(folder / "r009.xlsx", [HEADER, ["S1", "n1", None, 10, "maybe", 1, "1%", "none",
                                               None]])  # S1 again, and an invalid answer
    (folder / "r007.xlsx").write_bytes(b"not a workbook")
    args = ["score", folder, "-q", MINI, "--format", "json", "--lang", "en", *extra]
    plain = esg(*args)
    monkeypatch.setattr(opening, "PARALLEL_MIN", 4)
    monkeypatch.setattr(opening, "CHUNK", 1)
    monkeypatch.setattr(opening, "BATCH", 1)
    assert open_early(["esg", *map(str, args)])
    streamed = esg(*args)
    assert (streamed.exit_code, streamed.stdout, streamed.stderr) == (
        plain.exit_code, plain.stdout, plain.stderr)
    assert "WB-002 r007.xlsx" in plain.stderr and "r009.xlsx" in plain.stderr
