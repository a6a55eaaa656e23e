"""Spreading work that numpy, Arrow and fastexcel do without the GIL over a thread per core."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
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
                 minimum: int | None = None, shared: Any = None,  # noqa: ANN401
                 crashed: Callable[[Any], Any] | None = None) -> list[Any]:
    """``[work(item) for item in items]`` in order (``work(shared, item)`` when ``shared`` is
    given), on a forked process per core when there are at least ``minimum`` (default
    PROCESS_MIN) items, the machine has several cores and processes fork (Linux); in this
    process otherwise. For independent CPU work whose results are small (threads would
    serialise it on the GIL). ``shared`` reaches the processes by inheritance, never pickled
    (a questionnaire is used as it is here); items and results are pickled. ``progress(done,
    total)`` is called as results arrive (per chunk of ``chunk`` items in processes). ``work``
    must be a module-level function; an exception in it is raised here.

    A process that dies (a native reader aborting on a hostile file) never hangs the call:
    the chunks it left are run again one process each, then item by item, and an item that
    still kills its process gets ``crashed(item)`` as its result (without ``crashed``, a
    RuntimeError)."""
    total = len(items)
    workers = min(cores(), MAX_PROCESSES)
    out: list[Any] = []
    if workers < 2 or total < (PROCESS_MIN if minimum is None else minimum) or not forks():
        for item in items:
            out.append(work(item) if shared is None else work(shared, item))
            if progress is not None:
                progress(len(out), total)
        return out
    chunks = [list(items[i: i + chunk]) for i in range(0, total, chunk)]
    _INHERITED["shared"] = shared
    try:
        for part in _pooled(work, chunks, workers, shared is not None, crashed):
            out.extend(part)
            if progress is not None:
                progress(len(out), total)
    finally:
        _INHERITED.clear()
    return out


def _pooled(work: Callable[..., Any], chunks: list[list[Any]], workers: int, with_shared: bool,
            crashed: Callable[[Any], Any] | None) -> Iterator[list[Any]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork")
    done = 0
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_quiet) as pool:
        futures = [pool.submit(_chunk, (work, c, with_shared)) for c in chunks]
        try:
            for future in futures:
                yield future.result()
                done += 1
        except BrokenProcessPool:
            pass
    for items in chunks[done:]:  # after a process died: alone, then item by item
        part = _alone(work, items, with_shared, context)
        if part is None:
            part = []
            for item in items:
                one = _alone(work, [item], with_shared, context)
                if one is None:
                    if crashed is None:
                        raise RuntimeError("a worker process died") from None
                    one = [crashed(item)]
                part += one
        yield part


def _alone(work: Callable[..., Any], items: list[Any], with_shared: bool,
           context: Any) -> list[Any] | None:  # noqa: ANN401
    """``items`` in one fresh process; None when that process dies."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(1, mp_context=context, initializer=_quiet) as pool:
        try:
            result: list[Any] = pool.submit(_chunk, (work, items, with_shared)).result()
            return result
        except BrokenProcessPool:
            return None


def _quiet() -> None:
    """A worker writes nothing to the terminal: its results go back through a pipe, and a
    native reader that aborts must not print its backtrace over the command's output."""
    import os

    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)


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
