"""Many small answer files read as one sheet (SPEC §12): a campaign's per-supplier replies.

Reading a file costs a pass over every column of its sheet, whatever its size: for a folder of
a thousand per-supplier workbooks of two rows that pass, not the cells, is the time. So each
file is opened once (its cells, where its header is, what `esg template` recorded, its sha256),
and consecutive files whose header rows are the same are stacked under one header and read in
one pass (:func:`read_run`). Every record keeps its file and Excel row, duplicates within one
file are told from duplicates across files, and every problem names its own file: the result
is the one reading each file alone and merging gives (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from esgcli.answers.answerset import AnswerSet, Source
from esgcli.answers.headers import ROLE_BY_KEY, alias_key
from esgcli.answers.opening import OpenedFile
from esgcli.answers.read import read_sheet
from esgcli.answers.workbook import GridSheet, StackedSheet
from esgcli.base.problems import InputError, Problem
from esgcli.questionnaire.questionnaire import Questionnaire

__all__ = ["read_run", "runs_of"]


def _header(opened: OpenedFile) -> tuple[Any, ...] | None:
    """What must be equal for files to be read as one sheet; None when a file is read alone
    (cells marked by the fidelity scan are placed by their own row; a long layout's records
    gather rows)."""
    sheet = opened.sheet
    if not isinstance(sheet, GridSheet) or opened.bad_cells or sheet.n_rows <= opened.header_row:
        return None
    header = list(sheet.row(opened.header_row))
    while header and header[-1] in ("", None):
        header.pop()
    key = (sheet.excel_row(opened.header_row), sheet.col_offset, *header)
    return None if _long_layout(key) else key


def _long_layout(key: tuple[Any, ...]) -> bool:
    """A header naming an indicator or answer column (records gather rows: read alone);
    asked once per distinct header, not once per file."""
    known = _LONG_LAYOUT.get(key)
    if known is None:
        known = any(ROLE_BY_KEY.get(alias_key(v)) in ("indicator", "answer") for v in key[2:]
                    if isinstance(v, str))
        if len(_LONG_LAYOUT) < 256:
            _LONG_LAYOUT[key] = known
    return known


_LONG_LAYOUT: dict[tuple[Any, ...], bool] = {}


def runs_of(opened: Sequence[OpenedFile]) -> list[list[OpenedFile]]:
    """Readable files in order, cut into runs of consecutive files with the same header."""
    runs: list[list[OpenedFile]] = []
    last: tuple[Any, ...] | None = None
    for o in opened:
        if o.sheet is None:
            continue
        key = _header(o)
        if runs and key is not None and key == last:
            runs[-1].append(o)
        else:
            runs.append([o])
        last = key
    return runs


def read_run(run: list[OpenedFile], questionnaire: Questionnaire
             ) -> tuple[AnswerSet | None, dict[str, list[Problem]]]:
    """The records of a run of files as one answer set (each record with its `file`, each file
    its own `Source`), or None and each file's problems when the header makes them unreadable."""
    if len(run) == 1:
        return _read_alone(run[0], questionnaire)
    first = run[0]
    assert first.sheet is not None
    header = list(first.sheet.row(first.header_row))
    bodies, first_rows = [], []
    for o in run:
        assert isinstance(o.sheet, GridSheet)
        bodies.append(o.sheet.cells[o.header_row + 1:])
        first_rows.append(o.sheet.excel_row(o.header_row + 1))
    stacked = StackedSheet(first.sheet.name, header, bodies, first_rows,
                           first.sheet.excel_row(first.header_row), first.sheet.col_offset)
    try:
        data = read_sheet(first.name, stacked, questionnaire, header_row=0)
    except InputError as exc:  # the header they share: every file as unreadable as the first
        return None, {o.name: [_to_file(p, o) for p in exc.problems] for o in run}
    parts = data.records["part"].to_numpy()
    names = np.array([o.name for o in run], dtype=object)
    records = data.records.drop(columns="part")
    records["file"] = names[parts]
    placed: list[tuple[int, Problem]] = []
    for p in data.problems:
        if p.record is not None:
            k = int(parts[p.record])
            placed.append((k, _to_file(p, run[k])))
        else:  # of the header: each file is told, as if read alone
            placed += [(k, _to_file(p, o)) for k, o in enumerate(run)]
    placed.sort(key=lambda kp: kp[0])  # stable: each file's problems in the order read alone
    by_file: list[list[Problem]] = [list(o.warnings) for o in run]
    for k, p in placed:
        by_file[k].append(p)
    problems = [p for ps in by_file for p in ps]
    counts = np.bincount(parts, minlength=len(run))
    sources = tuple(
        Source(file=o.name, path=str(o.path), sheet=o.sheet.name if o.sheet else "",
               sha256=o.sha256, layout=data.source.layout, records=int(counts[k]), reads=o.reads)
        for k, o in enumerate(run))
    return replace(data, records=records, source=sources[0], sources=sources,
                   problems=problems), {}


def _to_file(problem: Problem, opened: OpenedFile) -> Problem:
    sheet = opened.sheet.name if opened.sheet is not None else problem.sheet
    sheet = sheet if problem.sheet is not None else None
    if problem.file == opened.name and problem.sheet == sheet:
        return problem
    return problem.placed(opened.name, sheet)


def _read_alone(opened: OpenedFile, questionnaire: Questionnaire
                ) -> tuple[AnswerSet | None, dict[str, list[Problem]]]:
    """One file read as `answers.read_answers` reads it."""
    assert opened.sheet is not None
    try:
        result = read_sheet(opened.path.name, opened.sheet, questionnaire, opened.header_row,
                            opened.bad_cells)
    except InputError as exc:
        return None, {opened.name: opened.relabel(exc.problems)}
    source = Source(file=opened.name, path=str(opened.path), sheet=opened.sheet.name,
                    sha256=opened.sha256, layout=result.source.layout, records=len(result),
                    reads=opened.reads)
    records = result.records
    records["file"] = opened.name  # a frame of our own, built by the sheet reader
    return replace(result, source=source, sources=(source,),
                   problems=opened.warnings + opened.relabel(result.problems)), {}
