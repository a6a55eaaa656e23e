"""Who qualifies under a certification policy, and what is missing for those who do not (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from esgcli.engine.gaps import TOLERANCE, qualify_gaps
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
        prior = np.array([np.nan if d.improvement_pp is None else
                          d.values["compliance"] - d.improvement_pp for d in decisions])
        gaps = dict(zip(failing, qualify_gaps(policy, result, np.array(failing),
                                              prior[failing]), strict=True))
        decisions = [replace(d, gap=gaps[d.index]) if d.failed else d for d in decisions]
    return decisions


def _at_least(actual: float | None, required: float) -> bool:
    """Null values fail every threshold."""
    return actual is not None and actual >= required - TOLERANCE
