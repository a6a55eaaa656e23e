"""Campaign status (SPEC §12): who on the supplier list has returned a valid reply for the round.

`campaign_status` takes the supplier list (as `answers.read_supplier_list` reads it) and the
per-file reads of `inputs.read_files`, and judges each listed supplier's record for the round
on its own: `returned` (valid, no missing answer), `incomplete` (valid, missing answers),
`invalid` (the record has errors) or `missing`. Records of suppliers not on the list are
`unexpected`; files that could not be read are `unreadable`. No terminal here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from esgcli.answers.answerset import AnswerSet, YearCells, blank_year_problems, year_cells
from esgcli.answers.inputs import FileRead, read_answer_paths
from esgcli.base.formatting import few_names
from esgcli.base.labels import label
from esgcli.base.problems import InputError, Problem
from esgcli.base.tokens import parse_number
from esgcli.engine.rounds import round_key, round_side
from esgcli.questionnaire.questionnaire import Questionnaire
from esgcli.questionnaire.scales import INVALID, MISSING, NumberMatcher

__all__ = ["STATUSES", "CampaignStatus", "EarlierAnswers", "Prefill", "SupplierStatus",
           "campaign_status", "earlier_answers", "prefill", "record_rounds", "status_label"]

Status = Literal["returned", "incomplete", "invalid", "missing"]
STATUSES: tuple[Status, ...] = ("returned", "incomplete", "invalid", "missing")


def status_label(status: str, lang: str) -> str:
    """A status as the operator reads it (labels ``campaign.status.*``)."""
    return label(f"campaign.status.{status}", lang)


@dataclass(frozen=True)
class SupplierStatus:
    supplier_id: str
    supplier_name: str
    status: Status
    file: str | None = None
    errors: int = 0
    missing_answers: int = 0
    first_problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"supplier_id": self.supplier_id, "supplier_name": self.supplier_name,
                "status": self.status, "file": self.file, "errors": self.errors,
                "missing_answers": self.missing_answers, "first_problem": self.first_problem}


@dataclass(frozen=True)
class CampaignStatus:
    round: str | None
    year: int | None
    suppliers: list[SupplierStatus]
    unexpected: list[dict[str, Any]]  # {"supplier_id", "file"}
    unreadable: list[dict[str, Any]]  # {"file", "problem"}
    # listed suppliers with more than one record for the round and year: (id, files); such a
    # supplier is `invalid` (SPEC §12: a duplicate is an error), named by its first file
    duplicates: list[tuple[str, list[str]]] = field(default_factory=list)
    rounds_found: list[str] = field(default_factory=list)  # rounds of the records read
    round_matched: bool = True  # some record is of `round` (always, when no round is asked)
    undated: list[str] = field(default_factory=list)  # files whose records hold no year

    def warnings(self) -> list[Problem]:
        """What the operator must know to trust the table: a round no reply has (a typo makes
        every supplier missing), suppliers who replied more than once."""
        out = []
        if not self.round_matched:
            out.append(Problem(code="STA-001", severity="warning", params={
                "round": self.round, "available": ", ".join(self.rounds_found) or "-"}))
        out += [Problem(code="STA-003", severity="warning", supplier_id=ident,
                        params={"supplier": ident, "files": ", ".join(files)})
                for ident, files in self.duplicates]
        if self.year is not None and self.undated:
            out.append(Problem(code="SEL-005", severity="warning", params={
                "year": self.year, "files": few_names(self.undated), "count": len(self.undated)}))
        return out

    def count(self, status: str) -> int:
        return sum(1 for s in self.suppliers if s.status == status)

    def to_dict(self) -> dict[str, Any]:
        summary = {"listed": len(self.suppliers)} | {s: self.count(s) for s in STATUSES}
        summary |= {"unexpected": len(self.unexpected), "unreadable": len(self.unreadable)}
        return {"round": self.round, "year": self.year,
                "suppliers": [s.to_dict() for s in self.suppliers],
                "unexpected": list(self.unexpected), "unreadable": list(self.unreadable),
                "summary": summary}


def _round_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value)
    return text or None


def _year(value: Any) -> int | None:
    try:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        return int(value)
    except (TypeError, ValueError):
        return None


def _of_year(data: AnswerSet, cells: YearCells, year: int | None) -> np.ndarray:
    """Per record: whether it counts for ``year`` (any, when None). A file with no year counts
    for every year (`esg certify --year` takes it so); a blank year beside years
    (``cells.blank``, SEL-004) counts for none."""
    if year is None:
        return np.ones(len(data), dtype=bool)
    of_year = (data.records["year"] == year).to_numpy(dtype=bool)
    return np.asarray((of_year & cells.known) | cells.undated)


def undated_files(reads: Sequence[FileRead]) -> list[str]:
    """Files read whose records hold no year (taken as the year asked for)."""
    out: list[str] = []
    for read in reads:
        if read.answers is not None:
            cells = year_cells(read.answers)
            out += [f for f in dict.fromkeys(np.array(cells.files, dtype=object)[cells.undated])]
    return out


def record_rounds(reads: Sequence[FileRead], year: int | None = None) -> list[str]:
    """The distinct rounds of the readable records (of ``year`` when given), in order met."""
    seen: dict[str, None] = {}
    for read in reads:
        if read.answers is None:
            continue
        counts = _of_year(read.answers, year_cells(read.answers), year)
        for r, counted in zip(read.answers.records["round"].tolist(), counts.tolist(),
                              strict=True):
            text = _round_text(r)
            if counted and text is not None:
                seen.setdefault(text, None)
    return list(seen)


def campaign_status(listed: Sequence[dict[str, Any]], reads: Sequence[FileRead],
                    round: str | None = None, year: int | None = None,
                    lang: str = "ko") -> CampaignStatus:
    """Every listed supplier's status for (``round``, ``year``); None matches any. Round names
    match as `esg score --round` matches them (`지원 후` = `지원후`). A supplier with records
    of several years (no ``year`` asked) is judged on its latest; two records of one year in
    two files are a duplicate, an error (SPEC §12) as `esg score` says it: `invalid`."""
    wanted = round_key(round) if round is not None else None
    matched = round is None
    found: dict[str, list[tuple[int | None, SupplierStatus]]] = {}
    unexpected: list[dict[str, Any]] = []
    unreadable: list[dict[str, Any]] = []
    names = {str(s["supplier_id"]): str(s.get("supplier_name") or "") for s in listed}
    for read in reads:
        data = read.answers
        if data is None:
            first = read.problems[0].message(lang) if read.problems else None
            unreadable.append({"file": read.file.name, "problem": first})
            continue
        errors: dict[int, list[Problem]] = {}
        cells = year_cells(data)
        # a blank year beside years first: which year the record is, no one can tell
        for p in [*blank_year_problems(data, cells), *data.errors]:
            for record in p.records():
                errors.setdefault(record, []).append(p)
        missing = (data.applicable & (data.status == MISSING)).sum(axis=1)
        records = data.records
        ids = records["supplier_id"].tolist()
        rounds = records["round"].tolist()
        years = records["year"].tolist()
        files = cells.files
        counts, blank = _of_year(data, cells, year), cells.blank
        for i, ident in enumerate(ids):
            if not counts[i] and not blank[i]:
                continue
            if wanted is not None and round_key(_round_text(rounds[i])) != wanted:
                continue
            matched = True
            ident = str(ident)
            if ident not in names:
                unexpected.append({"supplier_id": ident, "file": str(files[i])})
                continue
            bad = errors.get(i, [])
            n_missing = int(missing[i])
            status: Status = "invalid" if bad else "incomplete" if n_missing else "returned"
            # the year it counts for: its own, or (its file holds none) the year asked for
            found.setdefault(ident, []).append((_year(years[i]) or year, SupplierStatus(
                ident, names[ident], status, str(files[i]), len(bad), n_missing,
                bad[0].message(lang) if bad else None)))
    suppliers: list[SupplierStatus] = []
    duplicates: list[tuple[str, list[str]]] = []
    for ident, name in names.items():
        replies = found.get(ident)
        if not replies:
            suppliers.append(SupplierStatus(ident, name, "missing"))
            continue
        dated = [y for y, _ in replies if y is not None]
        # the latest year's replies; a reply of no year beside dated ones (no --year) cannot
        # be placed before or after them: all of them, as replies of one year
        latest = max(dated) if dated and len(dated) == len(replies) else None
        same = [r for y, r in replies if latest is None or y == latest]
        if len({r.file for r in same}) > 1:  # in one file, its own error (ROW-002) says it
            files = [str(r.file) for r in same]
            duplicates.append((ident, files))
            kept = same[0]
            problem = Problem(code="STA-004", supplier_id=ident,
                              params={"supplier": ident, "files": ", ".join(files)})
            suppliers.append(SupplierStatus(
                ident, name, "invalid", kept.file, sum(r.errors for r in same) + 1,
                kept.missing_answers, problem.message(lang)))
            continue
        # twice in one file: its error (a duplicate row) is on one of the records
        suppliers.append(next((r for r in same if r.status == "invalid"), same[0]))
    return CampaignStatus(round, year, suppliers, unexpected, unreadable, duplicates,
                          record_rounds(reads, year), matched, undated_files(reads))


# ---------------------------------------------------------------- a follow-up from earlier answers
@dataclass(frozen=True)
class EarlierAnswers:
    """Each supplier's latest answers, to start its follow-up form from (`--prefill`)."""

    answers: dict[str, dict[str, Any]]  # supplier id -> indicator id -> the answer as typed
    sources: dict[str, dict[str, Any]]  # supplier id -> {"round", "year", "file"} it came from
    invalid: int  # earlier answers that were not valid: left blank, to be answered again

    def to_dict(self) -> dict[str, Any]:
        return {"suppliers": [{"supplier_id": ident, **self.sources[ident],
                               "answers": len(self.answers[ident])} for ident in self.answers],
                "invalid_left_blank": self.invalid}


