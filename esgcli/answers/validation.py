"""`esg validate`: what the answers hold (records, suppliers, rounds) and every problem found,
as a result whose ``to_dict(lang)`` is the command's `--format json` (pure: no terminal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from esgcli.answers.answerset import AnswerSet
from esgcli.base.labels import both
from esgcli.base.problems import Problem, errors_of

PROBLEM_KEYS = ["code", "severity", "file", "sheet", "cell", "supplier_id", "indicator", "value",
                "message"]


@dataclass(frozen=True)
class Validation:
    data: AnswerSet

    @property
    def problems(self) -> list[Problem]:
        return self.data.problems

    @property
    def errors(self) -> list[Problem]:
        return errors_of(self.problems)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def records(self) -> int | None:
        return len(self.data) if self.data.sources else None

    @property
    def suppliers(self) -> int | None:
        if not self.data.sources:
            return None
        return int(self.data.records["supplier_id"].nunique())

    @property
    def rounds(self) -> list[str]:
        return [str(r) for r in self.data.rounds() if r is not None]

    def to_dict(self, lang: str = "ko") -> dict[str, Any]:
        errors = len(self.errors)
        return {"questionnaire": self.data.questionnaire.to_ref(),
                "sources": [src.to_dict() for src in self.data.sources], "records": self.records,
                "suppliers": self.suppliers, "rounds": self.rounds,
                "valid": not errors, "errors": errors, "warnings": len(self.problems) - errors,
                "problems": [p.to_dict(lang) for p in self.problems]}

    def summary(self, file: str, count: str) -> Problem:
        """The closing line of `esg validate` for ``file`` (``count``: the problem count line):
        no problems, warnings only, or errors; rounds named, or records that name none (no round
        column, or its cells blank) said plainly instead of `1 round(s): -`."""
        errors = len(self.errors)
        warnings = len(self.problems) - errors
        if errors:
            return Problem(code="VAL-003", params={"file": file, "count": count})
        named = self.rounds
        unnamed = None in self.data.rounds()
        params: dict[str, Any] = {"file": file, "suppliers": self.suppliers, "warnings": warnings}
        if not named:
            return Problem(code="VAL-005" if warnings else "VAL-004", params=params)
        blank = [both("validate.no_round")] if unnamed else []
        rounds = {lang: ", ".join([*named, *(b[lang] for b in blank)]) for lang in ("ko", "en")}
        return Problem(code="VAL-002" if warnings else "VAL-001", params={
            **params, "n_rounds": len(named) + len(blank), "rounds": rounds})

    def rows(self, lang: str = "ko") -> list[list[Any]]:
        """One row per problem (the CSV)."""
        return [[p.to_dict(lang)[k] for k in PROBLEM_KEYS] for p in self.problems]


def validate(data: AnswerSet) -> Validation:
    return Validation(data)
