"""Before/after improvement (SPEC §6): suppliers, areas, indicators and the whole cohort.

Pure: takes two :class:`ScoreResult` objects (one round each) and returns an
:class:`Improvement` whose ``to_dict()`` is the JSON of ``esg improve --format json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from esgcli.answers.answerset import AnswerSet
from esgcli.base.problems import InputError, Problem, UsageError
from esgcli.engine.rounds import (
    only_round,
    recognise_rounds,
    round_key,
    round_side,
    rounds_text,
    select_round,
)
from esgcli.engine.scoring import ScoreResult, nullable, num, score, sources_of
from esgcli.questionnaire.diff import diff_questionnaires, restrict
from esgcli.questionnaire.diff_text import field_names

METRICS = ("compliance", "score")


def change(before: float | None, after: float | None) -> dict[str, float | None]:
    """`delta_pp` = after − before; `relative_pct` = 100·(after − before)/before (null if 0)."""
    if before is None or after is None:
        return {"delta_pp": None, "relative_pct": None}
    return {"delta_pp": after - before,
            "relative_pct": None if before == 0 else 100.0 * (after - before) / before}



def change_columns(before: np.ndarray, after: np.ndarray) -> dict[str, np.ndarray]:
    """`change` for whole columns (NaN for null): before, after, delta_pp, relative_pct."""
    with np.errstate(invalid="ignore", divide="ignore"):
        delta = after - before
        relative = np.where(before == 0, np.nan, 100.0 * delta / before)
    return {"before": before, "after": after, "delta_pp": delta, "relative_pct": relative}


def _cohort(before: np.ndarray, after: np.ndarray) -> dict[str, Any]:
    both = ~np.isnan(before) & ~np.isnan(after)
    if not both.any():
        return {"mean_before": None, "mean_after": None, "delta_pp": None, "relative_pct": None,
                "n": 0}
    mb, ma = float(before[both].mean()), float(after[both].mean())
    return {"mean_before": mb, "mean_after": ma, **change(mb, ma), "n": int(both.sum())}


@dataclass(frozen=True)
class Improvement:
    """Change between two rounds for the suppliers present in both."""

    before_name: str
    after_name: str
    before: ScoreResult  # paired records only, aligned with ``after``
    after: ScoreResult
    only_before: list[str]
    only_after: list[str]
    method_changes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # e.g. IMP-005, files given swapped

    @property
    def area_ids(self) -> list[str]:
        return self.after.area_ids

    def method_change_problems(self) -> list[Problem]:
        """The questionnaire changed between the rounds, as warnings: IMP-004 for each indicator
        whose definition changed, IMP-003 for the versions (the shared indicators compared)."""
        out = []
        for change in self.method_changes:
            if change["indicator"] is None:
                out.append(Problem(code="IMP-003", severity="warning", params={
                    "before": f"{change['before']['id']} {change['before']['version']}",
                    "after": f"{change['after']['id']} {change['after']['version']}",
                    "shared": len(self.after.questionnaire.indicators)}))
            else:
                out.append(Problem(code="IMP-004", severity="warning", params={
                    "indicator": change["indicator"],
                    "fields": {lang: field_names(change["fields"], lang) for lang in ("ko", "en")}}))
        return out

    def cohort(self) -> dict[str, Any]:
        out: dict[str, Any] = {m: _cohort(getattr(self.before, m), getattr(self.after, m))
                               for m in METRICS}
        out["areas"] = {area: {m: _cohort(getattr(self.before, f"area_{m}")[:, a],
                                          getattr(self.after, f"area_{m}")[:, a])
                               for m in METRICS}
                        for a, area in enumerate(self.area_ids)}
        return out

    def sorted_by(self, key: str) -> Improvement:
        """Paired suppliers ordered by ``key``: "id" (as paired), "delta" or "after" (compliance
        change or compliance after, highest first, unknown last; ties keep the id order)."""
        if key == "id":
            return self
        values = self.after.compliance - self.before.compliance if key == "delta" \
            else self.after.compliance
        order = np.argsort(-np.where(np.isnan(values), -np.inf, values), kind="stable")
        return replace(self, before=self.before.take(order), after=self.after.take(order))

    def supplier_names(self) -> list[str | None]:
        """Each paired supplier's name from the after round, else from the before round."""
        return [a or b or None for a, b in zip(self.after.records["supplier_name"].tolist(),
                                                self.before.records["supplier_name"].tolist(),
                                                strict=True)]

    def supplier_changes(self) -> list[tuple[tuple[str, ...], dict[str, np.ndarray]]]:
        """(where in a supplier row, `change_columns`) per metric, then per area and metric."""
        out: list[tuple[tuple[str, ...], dict[str, np.ndarray]]] = [
            ((m,), change_columns(getattr(self.before, m), getattr(self.after, m))) for m in METRICS]
        out += [(("areas", area, m), change_columns(getattr(self.before, f"area_{m}")[:, a],
                                                    getattr(self.after, f"area_{m}")[:, a]))
                for a, area in enumerate(self.area_ids) for m in METRICS]
        return out

    def supplier_rows(self) -> list[dict[str, Any]]:
        ids = self.after.records["supplier_id"].tolist()
        names = self.supplier_names()
        files, files_before = self.after.files(), self.before.files()
        changes = [(path, {name: nullable(values) for name, values in columns.items()})
                   for path, columns in self.supplier_changes()]
        rows = []
        for i in range(len(ids)):
            row: dict[str, Any] = {"supplier_id": ids[i], "supplier_name": names[i],
                                   "file": files[i], "file_before": files_before[i]}
            for path, columns in changes:
                target = row
                for key in path[:-1]:
                    target = target.setdefault(key, {})
                target[path[-1]] = {name: values[i] for name, values in columns.items()}
            row.setdefault("areas", {})
            rows.append(row)
        return rows

    def indicator_rows(self) -> list[dict[str, Any]]:
        """Share compliant before/after among suppliers counted in both rounds, and flips."""
        q = self.after.questionnaire
        both = self.before.counted & self.after.counted
        cb, ca = self.before.compliant & both, self.after.compliant & both
        n = both.sum(axis=0)
        share_before = np.where(n > 0, 100.0 * cb.sum(axis=0) / np.maximum(n, 1), np.nan)
        share_after = np.where(n > 0, 100.0 * ca.sum(axis=0) / np.maximum(n, 1), np.nan)
        became = (~cb & ca & both).sum(axis=0)
        regressed = (cb & ~ca & both).sum(axis=0)
        stayed = (cb & ca).sum(axis=0)
        stayed_not = (~cb & ~ca & both).sum(axis=0)
        changed = {c["indicator"] for c in self.method_changes}
        rows: list[dict[str, Any]] = []
        for j, ind in enumerate(q.indicators):
            b, a = num(share_before[j]), num(share_after[j])
            rows.append({
                "indicator": ind.id, "area": ind.area, "title": ind.title.get(q.language),
                "counted_both": int(n[j]), "compliant_before_pct": b, "compliant_after_pct": a,
                "delta_pp": None if b is None or a is None else a - b,
                "became_compliant": int(became[j]), "regressed": int(regressed[j]),
                "stayed_compliant": int(stayed[j]), "stayed_non_compliant": int(stayed_not[j]),
                "definition_changed": ind.id in changed,
            })
        rows.sort(key=lambda r: (r["delta_pp"] is None, -(r["delta_pp"] or 0.0), r["indicator"]))
        return rows

    def grades(self) -> dict[str, Any] | None:
        model = self.after.questionnaire.model.grades
        if model is None:
            return None
        names = [b.grade for b in sorted(model.bands, key=lambda b: b.min, reverse=True)]
        out: dict[str, Any] = {}
        for label, result in (("before", self.before), ("after", self.after)):
            counts = {g: int(np.sum(result.grade == g)) for g in names}
            total = sum(counts.values())
            out[label] = {g: {"count": c, "share_pct": 100.0 * c / total if total else None}
                          for g, c in counts.items()}
        return out

    def to_dict(self, suppliers: bool = True) -> dict[str, Any]:
        q = self.after.questionnaire
        return {
            "questionnaire": q.to_ref(),
            "questionnaire_before": self.before.questionnaire.to_ref(),
            "sources": sources_of(self.before, self.after),
            "before": self.before_name,
            "after": self.after_name,
            "paired": len(self.after),
            "only_before": self.only_before,
            "only_after": self.only_after,
            "cohort": self.cohort(),
            "suppliers": self.supplier_rows() if suppliers else [],
            "indicators": self.indicator_rows(),
            "grades": self.grades(),
            "method_changes": self.method_changes,
        }


