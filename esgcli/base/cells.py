"""Cell values and names that are safe to hand on: text a spreadsheet would run as a formula,
characters XML cannot hold, file names from supplier names, column letters."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not in XML 1.0


def spreadsheet_value(value: Any) -> Any:
    """A value for an .xlsx cell: neutralised, and characters XML cannot hold (pasted control
    characters arrive as `_x0007_` in workbooks) replaced by U+FFFD."""
    return xml_safe(neutralise(value))


def xml_safe(value: Any) -> Any:
    """Text with the characters XML cannot hold replaced by U+FFFD; other values as they are."""
    return _XML_ILLEGAL.sub("\ufffd", value) if isinstance(value, str) else value


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet would run as a formula if it were typed in."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if is_formula_like(value):
        return "'" + value
    return value


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def supplier_file_name(supplier_id: str, supplier_name: str | None, suffix: str) -> str:
    """`{supplier_id}_{supplier_name}{suffix}`, characters file systems refuse replaced by `_`.

    One rule for every per-supplier file (feedback pages, per-supplier workbooks)."""
    stem = f"{supplier_id}_{supplier_name}" if supplier_name else supplier_id
    stem = UNSAFE_FILE_CHARS.sub("_", unicodedata.normalize("NFC", stem)).strip(" .") or "_"
    return f"{stem[:150]}{suffix}"
