"""Test helper: certificate batches written row by row with a pause, to widen the window in
which a test kills a batch mid-transaction (injected; production code has no such hook).

    python tests/slow_batch.py DELAY esg-arguments...   # runs `esg` with slow SQLite batches
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any


class SlowTx:
    """A backend transaction whose `executemany` writes one row at a time, pausing after each."""

    def __init__(self, tx: Any, delay: float) -> None:  # noqa: ANN401
        self.tx, self.delay = tx, delay

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self.tx.execute(sql, params)

    def executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        for row in rows:
            self.tx.execute(sql, row)
            time.sleep(self.delay)


def slow_writes(backend: Any, delay: float) -> None:  # noqa: ANN401
    """Make ``backend`` (an instance or a backend class) write its batches slowly."""
    original = backend.write

    @contextmanager
    def write(*args: Any) -> Iterator[SlowTx]:  # noqa: ANN401
        with original(*args) as tx:
            yield SlowTx(tx, delay)

    backend.write = write


if __name__ == "__main__":
    from esgcli.registry.sqlite import SqliteBackend

    slow_writes(SqliteBackend, float(sys.argv[1]))
    sys.argv = ["esg", *sys.argv[2:]]
    from esgcli.cli.entry import main

    main()
