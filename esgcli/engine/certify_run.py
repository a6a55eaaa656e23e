"""`esg certify` as a library call: judge every supplier under a policy and issue certificates.

``certify(data, policy, registry, ...)`` returns a :class:`CertificationRun` whose ``to_dict()``
is the command's ``--format json``. It is two steps, :func:`judge` (no registry) then
:func:`record`: warnings (the year taken from the records, an improvement criterion without a
before round) are the judgement's ``problems``, there to be said before the registry is
opened (a registry error then still comes after them), and the run's; nothing is printed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from esgcli.answers.answerset import AnswerSet, record_files
from esgcli.base.formatting import failure_text
from esgcli.base.problems import Problem, UsageError
from esgcli.engine.certification import Decision, evaluate
from esgcli.engine.scoring import score, sources_of
from esgcli.engine.selection import RoundChoice, choose_rounds, record_years
from esgcli.questionnaire.policy import Policy
from esgcli.registry.core import Certificate, IssueRequest, Registry, open_registry

CERTIFY_CSV_HEADER = ["supplier_id", "supplier_name", "qualifies", "compliance", "score", "grade",
                      "certificate", "certificate_status", "failed", "gap_indicators",
                      "revoke_reason"]


@dataclass
class CertificationRun:
    """The judgement of every supplier and the certificates issued, held or withheld."""

    policy: Policy
    year: int
    registry: str  # where the registry is (a path, or a URL without its password)
    dry_run: bool
    decisions: list[Decision]
    issued: list[tuple[Certificate, str]]  # (certificate, issued|existing|revoked)
    active: dict[str, Certificate]  # supplier id -> active certificate for (policy, year)
    not_evaluated: list[str]  # suppliers with a before round only
    problems: list[Problem] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)  # every file read (SPEC §12)
    files: dict[str, str | None] = field(default_factory=dict)  # supplier -> its judged file

    def held(self) -> list[Certificate]:
        """The certificates the qualifying suppliers hold after the run (new and existing)."""
        return [c for c, status in self.issued if status in ("issued", "existing")]

    def to_dict(self) -> dict[str, Any]:
        by_supplier = {cert.supplier_id: (cert, status) for cert, status in self.issued}
        suppliers = []
        for d in sorted(self.decisions, key=lambda d: d.supplier_id):
            entry: dict[str, Any] = {"supplier_id": d.supplier_id, "supplier_name": d.supplier_name,
                                     "file": self.files.get(d.supplier_id),
                                     "qualifies": d.qualifies,
                                     "failed": [f.to_dict() for f in d.failed],
                                     "certificate": None, **d.values,
                                     "improvement_pp": d.improvement_pp, "gap": d.gap}
            if d.supplier_id in by_supplier:
                cert, status = by_supplier[d.supplier_id]
                entry["certificate"] = {"number": cert.number, "status": status,
                                        "issued_on": cert.issued_on, "valid_until": cert.valid_until}
                if status == "revoked":
                    entry["certificate"].update(revoked_on=cert.revoked_on,
                                                revoke_reason=cert.revoke_reason)
                elif cert.replaces:
                    entry["certificate"]["replaces"] = cert.replaces
            suppliers.append(entry)
        failing = {d.supplier_id for d in self.decisions if not d.qualifies}
        lost = sorted(s for s in self.active if s in failing)
        qualified = sum(d.qualifies for d in self.decisions)
        return {
            "policy": self.policy.id, "policy_version": self.policy.version, "year": self.year,
            "registry": self.registry, "dry_run": self.dry_run, "sources": self.sources,
            "suppliers": suppliers,
            "not_evaluated": self.not_evaluated,
            "no_longer_qualify": [{"supplier_id": s, "number": self.active[s].number} for s in lost],
            "summary": {
                "evaluated": len(self.decisions), "qualified": qualified,
                "issued": sum(1 for _, st in self.issued if st == "issued"),
                "existing": sum(1 for _, st in self.issued if st == "existing"),
                "revoked": sum(1 for _, st in self.issued if st == "revoked"),
                "share_pct": 100.0 * qualified / len(self.decisions) if self.decisions else None,
            },
        }

    def rows(self, lang: str, data: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        """One row per supplier (``--format csv`` and ``-o``); ``data`` is ``to_dict()`` if at hand."""
        return certify_rows(data if data is not None else self.to_dict(), lang)


def certify_rows(result: dict[str, Any], lang: str) -> tuple[list[str], list[list[Any]]]:
    """The CSV/XLSX table of a certify result (its ``to_dict()``)."""
    rows = []
    for s in result["suppliers"]:
        cert = s["certificate"] or {}
        rows.append([s["supplier_id"], s["supplier_name"], s["qualifies"], s["compliance"],
                     s["score"], s["grade"], cert.get("number"), cert.get("status"),
                     "; ".join(failure_text(f, lang) for f in s["failed"]),
                     ";".join(s["gap"]["indicators"]) if s["gap"] else "",
                     cert.get("revoke_reason") or ""])
    return list(CERTIFY_CSV_HEADER), rows


def is_rate(name: str) -> bool:
    """Columns of certificate tables that hold percentages."""
    return name in ("compliance", "score")


def year_of_records(data: AnswerSet) -> int:
    """The one year every record holds (SPEC §7); a usage error naming the years otherwise."""
    years, blank = record_years(data)
    if len(years) == 1 and not blank:
        return years[0]
    if not years:
        raise UsageError.of("USE-006")
    raise UsageError.of("USE-005", years=", ".join(map(str, years)) + (", -" if blank else ""))


def source_by_supplier(judged: AnswerSet) -> dict[str, dict[str, Any]]:
    """The file (name, sheet, sha256) each supplier's judged record came from."""
    by_file = {src.file: src.to_dict() for src in judged.sources}
    if "file" not in judged.records or not by_file:
        return {}
    return {sid: by_file[f] for sid, f in zip(judged.records["supplier_id"].tolist(),
                                               judged.records["file"].tolist(), strict=True)
            if f in by_file}


