"""The JSON of every command of the first steps and the questionnaire/policy files equals its
library result's ``to_dict()`` (issue #14 item 1): a library user gets what the CLI prints."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import ROOT

from esgcli.answers.inputs import read_answer_paths
from esgcli.answers.validation import validate
from esgcli.engine.explain import explain
from esgcli.engine.improvement import improve_answers
from esgcli.engine.rounds import select_round
from esgcli.engine.scoring import score
from esgcli.outputs.tables import questionnaire_dict
from esgcli.questionnaire.catalogue import PolicyDetail, check, list_policies, list_questionnaires
from esgcli.questionnaire.diff import diff_questionnaires
from esgcli.questionnaire.policy import resolve_policy
from esgcli.questionnaire.questionnaire import resolve_questionnaire

EXAMPLE = ROOT / "examples" / "suppliers.xlsx"
POLICY_FILE = ROOT / "questionnaires" / "esg-excellent.yaml"


def _cli(esg: Any, *args: Any, lang: str = "ko") -> Any:
    result = esg(*args, "--format", "json", "--lang", lang)
    assert result.exit_code in (0, 3), result.stderr
    return json.loads(result.stdout)


def _same(cli: Any, library: Any) -> None:
    assert cli == json.loads(json.dumps(library, ensure_ascii=False))
    assert cli  # something was compared


@pytest.fixture(scope="module")
def answers() -> Any:
    return read_answer_paths([EXAMPLE])


def test_score(esg, answers) -> None:  # noqa: ANN001
    _same(_cli(esg, "score", EXAMPLE), score(answers).to_dict())
    _same(_cli(esg, "score", EXAMPLE, "--detail"), score(answers).to_dict(detail=True))
    _same(_cli(esg, "score", EXAMPLE, "--round", "사전"),
          score(select_round(answers, "사전")).to_dict())


def test_score_explain(esg, answers) -> None:  # noqa: ANN001
    _same(_cli(esg, "score", EXAMPLE, "--explain", "S004"), explain(score(answers), "S004").to_dict())


def test_validate(esg, answers) -> None:  # noqa: ANN001
    for lang in ("ko", "en"):
        _same(_cli(esg, "validate", EXAMPLE, lang=lang), validate(answers).to_dict(lang))


def test_improve(esg, answers) -> None:  # noqa: ANN001
    _same(_cli(esg, "improve", EXAMPLE),
          improve_answers([answers], None, None, None).sorted_by("id").to_dict())


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_questionnaire_list_show_check_diff(esg, lang: str) -> None:  # noqa: ANN001
    _same(_cli(esg, "questionnaire", "list", lang=lang), list_questionnaires().to_dict(lang))
    _same(_cli(esg, "questionnaire", "show", "kesg-2021", lang=lang),
          questionnaire_dict(resolve_questionnaire("kesg-2021")))
    refs = ["supplier-esg", str(POLICY_FILE)]
    _same(_cli(esg, "questionnaire", "check", *refs, lang=lang), check(refs).to_dict(lang))
    _same(_cli(esg, "questionnaire", "diff", "kesg-2021", "supplier-esg", lang=lang),
          diff_questionnaires(resolve_questionnaire("kesg-2021"),
                              resolve_questionnaire("supplier-esg")).to_dict())


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_policy_list_show_check(esg, lang: str) -> None:  # noqa: ANN001
    _same(_cli(esg, "policy", "list", lang=lang), list_policies().to_dict(lang))
    _same(_cli(esg, "policy", "show", "esg-excellent", lang=lang),
          PolicyDetail(resolve_policy("esg-excellent")).to_dict())
    _same(_cli(esg, "policy", "check", "esg-excellent", lang=lang),
          check(["esg-excellent"]).to_dict(lang))


def test_problems_are_returned_not_printed(capsys: pytest.CaptureFixture[str], answers) -> None:  # noqa: ANN001
    result = validate(answers)
    assert result.to_dict("en")["warnings"] == len(result.problems) - len(result.errors)
    assert capsys.readouterr() == ("", "")
