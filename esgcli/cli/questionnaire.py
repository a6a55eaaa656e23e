"""`esg questionnaire list / show / check / diff`: the questionnaires (SPEC §2), and the check of
questionnaire and policy files that `esg policy check` shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.text import Text

from esgcli.base.problems import InputError
from esgcli.cli.emit import Sheet, Views, emit
from esgcli.cli.main import option_language
from esgcli.cli.options import Format, FormatOpt, Lang, LangOpt
from esgcli.cli.render import make_console, short_path
from esgcli.outputs.files import to_json
from esgcli.questionnaire.questionnaire import iter_catalogue, load_questionnaire, resolve_questionnaire

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
    from esgcli.questionnaire.yamlcheck import check_files

    language = option_language(lang)
    checks = check_files(refs)
    problems = [p for c in checks for p in c.problems]
    keys = ["file", "kind", "valid", "id", "version", "indicators", "questionnaire"]

    def terminal() -> None:
        out = make_console()
        for c in checks:
            if c.valid:
                out.print(Text(c.verdict(language)), soft_wrap=True)

    emit(Views(json=lambda: to_json([c.to_dict(language) for c in checks]),
               sheets=lambda: [("checks", keys, [[c.to_dict()[k] for k in keys] for c in checks])],
               table=terminal), output_format, None, language)
    if problems:
        raise InputError(problems)


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
    from rich.table import Table

    language = option_language(lang)
    entries: list[dict[str, Any]] = []
    for ident, path in iter_catalogue():
        try:
            q = load_questionnaire(path)
        except InputError as exc:
            entries.append({"id": ident, "version": None, "title": None, "indicators": None,
                            "areas": None, "path": str(path), "error": exc.problems[0].message(language)})
            continue
        per_area = {a: sum(1 for i in q.indicators if i.area == a) for a in q.area_ids}
        entries.append({"id": q.id, "version": q.version, "title": q.title(language),
                        "indicators": len(q.indicators), "areas": per_area, "path": str(path)})
    keys = ["id", "version", "title", "indicators", "path"]

    def terminal() -> None:
        table = Table()
        for name in ("ID", "version", "title", "indicators", "path"):
            table.add_column(name, no_wrap=name in ("ID", "version"),
                             overflow="fold" if name == "path" else "ellipsis")
        for e in entries:
            areas = " ".join(f"{a} {n}" for a, n in (e["areas"] or {}).items())
            table.add_row(e["id"], e["version"] or "—", e["title"] or e.get("error", ""),
                          f"{e['indicators']} ({areas})" if e["indicators"] else "—",
                          short_path(e["path"]))
        make_console().print(table)

    emit(Views(json=lambda: to_json(entries),
               sheets=lambda: [("questionnaires", keys, [[e[k] for k in keys] for e in entries])],
               table=terminal), output_format, None, language)


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
