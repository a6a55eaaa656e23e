"""Cells that every fast reader turns into blanks: Excel error values (`#N/A`, `#DIV/0!`) and
formulas saved without a computed value. Found by scanning the sheet's XML, so that they are
reported instead of silently counted as missing answers (READING.md, "fidelity traps")."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_SCAN_BYTES = 64 * 1024**2  # larger sheets are not scanned (documented in SECURITY.md)
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)


def scan_cells(path: Path, sheet_name: str) -> dict[tuple[str, int], tuple[str, str]]:
    """(column letter, row) -> ("error", "#N/A") or ("formula", formula text) for an xlsx sheet."""
    try:
        from .xlsx_checks import sheet_part

        with zipfile.ZipFile(path) as archive:
            part = sheet_part(archive, sheet_name)
            if part is None or archive.getinfo(part).file_size > MAX_SCAN_BYTES:
                return {}
            xml = archive.read(part)
    except Exception:  # an unreadable part is reported by the reader itself
        return {}
    if b't="e"' not in xml and b"<f" not in xml:
        return {}
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for match in _CELL.finditer(xml):
        letters, row, attrs, body = match.groups()
        body = body or b""
        value = _VALUE.search(body)
        if b't="e"' in attrs:
            text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
            found[(letters.decode(), int(row))] = ("error", text)
        elif b"<f" in body and (value is None or not value.group(1)):
            formula = re.search(rb"<f[^>]*>(.*?)</f>", body, re.S)
            text = formula.group(1).decode("utf-8", "replace") if formula else "="
            found[(letters.decode(), int(row))] = ("formula", "=" + text.lstrip("="))
    return found
