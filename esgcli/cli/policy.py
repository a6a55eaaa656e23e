"""`esg policy list / show / check`: certification policies (SPEC §7), kept beside questionnaires."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from esgcli.base.labels import LABELS, label
from esgcli.cli.emit import emit
from esgcli.cli.main import option_language
from esgcli.cli.options import Format, FormatOpt, LangOpt
from esgcli.cli.questionnaire import check_yaml_files
from esgcli.cli.render import make_console, short_path
from esgcli.questionnaire.catalogue import POLICY_KEYS, PolicyDetail, list_policies
from esgcli.questionnaire.policy import resolve_policy

CRITERIA_KEYS = ["criterion", "area", "required"]

policy_app = typer.Typer(no_args_is_help=True,
                         help="인증 정책 확인·목록 / Check and list certification policies.")


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")


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
    language = option_language(lang)
    listing = list_policies()

    def terminal() -> None:
        table = Table()
        for key in POLICY_KEYS:
            table.add_column(label(f"cli.policy.{key}", language),
                             overflow="fold" if key == "path" else "ellipsis")
        for e in listing.to_dict(language):
            table.add_row(Text(e["id"]), Text(e["version"] or "—"),
                          Text(e["title"] or e.get("error", "")),
                          Text(e["questionnaire"] or "—"), str(e["criteria"] or "—"),
                          Text(short_path(e["path"])))
        make_console().print(table)

    emit(listing, output_format, None, language, table=terminal,
         sheets=lambda: [("policies", POLICY_KEYS, listing.rows(language))])


@policy_app.command("show")
def policy_show(
    ref: Annotated[str, typer.Argument(metavar="ID|FILE", help="정책 ID 또는 파일 / Policy id or file.")],
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
    detail = PolicyDetail(pol)

    def terminal() -> None:
        table = Table(title=f"{pol.model.title.get(language)} — {pol.id} {pol.version}",
                      title_justify="left")
        for key in CRITERIA_KEYS:
            table.add_column(label(f"cli.policy.{key}", language))
        for criterion, area, required in detail.rows():  # the criterion in the reader's words
            key = f"criterion.{criterion}"
            table.add_row(Text(label(key, language) if key in LABELS else criterion),
                          area or label("cli.policy.overall", language), Text(str(required)))
        out = make_console()
        out.print(table)
        rule = pol.model.certificate
        out.print(Text(label("cli.policy.line", language, questionnaire=pol.model.questionnaire,
                             number=rule.number, years=rule.valid_years)), soft_wrap=True)

    emit(detail, output_format, None, language, table=terminal,
         sheets=lambda: [("criteria", CRITERIA_KEYS, detail.rows())])


@policy_app.command("check")
def policy_check(
    refs: Annotated[list[str], typer.Argument(metavar="ID|FILE...", help="정책 파일 또는 ID / Policy files or ids.")],
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
