"""Spreading work that numpy, Arrow and fastexcel do without the GIL over a thread per core."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

MAX_THREADS = 4


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def thread_count(units: int, per_thread: int) -> int:
    """Threads worth starting for ``units`` of work when each should get ``per_thread`` or more."""
    return max(1, min(cores(), MAX_THREADS, units // per_thread))


def run(work: Callable[[Any], Any], items: Sequence[Any], threads: int) -> list[Any]:
    """``[work(item) for item in items]``, on ``threads`` threads when that is more than one."""
    if threads <= 1 or len(items) <= 1:
        return [work(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(work, items))


def row_blocks(n: int, count: int) -> list[slice]:
    """``count`` consecutive slices of about equal size covering rows 0..n."""
    bounds = [n * b // count for b in range(count + 1)]
    return [slice(bounds[b], bounds[b + 1]) for b in range(count)]


PROCESS_MIN = 64  # tasks from which work is spread over a process per core
MAX_PROCESSES = 4


def in_processes(work: Callable[..., Any], items: Sequence[Any], chunk: int = 16,
                 progress: Callable[[int, int], None] | None = None,
                 minimum: int | None = None, shared: Any = None) -> list[Any]:  # noqa: ANN401
    """``[work(item) for item in items]`` in order (``work(shared, item)`` when ``shared`` is
    given), on a forked process per core when there are at least ``minimum`` (default
    PROCESS_MIN) items, the machine has several cores and processes fork (Linux); in this
    process otherwise. For independent CPU work whose results are small (threads would
    serialise it on the GIL). ``shared`` reaches the processes by inheritance, never pickled
    (a questionnaire is used as it is here); items and results are pickled. ``progress(done,
    total)`` is called as results arrive (per chunk of ``chunk`` items in processes). ``work``
    must be a module-level function; an exception in it is raised here."""
    total = len(items)
    workers = min(cores(), MAX_PROCESSES)
    out: list[Any] = []
    if workers < 2 or total < (PROCESS_MIN if minimum is None else minimum) or not forks():
        for item in items:
            out.append(work(item) if shared is None else work(shared, item))
            if progress is not None:
                progress(len(out), total)
        return out
    import multiprocessing

    tasks = [(work, list(items[i: i + chunk]), shared is not None) for i in range(0, total, chunk)]
    _INHERITED["shared"] = shared
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_chunk, tasks):
                out.extend(part)
                if progress is not None:
                    progress(len(out), total)
    finally:
        _INHERITED.clear()
    return out


_INHERITED: dict[str, Any] = {}  # what the forked processes of one call inherit


def forks() -> bool:
    """True where processes start by fork (Linux): they inherit what is loaded, at no cost."""
    import multiprocessing
    import sys

    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def _chunk(task: tuple[Callable[..., Any], list[Any], bool]) -> list[Any]:
    work, items, with_shared = task
    if with_shared:
        shared = _INHERITED["shared"]
        return [work(shared, item) for item in items]
    return [work(item) for item in items]
