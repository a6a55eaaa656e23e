"""Scoring (SPEC §5): compliance rate and score per area and overall, grades, critical failures.

Pure and vectorised: everything is a matrix product over (records × indicators) arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from esgcli.answers.answerset import AnswerSet, Source, record_files
from esgcli.base.coded import Coded
from esgcli.base.parallel import row_blocks, run, thread_count
from esgcli.questionnaire.questionnaire import Questionnaire
from esgcli.questionnaire.scales import ANSWERED, MISSING, NA

AREA_COUNTS = ("counted", "compliant", "na", "not_applicable", "missing")
DETAIL_STATUSES = ("counted", "na", "not_applicable")  # indicator status, by `status_codes`
RECORD_COLUMNS = ("supplier_id", "supplier_name", "round", "year", "file")
BLOCK_CELLS = 1_000_000  # answers per thread below which scoring stays on one thread


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out * 100.0


def num(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def _mean(values: np.ndarray) -> float | None:
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else None


@dataclass(frozen=True)
class ScoreResult:
    """Scores of every record (supplier × round) of an answer set."""

    questionnaire: Questionnaire
    source: Source | None
    records: pd.DataFrame
    compliance: np.ndarray  # (n,), NaN for null
    score: np.ndarray
    grade: np.ndarray  # object (n,)
    area_compliance: np.ndarray  # (n, areas)
    area_score: np.ndarray
    area_counts: dict[str, np.ndarray]  # name -> int (n, areas)
    status: np.ndarray  # (n, k) MISSING/NA/ANSWERED/INVALID as read
    applicable: np.ndarray  # (n, k)
    counted: np.ndarray  # (n, k)
    compliant: np.ndarray  # (n, k)
    missing: np.ndarray  # (n, k)
    points: np.ndarray  # (n, k)
    answers: Coded  # (n, k) canonical answers
    sources: tuple[Source, ...] = ()  # every file read; `records["file"]` names each record's

    def __len__(self) -> int:
        return len(self.records)

    @property
    def area_ids(self) -> list[str]:
        return self.questionnaire.area_ids

    @cached_property
    def critical_failed(self) -> np.ndarray:
        critical = np.array([i.critical for i in self.questionnaire.indicators], dtype=bool)
        failed: np.ndarray = self.counted & ~self.compliant & critical
        return failed

    def select(self, mask: np.ndarray) -> ScoreResult:
        """The records where ``mask`` is True."""
        return self.take(np.flatnonzero(mask))

    def take(self, index: np.ndarray) -> ScoreResult:
        """The records at ``index``, in that order."""
        fields: dict[str, Any] = {}
        for name in ("compliance", "score", "grade", "area_compliance", "area_score", "status",
                     "applicable", "counted", "compliant", "missing", "points", "answers"):
            fields[name] = getattr(self, name)[index]
        return ScoreResult(
            questionnaire=self.questionnaire, source=self.source, sources=self.sources,
            records=self.records.iloc[index].reset_index(drop=True),
            area_counts={k: v[index] for k, v in self.area_counts.items()}, **fields)

    # -- JSON (SPEC §9) -----------------------------------------------------------------
    def supplier_dict(self, i: int, detail: bool = False) -> dict[str, Any]:
        """Record ``i`` as in the JSON of `esg score`."""
        return self.take(np.array([i])).supplier_dicts(detail)[0]

    @cached_property
    def status_codes(self) -> np.ndarray:
        """(n, k) index into DETAIL_STATUSES: counted, N/A answered, or not applicable."""
        return np.where(~self.applicable, 2, np.where(self.counted, 0, 1)).astype(np.int8)

    def indicator_detail(self, i: int, j: int) -> dict[str, Any]:
        matcher = self.questionnaire.matchers[self.questionnaire.indicator_ids[j]]
        status = DETAIL_STATUSES[self.status_codes[i, j]]
        counted = bool(self.counted[i, j])
        return {
            "status": status,
            "answer": self.answers.value(i, j),
            "points": float(self.points[i, j]) if counted else None,
            "max_points": float(matcher.max_points),
            "compliant": bool(self.compliant[i, j]) if counted else None,
            "missing": bool(self.missing[i, j]),
        }

    def summary(self, mask: np.ndarray | None = None) -> dict[str, Any]:
        """Means over all records, or over those where ``mask`` is True."""
        rows = slice(None) if mask is None else mask
        compliance, area_compliance = self.compliance[rows], self.area_compliance[rows]
        score_values, area_score = self.score[rows], self.area_score[rows]
        return {
            "suppliers": len(compliance),
            "compliance_mean": _mean(compliance),
            "score_mean": _mean(score_values),
            "areas": {area: {"compliance_mean": _mean(area_compliance[:, a]),
                             "score_mean": _mean(area_score[:, a])}
                      for a, area in enumerate(self.area_ids)},
        }

    def supplier_dicts(self, detail: bool = False) -> list[dict[str, Any]]:
        """Every record as in `supplier_dict`, built from whole columns (fast at 100k)."""
        n = len(self)
        ids = self.questionnaire.indicator_ids
        areas = self.area_ids
        supplier_ids = self.records["supplier_id"].tolist()
        names = [x or None for x in self.records["supplier_name"].tolist()]
        rounds = self.records["round"].tolist()
        years = [None if y is None else int(y) for y in self.records["year"].tolist()]
        files = self.files()
        compliance, score_values = nullable(self.compliance), nullable(self.score)
        grades = self.grade.tolist()
        area_compliance = [nullable(self.area_compliance[:, a]) for a in range(len(areas))]
        area_score = [nullable(self.area_score[:, a]) for a in range(len(areas))]
        counts = {name: self.area_counts[name].T.tolist() for name in AREA_COUNTS}
        critical = ids_by_row(self.critical_failed, ids)
        missing = ids_by_row(self.missing, ids)
        out = []
        for i in range(n):
            area_dict = {}
            for a, area in enumerate(areas):
                entry: dict[str, Any] = {"compliance": area_compliance[a][i],
                                         "score": area_score[a][i]}
                for name in AREA_COUNTS:
                    entry[name] = counts[name][a][i]
                area_dict[area] = entry
            item = {"supplier_id": supplier_ids[i], "supplier_name": names[i], "round": rounds[i],
                    "year": years[i], "file": files[i], "compliance": compliance[i], "score": score_values[i],
                    "grade": grades[i], "areas": area_dict, "critical_failures": critical[i],
                    "missing": missing[i]}
            if detail:
                item["indicators"] = {ids[j]: self.indicator_detail(i, j) for j in range(len(ids))}
            out.append(item)
        return out

    def files(self) -> list[str | None]:
        """The file each record came from (None for answers read from memory)."""
        return record_files(self.records)

    def to_dict(self, detail: bool = False, suppliers: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "questionnaire": self.questionnaire.to_ref(),
            "sources": [s.to_dict() for s in self.sources],
            "suppliers": self.supplier_dicts(detail) if suppliers else [],
            "summary": self.summary(),
        }
        rounds = list(dict.fromkeys(self.records["round"].tolist()))
        if len(rounds) > 1:
            out["summary"]["rounds"] = {
                str(r): self.summary((self.records["round"] == r).to_numpy()) for r in rounds}
        return out


def sources_of(*read: ScoreResult | AnswerSet) -> list[dict[str, Any]]:
    """The files read for ``read`` (SPEC §12 `sources`), each once (improve's two rounds of one
    file read it once), in the order read."""
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    for item in read:
        for src in item.sources or ((item.source,) if item.source is not None else ()):
            seen.setdefault((src.file, src.sheet, src.sha256), src.to_dict())
    return list(seen.values())


def nullable(values: np.ndarray) -> list[float | None]:
    out: list[float | None] = values.tolist()
    for i in np.flatnonzero(np.isnan(values)):
        out[i] = None
    return out


def ids_by_row(mask: np.ndarray, ids: list[str]) -> list[list[str]]:
    """For each row, the ids of the columns where ``mask`` is True (in column order)."""
    out: list[list[str]] = [[] for _ in range(mask.shape[0])]
    rows, cols = np.nonzero(mask)
    if rows.size:
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        ends = np.r_[starts[1:], rows.size]
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            out[int(rows[start])] = [ids[j] for j in cols[start:end].tolist()]
    return out


def score(answers: AnswerSet) -> ScoreResult:
    """Score every record of ``answers`` (SPEC §5). Invalid answers count as not compliant."""
    q = answers.questionnaire
    indicators = q.indicators
    weights = q.weights
    max_points = np.array([q.matchers[i.id].max_points for i in indicators], dtype=np.float64)
    pass_points = np.array([q.matchers[i.id].pass_points for i in indicators], dtype=np.float64)
    membership = np.zeros((len(indicators), len(q.area_ids)), dtype=np.float64)
    membership[np.arange(len(indicators)), q.area_positions] = 1.0

    applicable = answers.applicable
    status = answers.status
    n, k = status.shape
    # One matrix product per quantity; the extra last column pools all indicators. With whole
    # weights and points every sum is a small integer, exact in float32 (and twice as fast).
    dtype = np.float32 if _whole(q, weights, max_points) else np.float64
    by_area = np.hstack([membership, np.ones((len(indicators), 1))])
    weighted = (by_area * weights[:, None]).astype(dtype)
    weighted_max = weighted * max_points[:, None].astype(dtype)

    na, counted, compliant, missing = (np.empty((n, k), dtype=bool) for _ in range(4))
    points = np.empty((n, k), dtype=np.float64)
    w_counted, w_compliant, w_points, w_max = (np.empty((n, weighted.shape[1])) for _ in range(4))
    area_counts = {name: np.empty((n, membership.shape[1]), dtype=np.int64)
                   for name in AREA_COUNTS}

    def rows(block: slice) -> None:
        """Every (n, k) quantity for the records in ``block``: rows are independent, so blocks
        run on a thread per core (numpy and BLAS drop the GIL)."""
        app, st = applicable[block], status[block]
        np.logical_and(app, st == NA, out=na[block])
        np.logical_and(app, ~na[block], out=counted[block])
        answered = counted[block] & (st == ANSWERED)
        np.copyto(points[block], np.where(answered, answers.points[block], 0.0))
        np.logical_and(answered, points[block] >= pass_points, out=compliant[block])
        np.logical_and(counted[block], st == MISSING, out=missing[block])
        counted_f = counted[block].astype(dtype)
        w_counted[block] = counted_f @ weighted
        w_compliant[block] = compliant[block].astype(dtype) @ weighted
        w_points[block] = points[block].astype(dtype) @ weighted
        w_max[block] = counted_f @ weighted_max
        for name, mask in (("counted", counted[block]), ("compliant", compliant[block]),
                           ("na", na[block]), ("not_applicable", ~app),
                           ("missing", missing[block])):
            area_counts[name][block] = _count(mask, membership)

    threads = thread_count(n * k, BLOCK_CELLS)
    run(rows, row_blocks(n, threads), threads)
    area_compliance = _ratio(w_compliant[:, :-1], w_counted[:, :-1])
    area_score = _ratio(w_points[:, :-1], w_max[:, :-1])
    if q.area_weighted:
        area_weights = np.array([a.weight for a in q.areas], dtype=np.float64)
        compliance = _weighted_mean(area_compliance, area_weights)
        overall_score = _weighted_mean(area_score, area_weights)
    else:
        compliance = _ratio(w_compliant[:, -1], w_counted[:, -1])
        overall_score = _ratio(w_points[:, -1], w_max[:, -1])

    metric = compliance
    if q.model.grades is not None and q.model.grades.metric == "score":
        metric = overall_score
    return ScoreResult(
        questionnaire=q, source=answers.source, sources=answers.sources,
        records=answers.records[[c for c in RECORD_COLUMNS if c in answers.records]],
        compliance=compliance, score=overall_score, grade=grade_of(q, metric),
        area_compliance=area_compliance, area_score=area_score, area_counts=area_counts,
        status=status, applicable=applicable, counted=counted, compliant=compliant,
        missing=missing, points=points, answers=answers.answers)


def _count(mask: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """How many True per area (exact: small integers in float32)."""
    return np.rint(mask.astype(np.float32) @ membership.astype(np.float32)).astype(np.int64)


def _whole(q: Questionnaire, weights: np.ndarray, max_points: np.ndarray) -> bool:
    """Are all weights and points whole numbers with sums far below 2**24?"""
    if not (np.all(weights == np.round(weights)) and np.all(max_points == np.round(max_points))):
        return False
    for matcher in q.matchers.values():
        scale = getattr(matcher, "scale", None)
        entries = (getattr(scale, "options", None) or getattr(scale, "items", None)
                   or getattr(scale, "points", None) or [])
        if any(float(e.points) != round(float(e.points)) for e in entries):
            return False
    return float(max_points.max(initial=0) * weights.sum()) < 2**22


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    known = ~np.isnan(values)
    total = (known * weights).sum(axis=1)
    sums = np.where(known, values, 0.0) @ weights
    out = np.full(values.shape[0], np.nan)
    np.divide(sums, total, out=out, where=total > 0)
    return out


def grade_of(q: Questionnaire, metric: np.ndarray) -> np.ndarray:
    """First band, from the highest `min`, whose `min` <= metric; None for a null metric."""
    grades = np.full(metric.shape, None, dtype=object)
    if q.model.grades is None:
        return grades
    bands = sorted(q.model.grades.bands, key=lambda b: b.min, reverse=True)
    known = ~np.isnan(metric)
    conditions = [known & (metric >= b.min) for b in bands]
    chosen = np.select(conditions, [b.grade for b in bands], default="")
    grades[chosen != ""] = chosen[chosen != ""]
    return grades
