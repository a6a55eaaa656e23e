"""`esg questionnaire list / show / check / diff`: the questionnaires (SPEC §2), and the check of
questionnaire and policy files that `esg policy check` shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.text import Text

from esgcli.base.labels import label
from esgcli.base.problems import InputError
from esgcli.cli.emit import Sheet, Views, emit
from esgcli.cli.main import option_language
from esgcli.cli.options import Format, FormatOpt, Lang, LangOpt
from esgcli.cli.render import make_console, short_path
from esgcli.outputs.files import to_json
from esgcli.questionnaire.catalogue import CHECK_KEYS, QUESTIONNAIRE_KEYS, check, list_questionnaires
from esgcli.questionnaire.questionnaire import resolve_questionnaire

questionnaire_app = typer.Typer(
    no_args_is_help=True, help="질문지 확인·목록 / Check and list questionnaires.")


def register(app: typer.Typer) -> None:
    app.add_typer(questionnaire_app, name="questionnaire")


@questionnaire_app.command("check")
def questionnaire_check(
    refs: Annotated[list[str], typer.Argument(
        metavar="ID|FILE...", help="질문지·정책 파일 또는 ID (형식에 맞게 검사) / Questionnaire or "
        "policy files or ids; each is checked as its format says.")],
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """질문지·정책 파일 검사 / Check questionnaire (and policy) files; exit 3 listing every problem.

    \b
    Examples:
      esg questionnaire check questionnaires/*.yaml
      esg questionnaire check supplier-esg
    """
    check_yaml_files(refs, lang, output_format)


def check_yaml_files(refs: list[str], lang: Lang | None, output_format: Format) -> None:
    """`questionnaire check` and `policy check`: a line per valid file, every problem, exit 3."""
    language = option_language(lang)
    report = check(refs)

    def terminal() -> None:
        out = make_console()
        for c in report.checks:
            if c.valid:
                out.print(Text(c.verdict(language)), soft_wrap=True)

    emit(report, output_format, None, language, table=terminal,
         sheets=lambda: [("checks", CHECK_KEYS, report.rows())])
    if report.problems:
        raise InputError(report.problems)


@questionnaire_app.command("list")
def questionnaire_list(
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """사용 가능한 질문지 / List the questionnaires found (./questionnaires, then bundled).

    \b
    Examples:
      esg questionnaire list
    """
    from esgcli.cli.fit import Column, Kind, fit_table
    from esgcli.cli.render import dropped_note

    language = option_language(lang)
    listing = list_questionnaires()

    def terminal() -> None:
        # ids, versions and counts are never cut (SPEC §9): the path, the counts, the title
        # and the version give way when the terminal is narrow, with the note naming them
        entries = listing.to_dict(language)

        def count(e: dict[str, Any]) -> str:
            areas = " ".join(f"{a} {n}" for a, n in (e["areas"] or {}).items())
            return f"{e['indicators']} ({areas})" if e["indicators"] else "—"

        cells = {"id": [Text(e["id"]) for e in entries],
                 "version": [Text(e["version"] or "—") for e in entries],
                 "title": [Text(e["title"] or e.get("error", "")) for e in entries],
                 "indicators": [Text(count(e)) for e in entries],
                 "path": [Text(short_path(e["path"])) for e in entries]}
        kinds: dict[str, tuple[Kind, int]] = {"id": ("key", 0), "version": ("key", 4),
                                              "title": ("text", 3), "indicators": ("key", 2),
                                              "path": ("text", 5)}
        out = make_console()
        fitted = fit_table([Column(label(f"cli.questionnaire.{key}", language), cells[key],
                                   kinds[key][0], drop=kinds[key][1])
                            for key in QUESTIONNAIRE_KEYS], out.width)
        out.print(fitted.table)
        dropped_note(make_console(stderr=True), fitted.dropped, language)

    emit(listing, output_format, None, language, table=terminal,
         sheets=lambda: [("questionnaires", QUESTIONNAIRE_KEYS, listing.rows(language))])


@questionnaire_app.command("show")
def questionnaire_show(
    ref: Annotated[str, typer.Argument(metavar="ID|FILE", help="질문지 ID 또는 파일 / Questionnaire id or file.")],
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """질문지 내용 보기 / Show areas and indicators with answers, points and pass rules.

    \b
    Examples:
      esg questionnaire show supplier-esg
      esg questionnaire show kesg-2021 --lang en --format json
    """
    from esgcli.cli.render import questionnaire_tree
    from esgcli.outputs.tables import questionnaire_dict

    q = resolve_questionnaire(ref)
    language = option_language(lang, q)
    keys = ["id", "area", "title", "type", "max_points", "pass_points", "weight", "critical",
            "na_allowed", "applies_if"]

    def sheets() -> Sequence[Sheet]:
        rows = questionnaire_dict(q)["indicators"]
        return [("indicators", keys, [[r[k] if k != "title" else r["title"].get(language)
                                       for k in keys] for r in rows])]

    emit(Views(json=lambda: to_json(questionnaire_dict(q)), sheets=sheets,
               table=lambda: make_console().print(questionnaire_tree(q, language))),
         output_format, None, language)


@questionnaire_app.command("diff")
def questionnaire_diff(
    old: Annotated[str, typer.Argument(
        metavar="OLD", help="이전 질문지 (ID 또는 파일) / Older questionnaire (id or file).")],
    new: Annotated[str, typer.Argument(
        metavar="NEW", help="새 질문지 (ID 또는 파일) / Newer questionnaire (id or file).")],
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """두 질문지 비교 / What changed between two questionnaire versions.

    Indicators added, removed, retitled, or changed in scale, options, points, pass rule,
    weight, critical flag or applicability, and area weight changes. Exit 0 either way.

    \b
    Examples:
      esg questionnaire diff questionnaires/2023.yaml questionnaires/2024.yaml
      esg questionnaire diff old.yaml new.yaml --format json
    """
    from esgcli.cli.render import diff_table
    from esgcli.questionnaire.diff import diff_questionnaires

    before, after = resolve_questionnaire(old), resolve_questionnaire(new)
    language = option_language(lang, after)
    delta = diff_questionnaires(before, after)

    def sheets() -> Sequence[Sheet]:
        rows = [[i, "added", ""] for i in delta.added] + [[i, "removed", ""] for i in delta.removed]
        rows += [[c["indicator"], "changed", ";".join(c["fields"])] for c in delta.changed]
        return [("changes", ["indicator", "change", "fields"], rows)]

    emit(delta, output_format, None, language, sheets=sheets,
         table=lambda: make_console().print(diff_table(delta, language)))