@dataclass(frozen=True)
class Judgement:
    """Every supplier judged under a policy, before anything is recorded: the first step of
    :func:`certify`, whose ``problems`` (the year taken from the records, an improvement
    criterion without a before round) can be said before the registry is opened."""

    policy: Policy
    year: int
    choice: RoundChoice
    decisions: list[Decision]
    source: dict[str, Any]  # the answers read (as the registry's events record them)
    problems: list[Problem] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)  # every file read (SPEC §12)


def judge(data: AnswerSet, policy: Policy, *, year: int | None = None,
          round_name: str | None = None, before: str | None = None,
          after: str | None = None) -> Judgement:
    """Judge the judged round of ``data`` under ``policy`` (no registry, nothing written)."""
    if round_name is not None and after is not None:
        raise UsageError.of("USE-004")
    policy.check_questionnaire(data.questionnaire)
    problems: list[Problem] = []
    if year is None:
        year = year_of_records(data)
        problems.append(Problem(code="CRT-002", severity="warning", params={"year": year}))
    choice = choose_rounds(data, round_name, before, after, year)
    problems += choice.notes
    judged = score(choice.judged)
    before_scores = score(choice.before) if choice.before is not None else None
    if policy.criteria.improvement_min_pp is not None and before_scores is None:
        problems.append(Problem(code="CRT-001", severity="warning"))
    return Judgement(policy, year, choice, evaluate(policy, judged, before_scores),
                     data.source.to_dict(), problems, sources_of(data))


def record(judgement: Judgement, registry: Registry | str, *, today: dt.date | None = None,
           dry_run: bool = False, reissue_revoked: bool = False,
           operator: str | None = None) -> CertificationRun:
    """Issue the certificates of a :class:`Judgement` in ``registry`` (an open
    :class:`Registry`, or its location: opened read-only for a dry run, and closed)."""
    policy, year, choice, decisions = (judgement.policy, judgement.year, judgement.choice,
                                       judgement.decisions)
    data = choice.judged
    reg = (open_registry(registry, readonly=dry_run, missing_ok=dry_run)
           if isinstance(registry, str) else registry)
    try:
        sources = source_by_supplier(choice.judged)
        requests = [IssueRequest(d.supplier_id, d.supplier_name, choice.judged_name,
                                 d.values["compliance"], d.values["score"], d.values["grade"],
                                 d.values["areas"], sources.get(d.supplier_id))
                    for d in decisions if d.qualifies]
        issued = reg.issue(policy, year, today or dt.date.today(), requests,
                           data.questionnaire.to_ref(), judgement.source, dry_run=dry_run,
                           reissue_revoked=reissue_revoked, operator=operator)
        active = reg.active(policy.id, year)
        where = reg.where
    finally:
        if reg is not registry:
            reg.close()
    return CertificationRun(policy=policy, year=year, registry=where, dry_run=dry_run,
                            decisions=decisions, issued=issued, active=active,
                            not_evaluated=choice.not_evaluated, problems=list(judgement.problems),
                            sources=judgement.sources, files=dict(zip(
                                data.records["supplier_id"].tolist(), record_files(data.records),
                                strict=True)))


def certify(data: AnswerSet, policy: Policy, registry: Registry | str, *, year: int | None = None,
            today: dt.date | None = None, round_name: str | None = None,
            before: str | None = None, after: str | None = None, dry_run: bool = False,
            reissue_revoked: bool = False, operator: str | None = None) -> CertificationRun:
    """Judge the judged round of ``data`` under ``policy`` and issue certificates in ``registry``
    (an open :class:`Registry`, or its location: opened read-only for a dry run, and closed):
    :func:`judge`, then :func:`record`.

    Re-running is idempotent; a certified supplier that no longer qualifies is reported, never
    revoked; a revoked certificate is re-issued only with ``reissue_revoked``.
    """
    return record(judge(data, policy, year=year, round_name=round_name, before=before,
                        after=after),
                  registry, today=today, dry_run=dry_run, reissue_revoked=reissue_revoked,
                  operator=operator)
