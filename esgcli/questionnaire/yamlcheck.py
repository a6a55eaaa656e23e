"""Checking questionnaire and policy files, each as what its `format` says it is (pure).

`esg questionnaire check questionnaires/*.yaml` and `esg policy check` meet both kinds side by
side (policies are kept beside the questionnaires, SPEC §7); a policy is also checked against
the questionnaire it names, found among the files checked, else by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esgcli.base.labels import both
from esgcli.base.problems import InputError, Problem, template_of
from esgcli.questionnaire.policy import POLICY_FORMAT, load_policy
from esgcli.questionnaire.questionnaire import (
    Questionnaire,
    declared,
    find_file,
    iter_catalogue,
    load_questionnaire,
    looks_like_path,
)

QUESTIONNAIRE_FORMAT = "esg-questionnaire/1"


@dataclass(frozen=True)
class FileCheck:
    """One file checked: its kind, id and version when it loaded, and every problem."""

    file: str
    kind: str  # "questionnaire" | "policy"
    id: str | None = None
    version: str | None = None
    indicators: int | None = None  # questionnaires
    questionnaire: str | None = None  # policies: the questionnaire they apply to
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def verdict(self, lang: str) -> str:
        """CHK-001/CHK-002: the line that says the file is valid."""
        return template_of("CHK-002" if self.kind == "policy" else "CHK-001", lang).format(
            file=self.file, id=self.id, version=self.version, indicators=self.indicators,
            questionnaire=self.questionnaire)

    def to_dict(self, lang: str = "ko") -> dict[str, Any]:
        return {"file": self.file, "kind": self.kind, "valid": self.valid, "id": self.id,
                "version": self.version, "indicators": self.indicators,
                "questionnaire": self.questionnaire,
                "problems": [p.to_dict(lang) for p in self.problems]}


def yaml_files(folder: Path) -> list[Path]:
    """The .yaml/.yml files in ``folder`` and below it, in sorted path order, hidden ones left
    out (as answer folders are read: SPEC §12)."""
    return sorted(f for f in folder.rglob("*") if f.suffix.lower() in (".yaml", ".yml")
                  and f.is_file() and not any(p.startswith(".") for p in f.relative_to(folder).parts))


def resolve_ref(ref: str) -> Path:
    """A path as given, or the file of a questionnaire id, else of a policy id (QST-016)."""
    if looks_like_path(ref):
        return Path(ref)
    try:
        return find_file(ref, QUESTIONNAIRE_FORMAT)
    except InputError:
        return find_file(ref, POLICY_FORMAT)


def check_files(refs: list[str]) -> list[FileCheck]:
    """Check every file (or id, or folder of them); questionnaires first, so that policies
    find theirs."""
    empty = [r for r in refs if Path(r).is_dir() and not yaml_files(Path(r))]
    if empty:
        raise InputError([Problem(code="QST-024", file=r) for r in empty])
    paths = [f for r in refs for f in (yaml_files(Path(r)) if Path(r).is_dir() else [resolve_ref(r)])]
    kinds = [declared(p)[0] if p.is_file() else None for p in paths]
    loaded: dict[str, Questionnaire] = {}
    checks: dict[int, FileCheck] = {}
    for k, path in enumerate(paths):
        if kinds[k] == POLICY_FORMAT:
            continue
        try:
            q = load_questionnaire(path)
        except InputError as exc:
            checks[k] = FileCheck(str(path), "questionnaire", problems=exc.problems)
            continue
        loaded.setdefault(q.id, q)
        checks[k] = FileCheck(str(path), "questionnaire", q.id, q.version, len(q.indicators))
    for k, path in enumerate(paths):
        if kinds[k] == POLICY_FORMAT:
            checks[k] = _check_policy(path, loaded)
    return [checks[k] for k in range(len(paths))]


def _check_policy(path: Path, loaded: dict[str, Questionnaire]) -> FileCheck:
    try:
        policy = load_policy(path)
    except InputError as exc:
        return FileCheck(str(path), "policy", problems=exc.problems)
    wanted = policy.model.questionnaire
    problems: list[Problem] = []
    q = loaded.get(wanted)
    if q is None and wanted in dict(iter_catalogue(QUESTIONNAIRE_FORMAT)):
        try:
            q = load_questionnaire(find_file(wanted, QUESTIONNAIRE_FORMAT))
        except InputError as exc:
            problems += exc.problems
    if q is None and not problems:
        problems.append(policy.doc.problem("QST-016", ("questionnaire",), name=wanted, kind=both(
            "kind.questionnaire"), available=", ".join(
                sorted(set(loaded) | {i for i, _ in iter_catalogue(QUESTIONNAIRE_FORMAT)})) or "-")
            if policy.doc is not None else Problem(code="QST-016", file=str(path)))
    if q is not None:
        try:
            policy.check_questionnaire(q)
        except InputError as exc:
            problems += exc.problems
    return FileCheck(str(path), "policy", policy.id, policy.version, questionnaire=wanted,
                     problems=problems)
