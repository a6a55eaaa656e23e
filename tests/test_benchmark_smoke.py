"""The benchmark script runs (tiny size), so it cannot rot. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_benchmark_quick_run(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                             "--json", str(out)], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    size = data["sizes"]["200"]
    assert set(size["commands"]) == {"floor: fastexcel read", "esg score --format json",
                                     "esg score -o out.csv", "esg score -o out.xlsx",
                                     "esg improve --format json",
                                     "esg certify --dry-run", "baseline: pandas openpyxl",
                                     "esg certify into a registry, re-run",
                                     "floor, shared strings",
                                     "esg score --format json, shared strings"}
    assert all(m["peak_with_memory_files_mb"] >= m["peak_mb"] > 0 for m in size["commands"].values())
    assert size["micro"]["answers"] == 200 * 80
    assert "esg score / floor" in result.stdout
