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


@pytest.mark.parametrize("round_name, before, after, code", [
    ("사전", 2, None, "RPT-002"),  # a before round alone is never reported as after
    ("사후", None, 2, None),
    ("연간", None, 2, "RPT-003"),  # neither side: counted as after (certify's round), said so
    (None, None, 2, "RPT-003")])
def test_report_year_with_a_single_round(esg, tmp_path: Path, round_name: str | None,  # noqa: ANN001
                                         before: int | None, after: int | None,
                                         code: str | None) -> None:
    from conftest import write_xlsx

    path = write_xlsx(tmp_path / "one.xlsx", [
        ["supplier_id", "supplier_name", "round", "year", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"],
        ["S1", "가", round_name, 2024, 10, *GOOD], ["S2", "나", round_name, 2024, 10, *GOOD]])
    out = tmp_path / "r.json"
    result = esg("report", path, "-q", MINI, "--year", 2024, "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    main = json.loads(out.read_text(encoding="utf-8"))["main"]
    assert (main["diagnosed_before"], main["diagnosed_after"], main["both"]) == (before, after, None)
    assert (main["before_compliance"] is None, main["after_compliance"] is None) == (
        before is None, after is None)
    warned = [ln.split()[1] for ln in result.stderr.splitlines() if ln.startswith("warning")]
    assert warned == ([code] if code else [])
    for suffix in (".xlsx", ".html", ".md"):  # every format renders a year with one round
        assert esg("report", path, "-q", MINI, "--year", 2024, "-o", out.with_suffix(suffix)
                   ).exit_code == 0


def _year_file(path: Path, year: int, ids: tuple[str, str] = ("S1", "S2")) -> Path:
    from conftest import write_xlsx

    bad = ["no", 1, 0, "none", None]
    rows = [[sid, "가", rnd, year, 10, *(bad if rnd == "사전" else GOOD)]
            for sid in ids for rnd in ("사전", "사후")]
    return write_xlsx(path, [["supplier_id", "supplier_name", "round", "year", "employees", "E-1",
                              "E-2", "E-3", "S-1", "S-2"], *rows])


def _mini_version(tmp_path: Path, version: str) -> Path:
    text = MINI.read_text(encoding="utf-8").replace('version: "1"', f'version: "{version}"', 1)
    assert f'version: "{version}"' in text
    path = tmp_path / f"mini-{version}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_report_header_names_the_reported_years_questionnaire(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """2023 scored with mini 1 and 2024 with mini 1.1: the 2024 report is headed mini 1.1 (it was
    headed with the first file's mini 1), and its method names both, each with its years."""
    v11 = _mini_version(tmp_path, "1.1")
    args = [_year_file(tmp_path / "a.xlsx", 2023), _year_file(tmp_path / "b.xlsx", 2024),
            "-q", MINI, "-q", v11, "--year", 2024, "--lang", "en"]
    out = tmp_path / "r.json"
    assert esg("report", *args, "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["questionnaire"]["version"], data["method"]["questionnaire"]["version"]) == ("1.1", "1.1")
    assert [(q["version"], q["years"]) for q in data["method"]["questionnaires"]] == [
        ("1", [2023]), ("1.1", [2024])]
    assert esg("report", *args, "-o", tmp_path / "r.md").exit_code == 0
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert text.splitlines()[2] == "Mini assessment · mini 1.1 · Year 2024"
    assert [ln.split(" (sha256")[0] for ln in text.splitlines() if ln.startswith("- Questionnaire:")] \
        == ["- Questionnaire: mini 1 (2023)", "- Questionnaire: mini 1.1 (2024)"]


def test_report_refuses_one_years_files_on_different_questionnaires(esg, tmp_path: Path) -> None:  # noqa: ANN001
    v11 = _mini_version(tmp_path, "1.1")
    out = tmp_path / "r.json"
    result = esg("report", _year_file(tmp_path / "a.xlsx", 2024),
                 _year_file(tmp_path / "b.xlsx", 2024, ("S3", "S4")), "-q", MINI, "-q", v11,
                 "--year", 2024, "--lang", "en", "-o", out)
    assert result.exit_code == 3 and not out.exists()
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("error")] == [
        "error RPT-004 b.xlsx: the files of 2024 were scored with different questionnaires "
        "(a.xlsx: mini 1, b.xlsx: mini 1.1). One year's files must use one questionnaire (read "
        "them with one -q, or give exactly two single-round files, before and after, when the "
        "versions differ)"]


@pytest.mark.parametrize("command", [["feedback"], ["actions", "make"]])
def test_feedback_and_action_plan_help_list_only_the_formats_served(
        esg, tmp_path: Path, command: list[str]) -> None:  # noqa: ANN001
    """Their --help offered csv, which they refuse (OUT-010): it lists what they serve."""
    from conftest import DATA, MINI

    shown = esg(*command, "--help", COLUMNS="200")
    line = next(ln for ln in shown.stdout.splitlines() if ln.strip().startswith("-f, --format"))
    assert line.split("--format")[1].split()[0] == "table|json"
    out = tmp_path / ("pages" if command == ["feedback"] else "plan.xlsx")
    refused = esg(*command, DATA / "mini.xlsx", "-q", MINI, "-o", out, "--format", "csv",
                  "--lang", "en")
    assert refused.exit_code == 2 and "OUT-010" in refused.stderr
