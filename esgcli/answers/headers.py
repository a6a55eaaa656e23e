"""Which header names a supplier id, a name, a round or a year, and where the header row is.

Kept apart from the sheet reader (which needs pandas) so that a campaign's replies can be
opened, and their header rows found, by processes started before pandas is imported.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from esgcli.base.tokens import header_key

if TYPE_CHECKING:
    from esgcli.answers.workbook import Sheet

__all__ = ["HEADER_SEARCH_ROWS", "REMARKS_KEYS", "ROLE_ALIASES", "ROLE_BY_KEY", "alias_key",
           "find_header_row", "supplier_id_headers"]

HEADER_SEARCH_ROWS = 20
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "supplier_id": ("supplier_id", "supplier id", "supplier code", "협력사코드", "업체코드",
                    "사업자등록번호", "사업자번호", "회사코드"),
    "supplier_name": ("supplier_name", "supplier name", "협력사명", "업체명", "회사명"),
    "round": ("round", "차수", "구분", "진단차수"),
    "year": ("year", "연도", "사업연도"),
    "indicator": ("indicator", "indicator_id", "지표", "지표코드"),
    "answer": ("answer", "응답", "응답값"),
}


def alias_key(value: Any) -> str:
    if isinstance(value, str):
        return _alias_key(value)
    return re.sub(r"[\s_]+", "", header_key(value))


@functools.lru_cache(maxsize=4096)  # the same headers in every reply of a campaign
def _alias_key(value: str) -> str:
    return re.sub(r"[\s_]+", "", header_key(value))


ROLE_BY_KEY = {alias_key(a): role for role, aliases in ROLE_ALIASES.items() for a in aliases}
# Remarks columns are normal in a filled workbook: known, read by nobody, never warned about
REMARKS_KEYS = frozenset(alias_key(a) for a in ("비고", "remarks", "remark", "note", "notes", "메모"))


def supplier_id_headers() -> str:
    """The accepted supplier-id headers, for messages (WB-006)."""
    return ", ".join(ROLE_ALIASES["supplier_id"])


def find_header_row(sheet: Sheet) -> int | None:
    """Index of the first row, within the first 20, holding a supplier-id header."""
    for r in range(min(HEADER_SEARCH_ROWS, sheet.n_rows)):
        for value in sheet.row(r):
            if isinstance(value, str) and _names_supplier_id(value):
                return r
    return None


@functools.lru_cache(maxsize=4096)  # the same title and header cells in every reply
def _names_supplier_id(value: str) -> bool:
    return ROLE_BY_KEY.get(alias_key(value)) == "supplier_id"
