"""`esg questionnaire diff` says what changed in words (issue 12 item 14)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from esgcli import load_questionnaire
from esgcli.questionnaire.diff import diff_questionnaires
from esgcli.questionnaire.diff_text import change_lines

BASE = """\
format: esg-questionnaire/1
id: q
version: "{version}"
title: {{ko: 진단, en: Assessment}}
language: ko
areas: [{{id: E, title: {{ko: 환경, en: Environment}}}}]
scales:
  level:
    type: choice
    options:
      - {{value: none, label: {{ko: 없음, en: None}}, points: 0}}
      - {{value: kpi, label: {{ko: 성과지표, en: KPI}}, points: {kpi}, aliases: [{aliases}]}}
{extra}    pass_points: 1
indicators:
  - {{id: E-1, area: E, title: {{ko: 환경경영 추진체계, en: {title}}}, scale: level}}
  - id: E-2
    area: E
    title: {{ko: 재생에너지, en: Renewables}}
    answer: {{type: number, range: [0, {high}], points: [{{min: {low}, points: 1}}]}}
"""


def _q(tmp_path: Path, version: str, **kw: object) -> object:
    values = {"kpi": 1, "aliases": "", "extra": "", "title": "EMS", "high": 100, "low": 5,
              **kw}
    path = tmp_path / f"q{version}.yaml"
    path.write_text(BASE.format(version=version, **values), encoding="utf-8")
    return load_questionnaire(path)


def _lines(tmp_path: Path, lang: str, **kw: object) -> dict[str, list[str]]:
    delta = diff_questionnaires(_q(tmp_path, "1"), _q(tmp_path, "2", **kw))  # type: ignore[arg-type]
    return {c["indicator"]: change_lines(c, lang) for c in delta.changed}


def test_scale_changes_are_named_option_by_option(tmp_path: Path) -> None:
    extra = "      - {value: audit, label: {ko: 외부 검증, en: Audit}, points: 3}\n"
    assert _lines(tmp_path, "en", kpi=2, aliases="성과", extra=extra) == {
        "E-1": ["kpi points 1 → 2", "kpi aliases +성과", "audit added (points 3)",
                "max points: 1 → 3"]}
    assert _lines(tmp_path, "ko", kpi=2) == {
        "E-1": ["kpi 점수 1 → 2", "최대 점수: 1 → 2"]}


def test_number_rules_and_range_in_words(tmp_path: Path) -> None:
    assert _lines(tmp_path, "en", high=50, low=10) == {
        "E-2": ["points: ≥ 5 = 1 → ≥ 10 = 1", "range: 0, 100 → 0, 50"]}


def test_retitle_in_one_language_names_that_language(tmp_path: Path) -> None:
    assert _lines(tmp_path, "ko", title="Environmental management system") == {
        "E-1": ["지표명 (en): EMS → Environmental management system"]}


def test_bundled_questionnaire_diff_has_no_json(esg, tmp_path: Path) -> None:  # noqa: ANN001
    old = ROOT / "questionnaires" / "supplier-esg.yaml"
    text = old.read_text(encoding="utf-8").replace('version: "2024.1"', 'version: "2024.2"', 1)
    new = tmp_path / "supplier-esg-2.yaml"
    new.write_text(text.replace("points: 1", "points: 2", 1), encoding="utf-8")
    result = esg("questionnaire", "diff", old, new, COLUMNS="80")
    assert result.exit_code == 0
    assert "{" not in result.stdout and "…" not in result.stdout
