"""The `esg score` / `esg validate` / `esg questionnaire` commands in-process (SPEC §9)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, MINI, ROOT, as_json
from openpyxl import load_workbook

from esgcli.outputs.tables import column_title

ANSWERS = DATA / "mini.xlsx"


def test_score_json_golden(esg, golden) -> None:  # noqa: ANN001
    result = esg("score", ANSWERS, "-q", MINI, "--format", "json")
    assert result.exit_code == 0, result.stderr
    golden("score-mini.json", result.stdout)
    data = json.loads(result.stdout)
    assert set(data) == {"questionnaire", "sources", "suppliers", "summary"}
    assert data["sources"] == [{"file": "mini.xlsx", "sheet": "응답", "records": 6,
                                "sha256": data["sources"][0]["sha256"]}]
    assert {s["file"] for s in data["suppliers"]} == {"mini.xlsx"}
    assert result.stderr.startswith("questionnaire: mini 1 (")


def test_score_detail_json_golden(esg, golden) -> None:  # noqa: ANN001
    result = esg("score", ANSWERS, "-q", MINI, "--format", "json", "--detail", "--round", "사후")
    assert result.exit_code == 0, result.stderr
    golden("score-mini-detail.json", result.stdout)
    first = json.loads(result.stdout)["suppliers"][0]
    assert first["indicators"]["E-1"] == {"status": "counted", "answer": "yes", "points": 1.0,
                                          "max_points": 1.0, "compliant": True, "missing": False}
    assert first["indicators"]["S-2"]["status"] == "not_applicable"


def test_score_table_golden(esg, golden) -> None:  # noqa: ANN001
    result = esg("score", ANSWERS, "-q", MINI)
    assert result.exit_code == 0
    golden("score-mini.txt", result.stdout)
    result_ko = esg("score", ANSWERS, "-q", MINI, "--lang", "ko")
    golden("score-mini-ko.txt", result_ko.stdout)
    assert "준수율" in result_ko.stdout


def test_explain_golden(esg, golden) -> None:  # noqa: ANN001
    result = esg("score", ANSWERS, "-q", MINI, "--explain", "A002", "--round", "사전")
    assert result.exit_code == 0
    golden("explain-A002.txt", result.stdout)


def test_explain_unknown_supplier(esg) -> None:  # noqa: ANN001
    result = esg("score", ANSWERS, "-q", MINI, "--explain", "A02")
    assert result.exit_code == 3
    assert "no supplier 'A02'" in result.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_output_files_read_back_equal_to_json(esg, tmp_path: Path,  # noqa: ANN001
                                              suffix: str) -> None:
    expected = as_json(esg("score", ANSWERS, "-q", MINI, "--format", "json"))["suppliers"]
    out = tmp_path / f"scores{suffix}"
    result = esg("score", ANSWERS, "-q", MINI, "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    if suffix == ".json":
        assert json.loads(out.read_text(encoding="utf-8"))["suppliers"] == expected
        return
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    else:
        sheet = load_workbook(out)["scores"]
        rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        keys = next(csv.reader(io.StringIO(esg("score", ANSWERS, "-q", MINI, "--format", "csv").stdout)))
        assert rows[0] == [column_title(k, "en") for k in keys]  # readable headers (MINI is en)
        rows[0] = keys
    header, body = rows[0], rows[1:]
    assert len(body) == len(expected)
    for row, supplier in zip(body, expected, strict=True):
        record = dict(zip(header, row, strict=True))
        # CSV keeps every digit; openpyxl writes 16 significant digits (Excel shows 15)
        exact = (lambda v: v) if suffix == ".csv" else (lambda v: pytest.approx(v, rel=1e-15))
        for key in ("compliance", "score"):
            assert _num(record[key]) == exact(supplier[key])
            for area, values in supplier["areas"].items():
                assert _num(record[f"{area}.{key}"]) == exact(values[key])
                assert int(record[f"{area}.counted"]) == values["counted"]
        name = supplier["supplier_name"] or ""
        if name.startswith("-") and suffix == ".csv":
            name = "'" + name  # neutralised against formula injection (xlsx: a quote-prefixed text cell)
        assert (record["supplier_name"] or "") == name
        assert str(record["supplier_id"]) == supplier["supplier_id"]
        failures = record["critical_failures"]
        assert (failures.split(";") if failures else []) == supplier["critical_failures"]


def _num(value: object) -> float | None:
    return None if value in ("", None) else float(value)  # type: ignore[arg-type]


def test_output_never_overwrites_the_input(esg, tmp_path: Path) -> None:  # noqa: ANN001
    copy = tmp_path / "in.xlsx"
    shutil.copy(ANSWERS, copy)
    before = copy.read_bytes()
    result = esg("score", copy, "-q", MINI, "-o", copy)
    assert result.exit_code == 2
    assert "never overwritten" in result.stderr or "덮어쓰지" in result.stderr
    assert copy.read_bytes() == before


def test_csv_format_on_stdout(esg) -> None:  # noqa: ANN001
    result = esg("score", ANSWERS, "-q", MINI, "--format", "csv", "--round", "사후")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:7] == ["supplier_id", "supplier_name", "round", "year", "compliance", "score",
                           "grade"]
    assert [r[0] for r in rows[1:]] == ["A001", "A002"]


def test_round_names_match_like_improve_and_certify(esg) -> None:  # noqa: ANN001
    """`--round` ignores case, width, spaces and underscores, as improve/certify do."""
    exact = esg("score", ANSWERS, "-q", MINI, "--format", "csv", "--round", "사후")
    for spelling in ("사 후", " 사_후 ", "사후"):
        loose = esg("score", ANSWERS, "-q", MINI, "--format", "csv", "--round", spelling)
        assert loose.exit_code == 0 and loose.stdout == exact.stdout


def test_unknown_round_is_exit_3(esg) -> None:  # noqa: ANN001
    result = esg("score", ANSWERS, "-q", MINI, "--round", "3차")
    assert result.exit_code == 3
    assert "no round '3차'. Rounds in the file: 사전, 사후" in result.stderr


def test_validate_clean_file(esg) -> None:  # noqa: ANN001
    result = esg("validate", ANSWERS, "-q", MINI)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == \
        "✓ mini.xlsx: no problems (4 suppliers, 2 round(s): 사전, 사후)"


def test_validate_lists_everything_and_json(esg, xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | 10 | yes? | 9 | 500 | none | |
| Y | 10 | yes | 1 | 5 | boss | |
""", name="bad.xlsx")
    result = esg("validate", path, "-q", MINI)
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        "error ANS-001 bad.xlsx › answers › C2 (X, E-1): \"yes?\" is not an answer (→ 'yes'?). "
        "Allowed: yes, no",
        'error ANS-001 bad.xlsx › answers › D2 (X, E-2): "9" is not an answer. Allowed: 1 (Poor), '
        '2, 3 (Good), N/A',
        "error ANS-003 bad.xlsx › answers › E2 (X, E-3): 500 is outside the range [0, 100]",
        'error ANS-001 bad.xlsx › answers › F3 (Y, S-1): "boss" is not an answer. Allowed: the '
        "items met, separated by commas (Manager; training; ppe), or none",
        "✗ bad.xlsx: 4 error(s), 0 warning(s)"]
    data = as_json(esg("validate", path, "-q", MINI, "--format", "json"))
    assert (data["valid"], data["errors"]) == (False, 4)
    assert [(p["code"], p["cell"]) for p in data["problems"]] == [
        ("ANS-001", "C2"), ("ANS-001", "D2"), ("ANS-003", "E2"), ("ANS-001", "F3")]