_SIDE_RANK = {"before": 0, None: 1, "after": 2}


def earlier_answers(data: AnswerSet) -> EarlierAnswers:
    """The answers of each supplier's latest record: the latest year, then the after round
    over an unnamed one over the before round (SPEC §6 names), then the last read. Blank and
    not applicable answers stay blank; an invalid one is left blank (and counted), so the form
    never starts with an error. Numbers stay numbers."""
    records = data.records
    ids = records["supplier_id"].astype(str).tolist()
    rounds = records["round"].tolist()
    years = [_year(y) for y in records["year"].tolist()]
    files = records["file"].tolist() if "file" in records else [data.source.file] * len(ids)
    latest: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if not ident:
            continue
        key = (years[i] or 0, _SIDE_RANK[round_side(rounds[i])], i)
        j = latest.get(ident)
        if j is None or key > (years[j] or 0, _SIDE_RANK[round_side(rounds[j])], j):
            latest[ident] = i
    q = data.questionnaire
    numbers = [isinstance(q.matchers[ind], NumberMatcher) for ind in q.indicator_ids]
    answers: dict[str, dict[str, Any]] = {}
    sources: dict[str, dict[str, Any]] = {}
    invalid = 0
    for ident, i in latest.items():
        given: dict[str, Any] = {}
        for j, ind in enumerate(q.indicator_ids):
            status = int(data.status[i, j])
            if status == INVALID:
                invalid += 1
                continue
            if status == MISSING:
                continue
            value = data.raw.value(i, j)
            if numbers[j] and isinstance(value, str) and parse_number(value) is not None \
                    and "%" not in value:
                value = parse_number(value)  # "-5" typed as text: a number, not a formula
            given[ind] = value
        answers[ident] = given
        sources[ident] = {"round": _round_text(rounds[i]), "year": years[i], "file": str(files[i])}
    return EarlierAnswers(answers, sources, invalid)


