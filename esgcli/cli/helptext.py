"""Help that speaks the user's terms (issue #12 item 12): no Python type or internal name in
any `--help` or usage line, a metavar for every argument and option (`PATH...`, `YEAR`,
`ID|FILE`), and every option described in Korean and English.

A command module declares its metavars and bilingual help where it defines its options; this
module is the safety net applied to the whole command tree when the application is built:
options still without a metavar get one from their name or type, English-only help gets its
Korean from :data:`KOREAN` (a test fails when one is missing), and typer's own words
(`[required]`, `[default: …]`, number ranges, the --help option) become bilingual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

HANGUL = re.compile("[가-힣]")

# Metavars by option name, for options declared without one.
METAVARS: dict[str, str] = {
    "--year": "YEAR", "--date": "YYYY-MM-DD", "--due": "YYYY-MM-DD",
    "--registry": "FILE|URL", "--from": "FILE|URL", "--to": "FILE|URL",
    "--policy": "ID|FILE", "--questionnaire": "ID|FILE",
    "--round": "ROUND", "--before": "ROUND", "--after": "ROUND",
    "--sheet": "SHEET", "--output": "FILE", "--suppliers": "FILE", "--supplier": "SUPPLIER_ID",
    "--documents": "DIR", "--operator": "NAME", "--reason": "REASON", "--title": "TITLE",
    "--actions": "PLAN.xlsx", "--lang": "ko|en",
}

# Korean for the English help of options declared English-only (keyed by the English text,
# so that a changed English help without its Korean is caught by tests/test_help.py).
KOREAN: dict[str, str] = {
    "Only records of this year.": "이 연도의 응답만",
    "The round to judge (needed when the replies hold several).": "판정할 차수 (회신에 차수가 여럿이면 필요)",
    "The supplier list (.xlsx/.csv) the campaign was sent to.": "양식을 보낸 협력사 목록 (.xlsx/.csv)",
}

HELP_OPTION = "도움말을 보여주고 끝냄 / Show this message and exit."
_RANGE = re.compile(r"(-?\d+)<=x<=(-?\d+)")


def bilingual(text: str | None) -> str | None:
    """``text`` with its Korean in front (`한국어 / English`), when it has none yet."""
    if text is None:
        return None
    if HANGUL.search(text) and " / " in text:
        return text
    korean = KOREAN.get(text.strip())
    return f"{korean} / {text}" if korean else text


def default_metavar(param: Any) -> str:
    """A metavar from the option's name, else from its type."""
    for opt in param.opts:
        if opt in METAVARS:
            return METAVARS[opt]
    desc = getattr(param, "type_descriptor", None)
    if desc is not None and desc.is_choice and desc.choices:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices)
    if desc is not None and desc.is_path:
        return "PATH"
    if desc is not None and (desc.is_ranged or desc.annotation is int):
        return "NUMBER"
    return "VALUE"


def _extras(text: str) -> str:
    """typer's bracketed notes in both languages: required, default, a number range."""
    text = text.replace("[required]", "[필수 / required]")
    text = re.sub(r"\[default: ", "[기본값 / default: ", text)
    text = text.replace("; required]", "; 필수 / required]")
    return _RANGE.sub(r"\1–\2", text)


def tidy_parameter(param: Any) -> None:
    if getattr(param, "_esg_tidy", False):
        return
    param._esg_tidy = True
    if param.param_type_name == "argument":
        name = param.metavar or param.name.upper()
        param.metavar = name
        usage = name if param.required or name.startswith("[") else f"[{name}]"
        param.get_usage_pieces = lambda ctx, usage=usage: [usage]
        param.display_type_rich = lambda ctx: ""
    elif param.metavar is None and not getattr(param, "is_flag", False) \
            and not getattr(param, "count", False):
        param.metavar = default_metavar(param)
    param.help = bilingual(param.help)
    record: Callable[..., Any] = param.get_help_record

    def help_record(ctx: Any) -> Any:
        found = record(ctx)
        return found if found is None else (found[0], _extras(found[1]))

    param.get_help_record = help_record


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns (wide characters counted twice), broken at spaces;
    runs of spaces inside a line are kept (`text.  [default: …]`)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in re.findall(r"\S+\s*", paragraph):
            if line and display_width((line + token).rstrip()) > width:
                lines.append(line.rstrip())
                line = token
            else:
                line += token
        lines.append(line.rstrip())
    return lines


def write_dl(formatter: Any, rows: Sequence[tuple[str, str]], col_max: int = 30,
             col_spacing: int = 2) -> None:
    """click's definition list (options, commands) with columns measured on the terminal, so
    that Korean help stays within the width (click counts characters)."""
    rows = list(rows)
    first_col = min(max((display_width(r[0]) for r in rows), default=0), col_max) + col_spacing
    indent = formatter.current_indent
    for first, second in rows:
        formatter.write(f"{'':>{indent}}{first}")
        if not second:
            formatter.write("\n")
            continue
        if display_width(first) <= first_col - col_spacing:
            formatter.write(" " * (first_col - display_width(first)))
        else:
            formatter.write("\n" + " " * (first_col + indent))
        lines = wrap(second, max(formatter.width - first_col - 2, 10))
        formatter.write(lines[0] + "\n")
        for line in lines[1:]:
            formatter.write(f"{'':>{first_col + indent}}{line}\n")


_CONTEXTS: dict[Any, type] = {}


def wide_context(base: Any) -> type:
    """A subclass of the command's context class whose help formatter measures wide characters."""
    if base not in _CONTEXTS:
        formatter = type("WideHelpFormatter", (base.formatter_class,), {"write_dl": write_dl})
        _CONTEXTS[base] = type("WideContext", (base,), {"formatter_class": formatter})
    return _CONTEXTS[base]


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` columns, with `...` when cut."""
    if display_width(text) <= limit:
        return text
    kept = ""
    for token in re.findall(r"\S+\s*", text):
        if display_width((kept + token).rstrip() + "...") > limit:
            break
        kept += token
    return kept.rstrip() + "..."


def tidy_command(command: Any) -> None:
    """Metavars, bilingual help and no type names for ``command`` and every sub-command."""
    if command.context_class not in _CONTEXTS.values():
        command.context_class = wide_context(command.context_class)
        first_sentence: Callable[[int], str] = command.get_short_help_str
        command.get_short_help_str = lambda limit=45: shorten(first_sentence(1000), limit)
    for param in command.params:
        tidy_parameter(param)
    make_help: Callable[..., Any] = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = make_help(ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    if not getattr(command, "_esg_tidy", False):
        command._esg_tidy = True
        command.get_help_option = help_option
    for sub in (getattr(command, "commands", None) or {}).values():
        tidy_command(sub)
