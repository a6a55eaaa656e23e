"""The label table and the message catalogue: both languages, the same placeholders, one lookup."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from esgcli.base.catalogue import CATALOGUE
from esgcli.base.labels import LABELS, group, in_lang, label
from esgcli.base.problems import template_of

PACKAGE = Path(__file__).resolve().parents[1] / "esgcli"


def _fields(text: str) -> set[str]:
    """Placeholder names; `what_en` is the English twin of `what` (a value given in both languages)."""
    return {name.removesuffix("_en") for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("table", [LABELS, CATALOGUE], ids=["labels", "catalogue"])
def test_every_entry_has_both_languages_with_the_same_placeholders(table: dict[str, tuple[str, str]]) -> None:
    bad = [key for key, (ko, en) in table.items() if not ko or not en
           or _fields(ko) != _fields(en)]
    assert bad == []


def test_one_lookup() -> None:
    assert label("report_title", "ko", year=2024) == "2024년 협력사 ESG 지원사업 성과 보고서"
    assert label("report_title", "en", year=2024) == "Supplier ESG support program report 2024"
    assert label("unit.pp", "ko") == "%p" and label("unit.pp", "en") == " pp"
    assert in_lang(("가", "a"), "ko") == "가" and in_lang(("가", "a"), "en") == "a"
    assert list(group("plan.status.")) == ["not_started", "in_progress", "done", "on_hold"]
    assert template_of("PLN-003", "en").startswith('"{value}" is not a date')


# Modules of these packages choose a language only through labels/problems: no inline
# `... if lang == "ko" else ...` with texts of their own (#14 item 4): the whole package.
OWN = ["base", "questionnaire", "answers", "engine", "registry", "reports", "outputs", "cli"]
ALLOWED = {
    ("base/labels.py", "in_lang"),  # the one place a (ko, en) pair is resolved
    ("questionnaire/models.py", "get"),  # a questionnaire's own text in its two languages
    ("engine/program.py", "sentence"),  # two sentence builders: the grammar differs, not the words
    ("reports/xlsx.py", "_program_block"),  # characters per line of the sentence: layout, not text
}


def _lang_choices() -> list[tuple[str, str]]:
    found = []
    for own in OWN:
        root = PACKAGE / own
        for path in sorted([root] if root.is_file() else root.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef):
                    continue
                for node in ast.walk(func):
                    if isinstance(node, ast.IfExp) and "lang" in ast.unparse(node.test) \
                            and "'ko'" in ast.unparse(node.test):
                        found.append((path.relative_to(PACKAGE).as_posix(), func.name))
    return found


def test_languages_are_chosen_through_labels_and_the_catalogue() -> None:
    assert [f for f in _lang_choices() if f not in ALLOWED] == []


def test_result_sheets_carry_headers_in_the_runs_language() -> None:
    """`-o FILE.xlsx` headers: Korean words in ko, readable English words in en (the JSON/CSV
    keys stay the keys)."""
    from esgcli.outputs.tables import is_rate_column, localised_sheets

    sheets = [("scores", ["supplier_id", "E.compliance", "E.not_applicable", "critical_failures"],
               [["S1", 50.0, 0, ""]])]
    ko, ko_rate = localised_sheets(sheets, "ko", is_rate_column)
    assert [(name, list(header)) for name, header, _ in ko] == [
        ("점수", ["협력사코드", "E 준수율", "E 적용 제외", "중대 미준수"])]
    assert [ko_rate(str(h)) for h in ko[0][1]] == [False, True, False, False]
    en, en_rate = localised_sheets(sheets, "en", is_rate_column)
    assert [(name, list(header)) for name, header, _ in en] == [
        ("scores", ["Supplier ID", "E compliance", "E not applicable", "Critical failures"])]
    assert [en_rate(str(h)) for h in en[0][1]] == [False, True, False, False]



# Modules whose words are all in the label table: no Korean text of their own in code (docstrings
# and comments aside), so neither an inline ko/en table nor a ternary can come back (#14).
WORDS_IN_LABELS = ["outputs/template.py", "engine/campaign.py", "cli/status.py", "answers/inputs.py",
                   "questionnaire/yamlcheck.py", "registry/sqlite.py"]


def _korean_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            and any("\uac00" <= ch <= "\ud7a3" for ch in node.value)]


@pytest.mark.parametrize("module", WORDS_IN_LABELS)
def test_modules_take_their_words_from_the_labels(module: str) -> None:
    assert _korean_literals(PACKAGE / module) == []
