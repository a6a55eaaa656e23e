"""An answer and what would pass, in the supplier's terms (SPEC §13), from the answer scales.

`passes_with` says what a non-compliant answer would have to become: `예` for yes/no, the lowest
passing option for a choice (`4 (대부분 이행) 이상`), the checklist items still missing
(`at least 2 of: Budget, Monitoring`), the number threshold with its unit (`≥ 5%`). Pure: no
terminal, no files.
"""

from __future__ import annotations

from esgcli.base import labels
from esgcli.base.tokens import format_number, normalise
from esgcli.questionnaire.scales import YES_NO, ChecklistMatcher, ChoiceMatcher, Matcher, NumberMatcher, label


def word(key: str, lang: str, **fields: object) -> str:
    return labels.label(f"passing.{key}", lang, **fields)


def _is_yes_no(matcher: Matcher) -> bool:
    return isinstance(matcher, ChoiceMatcher) and (
        matcher.scale is YES_NO or [normalise(o.value) for o in matcher.scale.options] == ["yes", "no"])


def _with_unit(number: float, unit: str | None) -> str:
    text = format_number(number)
    if not unit:
        return text
    # `20%`, `0건`; a unit in Latin letters (tCO2eq) reads better after a space
    return f"{text} {unit}" if unit[:1].isascii() and unit[:1].isalpha() else f"{text}{unit}"


def answer_text(matcher: Matcher, answer: str | None, lang: str) -> str | None:
    """A canonical answer (as scoring keeps it) as the supplier would read it; None if blank."""
    if answer is None:
        return None
    if _is_yes_no(matcher):
        assert isinstance(matcher, ChoiceMatcher)
        index = matcher.lookup.get(normalise(answer))
        return matcher.choices(lang)[index] if index is not None else answer
    if isinstance(matcher, ChoiceMatcher):
        index = matcher.lookup.get(normalise(answer))
        if index is None:
            return answer
        option = matcher.scale.options[index]
        return label(option.label, option.value, lang)
    if isinstance(matcher, ChecklistMatcher):
        met = _checklist_met(matcher, answer)
        if not met:
            return word("none", lang)
        return ", ".join(_item_label(matcher, i, lang) for i in met)
    if isinstance(matcher, NumberMatcher):
        try:
            return _with_unit(float(answer), matcher.scale.unit)
        except ValueError:
            return answer
    return answer


def passes_with(matcher: Matcher, answer: str | None, lang: str) -> str:
    """What the answer would have to be for the indicator to be compliant."""
    if _is_yes_no(matcher):
        return matcher.choices(lang)[0]
    if isinstance(matcher, ChoiceMatcher):
        passing = sorted((o for o in matcher.scale.options if o.points >= matcher.pass_points),
                         key=lambda o: o.points)
        lowest = label(passing[0].label, passing[0].value, lang)
        return lowest if len(passing) == 1 else word("or_better", lang, x=lowest)
    if isinstance(matcher, ChecklistMatcher):
        return _checklist_passes(matcher, answer, lang)
    if isinstance(matcher, NumberMatcher):
        return _number_passes(matcher, lang)
    return ""  # pragma: no cover - every matcher kind is handled above


def _checklist_met(matcher: ChecklistMatcher, answer: str | None) -> list[int]:
    if answer is None or normalise(answer) in ("none", ""):
        return []
    found = {matcher.lookup[normalise(p)] for p in answer.split(",")
             if normalise(p) in matcher.lookup}
    return sorted(found)


def _item_label(matcher: ChecklistMatcher, index: int, lang: str) -> str:
    item = matcher.scale.items[index]
    return item.label.get(lang) if item.label is not None else format_number(item.value) \
        if isinstance(item.value, (int, float)) else str(item.value)


def _checklist_passes(matcher: ChecklistMatcher, answer: str | None, lang: str) -> str:
    met = set(_checklist_met(matcher, answer))
    have = sum(matcher.scale.items[i].points for i in met)
    need = matcher.pass_points - have
    missing = [i for i in range(len(matcher.scale.items)) if i not in met]
    points = {matcher.scale.items[i].points for i in missing}
    if len(points) == 1:  # equal items: a count says it
        each = points.pop()
        count = max(1, int(-(-need // each))) if each > 0 else len(missing)
        return word("at_least_of", lang, n=count,
                    items=", ".join(_item_label(matcher, i, lang) for i in missing))
    items = ", ".join(f"{_item_label(matcher, i, lang)} (+{matcher.scale.items[i].points:g})"
                      for i in missing)
    return word("points_of", lang, p=format_number(need), items=items)


def _number_passes(matcher: NumberMatcher, lang: str) -> str:
    unit = matcher.scale.unit
    rules = [r for r in matcher.scale.points if r.points >= matcher.pass_points]
    if all(r.max is None for r in rules):
        return f"≥ {_with_unit(min(r.min for r in rules if r.min is not None), unit)}"
    if all(r.min is None for r in rules):
        return f"≤ {_with_unit(max(r.max for r in rules if r.max is not None), unit)}"
    parts = []
    for r in rules:
        if r.min is not None and r.max is not None:
            parts.append(f"{format_number(r.min)}–{_with_unit(r.max, unit)}")
        elif r.min is not None:
            parts.append(f"≥ {_with_unit(r.min, unit)}")
        else:
            parts.append(f"≤ {_with_unit(r.max, unit)}")  # type: ignore[arg-type]
    return word("or", lang).join(parts)
