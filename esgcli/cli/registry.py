"""`esg certs history` and `esg certs copy`: the event log and moving a registry (SPEC §14)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from esgcli.cli.certify import RegistryOpt, certs_app, open_location
from esgcli.cli.main import Format, FormatOpt, LangOpt, emit, option_language
from esgcli.cli.render import make_console
from esgcli.outputs.files import to_json
from esgcli.registry.core import open_registry

KINDS = {"issued": ("발급", "issued"), "revoked": ("취소", "revoked"),
         "reissued": ("재발급", "re-issued")}


@certs_app.command("history")
def certs_history(
    number: Annotated[str, typer.Argument(help="Certificate number.")],
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
    language = option_language(lang)
    reg = open_location(registry)
    try:
        events = reg.history(number)
    finally:
        reg.close()
    if output_format is Format.json:
        emit(to_json({"number": number, "events": [e.to_dict() for e in events]}))
        return
    if output_format is Format.csv:
        from esgcli.outputs.files import csv_text

        header = ["at", "kind", "number", "operator", "batch", "detail"]
        emit(csv_text(header, [[getattr(e, k) for k in header] for e in events]))
        return
    ko = language == "ko"
    table = Table(title=Text(number), title_justify="left")
    for name in (("시각 (UTC)", "When (UTC)"), ("내용", "Event"), ("인증서 번호", "Number"),
                 ("처리자", "Operator"), ("일괄 작업", "Batch"), ("비고", "Detail")):
        table.add_column(name[0] if ko else name[1])
    for e in events:
        kind = KINDS.get(e.kind, (e.kind, e.kind))
        table.add_row(e.at, kind[0] if ko else kind[1], Text(e.number or ""), Text(e.operator or ""),
                      (e.batch or "")[:8], Text(e.detail or ""))
    make_console().print(table)


@certs_app.command("copy")
def certs_copy(
    source: Annotated[str, typer.Option("--from", metavar="FILE|URL", help="The registry to copy.")],
    target: Annotated[str, typer.Option("--to", metavar="FILE|URL", help="The registry to copy "
                                        "into (created and migrated if needed).")],
    output_format: FormatOpt = Format.table,
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
    language = option_language(lang)
    src = open_registry(source, readonly=True)
    try:
        dst = open_registry(target)
        try:
            result = dst.copy_from(src)
        finally:
            dst.close()
    finally:
        src.close()
    if output_format is Format.json:
        emit(to_json(result))
        return
    c, e = result["certificates"], result["events"]
    make_console(stderr=True).print(Text(
        f"{result['from']} → {result['to']}: 인증서 {c['copied']}건 복사, {c['updated']}건 취소 반영, "
        f"{c['unchanged']}건 그대로 · 이벤트 {e['copied']}건 복사, {e['unchanged']}건 그대로"
        if language == "ko" else
        f"{result['from']} → {result['to']}: certificates {c['copied']} copied, {c['updated']} "
        f"revocations carried over, {c['unchanged']} unchanged · events {e['copied']} copied, "
        f"{e['unchanged']} unchanged"), soft_wrap=True)