def test_score_refuses_invalid_then_skip_invalid(esg, xlsx) -> None:  # noqa: ANN001
    path = xlsx("""
| supplier_id | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| X | 10 | yes | 1 | 5 | none | |
| Y | 10 | what | 1 | 5 | none | |
""", name="half.xlsx")
    refused = esg("score", path, "-q", MINI, "--format", "json")
    assert refused.exit_code == 3 and refused.stdout == ""
    assert refused.stderr.splitlines()[-1] == "stopped on invalid input: 1 error(s), 0 warning(s)"
    skipped = esg("score", path, "-q", MINI, "--format", "json", "--skip-invalid")
    assert skipped.exit_code == 0
    assert [s["supplier_id"] for s in as_json(skipped)["suppliers"]] == ["X"]
    assert "left out 1 record(s) with errors: Y" in skipped.stderr


def test_questionnaire_check_and_list(esg, tmp_path: Path) -> None:  # noqa: ANN001
    ok = esg("questionnaire", "check", MINI, "--lang", "en")
    assert ok.exit_code == 0 and ok.stdout == f"✓ {MINI}: valid questionnaire (mini 1, 5 indicators)\n"
    bad = tmp_path / "kesg.yaml"
    bad.write_text(MINI.read_text(encoding="utf-8").replace("scale: level3", "scale: level6"),
                   encoding="utf-8")
    result = esg("questionnaire", "check", bad, "--lang", "en")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == (
        "error QST-002 kesg.yaml:22:55 indicators[1].scale: unknown scale 'level6' (→ 'level3'?)")
    listing = as_json(esg("questionnaire", "list", "--format", "json"))
    assert "supplier-esg" in [e["id"] for e in listing]


def test_default_questionnaire_is_named_on_stderr(esg) -> None:  # noqa: ANN001
    result = esg("score", ROOT / "examples" / "suppliers.xlsx", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("질문지: supplier-esg 2024.1 (")
    data = json.loads(result.stdout)
    rounds = data["summary"]["rounds"]
    assert 40 <= rounds["사전"]["compliance_mean"] <= 50
    assert 84 <= rounds["사후"]["compliance_mean"] <= 92


def test_help_for_every_command(esg) -> None:  # noqa: ANN001
    for args in (["--help"], ["score", "--help"], ["validate", "--help"],
                 ["questionnaire", "--help"], ["questionnaire", "check", "--help"],
                 ["questionnaire", "list", "--help"]):
        result = esg(*args)
        assert result.exit_code == 0, args
        assert "Usage" in result.stdout


def test_usage_error_exit_2(esg) -> None:  # noqa: ANN001
    assert esg("score").exit_code == 2
    assert esg("score", ANSWERS, "--format", "yaml").exit_code == 2


def test_installed_command_runs_as_a_process() -> None:
    exe = shutil.which("esg") or str(Path(sys.executable).parent / "esg")
    result = subprocess.run([exe, "score", str(ANSWERS), "-q", str(MINI), "--format", "json"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["suppliers"]) == 6
    module = subprocess.run([sys.executable, "-m", "esgcli", "--version"], capture_output=True,
                            text=True, timeout=60)
    assert module.stdout.startswith("esgcli ")
