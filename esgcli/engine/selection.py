"""Choosing the round to judge (and the round before it) for certification (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from esgcli.answers.answerset import AnswerSet
from esgcli.base.problems import InputError, Problem, UsageError
from esgcli.engine.rounds import only_round, recognise_rounds, round_key, rounds_text, select_round
from esgcli.engine.years import of_year


@dataclass(frozen=True)
class RoundChoice:
    judged: AnswerSet
    before: AnswerSet | None
    judged_name: str | None
    not_evaluated: list[str]  # suppliers with a before round only
    notes: list[Problem] = field(default_factory=list)  # what was assumed (files of no year)


def choose_rounds(data: AnswerSet, round_name: str | None = None, before: str | None = None,
                  after: str | None = None, year: int | None = None,
                  strict: bool = True) -> RoundChoice:
    """`--round R`, `--before R --after R`, the only round, or two recognised round names,
    among the records of ``year`` (:func:`of_year`; ``strict`` as there)."""
    notes: list[Problem] = []
    if year is not None:
        data, notes = of_year(data, year, strict)
    judged_name = round_name or after
    if before is not None and judged_name is not None and round_key(before) == round_key(judged_name):
        raise UsageError.of("USE-044", round=before)  # a round compared with itself
    before_set: AnswerSet | None = None
    if judged_name is not None:
        judged = select_round(data, judged_name)
        if before is not None:
            before_set = select_round(data, before)
    elif before is not None:
        raise InputError([Problem(code="IMP-001", file=data.source.file, params={
            "rounds": rounds_text(data.rounds())})])
    elif len(data.rounds()) <= 1:
        judged = only_round(data)
        rounds = data.rounds()
        judged_name = rounds[0] if rounds else None
    else:
        names = recognise_rounds(data.rounds())
        if names is None:
            raise InputError([Problem(code="IMP-001", file=data.source.file, params={
                "rounds": rounds_text(data.rounds())})])
        before_set, judged = select_round(data, names[0]), select_round(data, names[1])
        judged_name = names[1]
    ids = judged.records["supplier_id"]
    dup = ids[ids.duplicated()].unique().tolist()
    if dup:
        raise InputError([Problem(code="IMP-002", file=data.source.file, params={
            "round": judged_name or "-", "ids": ", ".join(map(str, dup[:10]))})])
    not_evaluated: list[str] = []
    if before_set is not None:
        judged_ids = set(ids)
        not_evaluated = sorted({s for s in before_set.records["supplier_id"] if s not in judged_ids})
    return RoundChoice(judged=judged, before=before_set, judged_name=judged_name,
                       not_evaluated=not_evaluated, notes=notes)


def record_years(data: AnswerSet) -> tuple[list[int], bool]:
    """The distinct years of the records, ascending, and whether some record has no year."""
    years = data.records["year"]
    known = years.dropna()
    return sorted({int(y) for y in known.unique()}), len(known) < len(years)
