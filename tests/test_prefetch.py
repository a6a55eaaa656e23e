"""The installed `esg` prefetches big workbooks on a second core: same results as in-process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import QUESTIONNAIRE, generate  # noqa: E402


def test_prefetched_read_equals_plain_read(esg, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    path = generate(4000, tmp_path / "big.xlsx")
    assert path.stat().st_size > 1024**2  # large enough to be prefetched
    exe = shutil.which("esg") or str(Path(sys.executable).parent / "esg")
    process = subprocess.run([exe, "score", str(path), "-q", str(QUESTIONNAIRE), "--format",
                              "json"], capture_output=True, text=True, timeout=120)
    assert process.returncode == 0, process.stderr
    in_process = esg("score", path, "-q", QUESTIONNAIRE, "--format", "json")
    assert json.loads(process.stdout) == json.loads(in_process.stdout)
    from esgcli.answers.fastread import route

    monkeypatch.setattr(route, "fastexcel_module", lambda: None)  # as without fastexcel
    calamine = esg("score", path, "-q", QUESTIONNAIRE, "--format", "json")
    assert json.loads(calamine.stdout)["suppliers"] == json.loads(process.stdout)["suppliers"]


def test_installed_entry_point_exit_codes_and_flushed_output(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """`esg` leaves with os._exit: exit codes and buffered output must survive it."""
    exe = shutil.which("esg") or str(Path(sys.executable).parent / "esg")
    missing = subprocess.run([exe, "score", str(tmp_path / "none.xlsx"), "--lang", "en"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 3 and "WB-001" in missing.stderr
    usage = subprocess.run([exe, "score", "--no-such-option"], capture_output=True, text=True,
                           timeout=60)
    assert usage.returncode == 2
    example = ROOT / "examples" / "suppliers.xlsx"
    ok = subprocess.run([exe, "score", str(example), "--format", "csv"], capture_output=True,
                        text=True, timeout=60)
    assert ok.returncode == 0
    assert ok.stdout == esg("score", example, "--format", "csv").stdout  # all of it flushed
