"""Work spread over a forked process per core (base.parallel.in_processes): results in order,
progress as they arrive, errors raised in the caller; and the per-supplier templates written
that way are the workbooks one process writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI
from openpyxl import load_workbook

import esgcli.base.parallel as parallel


def _square(n: int) -> int:
    if n == 13:
        raise ValueError("thirteen")
    return n * n


@pytest.mark.skipif(not parallel.forks() or parallel.cores() < 2, reason="needs fork and 2 cores")
def test_results_come_back_in_order_with_progress() -> None:
    seen: list[tuple[int, int]] = []
    items = list(range(100, 170))
    got = parallel.in_processes(_square, items, chunk=3, progress=lambda d, t: seen.append((d, t)),
                                minimum=2)
    assert got == [n * n for n in items]
    assert seen[-1] == (70, 70) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) == 24  # one step per chunk of three


def test_an_error_in_a_task_is_raised_in_the_caller() -> None:
    for minimum in (2, 10**9):  # in processes, and in this one
        with pytest.raises(ValueError, match="thirteen"):
            parallel.in_processes(_square, list(range(20)), chunk=2, minimum=minimum)


def _cells(path: Path) -> list[list[list[object]]]:
    book = load_workbook(path)
    return [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in book.worksheets]


def test_per_supplier_workbooks_written_in_processes_are_those_one_process_writes(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    listed = tmp_path / "suppliers.csv"
    listed.write_text("supplier_id,supplier_name,employees\n" + "".join(
        f"S{n},협력사{n},{10 * n}\n" for n in range(9)), encoding="utf-8")
    folders = {}
    for mode, minimum in (("one", 10**9), ("many", 2)):
        monkeypatch.setattr(parallel, "PROCESS_MIN", minimum)
        folders[mode] = tmp_path / mode
        made = esg("template", "-q", MINI, "--suppliers", listed, "--per-supplier", "-o",
                   folders[mode], "--rounds", "사전,사후", "--year", "2025")
        assert made.exit_code == 0, made.stderr
    names = sorted(p.name for p in folders["one"].iterdir())
    assert names == sorted(p.name for p in folders["many"].iterdir()) and len(names) == 9
    for name in names:
        assert _cells(folders["one"] / name) == _cells(folders["many"] / name), name


def _dies_on_seven(n: int) -> int:
    if n == 7:
        import os

        os._exit(134)  # as a native reader aborting on a hostile file
    return n + 1


@pytest.mark.skipif(not parallel.forks() or parallel.cores() < 2, reason="needs fork and 2 cores")
def test_a_process_that_dies_never_hangs_and_costs_only_its_item() -> None:
    got = parallel.in_processes(_dies_on_seven, list(range(40)), chunk=4, minimum=2,
                                crashed=lambda n: -n)
    assert got == [-7 if n == 7 else n + 1 for n in range(40)]
    with pytest.raises(RuntimeError, match="died"):
        parallel.in_processes(_dies_on_seven, list(range(40)), chunk=4, minimum=2)


@pytest.mark.skipif(not parallel.forks() or parallel.cores() < 2, reason="needs fork and 2 cores")
def test_a_reply_that_kills_its_reader_is_unreadable_and_the_others_are_scored(
        esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import esgcli.answers.opening as opening

    folder = tmp_path / "replies"
    folder.mkdir()
    header = ["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
    from conftest import write_xlsx

    for n in range(6):
        write_xlsx(folder / f"r{n}.xlsx", [header, [f"S{n}", 10, "yes", 2, 30, "none", None]])
    real = opening.open_file

    def fragile(path: Path, name: str, sheet: str | None = None, many: bool = False) -> object:
        if name == "r3.xlsx":
            import os

            os._exit(134)
        return real(path, name, sheet, many)

    monkeypatch.setattr(opening, "open_file", fragile)
    monkeypatch.setattr(opening, "PARALLEL_MIN", 2)
    monkeypatch.setattr(opening, "CHUNK", 2)
    result = esg("score", folder, "-q", MINI, "--format", "json", "--lang", "en")
    assert result.exit_code == 3
    assert "error WB-002 r3.xlsx: not a workbook (the reader stopped on this file" in result.stderr
    listed = tmp_path / "s.csv"
    listed.write_text("supplier_id\n" + "".join(f"S{n}\n" for n in range(6)), encoding="utf-8")
    status = esg("status", folder, "--suppliers", listed, "-q", MINI, "--format", "json")
    assert status.exit_code == 0 and '"returned": 5' in status.stdout and '"unreadable": 1' in status.stdout


def _refuse_seven(n: int) -> int:
    if n == 7:
        from esgcli.base.problems import InputError, Problem

        raise InputError([Problem(code="WB-001", file=f"r{n}.xlsx")])
    return n


@pytest.mark.skipif(not parallel.forks() or parallel.cores() < 2, reason="needs fork and 2 cores")
def test_esg_errors_raised_in_a_process_are_raised_as_they_are() -> None:
    """An InputError (or UsageError) raised while a process works reaches the caller as itself,
    not as an error of unpickling it (`template --per-supplier` reported OUT-005 as an
    unexpected TypeError)."""
    from esgcli.base.problems import InputError

    with pytest.raises(InputError) as raised:
        parallel.in_processes(_refuse_seven, list(range(40)), chunk=4, minimum=2)
    assert raised.value.problems[0].code == "WB-001" and raised.value.exit_code == 3


@pytest.mark.skipif(not parallel.forks() or parallel.cores() < 2, reason="needs fork and 2 cores")
def test_more_chunks_than_a_pipe_holds_are_handed_out() -> None:
    """The chunk indexes are written to the processes as they read them (a pipe may hold only
    8 KiB: 2,048 indexes), so any number of chunks is worked through."""
    items = [n for n in range(30_000) if n != 13]
    assert parallel.in_processes(_square, items, chunk=1, minimum=2) == [n * n for n in items]


def _slow_square(k: int) -> int:
    import time

    time.sleep(0.02)
    return k * k


@pytest.mark.skipif(not parallel.forks() or parallel.cores() < 2, reason="needs fork, 2 cores")
def test_results_handed_over_in_order_as_they_come() -> None:
    """`Forked.in_order`: consecutive results, in the order of the items, in several lists when
    the caller is ready before the processes are done; all of them, each once."""
    from esgcli.base.forked import Forked

    lists = list(Forked(_slow_square, list(range(40)), 2, 2).in_order(batch=1))
    assert [r for part in lists for r in part] == [k * k for k in range(40)]
    assert len(lists) > 1 and all(lists)
    whole = list(Forked(_slow_square, list(range(10)), 2, 2).in_order(batch=100))
    assert whole == [[k * k for k in range(10)]]  # fewer than a batch: one list at the end
