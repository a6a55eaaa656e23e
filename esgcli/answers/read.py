"""Reading an answers workbook against a questionnaire (SPEC §3–4).

``read_answers`` returns an :class:`AnswerSet`: one record per supplier and round, the parsed
status and points of every answer (suppliers × indicators matrices) and every problem found,
each located by file, sheet and cell. Columns are parsed by distinct value, never cell by cell.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from esgcli.answers.answerset import AnswerSet, Source
from esgcli.answers.fastread.fidelity import scan_cells
from esgcli.answers.headers import (
    HEADER_SEARCH_ROWS,
    ROLE_BY_KEY,
    alias_key,
    find_header_row,
    supplier_id_headers,
)
from esgcli.answers.opening import META_SHEET, find_sheet, workbook_meta
from esgcli.answers.paths import file_sha256
from esgcli.answers.sheet_reader import SheetReader, match_indicator, profile_headers
from esgcli.answers.workbook import GridSheet, Sheet, open_workbook
from esgcli.base.problems import InputError, Problem
from esgcli.base.tokens import clean_id, clean_text, is_blank
from esgcli.questionnaire.questionnaire import Questionnaire

__all__ = ["AnswerSet", "Source", "match_indicator", "read_answers", "read_answers_frame"]


def read_answers(path: str | Path, questionnaire: Questionnaire,
                 sheet: str | None = None) -> AnswerSet:
    """Read every answer of a workbook; problems are collected in the result, not raised.

    Only a file that cannot be read at all (not a workbook, no header row, missing columns)
    raises :class:`InputError`.
    """
    path = Path(path)
    book = open_workbook(path)
    found, header_row = find_sheet(book, sheet)
    bad_cells = found.scanned_cells
    file, name = book.file, found.name
    if bad_cells is not None:
        scan = Problem(code="RD-021", file=file, sheet=name)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        why: list[str] = []
        bad_cells = scan_cells(path, found.name, why)
        scan = Problem(code="RD-023", file=file, sheet=name, params={"detail": why[0]}) if why \
            else Problem(code="RD-022", file=file, sheet=name)
    else:
        bad_cells = {}
        scan = Problem(code="RD-023", file=file, sheet=name, params={"detail": path.suffix.lower()})
    result = read_sheet(book.file, found, questionnaire, header_row, bad_cells)
    source = Source(file=path.name, path=str(path), sheet=found.name,
                    sha256=file_sha256(path), layout=result.source.layout, records=len(result),
                    reads=(*book.reads, scan))
    records = result.records
    records["file"] = path.name  # a frame of our own, built by the sheet reader
    return replace(result, source=source, sources=(source,),
                   problems=book.warnings + result.problems)


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic structures."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_sheet(file: str, sheet: Sheet, questionnaire: Questionnaire,
               header_row: int | None = None,
               bad_cells: dict[tuple[str, int], tuple[str, str]] | None = None) -> AnswerSet:
    """Parse one sheet (any backend) into an AnswerSet; the source is filled in by the caller."""
    if header_row is None:
        header_row = find_header_row(sheet)
        if header_row is None:
            raise InputError([Problem(code="WB-006", file=file, sheet=sheet.name,
                                      params={"rows": HEADER_SEARCH_ROWS,
                                      "headers": supplier_id_headers()})])
    reader = SheetReader(file, sheet, header_row, questionnaire)
    reader.bad_cells = bad_cells or {}
    with no_gc():
        parts = reader.read()
    return AnswerSet(questionnaire=questionnaire,
                     source=Source(file, file, sheet.name, "", reader.layout), **parts)


def read_answers_frame(frame: pd.DataFrame, questionnaire: Questionnaire,
                       name: str = "table") -> AnswerSet:
    """Answers from an in-memory table whose columns are the header row (library use)."""
    cells = np.empty((len(frame) + 1, len(frame.columns)), dtype=object)
    cells[0] = [str(c) for c in frame.columns]
    cells[1:] = frame.to_numpy(dtype=object)
    return read_sheet(name, GridSheet(name, cells), questionnaire, header_row=0)


def recorded_meta(path: str | Path) -> dict[str, str]:
    """Everything `esg template` recorded in its hidden sheet (empty if there is none)."""
    import zipfile

    from esgcli.answers.xlsx_checks import sheet_part

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".ods", ".xls") or not path.is_file():
        return {}
    try:
        if suffix in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as archive:
                if sheet_part(archive, META_SHEET) is None:
                    return {}
        return workbook_meta(open_workbook(path))
    except Exception:  # an unreadable file is reported when the answers are read
        return {}


_RECORDED_ID = re.compile(r"[A-Za-z0-9가-힣][A-Za-z0-9가-힣._-]{0,99}")


def recorded_questionnaire(meta: dict[str, str], file: str) -> str | None:
    """The questionnaire id recorded by `esg template`: only an id, looked up in the catalogue
    (its sha256 is checked by the caller), never a path that a crafted workbook could name."""
    ident = meta.get("questionnaire_id")
    if ident is None:
        return None
    from esgcli.questionnaire.questionnaire import looks_like_path

    if not _RECORDED_ID.fullmatch(ident) or ident.lower().endswith((".yaml", ".yml")) \
            or looks_like_path(ident):
        raise InputError([Problem(code="WB-011", file=file, sheet=META_SHEET, value=ident)])
    return ident


def read_supplier_list(path: str | Path, questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """Suppliers to prefill a template with: id, name and profile values (raw) per row."""
    path = Path(path)
    book = open_workbook(path)
    grid, header_row = find_sheet(book, None)
    header = grid.row(header_row)
    profile_keys = profile_headers(questionnaire)
    columns: dict[str, int] = {}
    for j, value in enumerate(header):
        key = alias_key(value)
        name = ROLE_BY_KEY.get(key) or profile_keys.get(key)
        if name and name not in columns:
            columns[name] = j
    rows = []
    for r in range(header_row + 1, grid.n_rows):
        row = grid.row(r)
        ident = clean_id(row[columns["supplier_id"]])
        if not ident:
            continue
        rows.append({
            "supplier_id": ident,
            "supplier_name": clean_text(row[columns["supplier_name"]]) if "supplier_name" in columns
            else "",
            "profile": {p.id: row[columns[p.id]] for p in questionnaire.model.profile
                        if p.id in columns and not is_blank(row[columns[p.id]])},
        })
    return rows