@dataclass(frozen=True)
class Prefill:
    """`esg template --prefill`: each listed supplier's latest earlier answers, and what to say:
    ``replaced`` (SRC-002: a supplier's corrected reply kept over an older one) and the note."""

    answers: dict[str, dict[str, Any]]  # listed supplier id -> its earlier answers (if any)
    without: list[str]  # listed suppliers with no earlier answers, in list order
    invalid: int  # earlier answers that were not valid: left blank
    sources: str  # the files and folders read, as given
    replaced: list[Problem] = field(default_factory=list)

    def note(self) -> Problem:
        """TPL-006: how many suppliers and answers were filled, who has none."""
        names = (": " + ", ".join(self.without[:10]) + (" …" if len(self.without) > 10 else "")
                 if self.without else "")
        return Problem(code="TPL-006", severity="warning", params={
            "filled": len(self.answers), "answers": sum(len(a) for a in self.answers.values()),
            "sources": self.sources, "invalid": self.invalid, "without": len(self.without),
            "names": names})


def prefill(paths: Sequence[str | Path], questionnaire: Questionnaire,
            supplier_ids: Sequence[str]) -> Prefill:
    """The latest earlier answers of each of ``supplier_ids`` from the answer files and folders
    ``paths`` (a corrected reply wins: the file modified last). An earlier file that cannot be
    read stops it (InputError): a form silently left blank would make the supplier answer
    everything again."""
    data = read_answer_paths(paths, questionnaire, on_duplicate="latest")
    unplaced = [p for p in data.errors if p.record is None]
    if unplaced:
        raise InputError(unplaced)
    earlier = earlier_answers(data)
    found = {ident: earlier.answers[ident] for ident in supplier_ids if ident in earlier.answers}
    return Prefill(found, [ident for ident in supplier_ids if ident not in earlier.answers],
                   earlier.invalid, ", ".join(str(p) for p in paths),
                   [p for p in data.problems if p.code == "SRC-002"])
