"""`esg policy list / show / check`: certification policies (SPEC §7), kept beside questionnaires."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from esgcli.base.problems import InputError
from esgcli.cli.main import Format, FormatOpt, LangOpt, app, check_yaml_files, emit, option_language
from esgcli.cli.render import make_console
from esgcli.outputs.files import csv_text, to_json
from esgcli.questionnaire.policy import POLICY_FORMAT, Policy, load_policy, resolve_policy
from esgcli.questionnaire.questionnaire import iter_catalogue

policy_app = typer.Typer(no_args_is_help=True,
                         help="인증 정책 확인·목록 / Check and list certification policies.")
app.add_typer(policy_app, name="policy")


def criteria_rows(policy: Policy) -> list[tuple[str, str | None, Any]]:
    """(criterion, area, required value) for every criterion the policy sets."""
    c = policy.criteria
    rows: list[tuple[str, str | None, Any]] = []
    for name in ("compliance_min", "score_min", "max_missing", "improvement_min_pp"):
        if getattr(c, name) is not None:
            rows.append((name, None, getattr(c, name)))
    if c.no_critical_failures:
        rows.append(("no_critical_failures", None, True))
    if c.grades:
        rows.append(("grades", None, ", ".join(c.grades)))
    for area, rule in c.areas.items():
        for name in ("compliance_min", "score_min"):
            if getattr(rule, name) is not None:
                rows.append((name, area, getattr(rule, name)))
    return rows


def policy_dict(policy: Policy) -> dict[str, Any]:
    return {"id": policy.id, "version": policy.version, "sha256": policy.sha256,
            "path": str(policy.path) if policy.path else None,
            **policy.model.model_dump(mode="json", exclude={"id", "version"})}


@policy_app.command("list")
def policy_list(
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """사용 가능한 인증 정책 / List the policies found (./questionnaires, then bundled).

    \b
    Examples:
      esg policy list
      esg policy list --format json
    """
    from esgcli.cli.main import short_path  # defined after the command modules are registered

    language = option_language(lang)
    entries: list[dict[str, Any]] = []
    for ident, path in iter_catalogue(POLICY_FORMAT):
        try:
            pol = load_policy(path)
        except InputError as exc:
            entries.append({"id": ident, "version": None, "title": None, "questionnaire": None,
                            "criteria": None, "path": str(path),
                            "error": exc.problems[0].message(language)})
            continue
        entries.append({"id": pol.id, "version": pol.version, "title": pol.model.title.get(language),
                        "questionnaire": pol.model.questionnaire,
                        "criteria": len(criteria_rows(pol)), "path": str(path)})
    keys = ["id", "version", "title", "questionnaire", "criteria", "path"]
    if output_format is Format.json:
        emit(to_json(entries))
        return
    if output_format is Format.csv:
        emit(csv_text(keys, [[e[k] for k in keys] for e in entries]))
        return
    ko = language == "ko"
    table = Table()
    for name in (("ID", "ID"), ("버전", "version"), ("이름", "title"), ("질문지", "questionnaire"),
                 ("기준 수", "criteria"), ("파일", "path")):
        table.add_column(name[0] if ko else name[1], overflow="fold" if name[1] == "path" else "ellipsis")
    for e in entries:
        table.add_row(Text(e["id"]), Text(e["version"] or "—"), Text(e["title"] or e.get("error", "")),
                      Text(e["questionnaire"] or "—"), str(e["criteria"] or "—"),
                      Text(short_path(e["path"])))
    make_console().print(table)


@policy_app.command("show")
def policy_show(
    ref: Annotated[str, typer.Argument(metavar="ID|FILE", help="Policy id or file.")],
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """인증 정책 내용 보기 / Show a policy: its questionnaire, criteria and certificate numbers.

    \b
    Examples:
      esg policy show esg-excellent
      esg policy show questionnaires/esg-excellent.yaml --format json
    """
    pol = resolve_policy(ref)
    language = option_language(lang)
    rows = criteria_rows(pol)
    if output_format is Format.json:
        emit(to_json(policy_dict(pol)))
        return
    if output_format is Format.csv:
        emit(csv_text(["criterion", "area", "required"], [list(r) for r in rows]))
        return
    ko = language == "ko"
    table = Table(title=f"{pol.model.title.get(language)} — {pol.id} {pol.version}",
                  title_justify="left")
    for name in (("기준", "criterion"), ("영역", "area"), ("요건", "required")):
        table.add_column(name[0] if ko else name[1])
    for criterion, area, required in rows:
        table.add_row(criterion, area or ("전체" if ko else "overall"), Text(str(required)))
    out = make_console()
    out.print(table)
    rule = pol.model.certificate
    out.print(Text(f"질문지 {pol.model.questionnaire} · 인증서 번호 {rule.number} · 유효기간 {rule.valid_years}년"
                    if ko else f"questionnaire {pol.model.questionnaire} · certificate numbers "
                    f"{rule.number} · valid {rule.valid_years} year(s)"), soft_wrap=True)


@policy_app.command("check")
def policy_check(
    refs: Annotated[list[str], typer.Argument(metavar="ID|FILE...", help="Policy files or ids.")],
    lang: LangOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """인증 정책 파일 검사 / Check policy files (and the questionnaire each names); exit 3 on problems.

    \b
    Examples:
      esg policy check questionnaires/esg-excellent.yaml
      esg policy check esg-excellent
    """
    check_yaml_files(refs, lang, output_format)
