"""The questionnaires and policies found (`./questionnaires`, then the bundled ones), a policy's
criteria, and the check of questionnaire and policy files: the results of
`esg questionnaire list/check` and `esg policy list/show/check`, each with ``to_dict(lang)`` equal
to the command's `--format json` and its table's rows for CSV (pure: no terminal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esgcli.base.problems import InputError, Problem
from esgcli.questionnaire.policy import POLICY_FORMAT, Policy, load_policy
from esgcli.questionnaire.questionnaire import Questionnaire, iter_catalogue, load_questionnaire
from esgcli.questionnaire.yamlcheck import FileCheck, check_files

QUESTIONNAIRE_KEYS = ["id", "version", "title", "indicators", "path"]
POLICY_KEYS = ["id", "version", "title", "questionnaire", "criteria", "path"]
CHECK_KEYS = ["file", "kind", "valid", "id", "version", "indicators", "questionnaire"]


@dataclass(frozen=True)
class Found:
    """One file of the catalogue: what it loaded as, or the problems that stopped it."""

    id: str
    path: Path
    loaded: Questionnaire | Policy | None
    problems: list[Problem] = field(default_factory=list)

    def error(self, lang: str) -> str:
        return self.problems[0].message(lang)


@dataclass(frozen=True)
class QuestionnaireListing:
    """`esg questionnaire list`: every questionnaire found, first one of an id wins."""

    found: list[Found]

    def to_dict(self, lang: str = "ko") -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for f in self.found:
            q = f.loaded
            if not isinstance(q, Questionnaire):
                out.append({"id": f.id, "version": None, "title": None, "indicators": None,
                            "areas": None, "path": str(f.path), "error": f.error(lang)})
                continue
            per_area = {a: sum(1 for i in q.indicators if i.area == a) for a in q.area_ids}
            out.append({"id": q.id, "version": q.version, "title": q.title(lang),
                        "indicators": len(q.indicators), "areas": per_area, "path": str(f.path)})
        return out

    def rows(self, lang: str = "ko") -> list[list[Any]]:
        return [[e[k] for k in QUESTIONNAIRE_KEYS] for e in self.to_dict(lang)]


def list_questionnaires() -> QuestionnaireListing:
    found = []
    for ident, path in iter_catalogue():
        try:
            found.append(Found(ident, path, load_questionnaire(path)))
        except InputError as exc:
            found.append(Found(ident, path, None, exc.problems))
    return QuestionnaireListing(found)


def criteria_rows(policy: Policy) -> list[tuple[str, str | None, Any]]:
    """(criterion, area, required value) for every criterion the policy sets."""
    c = policy.criteria
    rows: list[tuple[str, str | None, Any]] = []
    for name in ("compliance_min", "score_min", "max_missing", "improvement_min_pp"):
        if getattr(c, name) is not None:
            rows.append((name, None, getattr(c, name)))
    if c.no_critical_failures:
        rows.append(("no_critical_failures", None, True))
    if c.grades:
        rows.append(("grades", None, ", ".join(c.grades)))
    for area, rule in c.areas.items():
        for name in ("compliance_min", "score_min"):
            if getattr(rule, name) is not None:
                rows.append((name, area, getattr(rule, name)))
    return rows


@dataclass(frozen=True)
class PolicyDetail:
    """`esg policy show`: the policy as loaded, and its criteria as rows."""

    policy: Policy

    def to_dict(self) -> dict[str, Any]:
        pol = self.policy
        return {"id": pol.id, "version": pol.version, "sha256": pol.sha256,
                "path": str(pol.path) if pol.path else None,
                **pol.model.model_dump(mode="json", exclude={"id", "version"})}

    def rows(self) -> list[list[Any]]:
        return [list(r) for r in criteria_rows(self.policy)]


@dataclass(frozen=True)
class PolicyListing:
    """`esg policy list`: every policy found, first one of an id wins."""

    found: list[Found]

    def to_dict(self, lang: str = "ko") -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for f in self.found:
            pol = f.loaded
            if not isinstance(pol, Policy):
                out.append({"id": f.id, "version": None, "title": None, "questionnaire": None,
                            "criteria": None, "path": str(f.path), "error": f.error(lang)})
                continue
            out.append({"id": pol.id, "version": pol.version, "title": pol.model.title.get(lang),
                        "questionnaire": pol.model.questionnaire,
                        "criteria": len(criteria_rows(pol)), "path": str(f.path)})
        return out

    def rows(self, lang: str = "ko") -> list[list[Any]]:
        return [[e[k] for k in POLICY_KEYS] for e in self.to_dict(lang)]


def list_policies() -> PolicyListing:
    found = []
    for ident, path in iter_catalogue(POLICY_FORMAT):
        try:
            found.append(Found(ident, path, load_policy(path)))
        except InputError as exc:
            found.append(Found(ident, path, None, exc.problems))
    return PolicyListing(found)


@dataclass(frozen=True)
class CheckReport:
    """`esg questionnaire check` / `esg policy check`: one check per file, in the order given."""

    checks: list[FileCheck]

    @property
    def problems(self) -> list[Problem]:
        return [p for c in self.checks for p in c.problems]

    def to_dict(self, lang: str = "ko") -> list[dict[str, Any]]:
        return [c.to_dict(lang) for c in self.checks]

    def rows(self) -> list[list[Any]]:
        return [[c.to_dict()[k] for k in CHECK_KEYS] for c in self.checks]


def check(refs: list[str]) -> CheckReport:
    """Check every file (or id), each as what its `format` says it is."""
    return CheckReport(check_files(refs))
