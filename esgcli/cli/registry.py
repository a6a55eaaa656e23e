"""`esg certs ...`: the certificate registry (list, show, verify, revoke, export, history, copy;
SPEC §7, §14). Each command is parse → core (`esgcli.registry.views`,
`esgcli.engine.verification`) → output."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from esgcli.base.formatting import num, pct
from esgcli.base.labels import group, in_lang, label
from esgcli.base.problems import Problem, UsageError
from esgcli.base.tokens import clean_id
from esgcli.cli.emit import Serves, emit
from esgcli.cli.fit import Column, Fitted, fit_table
from esgcli.cli.main import load, option_language
from esgcli.cli.options import (
    YEAR_MAX,
    YEAR_MIN,
    ForceOpt,
    Format,
    FormatOpt,
    LangOpt,
    QuestionnaireOpt,
    TableOrJsonOpt,
)
from esgcli.cli.render import dropped_note, make_console
from esgcli.cli.render import label as column_label
from esgcli.engine.verification import Verification, verify
from esgcli.outputs.files import csv_text
from esgcli.outputs.tables import lazy_localised_sheets
from esgcli.questionnaire.policy import resolve_policy
from esgcli.registry.core import DEFAULT_LOCATION, Registry, is_url, open_registry
from esgcli.registry.views import (
    CertificateList,
    CertificateView,
    History,
    certificate_history,
    copy_registry,
    get_certificate,
    list_certificates,
    revoke_certificate,
)

RegistryOpt = Annotated[str | None, typer.Option(
    "--registry", metavar="FILE|URL", help="인증서 레지스트리: SQLite 파일 또는 postgresql:// URL "
    "(기본: $ESG_REGISTRY, 없으면 ./esg-registry.sqlite) / Registry: an SQLite file or a "
    "postgresql:// URL (default: $ESG_REGISTRY, else ./esg-registry.sqlite).")]
OperatorOpt = Annotated[str | None, typer.Option(
    "--operator", metavar="NAME", help="이벤트 기록에 남길 처리자 (기본: 운영체제 사용자) / Who "
    "does this, for the event log (default: the operating-system user).")]
DateOpt = Annotated[str | None, typer.Option(
    "--date", metavar="YYYY-MM-DD", help="오늘 날짜: 발급·만료 판단 기준 (기본: 오늘) / Today's "
    "date for issue and expiry (default: today).")]
NumberArg = Annotated[str, typer.Argument(metavar="NUMBER", help="인증서 번호 / Certificate "
                                          "number.", show_default=False)]
YearFilterOpt = Annotated[int | None, typer.Option(
    "--year", metavar="YEAR", min=YEAR_MIN, max=YEAR_MAX, help="이 연도의 인증서만 / Only "
    "certificates of this program year.")]
PolicyFilterOpt = Annotated[str | None, typer.Option(
    "--policy", metavar="POLICY", help="이 정책의 인증서만 / Only certificates of this policy "
    "(its id).")]

certs_app = typer.Typer(
    no_args_is_help=True,
    help="인증서 레지스트리 / The certificate registry: list, show, revoke, export, verify.")


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


def open_location(registry: str | Path | None, readonly: bool = True) -> Registry:
    return open_registry(registry_location(registry), readonly=readonly)


def say(code: str, lang: str, **params: Any) -> str:
    """The catalogue's text ``code`` in the run's language."""
    return Problem(code=code, params=params).text(lang)


def status_text(status: str, lang: str) -> Text:
    """active / revoked / expired in the run's language, coloured."""
    style = {"active": "green", "expired": "yellow", "revoked": "red"}.get(status, "")
    names = group("certificate.")
    return Text(in_lang(names[status], lang) if status in names else status, style=style)


TABLES = Serves()  # table, json and csv on stdout; no -o
TABLE_OR_JSON = Serves(formats=(Format.table, Format.json))


def _is_rate(name: str) -> bool:
    return name in ("compliance", "score")


class CertStatus(str, Enum):
    active = "active"
    revoked = "revoked"
    expired = "expired"


