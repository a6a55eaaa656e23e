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
    "AnswerSet": "answers", "read_answers": "answers", "read_answers_frame": "answers",
    "InputError": "problems", "Problem": "problems", "RegistryError": "problems",
    "Questionnaire": "questionnaire", "load_questionnaire": "questionnaire",
    "resolve_questionnaire": "questionnaire",
    "ScoreResult": "scoring", "score": "scoring",
    "improve": "improvement", "improve_answers": "improvement", "Improvement": "improvement",
    "evaluate": "certification", "load_policy": "policy", "resolve_policy": "policy",
    "Registry": "registry", "open_registry": "registry",
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
