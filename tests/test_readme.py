"""The README's quick start, run: its command lines work from the checkout and print the
figures the README states (a figure in the README that the tool no longer prints fails here)."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_command() -> list[str]:
    first = re.findall(r"```bash\n(.*?)\n```", README, re.S)[0].strip()
    *_, last = first.split("&&")
    words = shlex.split(last)
    assert words[0].endswith("/esg"), words  # `.venv/bin/esg ...`
    return words[1:]


def test_quick_start_scores_the_example_with_the_figures_the_readme_gives(esg: Any) -> None:
    args = quick_start_command()
    assert args == ["score", "examples/suppliers.xlsx"]
    result = esg(*args, cwd=ROOT)
    assert result.exit_code == 0, result.stderr
    stated = re.search(r"per-round means under the\s+table: ([\d.]+)% of (\d+) before, ([\d.]+)% of (\d+) after",
                       README)
    assert stated, "the README no longer states the example's per-round means"
    before, n_before, after, n_after = stated.groups()
    rows = {line.split()[0]: line.split()[1:3] for line in result.stdout.splitlines()
            if line.split()[:1] in (["사전"], ["사후"])}
    assert rows == {"사전": [n_before, f"{before}%"], "사후": [n_after, f"{after}%"]}
    assert f"{n_before} suppliers diagnosed before support (사전), {n_after} of them" in README


def test_improve_on_the_example_gives_the_number_the_readme_quotes(esg: Any) -> None:
    stated = re.search(r"over the (\d+) paired\s+suppliers only \(the (\d+) without a follow-up.*?\):\s+"
                       r"compliance rate ([\d.]+)% → ([\d.]+)% \(\+([\d.]+)%p, \+([\d.]+)%\)", README, re.S)
    assert stated, "the README no longer quotes the example's improvement"
    paired, unpaired, before, after, points, relative = stated.groups()
    result = esg("improve", "examples/suppliers.xlsx", "--format", "json", cwd=ROOT)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    text = esg("improve", "examples/suppliers.xlsx", cwd=ROOT).stdout
    assert f"{before}% → {after}% (+{points}%p, +{relative}%)" in text
    assert f"{paired}개사" in text
    assert data["paired"] == len(data["suppliers"]) == int(paired)
    assert len(data["only_before"]) == int(unpaired)
    assert round(data["cohort"]["compliance"]["delta_pp"], 1) == float(points)


def test_the_example_lines_of_the_readme_run(esg: Any) -> None:
    """`$ esg …` lines that use the bundled example (placeholders like answers.xlsx aside)."""
    lines = re.findall(r"^\$ (esg .*?)(?:\s+#.*)?$", README, re.M)
    runnable = [line for line in lines if "examples/" in line]
    assert len(runnable) >= 2
    for line in runnable:
        command = line.split("|")[0]
        args = shlex.split(command)[1:]
        result = esg(*args, cwd=ROOT)
        assert result.exit_code == 0, (line, result.stderr)
        if "--format json" in command:
            json.loads(result.stdout)
