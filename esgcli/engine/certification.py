"""Who qualifies under a certification policy, and what is missing for those who do not (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from esgcli.engine.scoring import ScoreResult, ids_by_row, nullable
from esgcli.questionnaire.policy import Policy


@dataclass(frozen=True)
class Failure:
    criterion: str
    area: str | None
    required: Any
    actual: Any

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "area": self.area, "required": self.required,
                "actual": self.actual}


@dataclass(frozen=True)
class Decision:
    """The judgement of one supplier's evaluated round."""

    index: int  # record in the judged ScoreResult
    supplier_id: str
    supplier_name: str | None
    qualifies: bool
    failed: list[Failure]
    gap: dict[str, Any] | None = None
    improvement_pp: float | None = None
    values: dict[str, Any] = field(default_factory=dict)



def evaluate(policy: Policy, result: ScoreResult,
             before: ScoreResult | None = None) -> list[Decision]:
    """Judge every record of ``result`` against every criterion given in the policy."""
    criteria = policy.criteria
    areas = result.area_ids
    before_index = ({s: i for i, s in enumerate(before.records["supplier_id"])}
                    if before is not None else {})
    decisions = []
    supplier_ids = result.records["supplier_id"].tolist()
    names = result.records["supplier_name"].tolist()
    compliance_all = nullable(result.compliance)
    score_all = nullable(result.score)
    area_compliance = [nullable(result.area_compliance[:, a]) for a in range(len(areas))]
    area_score = [nullable(result.area_score[:, a]) for a in range(len(areas))]
    critical_all = ids_by_row(result.critical_failed, result.questionnaire.indicator_ids)
    missing_all = result.missing.sum(axis=1).tolist()
    grades = result.grade.tolist()
    before_compliance = nullable(before.compliance) if before is not None else []
    for i in range(len(result)):
        failed: list[Failure] = []
        compliance, score_value = compliance_all[i], score_all[i]
        if criteria.compliance_min is not None and not _at_least(compliance, criteria.compliance_min):
            failed.append(Failure("compliance_min", None, criteria.compliance_min, compliance))
        if criteria.score_min is not None and not _at_least(score_value, criteria.score_min):
            failed.append(Failure("score_min", None, criteria.score_min, score_value))
        for area, rule in criteria.areas.items():
            a = areas.index(area)
            if rule.compliance_min is not None:
                actual = area_compliance[a][i]
                if not _at_least(actual, rule.compliance_min):
                    failed.append(Failure("compliance_min", area, rule.compliance_min, actual))
            if rule.score_min is not None:
                actual = area_score[a][i]
                if not _at_least(actual, rule.score_min):
                    failed.append(Failure("score_min", area, rule.score_min, actual))
        critical = critical_all[i]
        if criteria.no_critical_failures and critical:
            failed.append(Failure("no_critical_failures", None, [], critical))
        missing = int(missing_all[i])
        if criteria.max_missing is not None and missing > criteria.max_missing:
            failed.append(Failure("max_missing", None, criteria.max_missing, missing))
        if criteria.grades is not None and grades[i] not in criteria.grades:
            failed.append(Failure("grades", None, list(criteria.grades), grades[i]))
        delta = None
        if supplier_ids[i] in before_index:
            b = before_compliance[before_index[supplier_ids[i]]]
            delta = None if b is None or compliance is None else compliance - b
        if criteria.improvement_min_pp is not None and not _at_least(
                delta, criteria.improvement_min_pp):
            failed.append(Failure("improvement_min_pp", None, criteria.improvement_min_pp, delta))
        decisions.append(Decision(
            index=i, supplier_id=supplier_ids[i], supplier_name=names[i] or None,
            qualifies=not failed, failed=failed, gap=None, improvement_pp=delta,
            values={"compliance": compliance, "score": score_value, "grade": grades[i],
                    "areas": {area: {"compliance": area_compliance[a][i],
                                     "score": area_score[a][i]}
                              for a, area in enumerate(areas)},
                    "critical_failures": critical, "missing": missing}))
    failing = [d.index for d in decisions if d.failed]
    if failing:
        gaps = dict(zip(failing, compliance_gaps(policy, result, np.array(failing)), strict=True))
        decisions = [replace(d, gap=gaps[d.index]) if d.failed else d for d in decisions]
    return decisions


