"""The content of the annual improvement report (SPEC §8), as plain data (pure).

Both writers (`xlsx`, `html`) render exactly this dictionary, so their figures are the same and
equal to `esg improve`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from esgcli import __version__
from esgcli.answers.answerset import AnswerSet
from esgcli.base.coded import Coded
from esgcli.base.formatting import few_names
from esgcli.base.labels import label
from esgcli.base.problems import InputError, Problem, UsageError
from esgcli.engine.certification import evaluate
from esgcli.engine.improvement import after_file_first, improve_answers
from esgcli.engine.program import ProgramToDate, YearParticipation, program_to_date
from esgcli.engine.rounds import (
    recognise_rounds,
    round_key,
    round_side,
    rounds_text,
    select_round,
)
from esgcli.engine.scoring import score
from esgcli.engine.years import report_years
from esgcli.questionnaire.policy import Policy
from esgcli.registry.core import Certificate

BINS = list(range(0, 101, 10))  # 0–10, …, 90–100 (100 falls in the last bin)


@dataclass(frozen=True)
class YearData:
    year: int
    answers: list[AnswerSet]


def split_years(sets: list[AnswerSet], default_year: int) -> list[YearData]:
    """Group records by year: the year cell, else (a PATH that is one file with no year) a year
    its name holds, else ``default_year`` (`years.report_years`, which refuses a supplier
    and round held twice in a year; :func:`year_notes` says what was assumed)."""
    groups: dict[int, list[AnswerSet]] = {}
    for data, years in zip(sets, report_years(sets, default_year)[0], strict=True):
        for year in sorted(set(years.tolist())):
            groups.setdefault(year, []).append(data.select(years == year))
    return [YearData(y, groups[y]) for y in sorted(groups)]


def year_notes(sets: list[AnswerSet], default_year: int) -> list[Problem]:
    """What :func:`split_years` assumed: files whose year came from their name or the
    reported year."""
    named: dict[str, list[str]] = {}  # code -> files, over every PATH: one line each
    for note in report_years(sets, default_year)[1]:
        named.setdefault(note.code, []).extend(note.params["names"])
    return [Problem(code=code, severity="warning", params={
        "year": default_year, "files": few_names(names), "count": len(names)})
        for code, names in named.items()]


def histogram(values: np.ndarray) -> list[int]:
    known = values[~np.isnan(values)]
    counts, _ = np.histogram(known, bins=BINS)
    return [int(c) for c in counts]


def year_figures(year: YearData, policy: Policy | None,
                 certificates: list[Certificate] | None,
                 before: str | None = None, after: str | None = None,
                 required: bool = True) -> dict[str, Any]:
    """Participants, cohort improvement and certification of one program year.

    One file (or several) holding two rounds — named by ``before``/``after``, else recognised
    (§6) — or exactly two single-round files (before, after), possibly scored with different
    questionnaire versions, in which case only the shared indicators are compared and the
    changed ones are listed (`method_changes`). Several rounds that cannot be told apart are
    IMP-001, never one count over both rounds. ``required``: the year must hold the rounds
    named (the reported year); an earlier year without them falls back to recognised names.
    """
    two_files = len(year.answers) == 2 and all(len(s.rounds()) <= 1 for s in year.answers)
    swapped = two_files and _given_swapped(year.answers, before, after)
    if swapped:  # the after file first: each is taken by its round's name, never by position
        year = replace(year, answers=year.answers[::-1])
    data = year.answers[0] if len(year.answers) == 1 or two_files else merge(year.answers, year.year)
    rounds = [r for s in year.answers for r in s.rounds()] if two_files else data.rounds()
    names = None if two_files else _round_names(data, rounds, before, after, required)
    out: dict[str, Any] = {"year": year.year, "rounds": [str(r) for r in rounds],
                           "single_round": None}
    if swapped:  # taken out again by `annual.annual_report`, which says it on stderr (RPT-015)
        out["files_swapped"] = {"before": year.answers[0].source.file,
                                "after": year.answers[1].source.file,
                                "before_round": str(rounds[0]), "after_round": str(rounds[1])}
    if names is None and not two_files:
        result = score(data)  # one round (or none named): certify judges it whatever its name
        side = "before" if len(rounds) == 1 and round_side(rounds[0]) == "before" else "after"
        out["single_round"] = {"round": None if not rounds or rounds[0] is None else str(rounds[0]),
                               "counted_as": side,
                               "recognised": bool(rounds) and round_side(rounds[0]) == side}
        counted = (len(result), None) if side == "before" else (None, len(result))
        out.update({"diagnosed_before": counted[0], "diagnosed_after": counted[1], "both": None,
                    "improvement": None, f"{side}_compliance": histogram(result.compliance),
                    f"{'after' if side == 'before' else 'before'}_compliance": None})
        judged = result
    else:
        if two_files:
            named = [round_key(r) for r in rounds]
            given = before is not None and after is not None and (
                required or named == [round_key(before), round_key(after)])
            improvement = (improve_answers(year.answers, before, after) if given
                           else improve_answers(year.answers))
        else:
            improvement = improve_answers([data], names[0], names[1])  # type: ignore[index]
        out["improvement"] = improvement.to_dict()
        n_before = len(improvement.before) + len(improvement.only_before)
        n_after = len(improvement.after) + len(improvement.only_after)
        out.update({"diagnosed_before": n_before, "diagnosed_after": n_after,
                    "both": len(improvement.after),
                    "before_compliance": histogram(improvement.before.compliance),
                    "after_compliance": histogram(improvement.after.compliance)})
        judged = score(year.answers[1] if two_files
                       else select_round(data, names[1]))  # type: ignore[index]
    out["certification"] = _certification(judged, policy, certificates, year.year,
                                          {s.questionnaire.id for s in year.answers})
    return out


def _given_swapped(files: list[AnswerSet], before: str | None, after: str | None) -> bool:
    """Two single-round files given after-file first: the first's round is the after round
    (named by ``after``, else an after-name such as 사후) and the second's the before round."""
    if before is None or after is None:
        return after_file_first(files[0], files[1])
    first, second = (s.rounds()[0] if s.rounds() else None for s in files)
    if first is None or second is None:
        return False
    return round_key(first) == round_key(after) and round_key(second) == round_key(before) \
        and round_key(before) != round_key(after)


