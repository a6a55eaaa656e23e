"""The `cli` package's own structure (#14): options come from `cli.options`, one emitter."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import esgcli.cli.main as cli_main

CLI = Path(__file__).resolve().parents[1] / "esgcli" / "cli"


def _defined(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_command_modules_import_from_cli_main_only_what_it_defines() -> None:
    """No re-export: the shared options are imported from `esgcli.cli.options` directly."""
    own = _defined(ast.parse((CLI / "main.py").read_text(encoding="utf-8")))
    borrowed = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "esgcli.cli.main":
                borrowed += [(path.name, a.name) for a in node.names if a.name not in own]
    assert borrowed == []
    assert not hasattr(cli_main, "__all__")


def test_no_text_only_emit_helper_is_left() -> None:
    assert not hasattr(cli_main, "emit") and not hasattr(cli_main, "print_out")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--version"], ["--help"]])  # a command's output: test_hostile_outputs
def test_a_full_stdout_is_exit_2_with_the_cause_even_while_parsing(args: list[str]) -> None:
    """`esg --help > /dev/full` printed a traceback (exit 1): help and --version print while
    the command line is parsed, before the command's own handler (#14: every message coded)."""
    esg = shutil.which("esg") or str(Path(sys.executable).parent / "esg")
    with open("/dev/full", "wb") as full:
        run = subprocess.run([esg, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                             timeout=60, env={**os.environ, "ESG_LANG": "en"})
    assert (run.returncode, run.stderr) == (2, "OUT-008 cannot write to standard output: No space "
                                               "left on device\n")
