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
