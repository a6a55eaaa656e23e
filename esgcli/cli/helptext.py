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
    "Only this year's records.": "이 연도의 응답만",
    "Only records of this year.": "이 연도의 응답만",
    "Program year of the certificates (default: the records' year when they hold one).":
        "인증 연도 (기본: 응답의 연도가 하나이면 그 연도)",
    "Replace an existing plan (and the operator's edits in it).":
        "기존 개선과제 파일을 바꿈 (담당자가 입력한 내용 포함)",
    "Show each supplier's certificate from this registry.": "이 레지스트리의 협력사별 인증서 표시",
    "The answers the certificate was issued on (files or folders holding the supplier's file).":
        "인증서를 발급한 응답 (협력사의 파일이 든 파일 또는 폴더)",
    "Today's date for issue/expiry (default: today).": "발급·만료 기준일 (기본: 오늘)",
    ".xlsx, .csv or .json": ".xlsx, .csv 또는 .json",
    "Add a consulting section from this action plan.": "이 개선과제 파일로 컨설팅 절 추가",
    "Answers files or folders (.xlsx .xlsm .xls .ods .csv; folders are read recursively).":
        "응답 파일 또는 폴더 (폴더는 하위까지)",
    "Answers files or folders (each read on its own); several PATHs or a year column give a "
    "multi-year view.": "응답 파일 또는 폴더 (각각 따로 읽음); 경로 여러 개나 연도 열이면 여러 해 보기",
    "Certificate number.": "인증서 번호",
    "Certification policy id or YAML file: qualification and the fewest indicators still "
    "needed.": "인증 정책 ID 또는 YAML 파일: 인증 여부와 아직 필요한 최소 지표",
    "Count the certificates issued in this registry.": "이 레지스트리에서 발급된 인증서 수",
    "Count the suppliers meeting this certification policy.": "이 인증 정책을 충족하는 협력사 수",
    "Due date filled in for every action.": "모든 과제에 넣을 기한",
    "Folder for one HTML page per supplier.": "협력사별 HTML 결과서를 저장할 폴더",
    "Follow-up answers: verify the done actions.": "후속 응답: 완료 과제 검증",
    "Follow-up round of the answers (default: the after round).": "후속 응답의 차수 (기본: 사후 차수)",
    "Issue a new certificate to a qualifying supplier whose certificate was revoked.":
        "인증서가 취소된 협력사가 다시 충족하면 새 인증서 발급",
    "Judge and show, write nothing.": "판정만 보여주고 아무것도 쓰지 않음",
    "Judge this round only.": "이 차수만 판정",
    "Language of the output (ko|en).": "출력 언어",
    "Leave out suppliers with errors (listed on stderr) instead of stopping.":
        "오류가 있는 협력사는 빼고 계속 (오류는 표준 오류에)",
    "Let -o replace a workbook that holds answers, or a registry (never an input of the run).":
        "응답이 든 통합문서나 레지스트리도 -o 로 덮어쓰기 (입력 파일은 제외)",
    "Output on stdout.": "표준 출력 형식",
    "Overdue means due before this date (default: today).": "이 날짜 전이 기한이면 지연 (기본: 오늘)",
    "Policy file (default: the recorded policy id).": "정책 파일 (기본: 기록된 정책 ID)",
    "Policy id or YAML file.": "정책 ID 또는 YAML 파일",
    "Questionnaire id or YAML path (default: the one recorded in the workbook, else "
    "supplier-esg).": "질문지 ID 또는 YAML 파일 (기본: 통합문서에 기록된 질문지, 없으면 supplier-esg)",
    "Questionnaire id or file; once for all files or once per file (rounds scored with "
    "different versions).": "질문지 ID 또는 파일; 모든 파일에 한 번, 또는 파일마다 한 번 (차수별 다른 버전)",
    "Registry: an SQLite file or a postgresql:// URL (default: $ESG_REGISTRY, else "
    "./esg-registry.sqlite).": "레지스트리: SQLite 파일 또는 postgresql:// URL (기본: $ESG_REGISTRY, "
    "없으면 ./esg-registry.sqlite)",
    "Report title.": "보고서 제목",
    "Round after support (default: the recognised name, e.g. 사후).": "지원 후 차수 (기본: 인식한 이름, 예: 사후)",
    "Round after support.": "지원 후 차수",
    "Round before support (default: the recognised name, e.g. 사전).": "지원 전 차수 (기본: 인식한 이름, 예: 사전)",
    "Round before support.": "지원 전 차수",
    "Round to judge (after support).": "판정할 차수 (지원 후)",
    "Round to judge.": "판정할 차수",
    "Sheet to read (default: the first one with a supplier id header).":
        "읽을 시트 (기본: 협력사코드 머리글이 있는 첫 시트)",
    "The plan workbook (.xlsx) to write.": "저장할 개선과제 통합문서 (.xlsx)",
    "The plan workbook as the operator edited it.": "담당자가 고친 개선과제 통합문서",
    "The program year reported.": "보고할 연도",
    "The registry to copy into (created and migrated if needed).": "복사해 넣을 레지스트리 (필요하면 만들고 갱신)",
    "The registry to copy.": "복사할 레지스트리",
    "The round to judge (needed when the replies hold several).": "판정할 차수 (회신에 차수가 여럿이면 필요)",
    "The same supplier, round and year in two files: an error, or keep the file modified last "
    "(with a warning).": "같은 협력사·차수·연도가 두 파일에 있을 때: 오류, 또는 마지막에 수정된 파일 (경고와 함께)",
    "The supplier list (.xlsx/.csv) the campaign was sent to.": "양식을 보낸 협력사 목록 (.xlsx/.csv)",
    "Today, for certificate validity (default: today).": "인증서 유효 기준일 (기본: 오늘)",
    "Who does this, for the event log (default: the operating-system user).":
        "이벤트 기록에 남길 작업자 (기본: 운영체제 사용자)",
    "Why (recorded).": "사유 (기록됨)",
    "Write one printable HTML certificate per certificate held (missing ones only).":
        "보유 인증서마다 인쇄용 HTML 인증서 작성 (없는 것만)",
    "Write the list (.xlsx, .csv, .json).": "목록을 파일로 저장 (.xlsx, .csv, .json)",
    "Write the result to a file; its extension names the format.": "결과를 파일로 저장 (확장자가 형식)",
    "Write the review (.xlsx, .csv, .json).": "점검 결과를 파일로 저장 (.xlsx, .csv, .json)",
    "active, revoked or expired.": "유효, 취소 또는 만료",
    "report.xlsx, report.html, report.md or report.json": "report.xlsx, report.html, report.md 또는 report.json",
}

# Help for options declared without any, by option name.
MISSING: dict[str, tuple[str, str]] = {
    "--year": ("이 연도의 인증서만", "Only certificates of this year."),
    "--policy": ("이 정책의 인증서만", "Only certificates of this policy."),
    "--supplier": ("이 협력사의 인증서만", "Only certificates of this supplier."),
}

HELP_OPTION = "도움말을 보여주고 끝냄 / Show this message and exit."
_RANGE = re.compile(r"(-?\d+)<=x<=(-?\d+)")


def bilingual(text: str | None, name: str) -> str | None:
    """``text`` with its Korean in front (`한국어 / English`), when it has none yet."""
    if text is None:
        pair = MISSING.get(name)
        return f"{pair[0]} / {pair[1]}" if pair else None
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
    param.help = bilingual(param.help, max(param.opts, key=len) if param.opts else "")
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
