"""Rounds (사전/사후, before/after …): one way to name them, pick one, and recognise a pair.

Round names match after NFKC, case folding and removing spaces and underscores, so `지원 전`,
`지원전` and `지원_전` are the same round in `score --round`, `improve` and `certify`.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from esgcli.answers.answerset import AnswerSet
from esgcli.base.problems import InputError, Problem

# SPEC §6: the one list of recognised names (compared by `round_key`), used by `improve`,
# `report` and `certify` alike.
BEFORE_NAMES = ("before", "baseline", "pre", "사전", "사전진단", "사전평가", "지원전", "1차",
                "1회차")
AFTER_NAMES = ("after", "follow-up", "followup", "post", "사후", "사후진단", "사후평가", "지원후",
               "2차", "2회차")


def round_key(name: object) -> str:
    text = unicodedata.normalize("NFKC", str(name or "")).strip().casefold()
    return re.sub(r"[\s_]+", "", text)


_SIDES = {**{round_key(n): "before" for n in BEFORE_NAMES},
          **{round_key(n): "after" for n in AFTER_NAMES}}


def round_side(name: object) -> str | None:
    """"before" or "after" for a recognised round name (§6), else None."""
    return _SIDES.get(round_key(name)) if name is not None else None


def recognise_rounds(rounds: list[str | None]) -> tuple[str, str] | None:
    """(before, after) when there are exactly two rounds with recognised names."""
    if len(rounds) != 2:
        return None
    sides = [round_side(r) for r in rounds]
    before = [r for r, side in zip(rounds, sides, strict=True) if side == "before"]
    after = [r for r, side in zip(rounds, sides, strict=True) if side == "after"]
    if len(before) == 1 and len(after) == 1:
        return str(before[0]), str(after[0])
    return None


def select_round(data: AnswerSet, name: str) -> AnswerSet:
    """The records of round ``name``; SEL-001 (exit 3) naming the rounds there are if none."""
    codes, uniques = pd.factorize(data.records["round"].astype(object).to_numpy(),
                                  use_na_sentinel=False)
    wanted = round_key(name)
    mask = np.array([round_key(u) == wanted for u in uniques], dtype=bool)[codes] \
        if len(uniques) else np.zeros(0, dtype=bool)
    if not mask.any():
        raise InputError([Problem(code="SEL-001", file=data.source.file, params={
            "round": name, "available": rounds_text(data.rounds())})])
    return data.select(mask)


def only_round(data: AnswerSet) -> AnswerSet:
    """``data`` when it holds one round at most; IMP-001 (exit 3) naming the rounds if not."""
    rounds = data.rounds()
    if len(rounds) > 1:
        raise InputError([Problem(code="IMP-001", file=data.source.file, params={
            "rounds": rounds_text(rounds)})])
    return data


def rounds_text(rounds: list[str | None]) -> str:
    """The rounds of a file for a message: a blank round cell shows as ``-`` (never "None")."""
    return ", ".join("-" if r is None else str(r) for r in rounds) or "-"
