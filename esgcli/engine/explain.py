"""`esg score --explain SUPPLIER_ID`: one supplier's records indicator by indicator, as a
result whose ``to_dict()`` is the command's `--format json` (pure: no terminal)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from esgcli.base.labels import label
from esgcli.base.problems import InputError, Problem, did_you_mean
from esgcli.base.tokens import clean_id
from esgcli.engine.scoring import ScoreResult
from esgcli.questionnaire.scales import Matcher


@dataclass(frozen=True)
class Explanation:
    """The rows of ``result`` that belong to one supplier (one per round and year)."""

    result: ScoreResult
    rows: np.ndarray

    @property
    def supplier(self) -> ScoreResult:
        """Those rows alone, for the tables (CSV, XLSX) of the supplier."""
        return self.result.take(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {"questionnaire": self.result.questionnaire.to_ref(),
                "sources": [src.to_dict() for src in self.result.sources],
                "suppliers": [self.result.supplier_dict(int(i), detail=True) for i in self.rows]}


def explain(result: ScoreResult, supplier_id: str) -> Explanation:
    """The supplier's rows; an unknown id is SEL-002 with the closest id."""
    ids = result.records["supplier_id"].astype(str)
    supplier = clean_id(supplier_id)  # as the ids were read (no invisible characters)
    rows = np.flatnonzero((ids == supplier).to_numpy())
    if rows.size == 0:
        raise InputError([Problem(code="SEL-002", file=result.source.file if result.source else None,
                                  params={"supplier": supplier,
                                          "hint": did_you_mean(supplier, ids.unique().tolist())})])
    return Explanation(result, rows)


def answer_read(matcher: Matcher, detail: Mapping[str, Any], lang: str) -> str | None:
    """An indicator's answer (``ScoreResult.indicator_detail``) as its reader reads it, in
    ``lang``: N/A in words, a choice or yes/no by its label (`예`, `대부분 이행`), checklist items
    by theirs, a number with its unit; None when blank. What `--explain` shows as read, and
    the answer column of the indicator sheet of `-o FILE.xlsx` (JSON and CSV keep the value)."""
    if detail["status"] == "na":
        return label("na", lang)
    answer = detail["answer"]
    return None if answer is None else matcher.answer_text(str(answer), lang)