TOLERANCE = 1e-9  # absorbs float noise in thresholds (80.0 vs 79.99…)


def _at_least(actual: float | None, required: float) -> bool:
    """Null values fail every threshold."""
    return actual is not None and actual >= required - TOLERANCE


def compliance_gaps(policy: Policy, result: ScoreResult, rows: np.ndarray) -> list[dict[str, Any]]:
    """For each record in ``rows``, the fewest indicators that must become compliant for the
    compliance criteria to hold.

    Area thresholds first (heaviest non-compliant indicators of the area), then the overall
    threshold (largest gain first). Exact when weights are equal; a close bound otherwise.
    Flips follow one fixed order (weight descending, then position), so each rate after t
    flips is a cumulative sum: all records are solved at once, without a loop per record.
    """
    q = result.questionnaire
    criteria = policy.criteria
    order = np.array(sorted(range(len(q.indicators)), key=lambda j: (-q.weights[j], j)), dtype=int)
    weights, area_of = q.weights[order], q.area_positions[order]
    counted = result.counted[rows][:, order]
    compliant = result.compliant[rows][:, order]
    phases: list[np.ndarray] = []  # per phase, the indicators flipped (in flip order)
    failed: list[tuple[str, np.ndarray]] = []

    def solve(name: str, candidates: np.ndarray, rate0: np.ndarray, gains: np.ndarray,
              need: float) -> None:
        """Flip candidates in order until rate0 + gains so far reaches ``need``; records that
        never reach it have ``name`` unreachable."""
        nonlocal compliant
        reached = rate0[:, None] + np.cumsum(np.where(candidates, gains, 0.0), axis=1)
        ok_after = candidates & (reached >= need - TOLERANCE)
        ok_before = rate0 >= need - TOLERANCE
        first = np.where(ok_after.any(axis=1), ok_after.argmax(axis=1), candidates.shape[1])
        flips = candidates & (np.arange(candidates.shape[1]) <= first[:, None]) & ~ok_before[:, None]
        phases.append(flips)
        compliant = compliant | flips
        failed.append((name, ~ok_before & ~ok_after.any(axis=1)))

    with np.errstate(invalid="ignore", divide="ignore"):
        for area, rule in criteria.areas.items():
            if rule.compliance_min is None:
                continue
            in_area = area_of == q.area_ids.index(area)
            total = (counted & in_area) @ weights
            have = (counted & compliant & in_area) @ weights
            rate0 = np.where(total > 0, 100.0 * have / total, np.nan)
            solve(area, counted & ~compliant & in_area, rate0, 100.0 * weights / total[:, None],
                  rule.compliance_min)
        if criteria.compliance_min is not None:
            if q.area_weighted:
                area_weights = np.array([x.weight for x in q.areas], dtype=float)
                member = area_of[:, None] == np.arange(len(q.areas))[None, :]  # (k, areas)
                totals = counted @ (member * weights[:, None])
                haves = (counted & compliant) @ (member * weights[:, None])
                known = totals > 0
                norm = (known * area_weights).sum(axis=1)
                rates = np.where(known, 100.0 * haves / np.where(known, totals, 1.0), 0.0)
                rate0 = np.where(norm > 0, (rates * area_weights).sum(axis=1) / norm, np.nan)
                per_flip = 100.0 * area_weights[area_of] * weights / np.where(
                    known, totals, np.inf)[:, area_of] / norm[:, None]
            else:
                total = counted @ weights
                rate0 = np.where(total > 0, 100.0 * ((counted & compliant) @ weights) / total, np.nan)
                per_flip = 100.0 * weights / total[:, None]
            solve("overall", counted & ~compliant, rate0, per_flip, criteria.compliance_min)
    ids = [q.indicator_ids[j] for j in order]
    flip_lists = ids_by_row(np.hstack(phases), ids * len(phases)) if phases \
        else [[] for _ in range(len(rows))]
    area_by_id = {i.id: i.area for i in q.indicators}
    out = []
    for r, flipped in enumerate(flip_lists):
        by_area: dict[str, int] = {}
        for indicator in flipped:
            by_area[area_by_id[indicator]] = by_area.get(area_by_id[indicator], 0) + 1
        out.append({"count": len(flipped), "indicators": flipped, "by_area": by_area,
                    "unreachable": [name for name, mask in failed if mask[r]]})
    return out
