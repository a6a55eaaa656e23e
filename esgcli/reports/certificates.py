"""Printable, self-contained HTML certificates (Korean and English), one per certificate."""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from pathlib import Path

from esgcli.base.problems import UsageError
from esgcli.outputs.files import write_text
from esgcli.registry.core import Certificate

STYLE = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif;
       margin: 0; color: #1b2a3a; }
.frame { border: 6px double #1f4e78; padding: 36px 56px; margin: 16px; min-height: 150mm;
         text-align: center; }
h1 { font-size: 40px; letter-spacing: 12px; margin: 8px 0 0; }
h2 { font-size: 18px; font-weight: normal; color: #555; margin: 4px 0 28px; }
.name { font-size: 30px; font-weight: bold; margin: 18px 0 4px; }
.id { color: #555; }
p.body { font-size: 16px; line-height: 1.7; max-width: 720px; margin: 18px auto; }
table { margin: 16px auto; border-collapse: collapse; font-size: 14px; }
td, th { border: 1px solid #c8d3df; padding: 6px 14px; }
th { background: #eef3f8; font-weight: normal; }
.meta { font-size: 13px; color: #444; margin-top: 22px; }
.number { font-family: monospace; font-size: 15px; }
"""


def certificate_html(cert: Certificate, policy_title: dict[str, str], program: str | None,
                     area_titles: dict[str, str] | None = None) -> str:
    import json

    e = html.escape
    areas = json.loads(cert.areas)
    titles = area_titles or {}
    area_rows = "".join(
        f"<tr><th>{e(a)} {e(titles.get(a, ''))}</th><td>{_pct(v.get('compliance'))}</td></tr>"
        for a, v in areas.items())
    title_ko = e(policy_title.get("ko") or cert.policy_id)
    title_en = e(policy_title.get("en") or cert.policy_id)
    program_line = f"<div class='meta'>{e(program)}</div>" if program else ""
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(cert.number)} · {title_ko}</title><style>{STYLE}</style></head>
<body><div class="frame">
<div class="number">No. {e(cert.number)}</div>
<h1>{title_ko} 확인서</h1>
<h2>Certificate · {title_en}</h2>
<div class="name">{e(cert.supplier_name or cert.supplier_id)}</div>
<div class="id">협력사코드 / Supplier ID: {e(cert.supplier_id)}</div>
<p class="body">위 기업은 {cert.year}년 협력사 ESG 지원사업의 평가 결과 「{title_ko}」 기준을 충족하였음을
확인합니다.<br>This is to certify that the company above met the criteria of “{title_en}” in the
{cert.year} supplier ESG support program.</p>
<table><tr><th>전체 지표 준수율 / Overall compliance</th><td>{_pct(cert.compliance)}</td></tr>
{area_rows}</table>
<div class="meta">발급일 / Issued on: {e(cert.issued_on)} · 유효기간 / Valid until: {e(cert.valid_until)}
· 사업연도 / Program year: {cert.year}</div>
<div class="meta">기준 / Rule: {e(cert.policy_id)} {e(cert.policy_version)} · 질문지 / Questionnaire:
{e(cert.questionnaire_id)} {e(cert.questionnaire_version)} · 자료 / Data: {e(cert.answers_file)}
(sha256 {e(cert.answers_sha256[:12])}…)</div>
{program_line}
</div></body></html>
"""


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


PLAIN_NAME = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,99}")
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                    *(f"LPT{i}" for i in range(10))}


def document_name(number: str) -> str:
    """The file name of a certificate's document: the number itself when it is a plain, short,
    upper-case name (the same on every file system), else a cleaned, shortened number and a
    hash of the exact number after `~`, which no plain name contains, so two numbers never share
    a file, not even on case-insensitive file systems."""
    if PLAIN_NAME.fullmatch(number) and not number.endswith(".") \
            and number.split(".")[0] not in WINDOWS_RESERVED:
        return f"{number}.html"
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in number)[:48].strip(".")
    digest = hashlib.sha256(number.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{cleaned}~{digest}.html"


def check_folder(folder: Path) -> None:
    """A folder documents can be written to (created if missing), or a usage error (exit 2)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".esg-probe-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        cause = exc.strerror or str(exc)
        raise UsageError.of("DOC-001", folder=folder, cause=cause) from None


def write_missing(folder: Path, certs: list[Certificate], policy_title: dict[str, str],
                  program: str | None = None,
                  area_titles: dict[str, str] | None = None) -> tuple[int, int]:
    """Write the documents of ``certs`` that are not in ``folder`` yet; (written, present)."""
    written = present = 0
    for cert in certs:
        path = folder / document_name(cert.number)
        if path.exists():
            present += 1
            continue
        try:
            write_text(path, certificate_html(cert, policy_title, program, area_titles))
        except OSError as exc:
            cause = exc.strerror or str(exc)
            raise UsageError.of("DOC-002", path=path, cause=cause) from None
        written += 1
    return written, present


def write_certificate(folder: Path, cert: Certificate, policy_title: dict[str, str],
                      program: str | None = None,
                      area_titles: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / document_name(cert.number)
    write_text(path, certificate_html(cert, policy_title, program, area_titles))
    return path
