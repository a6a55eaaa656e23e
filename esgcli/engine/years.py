"""Which program year each record belongs to (SPEC §7, §8, §12), and what was assumed (pure).

A record's year is its year cell. A file with no year at all (no year column) is taken to be
of the year asked for (`--year`), and that is said; the annual report also reads a year from
the name of a PATH that is one file (`2023.xlsx`), never from the files of a folder (a
campaign's replies are named `{supplier_id}_{supplier_name}`, and `2019_…` or `(주)2000산업`
are no years). A blank year cell in a file whose other records hold years is no year anyone
can tell (SEL-004, said when the file is read: `answerset.blank_year_problems`). A record taken
as the year that repeats a supplier and round of that year is an error naming both (SEL-006),
never a supplier counted twice.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from esgcli.answers.answerset import (
    AnswerSet,
    YearCells,
    blank_year_problems,
    record_row,
    year_cells,
)
from esgcli.base.formatting import few_names
from esgcli.base.problems import InputError, Problem
from esgcli.engine.rounds import round_key

__all__ = ["of_year", "repeats_in_year", "report_years", "year_in_name", "years_of_records"]


def of_year(data: AnswerSet, year: int, strict: bool = True) -> tuple[AnswerSet, list[Problem]]:
    """The records of ``year`` and what was assumed to find them.

    A file whose records hold no year at all is taken to be of ``year``, and said (SEL-005,
    one warning naming the files); one of its records that repeats a supplier and round of
    ``year`` is SEL-006. A blank year cell beside years is SEL-004 (``strict=False``: such
    records are left out, for a check that looks for one supplier's record only). No record of
    ``year``: SEL-003."""
    cells = year_cells(data)
    mask = (data.records["year"] == year).to_numpy(dtype=bool)
    notes: list[Problem] = []
    if not cells.known.all():
        if strict and cells.blank.any():
            raise InputError(blank_year_problems(data))
        mask = mask | cells.undated
        named = [str(f) for f in dict.fromkeys(np.array(cells.files, dtype=object)[cells.undated])]
        if named:
            notes.append(Problem(code="SEL-005", severity="warning", params={
                "year": year, "files": few_names(named), "count": len(named)}))
        years = np.where(cells.known, data.records["year"].to_numpy(), year)
        repeats = repeats_in_year(data, cells, years, mask)
        if repeats and strict:
            raise InputError(repeats)
        mask &= ~np.isin(np.arange(len(data)), [p.record for p in repeats if p.record is not None])
    if not mask.any():
        known = sorted({int(y) for y in data.records["year"].dropna()})
        raise InputError([Problem(code="SEL-003", file=data.source.file, params={
            "year": year, "available": ", ".join(map(str, known)) or "-"})])
    return data.select(mask), notes


def repeats_in_year(data: AnswerSet, cells: YearCells, years: np.ndarray,
                    mask: np.ndarray) -> list[Problem]:
    """SEL-006 for every record of ``mask`` whose year was assumed (its file holds none) and
    whose supplier and round another record of the same year in another file holds: the
    readers' duplicate check saw a blank year and a year, two keys. ``years``: each record's
    year, assumed ones included."""
    ids = data.records["supplier_id"].astype(str).tolist()
    rounds = [round_key(r) for r in data.records["round"].tolist()]
    first: dict[tuple[str, str, int], int] = {}
    for i in np.flatnonzero(mask & cells.known):
        first.setdefault((ids[i], rounds[i], int(years[i])), int(i))
    out: list[Problem] = []
    for i in np.flatnonzero(mask & cells.undated):
        key = (ids[i], rounds[i], int(years[i]))
        j = first.setdefault(key, int(i))
        if j != i and cells.files[j] != cells.files[i]:
            out.append(Problem(code="SEL-006", file=cells.files[i],
                               sheet=data.sheet_of(cells.files[i]) or "", supplier_id=ids[i],
                               row=record_row(data.records, int(i)), record=int(i), params={
                                   "supplier": ids[i], "round": data.records["round"].iloc[i],
                                   "year": int(years[i]), "first_file": cells.files[j],
                                   "first_row": record_row(data.records, j) or "-"}))
    return out


# A year in a file name: 19xx or 20xx standing alone (`2023.xlsx`, `2023년`, `2023/…`), not part
# of a code (`S2019_…`) or of a date (`사전진단_2023-11.csv` is the month of a diagnosis, and a
# program year may span the turn of the year)
_YEAR_IN_NAME = re.compile(r"(?<![0-9A-Za-z])(?<!\d[-./])(?:19|20)\d{2}(?![0-9A-Za-z])(?![-./]\d)")


def year_in_name(name: str) -> int | None:
    """The one year ``name`` holds standing alone; None when it holds none, or several."""
    found = set(_YEAR_IN_NAME.findall(name))
    return int(found.pop()) if len(found) == 1 else None


def years_of_records(data: AnswerSet, default_year: int,
                     cells: YearCells | None = None) -> tuple[np.ndarray, list[Problem]]:
    """Each record's year for the annual report, and what was assumed: its year cell; in a
    PATH that is one file holding no year, the year its name (with its folder's, as typed)
    holds (RPT-014, naming the files), else ``default_year`` (SEL-005). A blank year cell
    beside years is SEL-004. ``cells``: `year_cells(data)`, when the caller has them."""
    cells = year_cells(data) if cells is None else cells
    if cells.blank.any():
        raise InputError(blank_year_problems(data))
    years = np.full(len(cells.known), default_year, dtype=np.int64)
    if cells.known.any():
        years[cells.known] = data.records["year"].to_numpy()[cells.known].astype(np.int64)
    notes: list[Problem] = []
    if not cells.known.all():
        undated = [str(f) for f in dict.fromkeys(np.array(cells.files, dtype=object)[cells.undated])]
        named = _named_year(data, undated)
        if named is not None:
            years[cells.undated] = named
            notes.append(Problem(code="RPT-014", severity="warning", params={
                "files": f"{undated[0]} → {named}", "count": 1,
                "names": [f"{undated[0]} → {named}"]}))
        else:
            notes.append(Problem(code="SEL-005", severity="warning", params={
                "year": default_year, "files": few_names(undated), "count": len(undated),
                "names": undated}))
    return years, notes


def _named_year(data: AnswerSet, undated: list[str]) -> int | None:
    """The year in the name of a PATH that is one file holding no year (its folder and name as
    typed: `2023/answers.xlsx`, `answers_2024.xlsx`); None for a folder's files."""
    if len(undated) != 1 or len(data.sources) > 1:
        return None
    typed = Path(data.source.path) if data.source.path else Path(undated[0])
    return year_in_name(f"{typed.parent.name}/{typed.name}")


def report_years(sets: list[AnswerSet], default_year: int) -> tuple[list[np.ndarray], list[Problem]]:
    """Each PATH's records' years for the annual report (:func:`years_of_records`) and what
    was assumed. A supplier and round that two records hold in one year (a file's year taken
    as the report's, or two PATHs read as one year) is an error naming both (SEL-006), never a
    supplier counted twice."""
    cells_of = [year_cells(data) for data in sets]
    per_set = [years_of_records(data, default_year, cells)
               for data, cells in zip(sets, cells_of, strict=True)]
    frames = []
    for k, (data, cells, (years, _)) in enumerate(zip(sets, cells_of, per_set, strict=True)):
        rounds = data.records["round"]
        codes, uniques = pd.factorize(rounds.astype(object), use_na_sentinel=False)
        named = np.array([round_key(u) for u in uniques.tolist()], dtype=object)
        frames.append(pd.DataFrame({
            "id": data.records["supplier_id"].astype(str).to_numpy(), "round": named[codes],
            "year": years, "set": k, "record": np.arange(len(data)),
            "file": np.array(cells.files, dtype=object)}))
    keys = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if keys.empty:
        return [years for years, _ in per_set], [n for _, notes in per_set for n in notes]
    # two PATHs of one round each in a year are its before and after (SPEC §6: two files, the
    # first is before): the same supplier in both is the pair, not a repeat
    rounds_of = keys.groupby(["year", "set"])["round"].nunique()
    pairs = {year for year, per in rounds_of.groupby(level=0) if len(per) == 2 and per.max() <= 1}
    keys["scope"] = np.where(keys["year"].isin(list(pairs)), keys["set"], -1)
    twice = keys.duplicated(["id", "round", "year", "scope"], keep=False).to_numpy()
    problems: list[Problem] = []
    if twice.any():
        first: dict[tuple[str, str, int, int], tuple[int, int, str]] = {}
        rows = keys[twice]
        for ident, rnd, year, k, i, file in zip(
                rows["id"].tolist(), rows["round"].tolist(), rows["year"].tolist(),
                rows["set"].tolist(), rows["record"].tolist(), rows["file"].tolist(), strict=True):
            scope = k if int(year) in pairs else -1
            k0, i0, f0 = first.setdefault((str(ident), str(rnd), int(year), scope), (k, i, str(file)))
            if (k0, i0) == (k, i):
                continue
            data, earlier = sets[k], sets[k0]
            problems.append(Problem(
                code="SEL-006", file=str(file), sheet=data.sheet_of(str(file)) or "",
                supplier_id=str(ident), row=record_row(data.records, i),
                params={"supplier": ident, "round": data.records["round"].iloc[i],
                        "year": int(year), "first_file": f0,
                        "first_row": record_row(earlier.records, i0) or "-"}))
    if problems:
        raise InputError(problems)
    return [years for years, _ in per_set], [n for _, notes in per_set for n in notes]

