"""Which program year each record belongs to (SPEC §7, §8, §12), and what was assumed (pure).

A record's year is its year cell. A file with no year at all (no year column) is taken to be
of the year asked for (`--year`), or for the annual report of a year its name holds, and that
is said. A blank year cell in a file whose other records hold years is no year anyone can
tell: a located error (SEL-004), never a record silently left out of one command and counted
in another's year.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from esgcli.answers.answerset import AnswerSet, record_files
from esgcli.base.formatting import few_names
from esgcli.base.problems import InputError, Problem

__all__ = ["of_year", "year_in_name", "years_of_records"]


def of_year(data: AnswerSet, year: int, strict: bool = True) -> tuple[AnswerSet, list[Problem]]:
    """The records of ``year`` and what was assumed to find them.

    A file whose records hold no year at all is taken to be of ``year``, and said (SEL-005,
    one warning naming the files). A blank year cell in a file whose other records hold years
    is SEL-004 for each such record, naming its file and row (``strict=False``: left out, for a
    check that looks for one supplier's record only). No record of ``year``: SEL-003."""
    files, known, dated = _dated(data)
    mask = (data.records["year"] == year).to_numpy(dtype=bool)
    notes: list[Problem] = []
    if not known.all():
        blank = ~known & dated
        if strict and blank.any():
            raise _blank_years(data, files, blank, year)
        undated = ~dated
        mask = mask | undated
        named = [str(f) for f in dict.fromkeys(files[undated].tolist())]
        if named:
            notes.append(Problem(code="SEL-005", severity="warning", params={
                "year": year, "files": few_names(named), "count": len(named)}))
    if not mask.any():
        years = sorted({int(y) for y in data.records["year"].dropna()})
        raise InputError([Problem(code="SEL-003", file=data.source.file, params={
            "year": year, "available": ", ".join(map(str, years)) or "-"})])
    return data.select(mask), notes


def _row(records: pd.DataFrame, i: int) -> int | None:
    if "excel_row" not in records:
        return None
    value = records["excel_row"].iloc[i]
    return None if pd.isna(value) else int(value)


def _dated(data: AnswerSet) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Each record's file, whether its year is known, and whether its file holds any year."""
    files = pd.Series(record_files(data.records), dtype=object).fillna(data.source.file)
    known = data.records["year"].notna().to_numpy(dtype=bool)
    dated = pd.Series(known).groupby(files.to_numpy(), sort=False).transform("any")
    return files, known, dated.to_numpy(dtype=bool)


def _blank_years(data: AnswerSet, files: pd.Series, blank: np.ndarray, year: int) -> InputError:
    records = data.records
    sheets = {src.file: src.sheet for src in (*data.sources, data.source)}
    return InputError([Problem(code="SEL-004", file=str(files.iloc[i]),
                               sheet=sheets.get(str(files.iloc[i]), ""), row=_row(records, int(i)),
                               supplier_id=str(records["supplier_id"].iloc[i]),
                               params={"year": year}) for i in np.flatnonzero(blank)])


# A year in a file name: 19xx or 20xx standing alone (`2023.xlsx`, `2023년`, `2023/…`), not part
# of a code (`S2019_…`) or of a date (`사전진단_2023-11.csv` is the month of a diagnosis, and a
# program year may span the turn of the year)
_YEAR_IN_NAME = re.compile(r"(?<![0-9A-Za-z])(?<!\d[-./])(?:19|20)\d{2}(?![0-9A-Za-z])(?![-./]\d)")


def year_in_name(name: str) -> int | None:
    """The one year ``name`` holds standing alone; None when it holds none, or several."""
    found = set(_YEAR_IN_NAME.findall(name))
    return int(found.pop()) if len(found) == 1 else None


def years_of_records(data: AnswerSet, default_year: int) -> tuple[np.ndarray, list[Problem]]:
    """Each record's year for the annual report, and what was assumed: its year cell; in a
    file with no year at all, the year its name holds (RPT-014, naming the files), else
    ``default_year`` (SEL-005). A blank year cell beside years is SEL-004."""
    files, known, dated = _dated(data)
    blank = ~known & dated
    if blank.any():
        raise _blank_years(data, files, blank, default_year)
    years = np.full(len(known), default_year, dtype=np.int64)
    if known.any():
        years[known] = data.records["year"].to_numpy()[known].astype(np.int64)
    notes: list[Problem] = []
    if not known.all():
        named: dict[str, int] = {}
        assumed: list[str] = []
        for name in dict.fromkeys(files[~known].tolist()):
            found = year_in_name(str(name))
            if found is None:
                assumed.append(str(name))
            else:
                named[str(name)] = found
                years[(files == name).to_numpy() & ~known] = found
        if named:
            shown = [f"{name} → {y}" for name, y in named.items()]
            notes.append(Problem(code="RPT-014", severity="warning", params={
                "files": few_names(shown), "count": len(shown), "names": shown}))
        if assumed:
            notes.append(Problem(code="SEL-005", severity="warning", params={
                "year": default_year, "files": few_names(assumed), "count": len(assumed),
                "names": assumed}))
    return years, notes
