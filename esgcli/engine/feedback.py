"""Each supplier's own result (개별 진단 결과서, SPEC §13): pure, one entry per supplier.

A supplier gets its latest round (the after round as §6 chooses it, else its only round; a
supplier seen only before support gets its before round), the change from its earlier round,
the cohort's mean and its percentile in the same round (only when that round has at least
``COHORT_MIN`` suppliers), every counted indicator it fails with what would pass, and with a
policy the certify judgement and gap (:func:`esgcli.engine.certification.evaluate`, one solver).

Privacy: an entry holds the supplier's own figures and cohort aggregates only; nothing in it
names or describes another supplier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from esgcli.answers.answerset import AnswerSet
from esgcli.base.formatting import few_names
from esgcli.base.problems import Problem
from esgcli.engine.certification import Decision, evaluate
from esgcli.engine.improvement import change
from esgcli.engine.passing import answer_text, passes_with
from esgcli.engine.scoring import ScoreResult, score, sources_of
from esgcli.engine.selection import choose_rounds
from esgcli.questionnaire.policy import Policy
from esgcli.registry.core import Certificate

COHORT_MIN = 5  # below this, a mean or rank would come close to describing single suppliers


@dataclass(frozen=True)
class Cohort:
    """Means and mid-rank percentiles of one round's suppliers (None below COHORT_MIN)."""

    size: int
    compliance_mean: float | None
    area_means: dict[str, float | None]
    percentile: np.ndarray  # (n,) per record, NaN when not shown
    area_percentile: np.ndarray  # (n, areas)


def percentile_rank(values: np.ndarray) -> np.ndarray:
    """100 · (peers below + half the ties, self included) / known values; NaN for null values.

    Vectorised: two binary searches over the sorted known values.
    """
    known = np.sort(values[~np.isnan(values)])
    out = np.full(values.shape, np.nan)
    if known.size == 0:
        return out
    ok = ~np.isnan(values)
    below = np.searchsorted(known, values[ok], side="left")
    upto = np.searchsorted(known, values[ok], side="right")
    out[ok] = 100.0 * (below + 0.5 * (upto - below)) / known.size
    return out


def _mean(values: np.ndarray) -> float | None:
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else None


def cohort_of(result: ScoreResult) -> Cohort:
    n = len(result)
    areas = result.area_ids
    if n < COHORT_MIN:
        return Cohort(n, None, dict.fromkeys(areas), np.full(n, np.nan),
                      np.full((n, len(areas)), np.nan))
    return Cohort(
        size=n, compliance_mean=_mean(result.compliance),
        area_means={a: _mean(result.area_compliance[:, k]) for k, a in enumerate(areas)},
        percentile=percentile_rank(result.compliance),
        area_percentile=np.column_stack([percentile_rank(result.area_compliance[:, k])
                                         for k in range(len(areas))]) if areas else
        np.full((n, 0), np.nan))


