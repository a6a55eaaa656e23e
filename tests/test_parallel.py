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
