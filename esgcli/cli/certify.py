"""`esg certify` and `esg certs ...`: batch certification and the certificate registry."""

from __future__ import annotations

import datetime as dt
import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from esgcli.base.formatting import failure_text, pct
from esgcli.base.problems import Problem, UsageError
from esgcli.base.tokens import clean_id
from esgcli.cli.main import (
    YEAR_MAX,
    YEAR_MIN,
    AnswersArg,
    ForceOpt,
    Format,
    FormatOpt,
    LangOpt,
    OnDuplicate,
    OnDuplicateOpt,
    QuestionnaireOpt,
    SheetOpt,
    SkipInvalidOpt,
    app,
    emit,
    file_refs,
    load,
    option_language,
)
from esgcli.cli.render import make_console
from esgcli.engine.certification import Decision, evaluate
from esgcli.engine.scoring import score
from esgcli.engine.selection import choose_rounds, record_years
from esgcli.outputs.files import check_output, csv_text, to_json, write_result
from esgcli.questionnaire.policy import resolve_policy
from esgcli.registry.core import DEFAULT_LOCATION, Certificate, IssueRequest, Registry, is_url, open_registry

certs_app = typer.Typer(no_args_is_help=True,
                        help="인증서 레지스트리 / The certificate registry: list, show, revoke, export, verify.")
app.add_typer(certs_app, name="certs")

RegistryOpt = Annotated[str | None, typer.Option(
    "--registry", metavar="FILE|URL", help="Registry: an SQLite file or a postgresql:// URL "
    "(default: $ESG_REGISTRY, else ./esg-registry.sqlite).")]
OperatorOpt = Annotated[str | None, typer.Option(
    "--operator", help="Who does this, for the event log (default: the operating-system user).")]
DateOpt = Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD",
                                             help="Today's date for issue/expiry (default: today).")]
def registry_location(option: str | Path | None) -> str:
    """--registry, else $ESG_REGISTRY, else ./esg-registry.sqlite: a file path or a URL."""
    if option is not None:
        return str(option)
    return os.environ.get("ESG_REGISTRY") or DEFAULT_LOCATION


def registry_files(location: str) -> list[Path]:
    """The registry as files an output must not replace (none for a server)."""
    return [] if is_url(location) else [Path(location)]


