"""Issue 13 classes 6, 7, 8, 10 and 12: deep YAML, numbers at the edge, the questionnaire a
workbook may choose, ids that only look equal, questionnaire text in the template."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DATA, MINI, write_xlsx
from openpyxl import load_workbook

HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = ["yes", 3, 30, "manager,training,ppe", None]
POLICY = DATA / "mini-policy.yaml"


def _mini(tmp: Path, old: str, new: str, name: str = "q.yaml") -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path = tmp / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# ---------------------------------------------------------------- 6. deep nesting
def test_deeply_nested_yaml_is_a_located_error(esg, tmp_path: Path) -> None:  # noqa: ANN001
    deep_list = _mini(tmp_path, "language: en", "language: en\nnotes: " + "[" * 5000 + "]" * 5000,
                      "deep-list.yaml")
    chain = "{not: " * 3000 + "{field: employees, op: '>=', value: 50}" + "}" * 3000
    deep_not = _mini(tmp_path, "applies_if: {field: employees, op: \">=\", value: 50}",
                     f"applies_if: {chain}", "deep-not.yaml")
    for path in (deep_list, deep_not):
        result = esg("questionnaire", "check", path, "--lang", "en")
        assert result.exit_code == 3, result.stdout + result.stderr
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"error YML-007 {path.name}:"), first
        assert "more than 50 levels" in first


def test_a_moderately_nested_not_chain_still_loads(esg, tmp_path: Path) -> None:  # noqa: ANN001
    chain = "{not: {not: " * 10 + "{field: employees, op: '>=', value: 50}" + "}}" * 10
    path = _mini(tmp_path, "applies_if: {field: employees, op: \">=\", value: 50}",
                 f"applies_if: {chain}")
    result = esg("questionnaire", "check", path, "--lang", "en")
    assert result.exit_code == 0, result.stderr


def test_a_broken_file_in_the_folder_does_not_break_the_others(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    (folder / "a-deep.yaml").write_text("format: esg-questionnaire/1\nid: deep\nx: "
                                        + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    (folder / "b-broken.yaml").write_text("format: [\n", encoding="utf-8")
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["S1", "x", None, 10, *GOOD]])
    result = esg("score", answers, "-q", "mini", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["questionnaire"]["id"] == "mini"
    listed = esg("questionnaire", "list", "--format", "json", cwd=tmp_path)
    assert listed.exit_code == 0, listed.stderr
    assert "mini" in [e["id"] for e in json.loads(listed.stdout)]


# ---------------------------------------------------------------- 7. numbers at the edge
def test_weights_and_points_that_overflow_are_refused_at_load(esg, tmp_path: Path) -> None:  # noqa: ANN001
    cases = {
        "weight": ("weight: 2", "weight: 1e308"),
        "points": ("{value: 3, label: {ko: 우수, en: Good}, points: 2}",
                   "{value: 3, label: {ko: 우수, en: Good}, points: 1e308}"),
    }
    for name, (old, new) in cases.items():
        path = _mini(tmp_path, old, new, f"{name}.yaml")
        result = esg("questionnaire", "check", path, "--lang", "en")
        assert result.exit_code == 3, (name, result.stdout + result.stderr)
        assert "QST-023" in result.stderr, result.stderr


def test_dates_and_years_at_the_edge_are_usage_errors(esg, tmp_path: Path) -> None:  # noqa: ANN001
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["S1", "x", None, 10, *GOOD]])
    reg = tmp_path / "r.sqlite"
    base = ("certify", answers, "--policy", POLICY, "-q", MINI, "--registry", reg)
    for extra in (("--year", "2024", "--date", "9999-12-31"), ("--year", "1e20"),
                  ("--year", "-5"), ("--year", "99999999999999999999"),
                  ("--year", "2024", "--date", "0001-01-01")):
        result = esg(*base, *extra, "--lang", "en")
        assert result.exit_code == 2, (extra, result.stdout + result.stderr)
        assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    assert not reg.exists() or "MINI" not in reg.read_bytes().decode("latin-1")
    for command in (("improve", answers, "-q", MINI), ("template", "-q", MINI, "-o",
                                                       tmp_path / "t.xlsx")):
        for year in ("-5", "99999999999999999999"):
            result = esg(*command, "--year", year, "--lang", "en")
            assert result.exit_code == 2, (command, year, result.stdout + result.stderr)


def test_a_policy_number_format_that_would_allocate_is_refused(esg, tmp_path: Path) -> None:  # noqa: ANN001
    for number in ("MINI-{year}-{seq:0999999999d}", "X{seq:>{year}}", "{seq:.99999999f}"):
        policy = tmp_path / "p.yaml"
        policy.write_text(POLICY.read_text(encoding="utf-8").replace(
            '"MINI-{year}-{seq:03d}"', json.dumps(number)), encoding="utf-8")
        answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["S1", "x", None, 10, *GOOD]])
        result = esg("certify", answers, "--policy", policy, "-q", MINI, "--year", 2024,
                     "--registry", tmp_path / "r.sqlite", "--lang", "en")
        assert result.exit_code == 3, (number, result.stdout + result.stderr)
        assert "POL-004" in result.stderr and "too wide" in result.stderr


# ---------------------------------------------------------------- 8. the recorded questionnaire
def test_the_hidden_sheet_may_name_an_id_never_a_path(esg, tmp_path: Path) -> None:  # noqa: ANN001
    template = tmp_path / "t.xlsx"
    assert esg("template", "-q", MINI, "-o", template).exit_code == 0
    evil = tmp_path / "evil.yaml"
    shutil.copy(MINI, evil)
    for ref in (str(evil), "../evil.yaml", "evil.yaml"):
        book = load_workbook(template)
        meta = book["_esgcli"]
        meta["B1"] = ref
        book["_esgcli"].sheet_state = "hidden"
        sheet = book.worksheets[0]
        sheet.append(["S1", "x", None, 10, *GOOD])
        target = tmp_path / "filled.xlsx"
        book.save(target)
        result = esg("validate", target, "--lang", "en", cwd=tmp_path)
        assert result.exit_code == 3, (ref, result.stdout + result.stderr)
        assert "WB-011" in result.stdout + result.stderr, result.stdout + result.stderr
        assert "questionnaire: mini" not in result.stderr


# ---------------------------------------------------------------- 10. ids that look equal
def test_invisible_characters_do_not_make_two_suppliers(esg, tmp_path: Path) -> None:  # noqa: ANN001
    rows = [["S1", "가", "사전", 10, "no", 1, 0, "none", None],
            ["S1\u200b", "가", "사후", 10, *GOOD],
            ["\ufeffS2\u2060", "나", "사후", 10, *GOOD],
            ["S2", "나", "사후", 10, *GOOD]]
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, *rows])
    result = esg("validate", answers, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3
    assert "ROW-002" in result.stdout and "supplier S2 (round 사후" in result.stdout
    fixed = write_xlsx(tmp_path / "b.xlsx", [HEADER, *rows[:3]])
    improve = esg("improve", fixed, "-q", MINI, "--format", "json")
    assert improve.exit_code == 0, improve.stderr
    data = json.loads(improve.stdout)
    assert data["paired"] == 1 and data["only_after"] == ["S2"]
    score = esg("score", fixed, "-q", MINI, "--format", "json")
    assert [s["supplier_id"] for s in json.loads(score.stdout)["suppliers"]] == ["S1", "S1", "S2"]
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(",".join(HEADER) + "\nS1\x07,x,,10,yes,3,30,none,\n", encoding="utf-8")
    result = esg("score", csv_file, "-q", MINI, "--format", "json")
    assert [s["supplier_id"] for s in json.loads(result.stdout)["suppliers"]] == ["S1"]


# ---------------------------------------------------------------- 12. questionnaire text in outputs
def test_questionnaire_texts_in_the_template_are_neutralised(esg, tmp_path: Path) -> None:  # noqa: ANN001
    q = _mini(tmp_path, "title: {ko: 미니 진단, en: Mini assessment}",
              'title: {ko: "=HYPERLINK(\\"http://x\\")", en: "=1+1"}')
    q.write_text(q.read_text(encoding="utf-8").replace(
        "title: {ko: 상시근로자 수, en: Employees}", 'title: {ko: "-2+3", en: "@SUM(A1)"}')
        .replace('version: "1"', 'version: "+1"'), encoding="utf-8")
    out = tmp_path / "t.xlsx"
    result = esg("template", "-q", q, "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # no formula: each is a string cell,
    looks = [c for c in cells if isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@")]
    assert {"+1", "@SUM(A1)"} <= {c.value for c in looks}
    assert any(c.value.startswith("=1+1 — ") for c in looks)  # the title, as written
    assert all(c.data_type == "s" and c.quotePrefix for c in looks)  # kept text when edited
    # the template still reads back: its own headers are recognised
    book.worksheets[0].append(["S1", "x", None, 10, *GOOD])
    book.save(out)
    result = esg("validate", out, "-q", q, "--lang", "en")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_warning_lists_at_most_a_few_ignored_columns(esg, tmp_path: Path) -> None:  # noqa: ANN001
    extra = [f"junk{i}" for i in range(5000)]
    answers = tmp_path / "wide.csv"
    answers.write_text(",".join(HEADER + extra) + "\nS1,x,,10,yes,3,30,none," + "," * 5000 + "\n",
                       encoding="utf-8")
    result = esg("validate", answers, "-q", MINI, "--lang", "en", "--format", "json")
    assert result.exit_code == 0, result.stdout
    messages = [p["message"] for p in json.loads(result.stdout)["problems"]]
    assert len(messages) == 1 and len(messages[0]) < 400, messages
    assert "J 'junk0', K 'junk1'" in messages[0] and messages[0].endswith("… (+4,980)")


def test_ids_given_on_the_command_line_are_read_like_the_ids_in_files(esg, tmp_path: Path) -> None:  # noqa: ANN001
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["S1\u200b", "가", None, 10, *GOOD]])
    explain = esg("score", answers, "-q", MINI, "--explain", "\u200bS1", "--format", "json")
    assert explain.exit_code == 0, explain.stderr
    assert json.loads(explain.stdout)["suppliers"][0]["supplier_id"] == "S1"
    reg = tmp_path / "r.sqlite"
    assert esg("certify", answers, "--policy", POLICY, "-q", MINI, "--year", 2024,
               "--registry", reg).exit_code == 0
    listed = esg("certs", "list", "--registry", reg, "--supplier", "S1\u2060", "--format", "json")
    assert [c["supplier_id"] for c in json.loads(listed.stdout)] == ["S1"]
