"""`esg policy list / show / check`: certification policies (SPEC §7), kept beside questionnaires."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from esgcli.base.formatting import pct, pp
from esgcli.base.labels import LABELS, label
from esgcli.cli.emit import emit
from esgcli.cli.fit import Column, Kind, fit_table
from esgcli.cli.main import option_language
from esgcli.cli.options import Format, FormatOpt, LangOpt
from esgcli.cli.questionnaire import check_yaml_files
from esgcli.cli.render import dropped_note, make_console, short_path
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
        # ids are never cut (SPEC §9): at 80 columns the path, then the version, the title
        # and the count give way, with the note naming them
        entries = listing.to_dict(language)
        cells = {"id": [Text(e["id"]) for e in entries],
                 "version": [Text(e["version"] or "—") for e in entries],
                 "title": [Text(e["title"] or e.get("error", "")) for e in entries],
                 "questionnaire": [Text(e["questionnaire"] or "—") for e in entries],
                 "criteria": [Text(str(e["criteria"] or "—")) for e in entries],
                 "path": [Text(short_path(e["path"])) for e in entries]}
        kinds: dict[str, tuple[Kind, int]] = {
            "id": ("key", 0), "version": ("key", 4), "title": ("text", 3),
            "questionnaire": ("key", 1), "criteria": ("number", 2), "path": ("text", 5)}
        out = make_console()
        fitted = fit_table([Column(label(f"cli.policy.{key}", language), cells[key], kinds[key][0],
                                   drop=kinds[key][1], justify="right" if key == "criteria" else "left")
                            for key in POLICY_KEYS], out.width)
        out.print(fitted.table)
        dropped_note(make_console(stderr=True), fitted.dropped, language)

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
        table = Table()  # the title on a line of its own: as a table title it wrapped
        for key in CRITERIA_KEYS:
            table.add_column(label(f"cli.policy.{key}", language))
        for criterion, area, required in detail.rows():  # the criterion in the reader's words
            key = f"criterion.{criterion}"
            table.add_row(Text(label(key, language) if key in LABELS else criterion),
                          area or label("cli.policy.overall", language),
                          Text(required_text(criterion, required, language)))
        out = make_console()
        out.print(Text(f"{pol.model.title.get(language)} — {pol.id} {pol.version}", style="bold"),
                  soft_wrap=True)
        out.print(table)
        rule = pol.model.certificate
        out.print(Text(label("cli.policy.line", language, questionnaire=pol.model.questionnaire,
                             number=rule.number, years=rule.valid_years)), soft_wrap=True)

    emit(detail, output_format, None, language, table=terminal,
         sheets=lambda: [("criteria", CRITERIA_KEYS, detail.rows())])


def required_text(criterion: str, required: object, lang: str) -> str:
    """A criterion's requirement as a reader reads it: `≥ 80.0%`, `≥ +5.0%p`, `≤ 3`, `없음`."""
    if criterion == "compliance_min" and isinstance(required, (int, float)):
        return f"≥ {pct(float(required))}"
    if criterion == "improvement_min_pp" and isinstance(required, (int, float)):
        return f"≥ {pp(float(required), lang)}"
    if criterion in ("score_min", "max_missing") and isinstance(required, (int, float)):
        return f"{'≥' if criterion == 'score_min' else '≤'} {required:g}"
    if criterion == "no_critical_failures":
        return label("passing.none", lang)
    return str(required)


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
