"""Who qualifies under a certification policy, and what is missing for those who do not (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .policy import Policy
from .scoring import ScoreResult, _ids_by_row, _nullable


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
    compliance_all = _nullable(result.compliance)
    score_all = _nullable(result.score)
    area_compliance = [_nullable(result.area_compliance[:, a]) for a in range(len(areas))]
    area_score = [_nullable(result.area_score[:, a]) for a in range(len(areas))]
    critical_all = _ids_by_row(result.critical_failed, result.questionnaire.indicator_ids)
    missing_all = result.missing.sum(axis=1).tolist()
    grades = result.grade.tolist()
    before_compliance = _nullable(before.compliance) if before is not None else []
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
        gap = compliance_gap(policy, result, i) if failed else None
        decisions.append(Decision(
            index=i, supplier_id=supplier_ids[i], supplier_name=names[i] or None,
            qualifies=not failed, failed=failed, gap=gap, improvement_pp=delta,
            values={"compliance": compliance, "score": score_value, "grade": grades[i],
                    "areas": {area: {"compliance": area_compliance[a][i],
                                     "score": area_score[a][i]}
                              for a, area in enumerate(areas)},
                    "critical_failures": critical, "missing": missing}))
    return decisions


def _at_least(actual: float | None, required: float) -> bool:
    """Null values fail every threshold; a tiny tolerance absorbs float noise (80.0 vs 79.99…)."""
    return actual is not None and actual >= required - 1e-9


def compliance_gap(policy: Policy, result: ScoreResult, i: int) -> dict[str, Any]:
    """The fewest indicators that must become compliant for the compliance criteria to hold.

    Area thresholds first (heaviest non-compliant indicators of the area), then the overall
    threshold (largest gain first). Exact when weights are equal; a close bound otherwise.
    """
    q = result.questionnaire
    criteria = policy.criteria
    weights, area_of = q.weights, q.area_positions
    counted = result.counted[i]
    compliant = result.compliant[i].copy()
    flipped: list[int] = []
    unreachable: list[str] = []

    def area_rate(a: int) -> float | None:
        members = counted & (area_of == a)
        total = weights[members].sum()
        return None if total == 0 else 100.0 * weights[members & compliant].sum() / total

    def overall_rate() -> float | None:
        if q.area_weighted:
            area_weights = np.array([x.weight for x in q.areas], dtype=float)
            rates = [area_rate(a) for a in range(len(q.areas))]
            known = [(w, r) for w, r in zip(area_weights, rates, strict=True) if r is not None]
            total = sum(w for w, _ in known)
            return None if total == 0 else sum(w * r for w, r in known) / total
        total = weights[counted].sum()
        return None if total == 0 else 100.0 * weights[counted & compliant].sum() / total

    def flip(candidates: np.ndarray, done: Any) -> bool:
        order = sorted(np.flatnonzero(candidates), key=lambda j: (-weights[j], j))
        for j in order:
            if done():
                return True
            compliant[j] = True
            flipped.append(int(j))
        return done()

    for area, rule in criteria.areas.items():
        if rule.compliance_min is None:
            continue
        a = q.area_ids.index(area)
        need = rule.compliance_min

        def area_done(a: int = a, need: float = need) -> bool:
            return _at_least(area_rate(a), need)

        if not flip(counted & ~compliant & (area_of == a), area_done):
            unreachable.append(area)
    if criteria.compliance_min is not None:
        need_all = criteria.compliance_min

        def overall_done() -> bool:
            return _at_least(overall_rate(), need_all)

        if not flip(counted & ~compliant, overall_done):
            unreachable.append("overall")
    ids = [q.indicator_ids[j] for j in flipped]
    by_area: dict[str, int] = {}
    for j in flipped:
        by_area[q.area_ids[area_of[j]]] = by_area.get(q.area_ids[area_of[j]], 0) + 1
    return {"count": len(ids), "indicators": ids, "by_area": by_area, "unreachable": unreachable}