def _round_names(data: AnswerSet, rounds: list[str | None], before: str | None,
                 after: str | None, required: bool) -> tuple[str, str] | None:
    """The (before, after) rounds of one year's records; None for a single-round year."""
    if before is not None or after is not None:
        if before is None or after is None:
            raise UsageError.of("USE-001")
        keys = {round_key(r) for r in rounds}
        if required or {round_key(before), round_key(after)} <= keys:
            return before, after
    names = recognise_rounds(rounds)
    if names is None and len(rounds) > 1:
        raise InputError([Problem(code="IMP-001", file=data.source.file, params={
            "rounds": rounds_text(rounds)})])
    return names


def _certification(judged: Any, policy: Policy | None, certificates: list[Certificate] | None,
                   year: int, questionnaire_ids: set[str]) -> dict[str, Any] | None:
    """Who was evaluated in ``year`` (its judged round), who meets ``policy`` and who holds a
    certificate of the registry. Certificates counted: active ones of ``year`` recorded for one of
    the year's questionnaires (``questionnaire_ids``), of ``policy`` when given, held by a supplier
    evaluated that year; ``certified`` counts distinct suppliers (two policies' certificates of
    one supplier count once), so it never exceeds ``evaluated``. ``certificates`` lists each
    certificate counted, with its policy."""
    if policy is None and certificates is None:
        return None
    evaluated = len(judged)
    evaluated_ids = sorted(str(s) for s in judged.records["supplier_id"].unique())
    out: dict[str, Any] = {"evaluated": evaluated, "evaluated_ids": evaluated_ids}
    if policy is not None:
        decisions = evaluate(policy, judged)
        qualified = sorted(d.supplier_id for d in decisions if d.qualifies)
        out.update({"policy": policy.id, "policy_version": policy.version,
                    "qualified": len(qualified), "qualified_ids": qualified,
                    "qualified_share_pct": 100.0 * len(qualified) / evaluated if evaluated else None})
    if certificates is not None:
        who = set(evaluated_ids)
        certs = sorted((c for c in certificates if c.year == year and c.status == "active"
                        and c.questionnaire_id in questionnaire_ids and c.supplier_id in who
                        and (policy is None or c.policy_id == policy.id)),
                       key=lambda c: (c.supplier_id, c.policy_id, c.number))
        certified = sorted({c.supplier_id for c in certs})
        out.update({"certified": len(certified), "certified_ids": certified,
                    "certified_share_pct": 100.0 * len(certified) / evaluated if evaluated else None,
                    "certificates": [{"number": c.number, "supplier_id": c.supplier_id,
                                      "supplier_name": c.supplier_name, "policy": c.policy_id,
                                      "issued_on": c.issued_on, "valid_until": c.valid_until}
                                     for c in certs]})
    return out


def certificate_policies(figures: list[dict[str, Any]]) -> list[str] | None:
    """The policies whose certificates the years' figures counted (None: no registry given)."""
    counted = [(f["certification"] or {}).get("certificates") for f in figures]
    if all(c is None for c in counted):
        return None
    return sorted({c["policy"] for year in counted for c in year or []})


