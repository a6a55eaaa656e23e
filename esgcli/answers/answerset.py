"""Parsed answers (:class:`AnswerSet`) and where they came from (:class:`Source`): what the
engine works on, without the readers that make them (`esgcli.answers.read`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from esgcli.base.coded import Coded
from esgcli.base.problems import InputError, Problem, errors_of
from esgcli.questionnaire.questionnaire import Questionnaire

__all__ = ["AnswerSet", "Source"]


@dataclass(frozen=True)
class Source:
    file: str
    path: str
    sheet: str
    sha256: str
    layout: str  # "wide" | "long"
    records: int = 0  # records read from the file
    # how each sheet looked at was read (codes RD-0xx: the path, then why; `esg --debug`)
    reads: tuple[Problem, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "sha256": self.sha256,
                "records": self.records}


def record_files(records: pd.DataFrame) -> list[str | None]:
    """The file each record came from (None for answers read from memory)."""
    if "file" in records:
        return list(records["file"].tolist())
    return [None] * len(records)


@dataclass(frozen=True)
class YearCells:
    """Per record: its file (by name), whether its year cell holds a year, and whether its
    file holds one anywhere. A blank year where its file's other records hold years
    (``blank``) is no year anyone can tell; a file holding none (``undated``) is of the year
    a command is asked for (`engine.years`)."""

    files: list[str]
    known: np.ndarray
    dated: np.ndarray

    @property
    def blank(self) -> np.ndarray:
        return np.asarray(~self.known & self.dated)

    @property
    def undated(self) -> np.ndarray:
        return np.asarray(~self.dated)


def year_cells(data: AnswerSet) -> YearCells:
    """:class:`YearCells` of ``data``'s records."""
    known = ~pd.isna(data.records["year"].to_numpy())  # (Series.notna: ~3× as long per reply)
    if "file" not in data.records:  # one file (a sheet of 100,000 rows: no grouping)
        return YearCells([data.source.file] * len(known), known,
                         np.full(len(known), bool(known.any())))
    files = [data.source.file if f is None else str(f) for f in record_files(data.records)]
    if known.all() or not known.any():  # every file dated, or none: no grouping (a reply)
        return YearCells(files, known, known.copy())
    dated = pd.Series(known).groupby(np.array(files, dtype=object), sort=False).transform("any")
    return YearCells(files, known, dated.to_numpy(dtype=bool))


def record_row(records: pd.DataFrame, i: int) -> int | None:
    """The Excel row of record ``i`` (None when unknown: answers read from memory, a blank)."""
    if "excel_row" not in records:
        return None
    value = records["excel_row"].iloc[i]
    return None if value is None or value != value else int(value)


def blank_year_problems(data: AnswerSet, cells: YearCells | None = None) -> list[Problem]:
    """SEL-004 for every record whose year cell is blank while its file's other records hold
    years (SPEC §4: which year it belongs to no one can tell), each naming its file and row and
    belonging to its record (so `--skip-invalid` leaves it out). ``cells``: `year_cells(data)`,
    when the caller has them."""
    cells = year_cells(data) if cells is None else cells
    blank = np.flatnonzero(cells.blank)
    if not blank.size:
        return []
    ids = data.records["supplier_id"].tolist()
    return [Problem(code="SEL-004", file=cells.files[i], sheet=data.sheet_of(cells.files[i]) or "",
                    row=record_row(data.records, int(i)), supplier_id=str(ids[i]), record=int(i))
            for i in blank]


@dataclass(frozen=True)
class AnswerSet:
    """Parsed answers: records (supplier × round) by indicators."""

    questionnaire: Questionnaire
    source: Source
    records: pd.DataFrame  # supplier_id, supplier_name, round, year, excel_row[, file]
    profile: pd.DataFrame  # one typed column per profile field
    status: np.ndarray  # int8 (n, k): MISSING, NA, ANSWERED, INVALID
    points: np.ndarray  # float64 (n, k)
    answers: Coded  # (n, k): the answer as read (canonical), None if blank or not applicable
    raw: Coded  # (n, k): the cell as typed
    applicable: np.ndarray  # bool (n, k)
    cell_rows: np.ndarray  # int (n, k): Excel row of each answer, 0 when absent
    answer_columns: list[str]  # column letter of each indicator's answers (of the first file)
    problems: list[Problem] = field(default_factory=list)
    # every file read (one for `read_answers`, several for `inputs.read_answer_paths`); each
    # record names its own in the `file` column of `records`
    sources: tuple[Source, ...] = ()

    def __len__(self) -> int:
        return len(self.records)

    @property
    def errors(self) -> list[Problem]:
        return errors_of(self.problems)

    def cell(self, i: int, j: int) -> str:
        return f"{self.answer_columns[j]}{int(self.cell_rows[i, j])}"

    def invalid_records(self) -> list[int]:
        return sorted({r for p in self.errors for r in p.records()})

    def select(self, mask: np.ndarray) -> AnswerSet:
        """The records where ``mask`` is True (problems of other records dropped)."""
        if len(mask) == len(self) and bool(np.all(mask)):
            return self  # immutable: no need to copy every (n, k) matrix
        index = np.flatnonzero(mask)
        position = {int(old): new for new, old in enumerate(index)}
        problems = [q for p in self.problems if (q := p.renumbered(position)) is not None]
        return replace(
            self, records=self.records.iloc[index].reset_index(drop=True),
            profile=self.profile.iloc[index].reset_index(drop=True),
            status=self.status[index], points=self.points[index], answers=self.answers[index],
            raw=self.raw[index], applicable=self.applicable[index],
            cell_rows=self.cell_rows[index], problems=problems)

    def restrict(self, questionnaire: Questionnaire) -> AnswerSet:
        """Only the indicators of ``questionnaire`` (a restriction of ours)."""
        position = {ident: j for j, ident in enumerate(self.questionnaire.indicator_ids)}
        cols = np.array([position[i] for i in questionnaire.indicator_ids], dtype=np.int64)
        return replace(
            self, questionnaire=questionnaire, status=self.status[:, cols],
            points=self.points[:, cols], answers=self.answers.columns(cols),
            raw=self.raw.columns(cols),
            applicable=self.applicable[:, cols], cell_rows=self.cell_rows[:, cols],
            answer_columns=[self.answer_columns[j] for j in cols])

    def rounds(self) -> list[str | None]:
        return list(dict.fromkeys(self.records["round"].tolist()))

    def sheet_of(self, file: str) -> str | None:
        """The sheet read of the file named ``file`` (None when no file read is so named)."""
        return next((src.sheet for src in (*self.sources, self.source) if src.file == file), None)

    def require_valid(self) -> None:
        if self.errors:
            raise InputError(self.problems)
