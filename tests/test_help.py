"""Every command's and sub-command's --help: no Python type or internal name, a metavar for
every value, every option described in Korean and English (issue #12 item 12)."""

from __future__ import annotations

import re

import pytest
import typer.main

from esgcli.cli.app import app
from esgcli.cli.helptext import HANGUL

# What typer/click print for an undeclared type or name: `<list[Path]>`, `{PATH...}...`, TEXT.
LEAKS = re.compile(r"<[a-z]|\{|\}|\bTEXT\b|\bINTEGER\b|\bFLOAT\b|\bBOOLEAN\b|Optional|"
                   r"list\[|<class|\bstr\b|\bint\b|NoneType|x<=|\[\[")


def _paths() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, ...]] = [()]

    def walk(command: object, path: tuple[str, ...]) -> None:
        for name, sub in (getattr(command, "commands", None) or {}).items():
            found.append((*path, name))
            walk(sub, (*path, name))

    walk(root, ())
    return found


def _options(text: str) -> list[tuple[str, str]]:
    """(first line of the option, its whole description) of the Options/Arguments sections."""
    entries: list[list[str]] = []
    section = False
    for line in text.splitlines():
        if line in ("Options:", "Arguments:"):
            section = True
            continue
        if line.endswith(":") and not line.startswith(" "):
            section = False
            continue
        if not section or not line.strip():
            continue
        if re.match(r"  \S", line):
            entries.append([line])
        elif entries:
            entries[-1].append(line)
    result = []
    for lines in entries:
        head = lines[0].strip()
        parts = re.split(r"\s{2,}", head, maxsplit=1)
        described = " ".join([parts[1] if len(parts) > 1 else ""] + [x.strip() for x in lines[1:]])
        result.append((parts[0], described.strip()))
    return result


def test_the_walk_finds_every_command_and_sub_command() -> None:
    paths = _paths()
    assert ("score",) in paths and ("certs", "verify") in paths and ("policy", "check") in paths
    assert len(paths) >= 28


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_type_or_internal_name_leaks_and_every_option_is_bilingual(esg, lang: str) -> None:  # noqa: ANN001
    for path in _paths():
        result = esg(*path, "--help", ESG_LANG=lang)
        assert result.exit_code == 0, path
        text = result.stdout
        usage = text.splitlines()[0]
        assert not LEAKS.search(usage), (path, usage)
        options = _options(text)
        assert options, path
        for name, described in options:
            where = (path, name)
            assert not LEAKS.search(name), where
            assert described, where  # every option described
            assert HANGUL.search(described) and " / " in described, where  # Korean / English
            assert re.search("[A-Za-z]{3}", described.split(" / ", 1)[1]), where
        # a value option names its value: `--year YEAR`, never a bare `--year`
        body = "\n".join(line for line in text.splitlines() if line.startswith("  -"))
        assert not LEAKS.search(body), (path, body)


def test_the_usage_line_names_the_arguments_as_the_help_does(esg) -> None:  # noqa: ANN001
    assert esg("score", "--help").stdout.splitlines()[0].endswith("score [OPTIONS] PATH...")
    usage = esg("certs", "verify", "--help").stdout.splitlines()[0]
    assert usage.endswith("certs verify [OPTIONS] NUMBER [PATH...]")
    assert esg("questionnaire", "diff", "--help").stdout.splitlines()[0].endswith("OLD NEW")
    assert "--year YEAR" in esg("improve", "--help").stdout
    assert "[1900–9899]" in esg("improve", "--help").stdout


def test_commands_are_listed_in_the_order_of_a_program_year(esg) -> None:  # noqa: ANN001
    text = esg("--help").stdout
    listed = [line.split()[0] for line in text.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == ["template", "validate", "score", "improve", "certify", "report", "feedback",
                      "status", "actions", "certs", "questionnaire", "policy"]


CLI_MODULES = ["main", "app", "render", "render_improvement", "policy", "lang", "fit",
               "questionnaire", "emit", "options", "helptext"]


def test_the_command_line_modules_take_their_words_from_labels_and_the_catalogue() -> None:
    """No `... if lang == "ko" else ...` and no `ko = lang == "ko"` in these cli modules: every
    message has a code (base/problems.py), every word a label (base/labels.py)."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "esgcli" / "cli"
    found = []
    for name in CLI_MODULES:
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and "'ko'" in ast.unparse(node) \
                    and ("lang" in ast.unparse(node) or "language" in ast.unparse(node)):
                found.append((name, node.lineno))
    assert found == []


def test_option_help_stays_within_80_columns_with_korean(esg) -> None:  # noqa: ANN001
    """Hangul takes two columns: the option lists are wrapped by what the terminal shows."""
    from esgcli.cli.helptext import display_width

    for path in _paths():
        text = esg(*path, "--help", COLUMNS="80").stdout
        listed = text.split("Options:", 1)[1] if "Options:" in text else ""
        if "Arguments:" in text:
            listed += text.split("Arguments:", 1)[1].split("Options:", 1)[0]
        assert listed.strip(), path
        wide = [line for line in listed.splitlines() if display_width(line) > 80]
        assert wide == [], path


def test_each_command_is_built_with_its_own_module_as_with_every_command() -> None:
    """`esg COMMAND` registers only COMMAND's module (cli.app.app_for): the modules' commands
    are those the table names, and each command's help is the one of the whole application."""
    import typer
    from typer.testing import CliRunner

    from esgcli.cli import app as application

    whole = typer.main.get_command(application.build())
    listed = [c for commands in application.COMMAND_MODULES.values() for c in commands]
    assert sorted(listed) == sorted(whole.commands)  # type: ignore[attr-defined]
    runner = CliRunner()
    for command in listed:
        one = typer.main.get_command(application.app_for(["--debug", command, "x"]))
        assert sorted(one.commands) == sorted(  # type: ignore[attr-defined]
            c for c in application.COMMAND_MODULES[application.MODULE_OF[command]])
        alone = runner.invoke(application.app_for([command, "--help"]), [command, "--help"],
                              env={"COLUMNS": "100", "NO_COLOR": "1"})
        full = runner.invoke(application.build(), [command, "--help"],
                             env={"COLUMNS": "100", "NO_COLOR": "1"})
        assert (alone.exit_code, alone.stdout) == (full.exit_code, full.stdout), command
    assert application.app_for(["--help"]) is application.build()
    assert application.app_for(["scor", "x"]) is application.build()  # told the commands