def merge(sets: list[AnswerSet], year: int) -> AnswerSet:
    """Several files of one year: one questionnaire (SPEC §12: files that record different ones
    are an error naming them, RPT-004); the rounds must not repeat a supplier."""
    first = sets[0]
    if any(other.questionnaire.sha256 != first.questionnaire.sha256 for other in sets[1:]):
        raise InputError([Problem(code="RPT-004", file=other.source.file, params={
            "year": year,
            "files": ", ".join(f"{s.source.file}: {s.questionnaire.id} {s.questionnaire.version}"
                               for s in sets)})
            for other in sets[1:] if other.questionnaire.sha256 != first.questionnaire.sha256])
    return replace(
        first,
        sources=tuple(dict.fromkeys(src for s in sets for src in (s.sources or (s.source,)))),
        records=pd.concat([s.records for s in sets], ignore_index=True),
        profile=pd.concat([s.profile for s in sets], ignore_index=True),
        status=np.concatenate([s.status for s in sets]),
        points=np.concatenate([s.points for s in sets]),
        answers=Coded.concat([s.answers for s in sets]),
        raw=Coded.concat([s.raw for s in sets]),
        applicable=np.concatenate([s.applicable for s in sets]),
        cell_rows=np.concatenate([s.cell_rows for s in sets]),
        problems=[p for s in sets for p in s.problems])


def _program(figures: list[dict[str, Any]], years: list[YearData], policy: Policy | None,
             certificates: list[Certificate] | None, lang: str) -> ProgramToDate:
    """Program to date (§8) over the years reported: certified from the registry when one is
    given (certificates issued), else from the policy (criteria met)."""
    basis = "registry" if certificates is not None else "policy" if policy is not None else None
    return program_to_date(
        [YearParticipation.from_figures(f) for f in figures],
        [(y.year, s.questionnaire) for y in years for s in y.answers],
        basis, policy.model.title.get(lang) if policy else None, lang)


def build_report(sets: list[AnswerSet], year: int, title: str | None = None,
                 policy: Policy | None = None, certificates: list[Certificate] | None = None,
                 generated_at: str = "", lang: str = "ko", before: str | None = None,
                 after: str | None = None) -> dict[str, Any]:
    """Everything the report shows, for ``year`` and the earlier years found in the input.

    ``before``/``after`` name the rounds (§8, as in `esg improve`); the reported year must hold
    them, an earlier year that does not falls back to the recognised round names.
    """
    years = split_years(sets, year)
    if year not in [y.year for y in years]:
        raise InputError([Problem(code="SEL-003", params={
            "year": year, "available": ", ".join(str(y.year) for y in years)})])
    figures = [year_figures(y, policy, certificates, before, after, required=y.year == year)
               for y in years if y.year <= year]
    main = figures[-1]
    program = _program(figures, [y for y in years if y.year <= year], policy, certificates, lang)
    # the reported year's questionnaire (its after round's, when two files differ), not the
    # first file's: with earlier years scored on another version the header must be true
    q = next(y for y in years if y.year == year).answers[-1].questionnaire
    used: dict[str, dict[str, Any]] = {}
    for y in years:
        if y.year <= year:
            for data in y.answers:
                entry = used.setdefault(data.questionnaire.sha256,
                                        {**data.questionnaire.to_ref(), "years": []})
                if y.year not in entry["years"]:
                    entry["years"].append(y.year)
    trend = [{
        "year": f["year"], "diagnosed_before": f["diagnosed_before"],
        "diagnosed_after": f["diagnosed_after"], "both": f["both"],
        "mean_before": f["improvement"]["cohort"]["compliance"]["mean_before"]
        if f["improvement"] else None,
        "mean_after": f["improvement"]["cohort"]["compliance"]["mean_after"]
        if f["improvement"] else None,
        "delta_pp": f["improvement"]["cohort"]["compliance"]["delta_pp"] if f["improvement"] else None,
        "certified": (f["certification"] or {}).get("certified",
                                                      (f["certification"] or {}).get("qualified")),
        "single_round": f["single_round"],
    } for f in figures]
    return {
        "title": title or label("report_title", lang, year=year),
        "year": year,
        "lang": lang,
        "questionnaire": {**q.to_ref(), "title": q.title(lang),
                          "areas": [{"id": a.id, "title": a.title.get(lang)} for a in q.areas],
                          "indicators": {i.id: i.title.get(lang) for i in q.indicators}},
        "program_to_date": program.to_dict(),
        "main": main,
        "trend": trend,
        "method": {
            "questionnaire": q.to_ref(),
            "questionnaires": list(used.values()),  # each one used, with its years
            "policy": {"id": policy.id, "version": policy.version, "sha256": policy.sha256}
            if policy else None,
            # the policies whose registry certificates were counted (null without --registry)
            "certificate_policies": certificate_policies(figures),
            "sources": [{"file": s.source.file, "sheet": s.source.sheet, "sha256": s.source.sha256}
                        for s in sets],
            "tool": f"esgcli {__version__}",
            "generated_at": generated_at,
        },
    }
