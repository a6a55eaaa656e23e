"""Docs checked against code: every command has help with examples and is in the README."""

from __future__ import annotations

import re

from conftest import ROOT

from esgcli.cli.app import app


def _commands() -> list[tuple[str, ...]]:
    import typer.main

    root = typer.main.get_command(app)
    found: list[tuple[str, ...]] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found += [(name, sub) for sub in subcommands]
        else:
            found.append((name,))
    return found


def test_every_command_has_help_examples_and_readme_entry(esg) -> None:  # noqa: ANN001
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _commands()
    assert len(commands) >= 14
    for command in commands:
        result = esg(*command, "--help")
        assert result.exit_code == 0, command
        assert "Examples:" in result.stdout, command
        assert re.search(r"esg " + r"\s+".join(command) + r"\b", readme), command


def test_readme_quick_start_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, re.S)
    assert blocks[0].strip().endswith("esg score examples/suppliers.xlsx")
    assert blocks[1].strip().endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip().replace(".venv/bin/pip install -e '.[test]'",
                                     ".venv/bin/pip install -q -e '.[test]'") in ci
