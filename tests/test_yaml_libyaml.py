"""Questionnaires are composed by libyaml when PyYAML has it (ten times faster than the
pure-Python loader): the same data and the same line:column for every key, and every error
still worded and located by the pure-Python loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import esgcli.questionnaire.yamlsource as yamlsource

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("questionnaires/*.yaml"), *ROOT.glob("tests/data/*.yaml"),
                *ROOT.glob("benchmarks/*.yaml"), *ROOT.glob("examples/**/*.yaml")])
TEXTS = {
    "korean": "a: 한국어 텍스트\nz: {b: 한글, c: 1}\nc:\n  - 한: [1, 2]\n    d: '따옴표 ''x'''\n",
    "anchors": "k: &a [1, 2]\nm: *a\nn: 3\n",
    "blocks": "x: |\n  여러 줄\n  텍스트\ny: >\n  접힌\n",
    "crlf": "a: 1\r\nb: 한\r\n",
    "syntax error": "title: {ko: 미니\nid: x\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "duplicate key": "a: 1\na: 2\n",
    "too deep": "a: " + "[" * 60 + "]" * 60 + "\n",
    "python tag": "a: !!python/object:os.system x\n",
}


def _load(path: Path, libyaml: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setattr(yaml, "__with_libyaml__", libyaml)
    document, problems = yamlsource.load_yaml(path)
    return (document.data, document.marks, document.sha256) if document else None, problems


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("name", [*(str(f.relative_to(ROOT)) for f in FILES), *TEXTS])
def test_libyaml_and_python_compose_the_same_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    if name in TEXTS:
        path = tmp_path / "q.yaml"
        path.write_text(TEXTS[name], encoding="utf-8")
    else:
        path = ROOT / name
    fast = _load(path, True, monkeypatch)
    slow = _load(path, False, monkeypatch)
    assert fast == slow
    if name in ("syntax error", "two documents", "duplicate key", "too deep", "python tag"):
        assert fast[1], name  # refused, in the pure-Python loader's words


def test_the_bundled_questionnaires_are_covered() -> None:
    assert len([f for f in FILES if f.parent.name == "questionnaires"]) >= 4