# ---------------------------------------------------------------- esg certs list
@certs_app.command("list")
def certs_list(
    registry: RegistryOpt = None,
    year: YearFilterOpt = None,
    policy: PolicyFilterOpt = None,
    status: Annotated[CertStatus | None, typer.Option(
        "--status", help="이 상태의 인증서만 (유효·취소·만료, --date 기준) / Only certificates "
        "with this status on --date: active, revoked or expired.")] = None,
    supplier: Annotated[str | None, typer.Option(
        "--supplier", metavar="SUPPLIER_ID", help="이 협력사의 인증서만 / Only this supplier's "
        "certificates.")] = None,
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
    TABLES.check(output_format, None)
    today = parse_date(date)
    language = option_language(lang)
    result = list_certificates(registry_location(registry), today, year, policy,
                               clean_id(supplier) if supplier else supplier,
                               status.value if status is not None else None)
    emit(result, output_format, None, language, sheets=lambda: [("certificates", *result.rows())],
         table=lambda: _print_fitted(lambda width: list_table(result, language, width), language))


def _print_fitted(fit: Callable[[int], Fitted], lang: str) -> None:
    """A table fitted to the terminal's width, and a note naming the columns left out."""
    out = make_console()
    fitted = fit(out.width)
    out.print(fitted.table)
    dropped_note(make_console(stderr=True), fitted.dropped, lang)


def list_table(result: CertificateList, lang: str, width: int) -> Fitted:
    """Certificates fitted to ``width``: numbers, ids, dates and rates never cut, names
    shortened, the policy and issue date left out first (named in a note)."""
    certs = result.certificates
    columns = [
        Column(label("certificate.field.number", lang), [Text(c.number) for c in certs], "key"),
        Column(label("certs.column.supplier", lang), [Text(c.supplier_id) for c in certs], "key",
               short_header=column_label("supplier_id_short", lang)),
        Column(label("certs.column.name", lang), [Text(c.supplier_name or "") for c in certs], "name",
               drop=1),
        Column(label("certs.column.policy", lang), [Text(c.policy_id) for c in certs], "key", drop=4),
        Column(label("certs.column.year", lang), [Text(str(c.year)) for c in certs], "key", drop=2),
        Column(label("certs.column.issued_on", lang), [Text(c.issued_on) for c in certs], "key", drop=3),
        Column(label("certs.column.valid_until", lang), [Text(c.valid_until) for c in certs], "key"),
        Column(label("certs.column.status", lang),
               [status_text(c.status_on(result.today), lang) for c in certs], "key"),
        Column(label("certs.column.compliance", lang), [Text(pct(c.compliance)) for c in certs],
               justify="right"),
    ]
    return fit_table(columns, width)


# ---------------------------------------------------------------- esg certs show
@certs_app.command("show")
def certs_show(
    number: NumberArg,
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
    TABLES.check(output_format, None)
    today = parse_date(date)
    language = option_language(lang)
    result = CertificateView(get_certificate(registry_location(registry), number), today)
    emit(result, output_format, None, language, sheets=lambda: [("certificate", *result.rows())],
         table=lambda: make_console().print(show_table(result, language)))


def show_table(result: CertificateView, lang: str) -> Table:
    """One line per recorded field, names and statuses in the run's language."""
    table = Table(show_header=False)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")  # a sha256 is folded whole onto more lines, never cut
    for key, value in result.to_dict().items():
        names = group("certificate.field.")
        name = in_lang(names[key], lang) if key in names else key
        table.add_row(name, _field_value(key, value, lang))
    return table


def _field_value(key: str, value: Any, lang: str) -> Text:
    if value is None:
        return Text("—")
    if key == "status":
        return status_text(str(value), lang)
    if key == "compliance":
        return Text(pct(value))
    if key == "score":
        return Text(num(value))
    if key == "areas" and isinstance(value, dict):
        parts = []
        for area, rates in value.items():
            if isinstance(rates, dict):
                parts.append(f"{area} {label('certs.area.compliance', lang)} {pct(rates.get('compliance'))}"
                             f" · {label('certs.area.score', lang)} {num(rates.get('score'))}")
            else:
                parts.append(f"{area} {rates}")
        return Text("\n".join(parts))
    if isinstance(value, (dict, list)):
        return Text(json.dumps(value, ensure_ascii=False))
    return Text(str(value))



# ---------------------------------------------------------------- esg certs revoke
@certs_app.command("revoke")
def certs_revoke(
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", metavar="REASON", help="취소 사유 (기록됨) / "
                                        "Why (recorded).")],
    registry: RegistryOpt = None,
    date: DateOpt = None,
    operator: OperatorOpt = None,
    output_format: TableOrJsonOpt = Format.table,
    lang: LangOpt = None,
) -> None:
    """인증 취소 / Revoke a certificate, recording the reason and date.

    \b
    Examples:
      esg certs revoke ESG-2024-0003 --reason "허위 증빙 확인"
    """
    TABLE_OR_JSON.check(output_format, None)
    on = parse_date(date)
    language = option_language(lang)
    result = revoke_certificate(registry_location(registry), number, reason, on, operator)
    cert = result.certificate
    emit(result, output_format, None, language, table=lambda: make_console().print(Text(say(
        "CRT-018", language, number=cert.number, supplier=cert.supplier_id, on=cert.revoked_on,
        reason=cert.revoke_reason)), soft_wrap=True))


