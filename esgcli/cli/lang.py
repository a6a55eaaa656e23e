"""The language of one `esg` run, settled from the command line before any message (SPEC §9).

`--lang` (else `$ESG_LANG`) is read from the arguments before they are parsed, so that the
earliest usage errors already speak it; it is kept in the run's click context (never in module
state). Without either, messages follow the questionnaire's `language` once it is known, and
Korean before that. Usage errors of the option parser are rendered here, in that language.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

import typer

try:  # typer >= 0.26 vendors click
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - older typer on click
    from click import get_current_context  # type: ignore[no-redef,import-not-found]

from esgcli.base.labels import label
from esgcli.base.problems import template_of

LANGUAGES = ("ko", "en")
LANG_KEY = "esgcli.lang"  # the explicit language: --lang, else $ESG_LANG (None: not given)
QUESTIONNAIRE_LANG_KEY = "esgcli.questionnaire_lang"  # the default once a questionnaire is known
DEBUG_KEY = "esgcli.debug"

# The option parser's usage error, whichever click typer runs on.
ClickUsageError: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


def language_in_args(args: Sequence[str], environ: Mapping[str, str] | None = None) -> str | None:
    """The `--lang` of a command line (the last one, as the parser takes it; any case), else
    `$ESG_LANG` (see :func:`env_language`)."""
    found: str | None = None
    items = iter(args)
    for arg in items:
        if arg == "--":
            break
        if arg == "--lang":
            found = next(items, None)
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    if found is not None and found.lower() in LANGUAGES:
        return found.lower()
    return env_language(environ)


_LOCALE = re.compile(r"([A-Za-z]+)(?:[_-][A-Za-z0-9]+)?(?:\.[\w-]+)?(?:@\w+)?")


def env_language(environ: Mapping[str, str] | None = None) -> str | None:
    """`$ESG_LANG` as a language: `ko` or `en` in any case, or a locale naming one
    (`en_US.UTF-8`, `ko-KR`); None when unset or empty, and when it names neither (a value
    :func:`env_language_problem` refuses)."""
    value = (os.environ if environ is None else environ).get("ESG_LANG", "").strip()
    match = _LOCALE.fullmatch(value)
    name = match.group(1).lower() if match else None
    return name if name in LANGUAGES else None


def env_language_problem(environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """USE-045 in Korean and in English when `$ESG_LANG` is set to something that is no
    language (`fr`, `korean`): the run cannot know which of the two its reader reads."""
    value = (os.environ if environ is None else environ).get("ESG_LANG", "")
    if not value.strip() or env_language(environ) is not None:
        return None
    return (say("CLI-007", "ko", text=f"USE-045 {say('USE-045', 'ko', value=value)}"),
            say("CLI-007", "en", text=f"USE-045 {say('USE-045', 'en', value=value)}"))


def _meta() -> dict[str, Any]:
    ctx = get_current_context(silent=True)
    return ctx.meta if ctx is not None else {}


def run_language(option: str | None = None, questionnaire_language: str | None = None) -> str:
    """`--lang`, else `$ESG_LANG`, else the questionnaire's language, else Korean."""
    if option is not None and option in LANGUAGES:
        return option
    meta = _meta()
    explicit = meta.get(LANG_KEY)
    if isinstance(explicit, str) and explicit in LANGUAGES:
        return explicit
    env = env_language()
    if env is not None:
        return env
    if questionnaire_language is not None and questionnaire_language in LANGUAGES:
        return questionnaire_language
    fallback = meta.get(QUESTIONNAIRE_LANG_KEY)
    return fallback if isinstance(fallback, str) and fallback in LANGUAGES else "ko"


def note_questionnaire_language(language: str) -> None:
    """The questionnaire is known: its language is the default for the rest of the run."""
    ctx = get_current_context(silent=True)
    if ctx is not None:
        ctx.meta.setdefault(QUESTIONNAIRE_LANG_KEY, language)


# ---------------------------------------------------------------- the parser's usage errors
def say(code: str, lang: str, **params: Any) -> str:
    """The catalogue's message ``code`` in ``lang``, its fields filled in (no location)."""
    return template_of(code, lang).format(**params)


def _hint(exc: Any) -> str:
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        try:
            hint = param.get_error_hint()
        except TypeError:  # click's signature takes the context
            hint = param.get_error_hint(exc.ctx)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(repr(h) for h in hint)
    return str(hint or "")


_NOT_ONE_OF = re.compile(r"(?:Value error, )?(.+?) is not one of (.+?)\.?$")
_NOT_INTEGER = re.compile(r"(?:Value (.+?) is not a valid integer|Input should be a valid integer.*)")
_EXTRA = re.compile(r"Got unexpected extra arguments? ?(?:\(s\))? ?\((.*)\)$")
_NO_COMMAND = re.compile(r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?$")
_REQUIRES = re.compile(r"Option '?(.+?)'? requires (?:an argument|\d+ arguments)\.?$")


def usage_text(exc: Any, lang: str) -> str:
    """The parser's error message in ``lang`` (the parser's own words when not recognised)."""
    kind = {c.__name__ for c in type(exc).__mro__}
    message = str(getattr(exc, "message", "") or "")
    if "MissingParameter" in kind:
        param_type = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        code = "USE-011" if param_type == "argument" else "USE-010"
        return say(code, lang, name=_hint(exc))
    if "NoSuchOption" in kind:
        close = sorted(exc.possibilities or [])
        return say("USE-012", lang, name=exc.option_name,
                    hint=f" ({', '.join(close)}?)" if close else "")
    if "BadParameter" in kind:
        detail = message
        match = _NOT_ONE_OF.match(message)
        if match:
            detail = say("USE-014", lang, value=match.group(1), choices=match.group(2))
        elif _NOT_INTEGER.match(message):
            detail = say("USE-015", lang)
        return say("USE-013", lang, name=_hint(exc), detail=detail)
    match = _REQUIRES.match(message)
    if match:
        return say("USE-016", lang, name=match.group(1))
    match = _EXTRA.match(message)
    if match:
        return say("USE-017", lang, args=match.group(1))
    match = _NO_COMMAND.match(message)
    if match:
        return say("USE-018", lang, name=match.group(1),
                    hint=f" ('{match.group(2)}'?)" if match.group(2) else "")
    return exc.format_message() if hasattr(exc, "format_message") else message


def show_usage_error(exc: Any, lang: str) -> None:
    """Usage line, where to find help, and the error, on stderr, in ``lang``."""
    from rich.text import Text

    from esgcli.cli.render import make_console

    err = make_console(stderr=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage()
        usage = re.sub(r"^Usage:", label("cli.usage", lang), usage)
        err.print(Text(usage), soft_wrap=True)
        help_names = getattr(ctx, "help_option_names", None) or ["--help"]
        err.print(Text(say("USE-019", lang, command=f"{ctx.command_path} {help_names[0]}")),
                  soft_wrap=True)
        err.print()
    err.print(Text(say("CLI-009", lang, text=usage_text(exc, lang))), soft_wrap=True)