def improve(before: ScoreResult, after: ScoreResult, before_name: str = "before",
            after_name: str = "after",
            method_changes: list[dict[str, Any]] | None = None) -> Improvement:
    """Pair suppliers by id (each result must hold one record per supplier)."""
    for result, name in ((before, before_name), (after, after_name)):
        ids = result.records["supplier_id"]
        dup = ids[ids.duplicated()].unique().tolist()
        if dup:
            raise InputError([Problem(code="IMP-002", params={
                "round": name, "ids": ", ".join(map(str, dup[:10]))})])
    ids_before = before.records["supplier_id"].tolist()
    ids_after = after.records["supplier_id"].tolist()
    in_after = set(ids_after)
    in_before = set(ids_before)
    paired = sorted(in_before & in_after, key=_id_order)
    position_before = {s: i for i, s in enumerate(ids_before)}
    position_after = {s: i for i, s in enumerate(ids_after)}
    order_b = np.array([position_before[s] for s in paired], dtype=np.int64)
    order_a = np.array([position_after[s] for s in paired], dtype=np.int64)
    return Improvement(
        before_name=before_name, after_name=after_name,
        before=before.take(order_b), after=after.take(order_a),
        only_before=sorted((s for s in ids_before if s not in in_after), key=_id_order),
        only_after=sorted((s for s in ids_after if s not in in_before), key=_id_order),
        method_changes=method_changes or [])


