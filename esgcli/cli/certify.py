"""`esg certify`: parse → core (`esgcli.engine.certify_run.certify`) → output (SPEC §7)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from esgcli.base.formatting import failure_text, pct
from esgcli.base.labels import LABELS, label
from esgcli.base.problems import Problem, UsageError
from esgcli.cli.emit import Serves, emit
from esgcli.cli.fit import Column, Fitted, fit_table
from esgcli.cli.main import load
from esgcli.cli.options import (
    YEAR_MAX,
    YEAR_MIN,
    AnswersArg,
    BeforeOpt,
    ForceOpt,
    Format,
    FormatOpt,
    LangOpt,
    OnDuplicate,
    OnDuplicateOpt,
    QuestionnaireOpt,
    SheetOpt,
    SkipInvalidOpt,
    file_refs,
)
from esgcli.cli.registry import DateOpt, OperatorOpt, RegistryOpt, parse_date, registry_files, registry_location, say
from esgcli.cli.render import dropped_note, make_console, render_problems
from esgcli.cli.render import label as column_label
from esgcli.engine.certify_run import CertificationRun, is_rate, judge, record
from esgcli.outputs.files import csv_text, to_json
from esgcli.outputs.guard import check_new_folder
from esgcli.outputs.tables import lazy_localised_sheets
from esgcli.questionnaire.policy import resolve_policy
from esgcli.registry.core import Certificate

CERTIFY_SERVES = Serves(files=(".xlsx", ".csv", ".json"))


def certify_command(
    answers: AnswersArg,
    policy: Annotated[str, typer.Option("--policy", metavar="POLICY", help="인증 정책 ID 또는 "
                                        "YAML 파일 / Policy id or YAML file.")],
    year: Annotated[int | None, typer.Option(
        "--year", metavar="YEAR", min=YEAR_MIN, max=YEAR_MAX, help="인증 연도 (기본: 응답의 "
        "연도가 하나이면 그 연도) / Program year of the certificates (default: the records' "
        "year when they hold one).")] = None,
    questionnaire: QuestionnaireOpt = None,
    round_name: Annotated[str | None, typer.Option(
        "--round", metavar="ROUND", help="판정할 차수 / Round to judge.")] = None,
    before: BeforeOpt = None,
    after: Annotated[str | None, typer.Option(
        "--after", metavar="ROUND", help="판정할 지원 후 차수 / Round to judge (after "
        "support).")] = None,
    registry: RegistryOpt = None,
    date: DateOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="판정만 보이고 아무것도 기록하지 "
                                          "않음 / Judge and show, write nothing.")] = False,
    output_format: FormatOpt = Format.table,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE", help="판정 목록을 파일로 (.xlsx, .csv, .json) / Write "
        "the list (.xlsx, .csv, .json).")] = None,
    documents: Annotated[Path | None, typer.Option(
        "--documents", metavar="DIR", help="보유 인증서마다 인쇄용 HTML 인증서 (없는 것만) / "
        "Write one printable HTML certificate per certificate held (missing ones only).")] = None,
    reissue_revoked: Annotated[bool, typer.Option(
        "--reissue-revoked", help="인증서가 취소된 협력사가 다시 기준을 충족하면 새로 발급 / "
        "Issue a new certificate to a qualifying supplier whose certificate was revoked.")] = False,
    operator: OperatorOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.error,
    force: ForceOpt = False,
) -> None:
    """ESG 우수기업 일괄 인증 / Judge every supplier under a policy and issue certificates.

    The after round (or the only round) is judged; failed criteria are shown with required
    and actual values, with the fewest indicators that would have to become compliant.
    Re-running is idempotent; a certified supplier that no longer qualifies is reported,
    never revoked silently; a revoked certificate is never re-issued without --reissue-revoked.

    \b
    Examples:
      esg certify examples/suppliers.xlsx --policy esg-excellent --year 2024 --dry-run
      esg certify answers.xlsx --policy esg-excellent --year 2024 --documents certificates/
    """
    today = parse_date(date)
    location = registry_location(registry)
    CERTIFY_SERVES.check(output_format, output, [*answers, *registry_files(location),
                                                 *file_refs(questionnaire, policy)], force)
    if documents is not None and dry_run:
        raise UsageError.of("USE-003")
    if documents is not None:
        check_new_folder(documents)  # before the answers are read
    if round_name is not None and after is not None:
        raise UsageError.of("USE-004")
    pol = resolve_policy(policy)
    data, language = load(answers, questionnaire, sheet, lang, skip_invalid,
                          default=pol.model.questionnaire, on_duplicate=on_duplicate)
    if documents is not None and not dry_run:
        from esgcli.reports.certificates import check_folder

        check_folder(documents)  # before anything is recorded
    judged = judge(data, pol, year=year, round_name=round_name, before=before, after=after)
    err = make_console(stderr=True)
    for problem in judged.problems:  # said before the registry is opened: a registry error
        err.print(problem.text(language) if problem.code == "CRT-002" else problem.message(language),
                  soft_wrap=True)  # (exit 4) must not hide them
    run = record(judged, location, today=today, dry_run=dry_run, reissue_revoked=reissue_revoked,
                 operator=operator)
    result = run.to_dict()
    titles = {i.id: i.title.get(language) for i in data.questionnaire.indicators}
    sheets, percent = lazy_localised_sheets(  # -o .xlsx headers in the run's language, CSV keys
        lambda: [("certification", *run.rows(language, result))], language, is_rate,
        flags=("qualifies",))
    emit(run, output_format, output, language, json=lambda: to_json(result),
         csv=lambda: csv_text(*run.rows(language, result)), sheets=sheets, percent_columns=percent,
         table=lambda: render_certify(result, pol.model.title.get(language), language, titles))
    err.print(summary_line(result, language), soft_wrap=True)
    if documents is not None and not dry_run:
        _write_documents(documents, run, data.questionnaire, language)


def summary_line(result: dict[str, Any], lang: str) -> Text:
    """Evaluated, qualified, issued, existing (and withheld) on one line."""
    s = result["summary"]
    text = say("CRT-010", lang, evaluated=s["evaluated"], qualified=s["qualified"],
               share=pct(s["share_pct"]), issued=s["issued"], existing=s["existing"])
    if s["revoked"]:
        text += say("CRT-011", lang, revoked=s["revoked"])
    text += say("CRT-012", lang) if result["dry_run"] else say("CRT-013", lang,
                                                                where=result["registry"])
    return Text(text)


def _write_documents(folder: Path, run: CertificationRun, q: Any, lang: str) -> None:
    """One HTML certificate per certificate held whose document is missing: a re-run after a
    failure completes them. Runs after the output, so a failure here loses no result."""
    from esgcli.reports.certificates import write_missing

    certs: list[Certificate] = run.held()
    titles = {a.id: " / ".join(a.title.texts()) for a in q.areas}
    written, present = write_missing(folder, certs, run.policy.model.title.model_dump(),
                                     area_titles=titles)
    make_console(stderr=True).print(Text(say("CRT-014", lang, written=written, present=present,
                                             folder=folder)), soft_wrap=True)


# ---------------------------------------------------------------- the terminal table
GAP_NOTE = "CRT-023"


def render_certify(result: dict[str, Any], title: str, lang: str,
                   titles: dict[str, str] | None = None) -> None:
    """The judgement fitted to the terminal (see `certify_table`), then the notes."""
    out = make_console()
    err = make_console(stderr=True)
    fitted, shortened = certify_table(result, title, lang, out.width, titles)
    out.print(fitted.table)
    dropped_note(err, fitted.dropped, lang)
    if shortened:
        render_problems(err, [Problem(code=GAP_NOTE, severity="warning")], lang)
    if result["not_evaluated"]:
        out.print(Text(say("CRT-015", lang, ids=", ".join(result["not_evaluated"]))),
                  soft_wrap=True)
    for lost in result["no_longer_qualify"]:
        out.print(Text(say("CRT-016", lang, supplier=lost["supplier_id"], number=lost["number"]),
                       style="yellow"), soft_wrap=True)


def certify_table(result: dict[str, Any], title: str, lang: str, width: int,
                  titles: dict[str, str] | None = None) -> tuple[Fitted, bool]:
    """The judgement in ``width`` cells: certificate numbers and rates never cut, failed
    criteria one per line, the indicators still needed by id on one line (with titles when
    there is room). When the ids do not fit, each cell keeps the first ids and counts the rest
    (`E-1-1, E-1-3 +3`); the second value says so (the caller adds a note)."""
    rows = result["suppliers"]
    titles = titles or {}
    dry = say("CRT-017", lang) if result["dry_run"] else ""
    heading = f"{title} — {result['year']}{dry}"

    def verdict(s: dict[str, Any], words: bool) -> Text:
        mark = "✓" if s["qualifies"] else "✗"
        word = label("qualifies" if s["qualifies"] else "fails", lang)
        return Text(f"{mark} {word}" if words else mark, style="green" if s["qualifies"] else "red")

    def needed(s: dict[str, Any]) -> list[str]:
        g = s["gap"]
        return list(g["indicators"]) if g and (g["count"] or g["unreachable"]) else []

    def unreachable(s: dict[str, Any]) -> bool:
        return bool(s["gap"] and s["gap"]["unreachable"])

    def gap(s: dict[str, Any], keep: int | None) -> Text:
        ids = needed(s)
        shown = ids if keep is None or len(ids) <= keep else ids[:keep]
        text = ", ".join(shown) + (f" +{len(ids) - len(shown)}" if len(shown) < len(ids) else "")
        if unreachable(s):
            text += ("\n" if text else "") + label("unreachable", lang)
        return Text(text)

    def gap_titles(s: dict[str, Any]) -> Text:
        text = "\n".join(f"{i} {titles.get(i, '')}".rstrip() for i in needed(s))
        if unreachable(s):
            text += ("\n" if text else "") + label("unreachable", lang)
        return Text(text)

    def cert(s: dict[str, Any], key: str) -> Text:
        c = s["certificate"]
        if not c:
            return Text("")
        if key == "number":  # a revoked number never looks like a valid one, whatever is dropped
            if c["status"] != "revoked":
                return Text(c["number"])
            reason = c.get("revoke_reason")
            return Text(f"{c['number']}\n{label('cert_revoked', lang)}" + (f": {reason}" if reason else ""),
                        style="red")
        status = f"cert_{c['status']}"
        return Text(label(status, lang) if status in LABELS else c["status"])

    def columns(keep: int | None) -> list[Column]:
        return [
            Column(column_label("supplier_id", lang), [Text(s["supplier_id"]) for s in rows], "key",
                   short_header=column_label("supplier_id_short", lang)),
            Column(column_label("supplier_name", lang),
                   [Text(s["supplier_name"] or "") for s in rows], "name"),
            Column(column_label("compliance", lang), [Text(pct(s["compliance"])) for s in rows],
                   justify="right"),
            Column(label("result", lang), [verdict(s, False) for s in rows], "key",
                   wide=[verdict(s, True) for s in rows]),
            Column(label("number", lang), [cert(s, "number") for s in rows], "key", drop=2),
            Column(label("cert_status", lang), [cert(s, "status") for s in rows], "key", drop=5),
            Column(label("failed_criteria", lang),
                   [Text("\n".join(failure_text(f, lang) for f in s["failed"])) for s in rows],
                   "text", lines=True, drop=3, short_header=label("failed_short", lang)),
            Column(label("still_needed", lang), [gap(s, keep) for s in rows], "text",
                   wide=[gap_titles(s) for s in rows] if keep is None else None, drop=4,
                   lines=True, short_header=label("still_needed_short", lang)),
        ]

    most = max((len(needed(s)) for s in rows), default=0)
    fitted = fit_table(columns(None), width, title=heading)
    if not fitted.dropped or most <= 1:
        return fitted, False
    for keep in range(most - 1, 0, -1):  # fewer ids per cell until nothing is left out
        fitted = fit_table(columns(keep), width, title=heading)
        if not fitted.dropped:
            break
    return fitted, label("still_needed", lang) not in fitted.dropped


def register(app: typer.Typer) -> None:
    """Add `esg certify` to the application."""
    app.command("certify")(certify_command)
