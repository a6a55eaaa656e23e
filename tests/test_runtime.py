"""`esg` sets up the C runtime before numpy and pyarrow load (cli.entry.tune_runtime)."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = ("import os, sys; from esgcli.cli.entry import tune_runtime; tune_runtime(); "
         "import pyarrow as pa; print(pa.default_memory_pool().backend_name, "
         "os.environ['OPENBLAS_NUM_THREADS'])")


def _probe(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("ARROW_DEFAULT_MEMORY_POOL", "OPENBLAS_NUM_THREADS")}
    return subprocess.run([sys.executable, "-c", PROBE], env={**clean, **env}, check=True,
                          capture_output=True, text=True).stdout.split()


def test_arrow_allocates_with_malloc_and_openblas_runs_one_thread() -> None:
    assert _probe() == ["system", "1"]


def test_the_users_settings_win() -> None:
    assert _probe(ARROW_DEFAULT_MEMORY_POOL="mimalloc", OPENBLAS_NUM_THREADS="4") == ["mimalloc", "4"]
