"""Questionnaire loading (SPEC §2): every rule, each problem located by line and key path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import MINI, ROOT

from esgcli import InputError, load_questionnaire, resolve_questionnaire
from esgcli.questionnaire.questionnaire import iter_catalogue

VALID_HEAD = """format: esg-questionnaire/1
id: t
version: "1"
title: T
areas:
  - {id: E, title: Env}
"""


def problems_of(tmp_path: Path, text: str) -> list[tuple[str, int | None, str | None]]:
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_questionnaire(path)
    return [(p.code, p.row, p.path) for p in info.value.problems]


def test_bundled_default_loads() -> None:
    q = resolve_questionnaire(None)
    assert q.id == "supplier-esg"
    assert 40 <= len(q.indicators) <= 60
    kinds = {q.matchers[i.id].kind for i in q.indicators}
    assert kinds == {"choice", "checklist", "number"}
    assert any(i.critical for i in q.indicators)
    assert any(i.na_allowed for i in q.indicators)
    assert any(i.applies_if for i in q.indicators)


def test_mini_loads_with_builtin_yes_no() -> None:
    q = load_questionnaire(MINI)
    assert q.indicator_ids == ["E-1", "E-2", "E-3", "S-1", "S-2"]
    assert q.matchers["E-1"].max_points == 1 and q.matchers["E-1"].pass_points == 1
    assert q.matchers["S-1"].max_points == 3  # checklist: sum of items
    assert q.matchers["E-3"].max_points == 2  # number: highest rule


def test_resolve_by_id_prefers_local_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """§9: ids resolve from ./questionnaires/ first, then the bundled ones."""
    (tmp_path / "questionnaires").mkdir()
    text = (ROOT / "questionnaires" / "supplier-esg.yaml").read_text(encoding="utf-8")
    (tmp_path / "questionnaires" / "mine.yaml").write_text(
        text.replace('version: "2024.1"', 'version: "local"'), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert resolve_questionnaire("supplier-esg").version == "local"
    assert "supplier-esg" in dict(iter_catalogue())


def test_unknown_id_lists_available() -> None:
    with pytest.raises(InputError) as info:
        resolve_questionnaire("nope")
    assert info.value.problems[0].code == "QST-016"
    assert "supplier-esg" in info.value.problems[0].text("en")


CASES = {
    "unknown key at top": (VALID_HEAD + "indicatorz: []\nindicators:\n"
                           "  - {id: E-1, area: E, title: t, scale: yes_no}\n",
                           [("SCH-002", 7, "indicatorz")]),
    "unknown key in indicator": (VALID_HEAD + "indicators:\n"
                                 "  - {id: E-1, area: E, title: t, scale: yes_no, critcal: true}\n",
                                 [("SCH-002", 8, "indicators[0].critcal")]),
    "unknown scale": (VALID_HEAD + "indicators:\n  - id: E-1\n    area: E\n    title: t\n"
                      "    scale: level6\n", [("QST-002", 11, "indicators[0].scale")]),
    "duplicate ids": (VALID_HEAD + "indicators:\n  - {id: E-1, area: E, title: t, scale: yes_no}\n"
                      "  - {id: E-1, area: E, title: u, scale: yes_no}\n",
                      [("QST-001", 9, "indicators[1].id")]),
    "unknown area": (VALID_HEAD + "indicators:\n  - {id: E-1, area: E, title: t, scale: yes_no}\n"
                     "  - {id: X-1, area: X, title: t, scale: yes_no}\n",
                     [("QST-003", 9, "indicators[1].area")]),
    "area without indicator": (VALID_HEAD + "  - {id: S, title: Soc}\nindicators:\n"
                               "  - {id: E-1, area: E, title: t, scale: yes_no}\n",
                               [("QST-005", 7, "areas[1]")]),
    "unknown profile field": (VALID_HEAD + "indicators:\n  - id: E-1\n    area: E\n    title: t\n"
                              "    scale: yes_no\n    applies_if: {field: staff, op: '>', value: 5}\n",
                              [("QST-004", 12, "indicators[0].applies_if.field")]),
    "bad op": (VALID_HEAD + "profile: [{id: n, type: integer}]\nindicators:\n  - id: E-1\n"
               "    area: E\n    title: t\n    scale: yes_no\n"
               "    applies_if: {field: n, op: '=>', value: 5}\n",
               [("SCH-006", 13, "indicators[0].applies_if.op")]),
    "in without list": (VALID_HEAD + "profile: [{id: n, type: string}]\nindicators:\n  - id: E-1\n"
                        "    area: E\n    title: t\n    scale: yes_no\n"
                        "    applies_if: {field: n, op: in, value: abc}\n",
                        [("QST-010", 13, "indicators[0].applies_if.value")]),
    "max points zero": (VALID_HEAD + "indicators:\n  - id: E-1\n    area: E\n    title: t\n"
                        "    answer: {type: choice, options: [{value: a, points: 0}]}\n",
                        [("QST-006", 11, "indicators[0].answer")]),
    "pass unreachable": (VALID_HEAD + "indicators:\n  - id: E-1\n    area: E\n    title: t\n"
                         "    answer:\n      type: choice\n      options: [{value: a, points: 1}]\n"
                         "      pass_points: 2\n",
                         [("QST-007", 14, "indicators[0].answer.pass_points")]),
    "values equal after normalisation": (
        VALID_HEAD + "scales:\n  s:\n    type: choice\n    options:\n"
        "      - {value: 3, points: 1}\n      - {value: '3.0', points: 2}\n"
        "indicators:\n  - {id: E-1, area: E, title: t, scale: s}\n",
        [("QST-008", 8, "scales.s")]),
    "partial area weights": (VALID_HEAD.replace("{id: E, title: Env}", "{id: E, title: Env, weight: 2}")
                             + "  - {id: S, title: Soc}\nindicators:\n"
                             "  - {id: E-1, area: E, title: t, scale: yes_no}\n"
                             "  - {id: S-1, area: S, title: t, scale: yes_no}\n",
                             [("QST-012", 5, "areas")]),
    "scale and answer both": (VALID_HEAD + "indicators:\n  - id: E-1\n    area: E\n    title: t\n"
                              "    scale: yes_no\n    answer: {type: number, points: [{min: 1, points: 1}]}\n",
                              [("QST-009", 8, "indicators[0]")]),
    "negative weight": (VALID_HEAD + "indicators:\n  - {id: E-1, area: E, title: t, scale: yes_no, weight: -1}\n",
                        [("SCH-005", 8, "indicators[0].weight")]),
    "bad id pattern": (VALID_HEAD + "indicators:\n  - {id: e1, area: E, title: t, scale: yes_no}\n",
                       [("SCH-007", 8, "indicators[0].id")]),
    "wrong format": (VALID_HEAD.replace("esg-questionnaire/1", "esg-questionnaire/2")
                     + "indicators:\n  - {id: E-1, area: E, title: t, scale: yes_no}\n",
                     [("SCH-006", 1, "format")]),
    "missing indicators": (VALID_HEAD, [("SCH-003", 1, "indicators")]),
    "malformed yaml": (VALID_HEAD + "indicators:\n  - {id: E-1, area: E\n", [("YML-001", 9, None)]),
    "tab indentation": ("format: esg-questionnaire/1\nid: t\n\tversion: '1'\n", [("YML-001", 3, None)]),
    "duplicate key": (VALID_HEAD + "id: u\nindicators:\n  - {id: E-1, area: E, title: t, scale: yes_no}\n",
                      [("YML-002", 7, "id")]),
    "python tag": ("format: !!python/object/apply:os.system ['echo hi']\n",
                   [("YML-003", 1, "format")]),
    "empty file": ("", [("YML-005", None, None)]),
    "not a mapping": ("- a\n- b\n", [("YML-005", 1, None)]),
    "alias bomb": ("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                   + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, "
                             f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                             f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
                             for i in range(8)), [("YML-004", None, None)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_questionnaire_is_located(tmp_path: Path, name: str) -> None:
    """§2: each problem names the line and key path."""
    text, expected = CASES[name]
    assert problems_of(tmp_path, text) == expected


def test_all_problems_are_collected(tmp_path: Path) -> None:
    text = (VALID_HEAD + "indicators:\n  - {id: E-1, area: E, title: t, scale: nope}\n"
            "  - {id: E-1, area: Z, title: t, scale: yes_no}\n")
    codes = sorted(code for code, _, _ in problems_of(tmp_path, text))
    assert codes == ["QST-001", "QST-002", "QST-003"]


def test_message_names_file_line_and_path(tmp_path: Path) -> None:
    path = tmp_path / "kesg.yaml"
    path.write_text(VALID_HEAD + "indicators:\n  - id: E-1\n    area: E\n    title: t\n"
                    "    scale: level6\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_questionnaire(path)
    assert info.value.problems[0].message("en") == (
        "kesg.yaml:11:5 indicators[0].scale: unknown scale 'level6'")


def test_questionnaire_list_speaks_the_runs_language(esg) -> None:  # noqa: ANN001
    """Table headers in Korean for `--lang ko`, as they were in English; JSON keys stay English."""
    headers = {}
    for lang in ("ko", "en"):
        result = esg("questionnaire", "list", "--lang", lang, cwd=ROOT, COLUMNS="160")
        assert result.exit_code == 0, result.stderr
        line = next(t for t in result.stdout.splitlines() if t.lstrip("┃ ").startswith("ID"))
        headers[lang] = [c.strip() for c in re.split(r"┃|\s{2,}", line.strip("┃ ")) if c.strip()]
    assert headers == {"ko": ["ID", "버전", "이름", "지표 수 (영역별)", "파일"],
                       "en": ["ID", "version", "title", "indicators", "path"]}
    listing = esg("questionnaire", "list", "--lang", "ko", "--format", "json", cwd=ROOT)
    assert set(json.loads(listing.stdout)[0]) >= {"id", "version", "title", "indicators", "path"}
