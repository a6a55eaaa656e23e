"""The certify gap (SPEC §7, §13): for each failing supplier, the fewest indicators that would
make it qualify under every criterion of the policy (pure, vectorised over suppliers).

An indicator "flipped" is taken as answered with full points (so it becomes compliant). The
criteria are met in a fixed order, each phase flipping what it needs on top of the ones
before it:

1. ``no_critical_failures``: every failing critical indicator (they must all be fixed);
2. ``max_missing``: the heaviest missing answers beyond the allowance;
3. the area ``compliance_min`` thresholds, then the overall one, then ``improvement_min_pp``
   (the overall compliance the before round plus the points require), then ``grades`` when
   the grade is by compliance;
4. the area ``score_min`` thresholds, the overall one, and ``grades`` when graded by score.

Within a phase, candidates are flipped largest gain first (then heaviest, then in questionnaire
order): the fewest flips that meet that phase's threshold, as each flip's gain is fixed within
a phase. The gap is listed phase by phase, heaviest first. Ranking each supplier's candidates
once per phase makes every rate after t flips a cumulative sum, so all suppliers are solved at
once. A criterion that no flip can meet (an area without a counted indicator, an improvement
without a before round, a grade above every reachable band, or one a later flip carries past
every allowed band) is listed as ``unreachable``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from esgcli.engine.scoring import ScoreResult, ids_by_row
from esgcli.questionnaire.policy import Policy

__all__ = ["TOLERANCE", "qualify_gaps"]

TOLERANCE = 1e-9  # absorbs float noise in thresholds (80.0 vs 79.99…)


def qualify_gaps(policy: Policy, result: ScoreResult, rows: np.ndarray,
                 before: np.ndarray | None = None) -> list[dict[str, Any]]:
    """The gap of each record in ``rows``: ``{"count", "indicators", "by_area",
    "unreachable"}``. ``before``: the before round's overall compliance of each of those
    records (NaN where there is none), for ``improvement_min_pp``."""
    q = result.questionnaire
    criteria = policy.criteria
    k = len(q.indicators)
    order = np.array(sorted(range(k), key=lambda j: (-q.weights[j], j)), dtype=int)
    weights, area_of = q.weights[order], q.area_positions[order]
    member = (area_of[:, None] == np.arange(len(q.area_ids))[None, :]).astype(float)  # (k, A)
    area_weights = np.array([a.weight or 0.0 for a in q.areas], dtype=float)
    counted = result.counted[rows][:, order]
    compliant0 = result.compliant[rows][:, order]
    flipped = np.zeros_like(counted)
    phases: list[np.ndarray] = []
    unreachable: list[tuple[str, np.ndarray]] = []
    position = np.arange(k)

    def take(flips: np.ndarray) -> None:
        nonlocal flipped
        flips = flips & ~flipped
        phases.append(flips)
        flipped = flipped | flips

    def metric(value: np.ndarray, full: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, Callable[[int], np.ndarray], Any]:
        """(area rates, overall rate, gain of each indicator's flip on area rates, and on the
        overall rate) for weighted ``value`` out of ``full`` per counted indicator."""
        num, den = (counted * weights) * value, (counted * weights) * full
        area_num, area_den = num @ member, den @ member
        with np.errstate(invalid="ignore", divide="ignore"):
            area = np.where(area_den > 0, 100.0 * area_num / area_den, np.nan)
            up = 100.0 * weights * (full - value)  # (n, k): what a flip adds, before dividing
            by_area = up / np.where(area_den > 0, area_den, np.inf)[:, area_of]
            if q.area_weighted:
                known = area_den > 0
                norm = (known * area_weights).sum(axis=1)
                overall = np.where(norm > 0, (np.where(known, area, 0.0) * area_weights).sum(
                    axis=1) / norm, np.nan)
                gain = by_area * area_weights[area_of] / norm[:, None]
            else:
                total = den.sum(axis=1)
                overall = np.where(total > 0, 100.0 * num.sum(axis=1) / total, np.nan)
                gain = up / np.where(total > 0, total, np.inf)[:, None]
        return area, overall, lambda a: by_area * (area_of == a), gain

    def solve(name: str, candidates: np.ndarray, rate0: np.ndarray, gains: np.ndarray,
              need: float | np.ndarray) -> None:
        """Flip candidates, largest gain first (then heaviest), until rate0 + the gains so far
        reach ``need`` (per record; NaN: cannot be reached): the fewest flips for one
        threshold. Records that never reach it have ``name`` unreachable."""
        needed = np.broadcast_to(np.asarray(need, dtype=float), rate0.shape)
        known = ~np.isnan(needed)
        # equal gains (to 1e-9: float noise) keep the heaviest-first order of the columns
        ranked = np.argsort(-np.round(np.where(candidates, gains, -np.inf), 9), axis=1,
                            kind="stable")
        chosen = np.take_along_axis(candidates, ranked, axis=1)
        with np.errstate(invalid="ignore"):
            reached = rate0[:, None] + np.cumsum(
                np.take_along_axis(np.where(candidates, gains, 0.0), ranked, axis=1), axis=1)
            ok_after = chosen & (reached >= needed[:, None] - TOLERANCE)
            ok_before = rate0 >= needed - TOLERANCE
        first = np.where(ok_after.any(axis=1), ok_after.argmax(axis=1), k)
        flips = np.zeros_like(candidates)
        np.put_along_axis(flips, ranked, chosen & (position <= first[:, None])
                          & ~ok_before[:, None] & known[:, None], axis=1)
        take(flips)
        unreachable.append((name, ~ok_before & ~ok_after.any(axis=1)))

    def compliance() -> tuple[np.ndarray, np.ndarray, Callable[[int], np.ndarray], Any]:
        now = (compliant0 | flipped).astype(float)
        return metric(now, np.ones_like(now))

    if criteria.no_critical_failures:
        critical = np.array([i.critical for i in q.indicators], dtype=bool)[order]
        take(counted & ~compliant0 & critical)
    if criteria.max_missing is not None:
        missing = result.missing[rows][:, order] & ~flipped
        excess = missing.sum(axis=1) - criteria.max_missing
        take(missing & (np.cumsum(missing, axis=1) <= excess[:, None]))
    for area, rule in criteria.areas.items():
        if rule.compliance_min is not None:
            a = q.area_ids.index(area)
            rates, _, by_area, _ = compliance()
            solve(area, counted & ~(compliant0 | flipped) & (area_of == a), rates[:, a],
                  by_area(a), rule.compliance_min)
    needs: list[tuple[str, float | np.ndarray]] = []
    if criteria.compliance_min is not None:
        needs.append(("overall", criteria.compliance_min))
    if criteria.improvement_min_pp is not None:
        base = np.full(len(rows), np.nan) if before is None else before
        needs.append(("improvement", base + criteria.improvement_min_pp))
    graded_by_score = q.model.grades is not None and q.model.grades.metric == "score"
    if criteria.grades is not None and not graded_by_score:
        needs.append(("grades", _grade_need(q, criteria.grades, compliance()[1])))
    for name, need in needs:
        _, overall, _, gain = compliance()
        solve(name, counted & ~(compliant0 | flipped), overall, gain, need)
    score_rules = [(area, rule.score_min) for area, rule in criteria.areas.items()
                   if rule.score_min is not None]
    if score_rules or criteria.score_min is not None or (criteria.grades is not None
                                                         and graded_by_score):
        full = np.array([q.matchers[i.id].max_points for i in q.indicators], dtype=float)[order]
        points = result.points[rows][:, order]

        def score() -> tuple[np.ndarray, np.ndarray, Callable[[int], np.ndarray], Any]:
            return metric(np.where(flipped, full, points), np.broadcast_to(full, points.shape))

        def short() -> np.ndarray:  # what a flip can still raise
            raisable: np.ndarray = counted & (np.where(flipped, full, points) < full)
            return raisable

        for area, need in score_rules:
            a = q.area_ids.index(area)
            rates, _, by_area, _ = score()
            solve(f"{area} score", short() & (area_of == a), rates[:, a], by_area(a), need)
        score_needs: list[tuple[str, float | np.ndarray]] = []
        if criteria.score_min is not None:
            score_needs.append(("score", criteria.score_min))
        if criteria.grades is not None and graded_by_score:
            score_needs.append(("grades", _grade_need(q, criteria.grades, score()[1])))
        for name, need in score_needs:
            _, overall, _, gain = score()
            solve(name, short(), overall, gain, need)
        if criteria.grades is not None and graded_by_score:
            unreachable.append(("grades", _grade_missed(q, criteria.grades, score()[1])))
    if criteria.grades is not None and not graded_by_score:  # later flips raise it further
        unreachable.append(("grades", _grade_missed(q, criteria.grades, compliance()[1])))
    ids = [q.indicator_ids[j] for j in order]
    flip_lists = ids_by_row(np.hstack(phases), ids * len(phases)) if phases \
        else [[] for _ in range(len(rows))]
    area_by_id = {i.id: i.area for i in q.indicators}
    out = []
    for r, flips in enumerate(flip_lists):
        by_area_count: dict[str, int] = {}
        for indicator in flips:
            by_area_count[area_by_id[indicator]] = by_area_count.get(area_by_id[indicator], 0) + 1
        out.append({"count": len(flips), "indicators": flips, "by_area": by_area_count,
                    "unreachable": list(dict.fromkeys(n for n, mask in unreachable if mask[r]))})
    return out


def _grade_missed(q: Any, allowed: Any, metric: np.ndarray) -> np.ndarray:  # noqa: ANN401
    """Where the graded metric, every flip made, is in no allowed band: a flip carried it past
    them (a policy allowing C alone) or it is null."""
    missed: np.ndarray = ~np.isneginf(_grade_need(q, allowed, metric))
    return missed


def _grade_need(q: Any, allowed: Any, metric: np.ndarray) -> np.ndarray:  # noqa: ANN401
    """Per record, the graded metric that reaches an allowed grade: -inf where its grade is
    allowed already, else the lowest `min` of an allowed band above its value (NaN when there
    is none, or the metric is null). Bands as `scoring.grade_of` draws them."""
    bands = q.model.grades.bands if q.model.grades is not None else []
    allowed_mins = sorted({float(b.min) for b in bands if b.grade in set(allowed)})
    known = ~np.isnan(metric)
    band = np.full(metric.shape, np.nan)  # the `min` of each value's band
    for m in sorted(float(b.min) for b in bands):
        band = np.where(known & (metric >= m), m, band)
    need = np.full(metric.shape, np.nan)
    for m in reversed(allowed_mins):  # the lowest one above the value wins
        need = np.where(known & (metric < m), m, need)
    return np.where(np.isin(band, allowed_mins), -np.inf, need)