# ---------------------------------------------------------------- esg certs export
EXPORT_SERVES = Serves(formats=(Format.table,), files=(".xlsx", ".csv", ".json"))


@certs_app.command("export")
def certs_export(
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="쓸 파일: .xlsx, "
                                         ".csv 또는 .json / The file to write: .xlsx, .csv or "
                                         ".json.")],
    registry: RegistryOpt = None,
    year: YearFilterOpt = None,
    policy: PolicyFilterOpt = None,
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
    language = option_language(lang)
    location = registry_location(registry)
    EXPORT_SERVES.check(Format.table, output, registry_files(location), force)
    result = list_certificates(location, today, year, policy)
    make_console(stderr=True).print(
        Text(say("CRT-019", language, count=len(result.certificates))), soft_wrap=True)
    # the .xlsx in the run's language (headers, sheet, statuses), as `score -o`; CSV and JSON keep
    # the keys and values
    sheets, percent = lazy_localised_sheets(lambda: [("certificates", *result.rows())], language,
                                            _is_rate)
    emit(result, Format.table, output, language, sheets=sheets, percent_columns=percent,
         csv=lambda: csv_text(*result.rows()))


# ---------------------------------------------------------------- esg certs verify
@certs_app.command("verify")
def certs_verify(
    number: NumberArg,
    answers: Annotated[list[Path] | None, typer.Argument(
        metavar="PATH...", help="인증서를 발급한 응답 (협력사 파일이 든 파일·폴더) / The answers "
        "the certificate was issued on (files or folders holding the supplier's file).",
        show_default=False)] = None,
    questionnaire: QuestionnaireOpt = None,
    policy: Annotated[str | None, typer.Option(
        "--policy", metavar="POLICY", help="정책 ID 또는 YAML 파일 (기본: 기록된 정책) / Policy "
        "id or file (default: the recorded policy).")] = None,
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
    TABLES.check(output_format, None)
    today = parse_date(date)
    cert = get_certificate(registry_location(registry), number)
    language = option_language(lang)
    if answers:
        pol = resolve_policy(policy or cert.policy_id)
        data, language = load(answers, questionnaire or cert.questionnaire_id, None, lang)
        result = verify(cert, today, data, pol)
    else:
        result = verify(cert, today)
    emit(result, output_format, None, language, sheets=lambda: [("verification", *result.rows())],
         table=lambda: make_console().print(verify_table(result, language)))
    if not result.matches:
        raise typer.Exit(3)


def verify_table(result: Verification, lang: str) -> Table:
    title = say("CRT-021" if result.matches else "CRT-022", lang, number=result.number)
    table = Table(title=Text(title), title_justify="left")
    for key in ("check", "ok", "recorded", "actual"):
        table.add_column(label(f"certs.verify.{key}", lang), no_wrap=key in ("check", "ok"),
                         overflow="fold")  # a sha256 is folded whole onto more lines, never cut
    for c in result.checks:
        checks = group("certs.check.")
        name = in_lang(checks[c.check], lang) if c.check in checks else c.check
        # rates round to one decimal (§5) unless that would show a mismatch as two equal values
        close = (c.check == "compliance" and not c.ok
                 and all(isinstance(v, (int, float)) for v in (c.recorded, c.actual))
                 and pct(c.recorded) == pct(c.actual))
        table.add_row(Text(name),
                      Text("✓", style="green") if c.ok else Text("✗", style="red"),
                      _check_value(c.check, c.recorded, close, lang),
                      _check_value(c.check, c.actual, close, lang))
    return table



def _check_value(check: str, value: Any, every_digit: bool, lang: str) -> Text:
    if value is None:
        return Text("—")
    if isinstance(value, bool):
        return Text(label("yes" if value else "no", lang))
    if check == "status":
        return status_text(str(value), lang)
    if check == "compliance" and isinstance(value, (int, float)):
        return Text(f"{value}%" if every_digit else pct(value))
    return Text(str(value))


# ---------------------------------------------------------------- esg certs history
@certs_app.command("history")
def certs_history(
    number: NumberArg,
    registry: RegistryOpt = None,
    output_format: FormatOpt = Format.table,
    lang: LangOpt = None,
) -> None:
    """인증서 이력 / Every recorded event of a certificate: issued, revoked, re-issued.

    Each event has its time (UTC), the operator (--operator, else the operating-system user)
    and the batch it belongs to. The log is append-only.

    \b
    Examples:
      esg certs history ESG-2024-0001
      esg certs history ESG-2024-0001 --format json --registry postgresql://esg@db/esg
    """
    TABLES.check(output_format, None)
    language = option_language(lang)
    result = certificate_history(registry_location(registry), number)
    emit(result, output_format, None, language, sheets=lambda: [("history", *result.rows())],
         table=lambda: _print_fitted(lambda width: history_table(result, language, width),
                                     language))


def history_table(result: History, lang: str, width: int) -> Fitted:
    """The events in ``width`` cells: times and certificate numbers never cut (when short, the
    batch, then the operator, then the detail give way, with a note naming them)."""
    events = group("certs.event.")
    rows = result.events
    kinds = [in_lang(events[e.kind], lang) if e.kind in events else e.kind for e in rows]
    columns = [
        Column(label("certs.history.at", lang), [Text(e.at) for e in rows], "key"),
        Column(label("certs.history.kind", lang), [Text(k) for k in kinds], "key"),
        Column(label("certificate.field.number", lang), [Text(e.number or "") for e in rows], "key"),
        Column(label("certs.history.operator", lang), [Text(e.operator or "") for e in rows],
               "name", drop=2),
        Column(label("certs.history.batch", lang), [Text((e.batch or "")[:8]) for e in rows],
               "key", drop=3),
        Column(label("certs.history.detail", lang), [Text(e.detail or "") for e in rows],
               "text", drop=1),
    ]
    return fit_table(columns, width, title=result.number)


# ---------------------------------------------------------------- esg certs copy
@certs_app.command("copy")
def certs_copy(
    source: Annotated[str, typer.Option("--from", metavar="FILE|URL", help="복사할 레지스트리 / "
                                        "The registry to copy.")],
    target: Annotated[str, typer.Option("--to", metavar="FILE|URL", help="복사해 넣을 레지스트리 "
                                        "(없으면 만들고 필요하면 갱신) / The registry to copy into "
                                        "(created and migrated if needed).")],
    output_format: TableOrJsonOpt = Format.table,
    lang: LangOpt = None,
) -> None:
    """레지스트리 복사 / Copy a registry (SQLite ↔ PostgreSQL) with numbers, statuses and events.

    Certificates and events the target lacks are added, and a revocation recorded in the source
    is carried over, in one transaction; running it again changes nothing. A certificate number
    held in both by different certificates stops the copy (exit 4).

    \b
    Examples:
      esg certs copy --from esg-registry.sqlite --to postgresql://esg@db.example.com/esg
    """
    TABLE_OR_JSON.check(output_format, None)
    language = option_language(lang)
    result = copy_registry(source, target)
    emit(result, output_format, None, language, table=lambda: _copy_note(result.to_dict(), language))


def _copy_note(result: dict[str, Any], lang: str) -> None:
    c, e = result["certificates"], result["events"]
    make_console(stderr=True).print(Text(say(
        "CRT-020", lang, source=result["from"], target=result["to"], copied=c["copied"],
        updated=c["updated"], unchanged=c["unchanged"], events_copied=e["copied"],
        events_unchanged=e["unchanged"])), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add `esg certs ...` to the application."""
    app.add_typer(certs_app, name="certs")