def _num(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def non_compliant(result: ScoreResult, i: int, lang: str) -> list[dict[str, Any]]:
    """Counted, non-compliant indicators of record ``i``: critical ones first, then in order."""
    q = result.questionnaire
    failing = np.flatnonzero(result.counted[i] & ~result.compliant[i])
    rows = []
    for j in failing.tolist():
        indicator = q.indicators[j]
        matcher = q.matchers[indicator.id]
        answer = result.answers.value(i, j)
        rows.append({
            "indicator": indicator.id, "area": indicator.area,
            "title": indicator.title.get(lang),
            "question": indicator.question.get(lang) if indicator.question else None,
            "critical": indicator.critical,
            "answer": answer_text(matcher, answer, lang),
            "passes_with": passes_with(matcher, answer, lang),
        })
    rows.sort(key=lambda r: not r["critical"])  # stable: questionnaire order within each
    return rows


def certificate_entry(certificates: list[Certificate], supplier_id: str, policy: Policy | None,
                      year: int | None, today: dt.date,
                      questionnaire_id: str | None = None) -> dict[str, Any] | None:
    """The supplier's certificate recorded for the questionnaire ``questionnaire_id`` (another
    programme's certificate is not this assessment's), of the policy when given (and of the
    year, when known): the latest year, an active one before a revoked one, then the latest
    issued, then the policy id and number (so the choice never depends on the registry's order)."""
    mine = [c for c in certificates if c.supplier_id == supplier_id
            and (questionnaire_id is None or c.questionnaire_id == questionnaire_id)
            and (policy is None or c.policy_id == policy.id)
            and (year is None or c.year == year)]
    if not mine:
        return None
    cert = max(mine, key=lambda c: (c.year, c.status == "active", c.issued_on, c.policy_id,
                                    c.number))
    return {"number": cert.number, "policy": cert.policy_id, "year": cert.year,
            "issued_on": cert.issued_on, "valid_until": cert.valid_until,
            "status": cert.status_on(today)}


@dataclass(frozen=True)
class SupplierFeedback:
    """One supplier's feedback page: its own figures and cohort aggregates, nothing else."""

    data: dict[str, Any]

    @property
    def supplier_id(self) -> str:
        return str(self.data["supplier_id"])

    @property
    def supplier_name(self) -> str | None:
        name = self.data["supplier_name"]
        return None if name is None else str(name)

    def to_dict(self) -> dict[str, Any]:
        return self.data


@dataclass(frozen=True)
class FeedbackResult:
    questionnaire: dict[str, Any]
    policy: dict[str, Any] | None
    lang: str
    suppliers: list[SupplierFeedback]
    areas: list[dict[str, str]]  # id and title, for the pages
    notes: list[Problem] = field(default_factory=list)  # warnings (small cohorts)
    sources: list[dict[str, Any]] = field(default_factory=list)  # every file read (SPEC §12)

    def to_dict(self) -> dict[str, Any]:
        return {"questionnaire": self.questionnaire, "policy": self.policy,
                "sources": self.sources, "suppliers": [s.to_dict() for s in self.suppliers]}


def _entry(result: ScoreResult, i: int, cohort: Cohort, earlier: ScoreResult | None,
           earlier_row: int | None, decision: Decision | None, lang: str) -> dict[str, Any]:
    areas = result.area_ids
    compliance, score_value = _num(result.compliance[i]), _num(result.score[i])
    shown = cohort.compliance_mean is not None
    change_entry = None
    if earlier is not None and earlier_row is not None:
        change_entry = {}
        for metric, now in (("compliance", compliance), ("score", score_value)):
            before = _num(getattr(earlier, metric)[earlier_row])
            change_entry[metric] = {"before": before, "after": now, **change(before, now)}
    area_dict = {}
    for k, area in enumerate(areas):
        area_dict[area] = {
            "compliance": _num(result.area_compliance[i, k]),
            "score": _num(result.area_score[i, k]),
            "cohort_mean": cohort.area_means[area] if shown else None,
            "percentile": _num(cohort.area_percentile[i, k]) if shown else None,
        }
    year = result.records["year"].iloc[i]
    return {
        "supplier_id": str(result.records["supplier_id"].iloc[i]),
        "supplier_name": result.records["supplier_name"].iloc[i] or None,
        "round": result.records["round"].iloc[i],
        "year": None if year is None else int(year),
        "file": result.records["file"].iloc[i] if "file" in result.records else None,
        "compliance": compliance, "score": score_value, "grade": result.grade[i],
        "areas": area_dict,
        "cohort": {"suppliers": cohort.size, "compliance_mean": cohort.compliance_mean,
                   "percentile": _num(cohort.percentile[i])} if shown else None,
        "change": change_entry,
        "non_compliant": non_compliant(result, i, lang),
        "qualifies": decision.qualifies if decision is not None else None,
        "failed": [f.to_dict() for f in decision.failed] if decision is not None else [],
        "to_qualify": list(decision.gap["indicators"]) if decision is not None and decision.gap
        else [],
        "gap": decision.gap if decision is not None else None,
        "certificate": None,
    }


def build_feedback(data: AnswerSet, policy: Policy | None = None,
                   certificates: list[Certificate] | None = None, lang: str = "ko",
                   today: dt.date | None = None, round_name: str | None = None,
                   before: str | None = None, after: str | None = None,
                   year: int | None = None) -> FeedbackResult:
    """Feedback for every supplier of ``data`` (rounds chosen as `esg certify` chooses them)."""
    today = today or dt.date.today()
    choice = choose_rounds(data, round_name, before, after, year)
    judged = score(choice.judged)
    earlier = score(choice.before) if choice.before is not None else None
    decisions = {d.index: d for d in evaluate(policy, judged, earlier)} if policy else {}
    earlier_rows = ({s: k for k, s in enumerate(earlier.records["supplier_id"].tolist())}
                    if earlier is not None else {})
    entries: list[dict[str, Any]] = []
    notes: list[Problem] = list(choice.notes)
    cohort = cohort_of(judged)
    if cohort.compliance_mean is None and len(judged):
        notes.append(_small(choice.judged_name, cohort.size))
    for i, sid in enumerate(judged.records["supplier_id"].tolist()):
        entries.append(_entry(judged, i, cohort, earlier, earlier_rows.get(sid),
                              decisions.get(i), lang))
    if earlier is not None and choice.not_evaluated:
        # seen only before support: feedback on that round, its cohort the before round's
        early_cohort = cohort_of(earlier)
        if early_cohort.compliance_mean is None:
            notes.append(_small(str(earlier.records["round"].iloc[0]), early_cohort.size))
        for sid in choice.not_evaluated:
            k = earlier_rows[sid]
            entries.append(_entry(earlier, k, early_cohort, None, None, None, lang))
    if certificates is not None:
        for entry in entries:
            entry["certificate"] = certificate_entry(certificates, entry["supplier_id"], policy,
                                                     entry["year"], today, data.questionnaire.id)
        if policy is None:
            notes += _several_policies(certificates, data.questionnaire.id,
                                       [e["supplier_id"] for e in entries if e["certificate"]])
    entries.sort(key=lambda e: e["supplier_id"])
    q = data.questionnaire
    return FeedbackResult(
        questionnaire={**q.to_ref(), "title": q.title(lang)},
        policy={"id": policy.id, "version": policy.version,
                "title": policy.model.title.get(lang)} if policy else None,
        lang=lang,
        suppliers=[SupplierFeedback(e) for e in entries],
        areas=[{"id": a.id, "title": a.title.get(lang)} for a in q.areas], notes=notes,
        sources=sources_of(data))


def _several_policies(certificates: list[Certificate], questionnaire_id: str,
                      shown: list[str]) -> list[Problem]:
    """FBK-002 when suppliers shown a certificate hold ones of several policies for this
    questionnaire (no `--policy`): each page names the policy of the one it shows."""
    policies: dict[str, set[str]] = {}
    for c in certificates:
        if c.questionnaire_id == questionnaire_id:
            policies.setdefault(c.supplier_id, set()).add(c.policy_id)
    several = [sid for sid in shown if len(policies.get(sid, ())) > 1]
    if not several:
        return []
    names = sorted({p for sid in several for p in policies[sid]})
    return [Problem(code="FBK-002", severity="warning", params={
        "ids": few_names(several), "count": len(several), "policies": ", ".join(names)})]


def _small(round_name: str | None, size: int) -> Problem:
    return Problem(code="FBK-001", severity="warning",
                   params={"round": round_name or "-", "count": size})
