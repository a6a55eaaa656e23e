"""The `esg` application: exit codes and the run's language decided in one place (:class:`EsgGroup`),
and every command module registered explicitly, in the order of a program year.

`esg COMMAND ...` loads and registers only the module of COMMAND (:func:`app_for`): the other
commands' modules and options cost ~0.13 s of every start. `esg --help`, a command name that
is none, and library callers (``app``) get every command."""

from __future__ import annotations

import errno
import importlib
import os
import sys
from contextlib import suppress
from typing import Annotated, Any

import typer
from rich.text import Text
from typer.core import TyperGroup

from esgcli import __version__
from esgcli.answers.inputs import said_once
from esgcli.base.problems import EsgError, InputError, Problem, RegistryError, UsageError
from esgcli.cli.helptext import tidy_command
from esgcli.cli.lang import (
    DEBUG_KEY,
    LANG_KEY,
    ClickUsageError,
    env_language_problem,
    language_in_args,
    run_language,
    say,
    show_usage_error,
)
from esgcli.cli.render import make_console, problem_count_line, render_problems

OUTPUT_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO)  # writing stdout failed


def _is_help_request(exc: Exception) -> bool:
    return type(exc).__name__ == "NoArgsIsHelpError"


class EsgGroup(TyperGroup):
    """Turns library errors into exit codes (3 input, 4 registry, 2 usage, 1 unexpected), and
    settles the run's language from the command line before anything is parsed or said."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        tidy_command(self)  # help without type names, every option in Korean and English

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        explicit = language_in_args(args)
        try:
            ctx = super().make_context(info_name, args, parent=parent, **extra)
        except ClickUsageError as exc:
            if _is_help_request(exc):
                raise
            show_usage_error(exc, explicit or "ko")
            raise typer.Exit(2) from None
        except OSError as exc:  # `esg --help` or `--version` printing to a full stdout
            if exc.errno not in OUTPUT_ERRNOS:
                raise
            say_stdout_failed(exc, explicit or "ko")
            raise typer.Exit(2) from None
        ctx.meta[LANG_KEY] = explicit
        refused = None if explicit or {"--help", "-h"} & set(args) else env_language_problem()
        if refused is not None:  # $ESG_LANG names no language: said in both, exit 2
            err = make_console(stderr=True)
            for line in refused:
                err.print(Text(line), soft_wrap=True)
            raise typer.Exit(2)
        return ctx

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClickUsageError as exc:
            if _is_help_request(exc):
                raise
            show_usage_error(exc, run_language())
            raise typer.Exit(2) from None
        except EsgError as exc:
            lang = run_language()
            err = make_console(stderr=True)
            if isinstance(exc, InputError):
                render_problems(err, said_once(exc.problems, lang), lang, limit=50)
                err.print(say("CLI-006", lang, count=problem_count_line(exc.problems, lang)),
                          soft_wrap=True)
            elif isinstance(exc, UsageError):
                err.print(say("CLI-007", lang, text=exc.text(lang)), soft_wrap=True)
            elif isinstance(exc, RegistryError):  # text from paths and servers: never markup
                err.print(Text(say("CLI-007", lang, text=exc.text(lang))), soft_wrap=True)
            else:
                err.print(Text(say("CLI-007", lang, text=str(exc))), soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `esg score ... | head`: the reader left; not an error
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:
            if exc.errno not in OUTPUT_ERRNOS or ctx.meta.get(DEBUG_KEY):
                raise
            say_stdout_failed(exc, run_language())  # stdout is full or failing
            raise typer.Exit(2) from None
        except Exception as exc:
            if ctx.meta.get(DEBUG_KEY):
                raise
            name = type(exc).__name__
            make_console(stderr=True).print(
                Text(say("CLI-008", run_language(), name=name, detail=str(exc))), soft_wrap=True)
            raise typer.Exit(1) from None



def say_stdout_failed(exc: OSError, lang: str) -> None:
    """OUT-008 on stderr: the cause of a failing stdout (a full disk), in the run's language."""
    text = Problem(code="OUT-008", params={"detail": exc.strerror or str(exc)}).text(lang)
    with suppress(OSError):
        make_console(stderr=True).print(Text(f"OUT-008 {text}"), soft_wrap=True)


def _new_app() -> typer.Typer:
    made = typer.Typer(
        cls=EsgGroup, no_args_is_help=True, add_completion=False,
        pretty_exceptions_show_locals=False, rich_markup_mode=None,
        help="협력사 ESG 진단·개선·인증 도구 / Supplier ESG scoring, improvement and certification.",
    )
    made.callback()(root)
    return made


def _version(value: bool) -> None:
    if value:
        typer.echo(f"esgcli {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option(
        "--debug", help="예기치 않은 오류의 추적 정보 표시 / Show tracebacks of unexpected errors.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="버전을 표시하고 끝냄 / Print the version and exit.")] = False,
) -> None:
    """협력사 ESG 진단·개선·인증 도구 / Supplier ESG scoring, improvement and certification."""
    ctx.meta[DEBUG_KEY] = debug


# The program year: forms out, answers checked and scored, improvement, certification, the
# report, feedback to suppliers, campaign status, corrective actions; then the registry and the
# questionnaire and policy files. Plain commands are listed before groups, so certs (a group)
# is registered by the registry module after actions. Each module's commands (tested).
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "main": ("template", "validate", "score", "improve"),
    "certify": ("certify",), "report": ("report",), "feedback": ("feedback",),
    "status": ("status",), "actions": ("actions",), "registry": ("certs",),
    "questionnaire": ("questionnaire",), "policy": ("policy",),
}
MODULE_OF = {command: module for module, commands in COMMAND_MODULES.items()
              for command in commands}
_BUILT: dict[str | None, typer.Typer] = {}


def build(command: str | None = None) -> typer.Typer:
    """The application with every command module registered, in the program year's order; with
    ``command``, only the module that holds it (once per process each)."""
    if command not in _BUILT:
        made = _new_app()
        for module in COMMAND_MODULES if command is None else (MODULE_OF[command],):
            importlib.import_module(f"esgcli.cli.{module}").register(made)
        _BUILT[command] = made
    return _BUILT[command]


def app_for(args: list[str]) -> typer.Typer:
    """The application ``esg ARGS`` needs: only the named command's module when the first
    argument that is no option names a command; every command otherwise (`esg --help`,
    `esg --version`, a mistyped command, which is then told the commands there are)."""
    for arg in args:
        if arg in ("--help", "-h", "--version"):
            break
        if not arg.startswith("-"):
            return build(arg) if arg in MODULE_OF else build()
    return build()


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # every command: for the library, the documentation and tests
        return build()
    raise AttributeError(name)


def main() -> None:
    """Run `esg` (the entry point calls this)."""
    app_for(sys.argv[1:])()
