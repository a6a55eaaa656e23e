"""Which indicators apply to which supplier (`applies_if`, SPEC §2 and §5), whole columns at once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .models import AllOf, AnyOf, Condition, Leaf, NotOf
from .questionnaire import Questionnaire
from .tokens import normalise


def applicability(questionnaire: Questionnaire, profile: pd.DataFrame) -> np.ndarray:
    """Boolean matrix (suppliers × indicators): True where the indicator applies."""
    n = len(profile)
    result = np.ones((n, len(questionnaire.indicators)), dtype=bool)
    for j, indicator in enumerate(questionnaire.indicators):
        if indicator.applies_if is not None:
            result[:, j] = evaluate(indicator.applies_if, profile)
    return result


def evaluate(condition: Condition, profile: pd.DataFrame) -> np.ndarray:
    if isinstance(condition, AllOf):
        out = np.ones(len(profile), dtype=bool)
        for part in condition.all:
            out &= evaluate(part, profile)
        return out
    if isinstance(condition, AnyOf):
        out = np.zeros(len(profile), dtype=bool)
        for part in condition.any:
            out |= evaluate(part, profile)
        return out
    if isinstance(condition, NotOf):
        return ~evaluate(condition.not_, profile)
    assert isinstance(condition, Leaf)
    return _leaf(condition, profile[condition.field])


def _comparable(value: object, column: pd.Series) -> object:
    if column.dtype == object and isinstance(value, str):
        return normalise(value)
    return value


def _leaf(leaf: Leaf, column: pd.Series) -> np.ndarray:
    if leaf.op in ("in", "not_in"):
        values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
        member = column.isin([_comparable(v, column) for v in values]).to_numpy()
        return member if leaf.op == "in" else ~member
    value = _comparable(leaf.value, column)
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
