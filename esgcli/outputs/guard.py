"""What `-o` may write over (SPEC §9): never a folder or a path below a file, and, unless
`--force`, never a certificate registry or a workbook that holds answers (a sheet with a
supplier-id header and records). Earlier result files that esg wrote are simply replaced."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from esgcli.base.problems import InputError, usage_problem

SQLITE_MAGIC = b"SQLite format 3\x00"
RESULT_CREATOR = "esgcli"  # dc:creator of every result workbook esg writes (not templates)
# Columns that only esg's result tables have: a table with one of them is a result, not answers.
RESULT_COLUMNS = frozenset({"compliance", "compliance.before", "status", "qualifies", "준수율"})
CREATOR_XML = ('<dc:creator>' + RESULT_CREATOR + '</dc:creator>')


def check_target(path: Path, force: bool = False) -> None:
    """Refuse (exit 2, located) an output path that cannot or may not be written."""
    if path.is_dir():
        raise usage_problem("OUT-003", path=str(path))
    for parent in path.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise usage_problem("OUT-004", path=str(path), parent=str(parent))
            break
    if not path.absolute().parent.is_dir():  # a typo in a folder name: never a new tree
        raise usage_problem("OUT-013", path=str(path), folder=str(path.parent))
    if force or not path.is_file():
        return
    if is_registry(path):
        raise usage_problem("OUT-006", path=str(path))
    held = answers_held(path)
    if held is not None:
        raise usage_problem("OUT-007", path=str(path), sheet=held[0], rows=held[1])


def check_new_folder(folder: Path) -> None:
    """Refuse (exit 2) a folder output (`feedback -o DIR`, `template --per-supplier -o DIR`,
    `certify --documents DIR`) whose parent folder is missing: the folder itself may be made,
    but a tree is never made from a mistyped name. (A file in its place is the caller's.)"""
    if not folder.exists() and not folder.absolute().parent.exists():
        raise usage_problem("OUT-014", path=str(folder), parent=str(folder.parent))


def is_registry(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def written_by_esg(path: Path) -> bool:
    """A result workbook written by esg (its core properties name esgcli as creator)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("docProps/core.xml") as handle:
            return CREATOR_XML.encode() in handle.read(65536)
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return False


def answers_held(path: Path) -> tuple[str, int] | None:
    """(sheet, supplier rows) of the first sheet that holds answers, else None."""
    from esgcli.answers.headers import ROLE_BY_KEY, alias_key, find_header_row
    from esgcli.answers.workbook import CSV_SUFFIXES, EXCEL_SUFFIXES, open_workbook
    from esgcli.base.tokens import header_key, is_blank

    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + EXCEL_SUFFIXES or written_by_esg(path):
        return None
    try:
        book = open_workbook(path)
        for name in book.sheet_names:
            sheet = book.load(name)
            r = find_header_row(sheet)
            if r is None:
                continue
            header = sheet.row(r)
            if any(isinstance(h, str) and header_key(h) in RESULT_COLUMNS for h in header):
                continue
            j = next(k for k, h in enumerate(header)
                     if isinstance(h, str) and ROLE_BY_KEY.get(alias_key(h)) == "supplier_id")
            codes, uniques = sheet.encoded(j, r + 1)
            filled = [k for k, u in enumerate(uniques) if not is_blank(u)]
            rows = int(np.isin(codes, filled).sum())
            if rows:
                return name, rows
    except InputError:  # not readable as a workbook: nothing an operator could lose
        return None
    return None
