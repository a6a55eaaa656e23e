"""esgcli: score, improve and certify suppliers in ESG support programs.

The library API mirrors the command line::

    from esgcli import resolve_questionnaire, read_answers, score

    q = resolve_questionnaire("supplier-esg")
    answers = read_answers("examples/suppliers.xlsx", q)
    answers.require_valid()            # raises InputError listing every problem
    result = score(answers)
    result.to_dict()                   # the JSON of `esg score --format json`
"""

from __future__ import annotations

__version__ = "0.1.0"

from .answers import AnswerSet, read_answers  # noqa: E402
from .problems import InputError, Problem, RegistryError  # noqa: E402
from .questionnaire import Questionnaire, load_questionnaire, resolve_questionnaire  # noqa: E402
from .scoring import ScoreResult, score  # noqa: E402

__all__ = [
    "AnswerSet",
    "InputError",
    "Problem",
    "Questionnaire",
    "RegistryError",
    "ScoreResult",
    "__version__",
    "load_questionnaire",
    "read_answers",
    "resolve_questionnaire",
    "score",
]
