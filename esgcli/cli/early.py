"""Start opening a folder of replies before the command is loaded (`esg score FOLDER`).

Loading the command (Python, pandas, pyarrow, pydantic, typer, rich) takes about a second; for
a campaign's thousand replies that is as long as opening them on two cores. So `esg` looks at
its arguments before anything heavy is imported: the answer files and folders it names are
expanded as the command will expand them, and when they are many, a process per core starts
opening them (`answers.opening.start_early`). The command takes what was opened when it
reaches the same files; a guess that does not match what the command reads is only work
thrown away, never a different result.
"""

from __future__ import annotations

from pathlib import Path

from esgcli.answers.opening import start_early
from esgcli.answers.paths import ANSWER_SUFFIXES, input_files
from esgcli.base.problems import InputError

__all__ = ["open_early", "answer_paths"]

READING = frozenset({"score", "validate", "improve", "certify", "report", "status", "feedback",
                     "actions", "certs"})
# every option of every command that takes a value (tested against the commands)
VALUED = frozenset({"--actions", "--after", "--before", "--date", "--documents", "--due",
                    "--explain", "--format", "--from", "--lang", "--on-duplicate", "--operator",
                    "--output", "--policy", "--prefill", "--questionnaire", "--reason",
                    "--registry", "--round", "--rounds", "--sheet", "--sort", "--status",
                    "--supplier", "--suppliers", "--title", "--to", "--year", "-f", "-o", "-q"})


def answer_paths(argv: list[str]) -> tuple[list[str], str | None] | None:
    """The answer files and folders ``argv`` names (each one as typed) and its ``--sheet``, or
    None when the command reads none. Tokens that follow an option taking a value are that
    value; the rest that are folders, or files with an answer suffix, are PATHs."""
    args = _command_args(argv)
    if not args or args[0] not in READING:
        return None
    paths: list[str] = []
    sheet: str | None = None
    after_option = False
    for k, token in enumerate(args[1:], start=1):
        if after_option:
            after_option = False
            continue
        if token == "--":
            return None  # what follows is for the command to read; leave it
        if token.startswith("-"):
            if token == "--sheet":
                sheet = args[k + 1] if k + 1 < len(args) else None
            elif token.startswith("--sheet="):
                sheet = token.partition("=")[2]
            after_option = token in VALUED
            continue
        path = Path(token)
        if path.is_dir() or (token.lower().endswith(ANSWER_SUFFIXES) and path.is_file()):
            paths.append(token)
    return (paths, sheet) if paths else None


def _command_args(argv: list[str]) -> list[str]:
    """The arguments from the command's name on (`esg --debug score …`: without --debug)."""
    return [a for a in argv[1:] if a != "--debug"]


def _each_path(argv: list[str], paths: list[str]) -> bool:
    """Whether the command reads each PATH on its own (as `report` reads years, and `improve`
    two PATHs as before and after unless --before/--after name rounds), not all as one."""
    args = _command_args(argv)
    if args[0] == "report":
        return True
    if args[0] != "improve" or len(paths) != 2:
        return False
    named = any(a in ("--before", "--after") or a.startswith(("--before=", "--after="))
                for a in args)
    return not named or sum(a in ("-q", "--questionnaire") for a in args) == 2


def open_early(argv: list[str]) -> bool:
    """Start opening the replies ``argv`` names when they are many; True when started. Never
    raises: a PATH that is missing is the command's to report."""
    found = answer_paths(argv)
    if found is None:
        return False
    paths, sheet = found
    each = _each_path(argv, paths)
    try:  # as the command expands them: each PATH on its own, or all at once
        files = [f for given in paths for f in input_files([given])] if each \
            else input_files(paths)
    except (InputError, OSError):
        return False
    return start_early([(f.path, f.name) for f in files], sheet)
