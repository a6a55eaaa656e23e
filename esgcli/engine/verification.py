"""`esg certs verify` as a library call: check a certificate against its recorded data.

``verify(cert, today, data, policy)`` returns a :class:`Verification` whose ``to_dict()`` is the
command's ``--format json``. Without answers only the status is checked; with the answers the
certificate was issued on, the supplier file's sha256, the policy version, the questionnaire's
sha256, the recomputed compliance and the qualification are compared with the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from esgcli.answers.answerset import AnswerSet
from esgcli.engine.certification import evaluate
from esgcli.engine.certify_run import source_by_supplier
from esgcli.engine.scoring import score
from esgcli.engine.selection import choose_rounds
from esgcli.questionnaire.policy import Policy
from esgcli.registry.core import Certificate

VERIFY_CSV_HEADER = ["check", "ok", "recorded", "actual"]


@dataclass(frozen=True)
class Check:
    """One comparison of a recorded value with the value found now."""

    check: str  # status, answers_sha256, policy_version, questionnaire_sha256, supplier, ...
    ok: bool
    recorded: Any
    actual: Any

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "recorded": self.recorded, "actual": self.actual}


@dataclass
class Verification:
    number: str
    checks: list[Check] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "matches": self.matches,
                "checks": [c.to_dict() for c in self.checks]}

    def rows(self) -> tuple[list[str], list[list[Any]]]:
        return list(VERIFY_CSV_HEADER), [[c.check, c.ok, c.recorded, c.actual] for c in self.checks]


def verify(cert: Certificate, today: dt.date, data: AnswerSet | None = None,
           policy: Policy | None = None) -> Verification:
    """Check ``cert``: its status on ``today``, and with ``data`` (read against the recorded
    questionnaire) and ``policy`` (the recorded policy) everything it was issued on."""
    status = cert.status_on(today)
    checks = [Check("status", status == "active", "active", status)]
    if data is not None:
        if policy is None:
            raise ValueError("verify: answers need the policy they were judged under")
        choice = choose_rounds(data, cert.round or None, None, None, cert.year,
                               strict=False)  # only this supplier's record matters
        sha = source_by_supplier(choice.judged).get(cert.supplier_id, {}).get("sha256")
        checks.append(Check("answers_sha256", sha == cert.answers_sha256, cert.answers_sha256, sha))
        checks.append(Check("policy_version", policy.version == cert.policy_version,
                            cert.policy_version, policy.version))
        checks.append(Check("questionnaire_sha256",
                            data.questionnaire.sha256 == cert.questionnaire_sha256,
                            cert.questionnaire_sha256, data.questionnaire.sha256))
        judged = score(choice.judged)
        before = score(choice.before) if choice.before else None
        mine = [d for d in evaluate(policy, judged, before) if d.supplier_id == cert.supplier_id]
        if not mine:
            checks.append(Check("supplier", False, cert.supplier_id, None))
        else:
            d = mine[0]
            same_rate = (d.values["compliance"] is not None and cert.compliance is not None
                         and abs(d.values["compliance"] - cert.compliance) < 1e-9)
            checks.append(Check("compliance", same_rate, cert.compliance, d.values["compliance"]))
            checks.append(Check("qualifies", d.qualifies, True, d.qualifies))
    return Verification(cert.number, checks)
