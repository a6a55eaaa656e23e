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
        return sorted({p.record for p in self.errors if p.record is not None})

    def select(self, mask: np.ndarray) -> AnswerSet:
        """The records where ``mask`` is True (problems of other records dropped)."""
        if len(mask) == len(self) and bool(np.all(mask)):
            return self  # immutable: no need to copy every (n, k) matrix
        index = np.flatnonzero(mask)
        position = {int(old): new for new, old in enumerate(index)}
        problems = [p if p.record is None else replace(p, record=position[p.record])
                    for p in self.problems if p.record is None or p.record in position]
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

    def require_valid(self) -> None:
        if self.errors:
            raise InputError(self.problems)