def _id_order(ident: str) -> tuple[int, str]:
    return (len(ident), ident) if ident.isdigit() else (0, ident)


def improve_answers(sets: list[AnswerSet], before: str | None = None, after: str | None = None,
                    year: int | None = None) -> Improvement:
    """Pick the two rounds (one file with two rounds, or two files) and compare them (SPEC §6)."""
    if year is not None:
        sets = [s.select((s.records["year"] == year).to_numpy()) for s in sets]
    if len(sets) == 1:
        data = sets[0]
        rounds = data.rounds()
        if (before is None) != (after is None):  # one round named: which is the other?
            raise UsageError.of("USE-001")
        if before is not None and after is not None and round_key(before) == round_key(after):
            raise UsageError.of("USE-044", round=before)
        names = (before, after) if before is not None and after is not None else None
        if names is None and before is None and after is None:
            names = recognise_rounds(rounds)
        if names is None:
            raise InputError([Problem(code="IMP-001", file=data.source.file, params={
                "rounds": rounds_text(rounds)})])
        before_set = select_round(data, names[0])
        after_set = select_round(data, names[1])
        return improve(score(before_set), score(after_set), names[0], names[1])
    if len(sets) != 2:
        raise ValueError("improve takes one or two answer sets")
    first, second = sets
    before_set = select_round(first, before) if before is not None else only_round(first)
    after_set = select_round(second, after) if after is not None else only_round(second)
    before_name = before or _name(before_set)
    after_name = after or _name(after_set)
    changes: list[dict[str, Any]] = []
    if first.questionnaire.sha256 != second.questionnaire.sha256:
        delta = diff_questionnaires(first.questionnaire, second.questionnaire)
        if not delta.identical:
            shared = delta.shared
            before_set = before_set.restrict(restrict(first.questionnaire, shared))
            after_set = after_set.restrict(restrict(second.questionnaire, shared))
            changes = [{"indicator": c["indicator"], "fields": c["fields"]}
                       for c in delta.method_changes()]
            changes.append({"indicator": None, "fields": [], "added": delta.added,
                            "removed": delta.removed, "before": first.questionnaire.to_ref(),
                            "after": second.questionnaire.to_ref()})
    result = improve(score(before_set), score(after_set), before_name, after_name, changes)
    said = [p for p in (_swapped(before_set, after_set), _same_files(first, second)) if p is not None]
    return replace(result, warnings=said) if said else result


def _same_files(first: AnswerSet, second: AnswerSet) -> Problem | None:
    """IMP-006 when the two files given are the same bytes: every change would be +0.0."""
    ones, twos = ({s["sha256"] for s in sources_of(data)} for data in (first, second))
    if ones and ones == twos:
        return Problem(code="IMP-006", severity="warning", params={
            "first": first.source.file if first.source else "-",
            "second": second.source.file if second.source else "-"})
    return None


def after_file_first(first: AnswerSet, second: AnswerSet) -> bool:
    """Each file holds one round, the first's named as an after round (사후) and the second's
    as a before round (사전): two files given in the wrong order."""
    first_rounds, second_rounds = first.rounds(), second.rounds()
    return (len(first_rounds) == 1 and len(second_rounds) == 1
            and round_side(first_rounds[0]) == "after" and round_side(second_rounds[0]) == "before")


def _swapped(first: AnswerSet, second: AnswerSet) -> Problem | None:
    """IMP-005 when the first file's round has an after-name and the second's a before-name."""
    if not after_file_first(first, second):
        return None
    return Problem(code="IMP-005", severity="warning", params={
        "first": first.source.file, "second": second.source.file,
        "first_round": first.rounds()[0], "second_round": second.rounds()[0]})


def _name(data: AnswerSet) -> str:
    rounds = data.rounds()
    return str(rounds[0]) if rounds and rounds[0] else data.source.file
