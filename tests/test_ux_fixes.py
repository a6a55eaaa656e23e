"""Smaller things a user sees at once (#12): whole sha256 values at 80 columns, formats listed in
help, a 0.0 change, a file without a round column, single rounds and mixed versions in reports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import DATA, MINI
from rich.cells import cell_len

ANSWERS = DATA / "mini.xlsx"
POLICY = DATA / "mini-policy.yaml"


@pytest.fixture
def reg(esg, tmp_path: Path) -> Path:  # noqa: ANN001
    path = tmp_path / "r.sqlite"
    made = esg("certify", ANSWERS, "-q", MINI, "--policy", POLICY, "--year", 2024, "--registry", path)
    assert made.exit_code == 0, made.stderr
    return path


def _table_rows(text: str) -> list[list[str]]:
    """The cells of each row of a boxed rich table, continuation lines joined to their row
    (a cell folded over lines is read back whole)."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if rows and not cells[0]:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
        else:
            rows.append(cells)
    return rows


def test_certs_show_folds_sha256_at_80_columns(esg, reg: Path) -> None:  # noqa: ANN001
    recorded = json.loads(esg("certs", "show", "MINI-2024-001", "--registry", reg, "--format",
                              "json").stdout)
    shown = esg("certs", "show", "MINI-2024-001", "--registry", reg, "--lang", "en", COLUMNS="80")
    assert shown.exit_code == 0, shown.stderr
    assert max(cell_len(line) for line in shown.stdout.splitlines()) <= 80
    assert "…" not in shown.stdout
    values = dict(row for row in _table_rows(shown.stdout) if len(row) == 2)  # type: ignore[misc]
    hashes = {k: v for k, v in values.items() if "SHA-256" in k}
    assert sorted(hashes.values()) == sorted(
        recorded[k] for k in ("policy_sha256", "questionnaire_sha256", "answers_sha256"))


def test_certs_verify_folds_sha256_at_80_columns(esg, reg: Path) -> None:  # noqa: ANN001
    recorded = json.loads(esg("certs", "show", "MINI-2024-001", "--registry", reg, "--format",
                              "json").stdout)
    shown = esg("certs", "verify", "MINI-2024-001", ANSWERS, "-q", MINI, "--policy", POLICY,
                "--registry", reg, "--lang", "en", COLUMNS="80")
    assert shown.exit_code == 0, shown.stderr
    assert max(cell_len(line) for line in shown.stdout.splitlines()) <= 80
    assert "…" not in shown.stdout
    rows = {r[0]: r[2:] for r in _table_rows(shown.stdout)}
    assert rows["answers SHA-256"] == [recorded["answers_sha256"]] * 2
    assert rows["questionnaire SHA-256"] == [recorded["questionnaire_sha256"]] * 2


@pytest.mark.parametrize("command", ["revoke", "copy"])
def test_certs_help_lists_only_the_formats_served(esg, command: str) -> None:  # noqa: ANN001
    from esgcli.cli.registry import TABLE_OR_JSON

    shown = esg("certs", command, "--help", COLUMNS="200")
    assert shown.exit_code == 0
    line = next(ln for ln in shown.stdout.splitlines() if "--format" in ln)
    assert line.split("--format")[1].split()[0] == "table|json"
    assert [f.value for f in TABLE_OR_JSON.formats] == ["table", "json"]
    refused = esg("certs", command, "--format", "csv", "--lang", "en",
                  *(["N", "--reason", "r"] if command == "revoke" else ["--from", "a", "--to", "b"]))
    assert refused.exit_code == 2 and "OUT-010" in refused.stderr


@pytest.mark.parametrize("sort, field", [("delta", "delta_pp"), ("after", "after")])
def test_improvement_table_sorts_a_zero_change_as_a_value(sort: str, field: str) -> None:
    """A 0.0 change (or 0.0% after) sorts between the positive and the negative values, and an
    unknown one last; a falsy check put 0.0 with the unknown ones."""
    from rich.console import Console

    from esgcli.cli.render_improvement import supplier_table

    values = {"up": 5.0, "zero": 0.0, "down": -3.0, "unknown": None}
    rows = [{"supplier_id": sid, "supplier_name": None,
             "compliance": {"before": None, "after": None, "delta_pp": None, field: v}, "areas": {}}
            for sid, v in values.items()]

    class Imp:
        area_ids: list[str] = []

    fitted = supplier_table(rows[::-1], Imp(), "en", sort, 10, 200)  # type: ignore[arg-type]
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(fitted.table)
    order = [line.split("│")[1].strip() for line in console.export_text().splitlines()
             if line.startswith("│")]
    assert order == ["up", "zero", "down", "unknown"]


GOOD = ["yes", 3, 30, "manager,training,ppe", None]


@pytest.mark.parametrize("lang, line", [
    ("en", "✓ plain.xlsx: no problems (2 suppliers, 1 round, unnamed: no round column, or its cells "
           "are blank)"),
    ("ko", "✓ plain.xlsx: 문제없음 (협력사 2개사, 차수 1개: 차수 이름 없음 — 차수 열이 없거나 비어 있음)")])
def test_validate_says_plainly_that_no_round_is_named(esg, tmp_path: Path, lang: str,  # noqa: ANN001
                                                      line: str) -> None:
    from conftest import write_xlsx

    path = write_xlsx(tmp_path / "plain.xlsx", [
        ["supplier_id", "supplier_name", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"],
        ["S1", "가", 10, *GOOD], ["S2", "나", 10, *GOOD]])
    result = esg("validate", path, "-q", MINI, "--lang", lang, COLUMNS="200")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == line


def test_validate_names_a_blank_round_beside_named_ones(esg, tmp_path: Path) -> None:  # noqa: ANN001
    from conftest import write_xlsx

    path = write_xlsx(tmp_path / "mixed.xlsx", [
        ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"],
        ["S1", "가", "사후", 10, *GOOD], ["S2", "나", None, 10, *GOOD]])
    result = esg("validate", path, "-q", MINI, "--lang", "en", COLUMNS="200")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == \
        "✓ mixed.xlsx: no problems (2 suppliers, 2 round(s): 사후, (no round))"
