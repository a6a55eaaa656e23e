"""Certification policies, `format: esg-policy/1` (SPEC §7): model, loading, checks."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
from pydantic import Field

from esgcli.base.problems import InputError, Problem
from esgcli.questionnaire.models import LocalText, Strict
from esgcli.questionnaire.questionnaire import Questionnaire, find_file
from esgcli.questionnaire.yamlsource import YamlDocument, load_yaml, pydantic_problems

POLICY_FORMAT = "esg-policy/1"
Rate = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
NUMBER_FIELDS = {"year", "seq", "policy", "supplier_id"}


class AreaCriteria(Strict):
    compliance_min: Rate | None = None
    score_min: Rate | None = None


class Criteria(Strict):
    compliance_min: Rate | None = None
    areas: dict[str, AreaCriteria] = {}
    no_critical_failures: bool = False
    max_missing: Annotated[int, Field(ge=0)] | None = None
    score_min: Rate | None = None
    improvement_min_pp: Annotated[float, Field(allow_inf_nan=False)] | None = None
    grades: list[str] | None = None


class CertificateRule(Strict):
    number: str = "ESG-{year}-{seq:04d}"
    valid_years: Annotated[int, Field(ge=1, le=50)] = 1


class PolicyModel(Strict):
    format: Literal["esg-policy/1"]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: str
    title: LocalText
    description: LocalText | None = None
    questionnaire: str
    criteria: Criteria
    certificate: CertificateRule = CertificateRule()


@dataclass(frozen=True)
class Policy:
    model: PolicyModel
    path: Path | None
    sha256: str
    doc: YamlDocument | None = None

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def version(self) -> str:
        return self.model.version

    @property
    def criteria(self) -> Criteria:
        return self.model.criteria

    def number(self, year: int, seq: int, supplier_id: str) -> str:
        return self.model.certificate.number.format(year=year, seq=seq, policy=self.id,
                                                    supplier_id=supplier_id)

    def check_questionnaire(self, q: Questionnaire) -> None:
        """The policy must name this questionnaire and only its areas and grades."""
        problems: list[Problem] = []

        def problem(code: str, path: tuple[str | int, ...], **params: object) -> None:
            if self.doc is not None:
                problems.append(self.doc.problem(code, path, **params))
            else:
                problems.append(Problem(code=code, file=str(self.path), params=params))

        if self.model.questionnaire != q.id:
            problem("POL-002", ("questionnaire",), policy=self.id, wanted=self.model.questionnaire,
                    used=q.id)
        for area in self.criteria.areas:
            if area not in q.area_ids:
                problem("QST-003", ("criteria", "areas", area), name=area, hint="")
        if self.criteria.grades:
            known = [b.grade for b in q.model.grades.bands] if q.model.grades else []
            for i, grade in enumerate(self.criteria.grades):
                if grade not in known:
                    problem("POL-003", ("criteria", "grades", i), grade=grade,
                            known=", ".join(known) or "-")
        if problems:
            raise InputError(problems)


MAX_NUMBER_WIDTH = 32  # widths and precisions in a certificate number's fields


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(code="WB-001", file=str(path))])
    doc, problems = load_yaml(path)
    if doc is None:
        raise InputError(problems)
    try:
        model = PolicyModel.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        names = set(PolicyModel.model_fields) | set(Criteria.model_fields) | set(
            CertificateRule.model_fields) | set(AreaCriteria.model_fields)
        raise InputError(pydantic_problems(doc, exc, names)) from None
    problem = number_template_problem(model.certificate.number)
    if problem is not None:
        code, params = problem
        raise InputError([doc.problem(code, ("certificate", "number"), model.certificate.number,
                                      template=repr(model.certificate.number), **params)])
    return Policy(model=model, path=path, sha256=doc.sha256, doc=doc)


def number_template_problem(template: str) -> tuple[str, dict[str, Any]] | None:
    """What is wrong with a certificate number template, as (catalogue code, params), or None.

    POL-001: braces or a format spec Python cannot read; POL-004: a width or precision that
    would allocate (`{seq:0999999999d}`) or a nested field; POL-005: a field that is not one
    of ours (positional `{}` included); POL-006: nothing makes the numbers unique."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return "POL-001", {}
    fields = [f for _, f, _, _ in parsed if f is not None]
    for _, field, spec, _ in parsed:  # `{seq:0999999999d}` would allocate a gigabyte
        if field and spec and ("{" in spec or any(int(n) > MAX_NUMBER_WIDTH
                                                  for n in re.findall(r"\d+", spec))):
            return "POL-004", {"field": field, "spec": spec, "width": MAX_NUMBER_WIDTH}
    unknown = sorted({f for f in fields if f not in NUMBER_FIELDS})
    if unknown:
        return "POL-005", {"fields": ", ".join("{" + f + "}" for f in unknown),
                           "known": ", ".join("{" + f + "}" for f in sorted(NUMBER_FIELDS))}
    try:
        template.format(year=2024, seq=1, policy="p", supplier_id="S")
    except (ValueError, KeyError, IndexError, TypeError):
        return "POL-001", {}
    if not {"seq", "supplier_id"} & set(fields):
        return "POL-006", {}
    return None


def resolve_policy(ref: str) -> Policy:
    return load_policy(find_file(ref, POLICY_FORMAT))
