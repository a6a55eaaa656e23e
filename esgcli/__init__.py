"""esgcli: score, improve and certify suppliers in ESG support programs.

The library API mirrors the command line::

    from esgcli import resolve_questionnaire, read_answers, score

    q = resolve_questionnaire("supplier-esg")
    answers = read_answers("examples/suppliers.xlsx", q)
    answers.require_valid()            # raises InputError listing every problem
    result = score(answers)
    result.to_dict()                   # the JSON of `esg score --format json`

Names are imported on first use, so that `esg` can start reading a workbook before pandas
and the rest are imported.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "AnswerSet": "answers.answerset", "read_answers": "answers.read",
    "read_answers_frame": "answers.read",
    "InputError": "base.problems", "Problem": "base.problems", "RegistryError": "base.problems",
    "Questionnaire": "questionnaire.questionnaire", "load_questionnaire": "questionnaire.questionnaire",
    "resolve_questionnaire": "questionnaire.questionnaire",
    "ScoreResult": "engine.scoring", "score": "engine.scoring",
    "improve": "engine.improvement", "improve_answers": "engine.improvement",
    "Improvement": "engine.improvement",
    "evaluate": "engine.certification", "load_policy": "questionnaire.policy",
    "resolve_policy": "questionnaire.policy",
    "Registry": "registry.core", "open_registry": "registry.core",
}
__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'esgcli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
