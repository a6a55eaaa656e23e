"""`esg validate`'s verdict, `esg questionnaire check` on policies and ids, `esg policy ...`."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DATA, MINI, ROOT, as_json

POLICY = DATA / "mini-policy.yaml"


def test_validate_counts_suppliers_and_rounds(esg, xlsx) -> None:  # noqa: ANN001
    clean = xlsx("""
| supplier_id | round | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | 사전 | 10 | yes | 1 | 5 | none | |
| Y | 사전 | 10 | yes | 1 | 5 | none | |
| X | 사후 | 10 | yes | 2 | 25 | manager, ppe | |
""", name="clean.xlsx")
    result = esg("validate", clean, "-q", MINI, "--lang", "en")
    assert (result.exit_code, result.stdout) == (
        0, "✓ clean.xlsx: no problems (2 suppliers, 2 round(s): 사전, 사후)\n")
    ko = esg("validate", clean, "-q", MINI, "--lang", "ko")
    assert ko.stdout == "✓ clean.xlsx: 문제없음 (협력사 2개사, 차수 2개: 사전, 사후)\n"
    data = as_json(esg("validate", clean, "-q", MINI, "--format", "json"))
    assert (data["records"], data["suppliers"], data["rounds"]) == (3, 2, ["사전", "사후"])


def test_validate_with_a_warning_does_not_say_no_problems(esg, xlsx) -> None:  # noqa: ANN001
    warned = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 | extra |
| X | 10 | yes | 1 | 5 | none | | 1 |
""", name="warned.xlsx")
    ko = esg("validate", warned, "-q", MINI, "--lang", "ko")
    assert ko.exit_code == 0
    assert ko.stdout.splitlines()[-1] == ("✓ warned.xlsx: 오류 없음, 경고 1개 (협력사 1개사, 차수 1개: "
                                          "차수 이름 없음 — 차수 열이 없거나 비어 있음)")
    assert "문제없음" not in ko.stdout


def test_questionnaire_check_tells_policies_by_format(esg) -> None:  # noqa: ANN001
    files = sorted((ROOT / "questionnaires").glob("*.yaml"))
    result = esg("questionnaire", "check", *files, "--lang", "en", cwd=ROOT)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    assert f"✓ {ROOT}/questionnaires/esg-excellent.yaml: valid policy (esg-excellent 2024, for " \
           "questionnaire supplier-esg)" in lines
    both = esg("questionnaire", "check", POLICY, MINI, "--format", "json")
    assert [(c["kind"], c["id"], c["valid"]) for c in as_json(both)] == [
        ("policy", "mini-excellent", True), ("questionnaire", "mini", True)]


def test_questionnaire_check_reads_a_folder(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """SPEC §7: `esg questionnaire check` on a folder tells the two kinds apart by `format`
    (the folder's name was taken for an id: QST-016 "unknown policy 'questionnaires'")."""
    for given in ("questionnaires", "questionnaires/", str(ROOT / "questionnaires")):
        result = esg("questionnaire", "check", given, "--format", "json", cwd=ROOT)
        assert result.exit_code == 0, (given, result.stderr)
        checked = as_json(result)
        assert [Path(c["file"]).name for c in checked] == sorted(
            f.name for f in (ROOT / "questionnaires").glob("*.yaml"))
        assert {c["kind"] for c in checked} == {"questionnaire", "policy"}
    folder = tmp_path / "mine"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "p.yaml").write_text(POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "q.yml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / ".hidden.yaml").write_text("not: [yaml", encoding="utf-8")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    mine = esg("policy", "check", folder, "--format", "json")
    assert mine.exit_code == 0, mine.stderr
    assert [(Path(c["file"]).name, c["kind"]) for c in as_json(mine)] == [
        ("q.yml", "questionnaire"), ("p.yaml", "policy")]
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = esg("questionnaire", "check", empty, "--lang", "en")
    assert nothing.exit_code == 3 and "QST-024" in nothing.stderr, nothing.stderr


def test_check_accepts_ids(esg) -> None:  # noqa: ANN001
    result = esg("questionnaire", "check", "supplier-esg", "esg-excellent", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [(c["kind"], c["id"]) for c in as_json(result)] == [
        ("questionnaire", "supplier-esg"), ("policy", "esg-excellent")]
    unknown = esg("questionnaire", "check", "supplier-esx", "--lang", "en")
    assert unknown.exit_code == 3 and "unknown policy 'supplier-esx'" in unknown.stderr


def test_policy_check_finds_problems(esg, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "bad-policy.yaml"
    bad.write_text(POLICY.read_text(encoding="utf-8").replace("S: {compliance_min: 40}",
                                                               "X: {compliance_min: 40}"),
                   encoding="utf-8")
    alone = esg("policy", "check", bad, "--lang", "en")
    assert alone.exit_code == 3
    assert alone.stderr.splitlines()[0].startswith(
        "error QST-016 bad-policy.yaml:5:1 questionnaire: unknown questionnaire 'mini'")
    with_q = esg("policy", "check", bad, MINI, "--lang", "en")
    assert with_q.exit_code == 3
    assert with_q.stderr.splitlines()[0] == \
        "error QST-003 bad-policy.yaml:8:36 criteria.areas.X: unknown area 'X'"
    assert esg("policy", "check", POLICY, MINI).exit_code == 0


def test_policy_list_and_show(esg) -> None:  # noqa: ANN001
    listed = as_json(esg("policy", "list", "--format", "json", cwd=ROOT))
    bundled = sorted(ROOT.joinpath("questionnaires").glob("*.yaml"))
    policies = [f for f in bundled if "format: esg-policy/1" in f.read_text(encoding="utf-8")]
    assert sorted(e["path"] for e in listed) == [str(f) for f in policies]
    assert ("esg-excellent", "supplier-esg", 4) in [
        (e["id"], e["questionnaire"], e["criteria"]) for e in listed]
    shown = json.loads(esg("policy", "show", POLICY, "--format", "json").stdout)
    assert (shown["id"], shown["questionnaire"], shown["criteria"]["compliance_min"]) == (
        "mini-excellent", "mini", 80.0)
    rows = esg("policy", "show", POLICY, "--format", "csv").stdout.splitlines()
    assert rows == ["criterion,area,required", "compliance_min,,80.0", "compliance_min,E,40.0",
                    "compliance_min,S,40.0"]
    table = esg("policy", "show", "esg-excellent", "--lang", "en", cwd=ROOT)
    assert table.exit_code == 0 and "compliance " in table.stdout
    korean = esg("policy", "show", "esg-excellent", "--lang", "ko", cwd=ROOT)
    assert "준수율" in korean.stdout and "compliance_min" not in korean.stdout  # #12 item 11


def test_policy_show_states_each_requirement_with_its_unit_at_80_columns(esg) -> None:  # noqa: ANN001
    """`80.0` read as a bare number, and the title wrapped into the table's width."""
    shown = esg("policy", "show", "security-baseline", "--lang", "ko", COLUMNS="80", cwd=ROOT)
    lines = shown.stdout.splitlines()
    assert lines[0] == "협력사 정보보호 기본수준 충족 — security-baseline 2026"
    rows = [[c.strip() for c in line.strip("│").split("│")] for line in lines if "│" in line]
    assert ["준수율", "전체", "≥ 70.0%"] in rows and ["미응답", "전체", "≤ 0"] in rows
    assert ["중대 미준수", "전체", "없음"] in rows
    english = esg("policy", "show", "esg-excellent", "--lang", "en", cwd=ROOT).stdout
    assert "│ compliance │ overall │ ≥ 80.0%  │" in english
