"""Which indicators apply to which supplier (`applies_if`, SPEC §2 and §5), whole columns at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from esgcli.base.tokens import normalise
from esgcli.questionnaire.models import AllOf, AnyOf, Condition, Leaf, NotOf
from esgcli.questionnaire.questionnaire import Questionnaire
from esgcli.questionnaire.scales import ProfileValues


def applicability(questionnaire: Questionnaire, profile: pd.DataFrame) -> np.ndarray:
    """Boolean matrix (suppliers × indicators): True where the indicator applies."""
    n = len(profile)
    result = np.ones((n, len(questionnaire.indicators)), dtype=bool)
    declared = questionnaire.profile_values
    for j, indicator in enumerate(questionnaire.indicators):
        if indicator.applies_if is not None:
            result[:, j] = evaluate(indicator.applies_if, profile, declared)
    return result


def evaluate(condition: Condition, profile: pd.DataFrame,
             declared: Mapping[str, ProfileValues] | None = None) -> np.ndarray:
    """Where ``condition`` holds. A field with declared values holds canonical values (the
    reader maps every spelling to one); ``declared`` maps the condition's values the same way."""
    if isinstance(condition, AllOf):
        out = np.ones(len(profile), dtype=bool)
        for part in condition.all:
            out &= evaluate(part, profile, declared)
        return out
    if isinstance(condition, AnyOf):
        out = np.zeros(len(profile), dtype=bool)
        for part in condition.any:
            out |= evaluate(part, profile, declared)
        return out
    if isinstance(condition, NotOf):
        return ~evaluate(condition.not_, profile, declared)
    assert isinstance(condition, Leaf)
    values = (declared or {}).get(condition.field)
    return _leaf(condition, profile[condition.field], values)


def _comparable(value: object, column: pd.Series, declared: ProfileValues | None) -> object:
    if declared is not None and isinstance(value, str):
        canonical = declared.canonical(value)  # the loader ensures every value is declared
        return normalise(value) if canonical is None else canonical
    if column.dtype == object and isinstance(value, str):
        return normalise(value)
    return value


def _leaf(leaf: Leaf, column: pd.Series, declared: ProfileValues | None = None) -> np.ndarray:
    if leaf.op in ("in", "not_in"):
        values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
        member = column.isin([_comparable(v, column, declared) for v in values]).to_numpy()
        return member if leaf.op == "in" else ~member
    value = _comparable(leaf.value, column, declared)
    known = column.notna().to_numpy()
    try:
        if leaf.op == "==":
            out = column == value
        elif leaf.op == "!=":
            out = column != value
        elif leaf.op == ">":
            out = column > value
        elif leaf.op == ">=":
            out = column >= value
        elif leaf.op == "<":
            out = column < value
        else:
            out = column <= value
    except TypeError:
        return np.zeros(len(column), dtype=bool)
    return out.fillna(False).to_numpy(dtype=bool) & known


def condition_text(condition: Condition) -> str:
    if isinstance(condition, AllOf):
        return " and ".join(f"({condition_text(c)})" for c in condition.all)
    if isinstance(condition, AnyOf):
        return " or ".join(f"({condition_text(c)})" for c in condition.any)
    if isinstance(condition, NotOf):
        return f"not ({condition_text(condition.not_)})"
    assert isinstance(condition, Leaf)
    value: Any = condition.value
    shown = "[" + ", ".join(map(str, value)) + "]" if isinstance(value, list) else value
    return f"{condition.field} {condition.op} {shown}"