def parse_date(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError.of("USE-007", text=text) from None
    if not YEAR_MIN <= date.year <= YEAR_MAX:  # valid_until must stay a date
        raise UsageError.of("USE-020", text=text, low=f"{YEAR_MIN}-01-01", high=f"{YEAR_MAX}-12-31")
    return date


# ---------------------------------------------------------------- esg certify
@app.command("certify")
def certify_command(
    answers: AnswersArg,
    policy: Annotated[str, typer.Option("--policy", help="Policy id or YAML file.")],
    year: Annotated[int | None, typer.Option("--year", min=YEAR_MIN, max=YEAR_MAX,
                                             help="Program year of the certificates "
                                             "(default: the records' year when they hold one).")] = None,
    questionnaire: QuestionnaireOpt = None,
    round_name: Annotated[str | None, typer.Option("--round", help="Round to judge.")] = None,
    before: Annotated[str | None, typer.Option("--before", help="Round before support.")] = None,
    after: Annotated[str | None, typer.Option("--after", help="Round to judge (after support).")] = None,
    registry: RegistryOpt = None,
    date: DateOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Judge and show, write nothing.")] = False,
    output_format: FormatOpt = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the list (.xlsx, .csv, .json).")] = None,
    documents: Annotated[Path | None, typer.Option("--documents", help="Write one printable HTML "
                                                   "certificate per certificate held (missing ones only).")] = None,
    reissue_revoked: Annotated[bool, typer.Option("--reissue-revoked", help="Issue a new certificate "
                                                  "to a qualifying supplier whose certificate was revoked.")] = False,
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
    suffix = check_output(output, [*answers, *registry_files(location),
                                   *file_refs(questionnaire, policy)],
                          (".xlsx", ".csv", ".json"), force) if output else None
    if documents is not None and dry_run:
        raise UsageError.of("USE-003")
    if round_name is not None and after is not None:
        raise UsageError.of("USE-004")
    pol = resolve_policy(policy)
    data, language = load(answers, questionnaire, sheet, lang, skip_invalid,
                           default=pol.model.questionnaire, on_duplicate=on_duplicate)
    pol.check_questionnaire(data.questionnaire)
    err = make_console(stderr=True)
    if year is None:
        year = _year_of_records(data)
        err.print(Problem(code="CRT-002", severity="warning", params={"year": year}).text(language),
                  soft_wrap=True)
    choice = choose_rounds(data, round_name, before, after, year)
    judged = score(choice.judged)
    before_scores = score(choice.before) if choice.before is not None else None
    if pol.criteria.improvement_min_pp is not None and before_scores is None:
        err.print(Problem(code="CRT-001", severity="warning").message(language), soft_wrap=True)
    decisions = evaluate(pol, judged, before_scores)
    if documents is not None and not dry_run:
        from esgcli.reports.certificates import check_folder

        check_folder(documents)  # before anything is recorded
    reg = open_registry(location, readonly=dry_run, missing_ok=dry_run)
    try:
        sources = _source_by_supplier(choice.judged)
        requests = [IssueRequest(d.supplier_id, d.supplier_name, choice.judged_name,
                                 d.values["compliance"], d.values["score"], d.values["grade"],
                                 d.values["areas"], sources.get(d.supplier_id))
                    for d in decisions if d.qualifies]
        issued = reg.issue(pol, year, today, requests, data.questionnaire.to_ref(),
                           data.source.to_dict(), dry_run=dry_run,
                           reissue_revoked=reissue_revoked, operator=operator)
        active = reg.active(pol.id, year)
        where = reg.where
    finally:
        reg.close()
    result = _certify_dict(pol, year, where, dry_run, decisions, issued, active, choice.not_evaluated)
    if output is not None:
        _write_certify(output, suffix or "", result, language)
    if output_format is Format.json:
        emit(to_json(result))
    elif output_format is Format.csv:
        header, rows = _certify_rows(result, language)
        emit(csv_text(header, rows))
    elif output is None:
        _render_certify(result, pol, language,
                        {i.id: i.title.get(language) for i in data.questionnaire.indicators})
    s = result["summary"]
    err.print((f"판정 {s['evaluated']}개사 · 기준 충족 {s['qualified']}개사 ({pct(s['share_pct'])}) · "
               f"신규 발급 {s['issued']} · 기존 {s['existing']}"
               + (f" · 취소되어 발급 안 함 {s['revoked']} (--reissue-revoked)" if s["revoked"] else "")
               + (" · 모의 실행(기록 안 함)" if dry_run else f" · 레지스트리 {where}"))
              if language == "ko" else
              (f"evaluated {s['evaluated']} · qualified {s['qualified']} ({pct(s['share_pct'])}) · "
               f"newly issued {s['issued']} · existing {s['existing']}"
               + (f" · revoked, not re-issued {s['revoked']} (--reissue-revoked)" if s["revoked"] else "")
               + (" · dry run (nothing written)" if dry_run else f" · registry {where}")),
              soft_wrap=True)
    if documents is not None and not dry_run:
        _write_documents(documents, [c for c, st in issued if st in ("issued", "existing")], pol,
                         data.questionnaire, language)


def _write_documents(folder: Path, certs: list[Certificate], pol: Any, q: Any, lang: str) -> None:
    """One HTML certificate per certificate held whose document is missing: a re-run after a
    failure completes them. Runs after the output, so a failure here loses no result."""
    from esgcli.reports.certificates import write_missing

    titles = {a.id: " / ".join(a.title.texts()) for a in q.areas}
    written, present = write_missing(folder, certs, pol.model.title.model_dump(), area_titles=titles)
    make_console(stderr=True).print(Text(
        f"인증서 문서 {written}개 작성 ({present}개는 이미 있음) → {folder}" if lang == "ko" else
        f"certificate documents: {written} written ({present} already there) → {folder}"),
        soft_wrap=True)


def _source_by_supplier(judged: Any) -> dict[str, dict[str, Any]]:
    """The file (name, sheet, sha256) each supplier's judged record came from."""
    by_file = {src.file: src.to_dict() for src in judged.sources}
    if "file" not in judged.records or not by_file:
        return {}
    return {sid: by_file[f] for sid, f in zip(judged.records["supplier_id"].tolist(),
                                               judged.records["file"].tolist(), strict=True)
            if f in by_file}


def _year_of_records(data: Any) -> int:
    """The one year every record holds (SPEC §7); a usage error naming the years otherwise."""
    years, blank = record_years(data)
    if len(years) == 1 and not blank:
        return years[0]
    if not years:
        raise UsageError.of("USE-006")
    raise UsageError.of("USE-005", years=", ".join(map(str, years)) + (", -" if blank else ""))


def _certify_dict(pol: Any, year: int, where: str, dry_run: bool, decisions: list[Decision],
                  issued: list[tuple[Certificate, str]], active: dict[str, Certificate],
                  not_evaluated: list[str]) -> dict[str, Any]:
    by_supplier = {cert.supplier_id: (cert, status) for cert, status in issued}
    suppliers = []
    for d in sorted(decisions, key=lambda d: d.supplier_id):
        entry: dict[str, Any] = {"supplier_id": d.supplier_id, "supplier_name": d.supplier_name,
                                 "qualifies": d.qualifies,
                                 "failed": [f.to_dict() for f in d.failed],
                                 "certificate": None, **d.values,
                                 "improvement_pp": d.improvement_pp, "gap": d.gap}
        if d.supplier_id in by_supplier:
            cert, status = by_supplier[d.supplier_id]
            entry["certificate"] = {"number": cert.number, "status": status,
                                    "issued_on": cert.issued_on, "valid_until": cert.valid_until}
            if status == "revoked":
                entry["certificate"].update(revoked_on=cert.revoked_on,
                                            revoke_reason=cert.revoke_reason)
            elif cert.replaces:
                entry["certificate"]["replaces"] = cert.replaces
        suppliers.append(entry)
    failing = {d.supplier_id for d in decisions if not d.qualifies}
    lost = sorted(s for s in active if s in failing)
    qualified = sum(d.qualifies for d in decisions)
    return {
        "policy": pol.id, "policy_version": pol.version, "year": year, "registry": where,
        "dry_run": dry_run, "suppliers": suppliers, "not_evaluated": not_evaluated,
        "no_longer_qualify": [{"supplier_id": s, "number": active[s].number} for s in lost],
        "summary": {
            "evaluated": len(decisions), "qualified": qualified,
            "issued": sum(1 for _, st in issued if st == "issued"),
            "existing": sum(1 for _, st in issued if st == "existing"),
            "revoked": sum(1 for _, st in issued if st == "revoked"),
            "share_pct": 100.0 * qualified / len(decisions) if decisions else None,
        },
    }


def _certify_rows(result: dict[str, Any], lang: str) -> tuple[list[str], list[list[Any]]]:
    header = ["supplier_id", "supplier_name", "qualifies", "compliance", "score", "grade",
              "certificate", "certificate_status", "failed", "gap_indicators"]
    rows = []
    for s in result["suppliers"]:
        cert = s["certificate"] or {}
        rows.append([s["supplier_id"], s["supplier_name"], s["qualifies"], s["compliance"],
                     s["score"], s["grade"], cert.get("number"), cert.get("status"),
                     "; ".join(failure_text(f, lang) for f in s["failed"]),
                     ";".join(s["gap"]["indicators"]) if s["gap"] else ""])
    return header, rows


def _write_certify(output: Path, suffix: str, result: dict[str, Any], lang: str) -> None:
    header, rows = _certify_rows(result, lang)
    write_result(output, suffix, result, "certification", header, rows, _is_rate)


def _is_rate(name: str) -> bool:
    return name in ("compliance", "score")


def _render_certify(result: dict[str, Any], pol: Any, lang: str,
                    titles: dict[str, str] | None = None) -> None:
    """The judgement fitted to the terminal: certificate numbers and rates never cut, failed
    criteria one per line, the indicators still needed by id (with titles when there is room)."""
    from esgcli.base.labels import LABELS, label
    from esgcli.cli.fit import Column, fit_table
    from esgcli.cli.render import dropped_note
    from esgcli.cli.render import label as column_label

    ko = lang == "ko"
    out = make_console()
    rows = result["suppliers"]
    titles = titles or {}
    dry = (" (모의 실행)" if ko else " (dry run)") if result["dry_run"] else ""

    def verdict(s: dict[str, Any], words: bool) -> Text:
        mark = "✓" if s["qualifies"] else "✗"
        word = label("qualifies" if s["qualifies"] else "fails", lang)
        return Text(f"{mark} {word}" if words else mark, style="green" if s["qualifies"] else "red")

    def gap(s: dict[str, Any], with_titles: bool) -> Text:
        g = s["gap"]
        if not g or not (g["count"] or g["unreachable"]):
            return Text("")
        ids = g["indicators"]
        text = ("\n".join(f"{i} {titles.get(i, '')}".rstrip() for i in ids) if with_titles
                else ", ".join(ids))
        if g["unreachable"]:
            text += ("\n" if text else "") + label("unreachable", lang)
        return Text(text)

    def cert(s: dict[str, Any], key: str) -> Text:
        c = s["certificate"]
        if not c:
            return Text("")
        if key == "number":
            return Text(c["number"])
        status = f"cert_{c['status']}"
        return Text(label(status, lang) if status in LABELS else c["status"])

    columns = [
        Column(column_label("supplier_id", lang), [Text(s["supplier_id"]) for s in rows], "key",
               short_header=column_label("supplier_id_short", lang)),
        Column(column_label("supplier_name", lang), [Text(s["supplier_name"] or "") for s in rows],
               "name"),
        Column(column_label("compliance", lang), [Text(pct(s["compliance"])) for s in rows],
               justify="right"),
        Column(label("result", lang), [verdict(s, False) for s in rows], "key",
               wide=[verdict(s, True) for s in rows]),
        Column(label("number", lang), [cert(s, "number") for s in rows], "key", drop=2),
        Column(label("cert_status", lang), [cert(s, "status") for s in rows], "key", drop=5),
        Column(label("failed_criteria", lang),
               [Text("\n".join(failure_text(f, lang) for f in s["failed"])) for s in rows],
               "text", lines=True, drop=3, short_header=label("failed_short", lang)),
        Column(label("still_needed", lang), [gap(s, False) for s in rows], "text",
               wide=[gap(s, True) for s in rows], drop=4,
               short_header=label("still_needed_short", lang)),
    ]
    fitted = fit_table(columns, out.width, title=f"{pol.model.title.get(lang)} — {result['year']}{dry}")
    out.print(fitted.table)
    dropped_note(make_console(stderr=True), fitted.dropped, lang)
    if result["not_evaluated"]:
        out.print(("사후 평가가 없어 판정하지 않은 협력사: " if ko else "Not evaluated (no after round): ")
                  + ", ".join(result["not_evaluated"]), soft_wrap=True)
    for lost in result["no_longer_qualify"]:
        out.print(Text((f"주의: {lost['supplier_id']}은(는) 인증서 {lost['number']}을(를) 보유하지만 이번 판정에서 "
                        "기준을 충족하지 못했습니다 (자동 취소하지 않음: esg certs revoke)") if ko else
                       (f"note: {lost['supplier_id']} holds {lost['number']} but no longer qualifies "
                        "(not revoked; use esg certs revoke)"), style="yellow"), soft_wrap=True)


# ---------------------------------------------------------------- esg certs
class CertStatus(str, Enum):
    active = "active"
    revoked = "revoked"
    expired = "expired"


def open_location(registry: str | Path | None, readonly: bool = True) -> Registry:
    return open_registry(registry_location(registry), readonly=readonly)


def _certificate(registry: Path | None, number: str) -> Certificate:
    reg = open_location(registry)
    try:
        cert = reg.get(number)
    finally:
        reg.close()
    if cert is None:
        from esgcli.base.problems import RegistryError

        raise RegistryError("REG-005", number=number, where=registry_location(registry))
    return cert


def _cert_rows(certs: list[Certificate], today: dt.date) -> tuple[list[str], list[list[Any]]]:
    header = ["number", "supplier_id", "supplier_name", "policy_id", "policy_version", "year",
              "issued_on", "valid_until", "status", "compliance", "score", "grade",
              "questionnaire_id", "questionnaire_version", "questionnaire_sha256", "answers_file",
              "answers_sha256", "round", "revoked_on", "revoke_reason", "replaces"]
    rows = []
    for c in certs:
        d = c.to_dict(today)
        rows.append([d[k] for k in header])
    return header, rows


@certs_app.command("list")
def certs_list(
    registry: RegistryOpt = None,
    year: Annotated[int | None, typer.Option("--year", min=YEAR_MIN, max=YEAR_MAX)] = None,
    policy: Annotated[str | None, typer.Option("--policy")] = None,
    status: Annotated[CertStatus | None, typer.Option("--status", help="active, revoked or expired.")] = None,
    supplier: Annotated[str | None, typer.Option("--supplier")] = None,
    date: DateOpt = None,
    output_format: FormatOpt = Format.table,
    lang: LangOpt = None,
) -> None:
    """인증서 목록 / List certificates (expired ones show as expired by date).

    \b
    Examples:
      esg certs list --year 2024
      esg certs list --status expired --format json
    """
    today = parse_date(date)
    language = option_language(lang)
    reg = open_location(registry)
    try:
        certs = reg.certificates(year, policy, clean_id(supplier) if supplier else supplier)
    finally:
        reg.close()
    if status is not None:
        certs = [c for c in certs if c.status_on(today) == status.value]
    if output_format is Format.json:
        emit(to_json([c.to_dict(today) for c in certs]))
        return
    header, rows = _cert_rows(certs, today)
    if output_format is Format.csv:
        emit(csv_text(header, rows))
        return
    ko = language == "ko"
    table = Table()
    for name in (("인증서 번호", "Number"), ("협력사코드", "Supplier"), ("협력사명", "Name"),
                 ("정책", "Policy"), ("연도", "Year"), ("발급일", "Issued"), ("유효기간", "Valid until"),
                 ("상태", "Status"), ("준수율", "Compliance")):
        table.add_column(name[0] if ko else name[1], no_wrap=name[1] not in ("Name", "Policy"))
    for c in certs:
        state = c.status_on(today)
        style = {"active": "green", "expired": "yellow", "revoked": "red"}[state]
        table.add_row(Text(c.number), Text(c.supplier_id), Text(c.supplier_name or ""), Text(c.policy_id),
                      str(c.year), c.issued_on, c.valid_until, Text(state, style=style), pct(c.compliance))
    make_console().print(table)


@certs_app.command("show")
def certs_show(
    number: Annotated[str, typer.Argument(help="Certificate number.")],
    registry: RegistryOpt = None,
    date: DateOpt = None,
    output_format: FormatOpt = Format.table,
    lang: LangOpt = None,
) -> None:
    """인증서 상세 / Every recorded field of one certificate.

    \b
    Examples:
      esg certs show ESG-2024-0001
    """
    today = parse_date(date)
    cert = _certificate(registry, number)
    data = cert.to_dict(today)
    if output_format is Format.json:
        emit(to_json(data))
        return
    if output_format is Format.csv:
        emit(csv_text(*_cert_rows([cert], today)))
        return
    table = Table(show_header=False)
    table.add_column()
    table.add_column()
    for key, value in data.items():
        table.add_row(key, Text(str(value) if value is not None else "—"))
    make_console().print(table)


@certs_app.command("revoke")
def certs_revoke(
    number: Annotated[str, typer.Argument(help="Certificate number.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded).")],
    registry: RegistryOpt = None,
    date: DateOpt = None,
    operator: OperatorOpt = None,
    lang: LangOpt = None,
) -> None:
    """인증 취소 / Revoke a certificate, recording the reason and date.

    \b
    Examples:
      esg certs revoke ESG-2024-0003 --reason "허위 증빙 확인"
    """
    on = parse_date(date)
    reg = open_location(registry, readonly=False)
    try:
        cert = reg.revoke(number, reason, on, operator=operator)
    finally:
        reg.close()
    make_console().print(Text(f"revoked {cert.number} ({cert.supplier_id}) on {cert.revoked_on}: "
                              f"{cert.revoke_reason}"), soft_wrap=True)


@certs_app.command("export")
def certs_export(
    output: Annotated[Path, typer.Option("-o", "--output", help=".xlsx, .csv or .json")],
    registry: RegistryOpt = None,
    year: Annotated[int | None, typer.Option("--year", min=YEAR_MIN, max=YEAR_MAX)] = None,
    policy: Annotated[str | None, typer.Option("--policy")] = None,
    date: DateOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
) -> None:
    """인증서 내보내기 / Export the certificates to a file.

    \b
    Examples:
      esg certs export -o certificates-2024.xlsx --year 2024
    """
    today = parse_date(date)
    suffix = check_output(output, registry_files(registry_location(registry)),
                          (".xlsx", ".csv", ".json"), force)
    reg = open_location(registry)
    try:
        certs = reg.certificates(year, policy)
    finally:
        reg.close()
    header, rows = _cert_rows(certs, today)
    write_result(output, suffix, [c.to_dict(today) for c in certs], "certificates", header, rows,
                 _is_rate)
    make_console(stderr=True).print(f"{len(certs)} → {output}", soft_wrap=True)


@certs_app.command("verify")
def certs_verify(
    number: Annotated[str, typer.Argument(help="Certificate number.")],
    answers: Annotated[list[Path] | None, typer.Argument(
        metavar="[PATH]...", help="The answers the certificate was issued on (files or folders "
        "holding the supplier's file).", show_default=False)] = None,
    questionnaire: QuestionnaireOpt = None,
    policy: Annotated[str | None, typer.Option("--policy", help="Policy file (default: the "
                                               "recorded policy id).")] = None,
    registry: RegistryOpt = None,
    date: DateOpt = None,
    output_format: FormatOpt = Format.table,
    lang: LangOpt = None,
) -> None:
    """인증서 검증 / Check a certificate against its recorded data (exit 3 if it does not match).

    Without PATH: status and dates. With PATHs: the sha256 of the supplier's own file, the
    questionnaire's sha256, the recomputed rates and the qualification are compared with the
    record.

    \b
    Examples:
      esg certs verify ESG-2024-0001
      esg certs verify ESG-2024-0001 examples/suppliers.xlsx
    """
    today = parse_date(date)
    cert = _certificate(registry, number)
    checks: list[dict[str, Any]] = [
        {"check": "status", "ok": cert.status_on(today) == "active",
         "recorded": "active", "actual": cert.status_on(today)}]
    if answers:
        pol = resolve_policy(policy or cert.policy_id)
        data, _ = load(answers, questionnaire or cert.questionnaire_id, None, lang)
        choice = choose_rounds(data, cert.round, None, None, cert.year) if cert.round else \
            choose_rounds(data, None, None, None, cert.year)
        sha = _source_by_supplier(choice.judged).get(cert.supplier_id, {}).get("sha256")
        checks.append({"check": "answers_sha256", "ok": sha == cert.answers_sha256,
                       "recorded": cert.answers_sha256, "actual": sha})
        checks.append({"check": "policy_version", "ok": pol.version == cert.policy_version,
                       "recorded": cert.policy_version, "actual": pol.version})
        checks.append({"check": "questionnaire_sha256",
                       "ok": data.questionnaire.sha256 == cert.questionnaire_sha256,
                       "recorded": cert.questionnaire_sha256, "actual": data.questionnaire.sha256})
        judged = score(choice.judged)
        mine = [d for d in evaluate(pol, judged, score(choice.before) if choice.before else None)
                if d.supplier_id == cert.supplier_id]
        if not mine:
            checks.append({"check": "supplier", "ok": False, "recorded": cert.supplier_id,
                           "actual": None})
        else:
            d = mine[0]
            same_rate = (d.values["compliance"] is not None and cert.compliance is not None
                         and abs(d.values["compliance"] - cert.compliance) < 1e-9)
            checks.append({"check": "compliance", "ok": same_rate, "recorded": cert.compliance,
                           "actual": d.values["compliance"]})
            checks.append({"check": "qualifies", "ok": d.qualifies, "recorded": True,
                           "actual": d.qualifies})
    ok = all(c["ok"] for c in checks)
    if output_format is Format.json:
        emit(to_json({"number": number, "matches": ok, "checks": checks}))
    elif output_format is Format.csv:
        keys = ["check", "ok", "recorded", "actual"]
        emit(csv_text(keys, [[c[k] for k in keys] for c in checks]))
    else:
        table = Table(title=f"{number}: " + ("OK" if ok else "MISMATCH"), title_justify="left")
        for name in ("check", "ok", "recorded", "actual"):
            table.add_column(name)
        for c in checks:
            table.add_row(c["check"], Text("✓", style="green") if c["ok"] else Text("✗", style="red"),
                          Text(str(c["recorded"])), Text(str(c["actual"])))
        make_console().print(table)
    if not ok:
        raise typer.Exit(3)


