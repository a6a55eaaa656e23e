"""What changed between two questionnaires: the "method changed" signal (pure)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from esgcli.questionnaire.applicability import condition_text
from esgcli.questionnaire.questionnaire import Questionnaire, scale_of


def _definition(q: Questionnaire, indicator_id: str) -> dict[str, Any]:
    ind = q.indicator_by_id[indicator_id]
    scale = scale_of(q.model, ind)
    matcher = q.matchers[indicator_id]
    dumped = scale.model_dump(mode="json", exclude={"pass_points"}) if scale is not None else None
    return {
        "area": ind.area,
        "title": ind.title.model_dump(mode="json"),
        "scale": dumped,
        "max_points": matcher.max_points,
        "pass_points": matcher.pass_points,
        "weight": ind.weight,
        "critical": ind.critical,
        "na_allowed": ind.na_allowed,
        "applies_if": condition_text(ind.applies_if) if ind.applies_if is not None else None,
    }


@dataclass(frozen=True)
class QuestionnaireDiff:
    old: Questionnaire
    new: Questionnaire
    added: list[str]
    removed: list[str]
    changed: list[dict[str, Any]]  # {"indicator", "fields", "old", "new"}
    area_changes: list[dict[str, Any]]

    @property
    def shared(self) -> list[str]:
        removed = set(self.removed)
        return [i for i in self.old.indicator_ids if i not in removed]

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed or self.area_changes)

    def method_changes(self) -> list[dict[str, Any]]:
        """Changes that alter how an indicator scores (a retitle alone does not)."""
        return [c for c in self.changed if set(c["fields"]) - {"title"}]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.to_ref(), "new": self.new.to_ref(),
            "added": self.added, "removed": self.removed,
            "retitled": [c["indicator"] for c in self.changed if "title" in c["fields"]],
            "changed": self.changed, "areas": self.area_changes,
        }


def diff_questionnaires(old: Questionnaire, new: Questionnaire) -> QuestionnaireDiff:
    old_ids, new_ids = set(old.indicator_ids), set(new.indicator_ids)
    changed = []
    for ident in old.indicator_ids:
        if ident not in new_ids:
            continue
        before, after = _definition(old, ident), _definition(new, ident)
        fields = [k for k in before if before[k] != after[k]]
        if fields:
            changed.append({"indicator": ident, "fields": fields,
                            "old": {k: before[k] for k in fields},
                            "new": {k: after[k] for k in fields}})
    old_areas = {a.id: a for a in old.areas}
    new_areas = {a.id: a for a in new.areas}
    area_changes: list[dict[str, Any]] = []
    for ident in list(dict.fromkeys([*old_areas, *new_areas])):
        a, b = old_areas.get(ident), new_areas.get(ident)
        if a is None or b is None:
            area_changes.append({"area": ident, "change": "added" if a is None else "removed"})
        elif a.weight != b.weight:
            area_changes.append({"area": ident, "change": "weight", "old": a.weight,
                                 "new": b.weight})
    return QuestionnaireDiff(
        old=old, new=new, added=[i for i in new.indicator_ids if i not in old_ids],
        removed=[i for i in old.indicator_ids if i not in new_ids], changed=changed,
        area_changes=area_changes)


def restrict(q: Questionnaire, indicator_ids: list[str]) -> Questionnaire:
    """The same questionnaire with only the given indicators (for like-for-like comparison)."""
    keep = set(indicator_ids)
    model = q.model.model_copy(update={
        "indicators": [i for i in q.model.indicators if i.id in keep]})
    return replace(q, model=model, matchers={k: v for k, v in q.matchers.items() if k in keep})
