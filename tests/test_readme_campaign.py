"""The README's "Running a campaign" commands run, in order, on a campaign of seven suppliers of
examples/suppliers.xlsx: the forms `esg template --per-supplier` writes are filled with those
suppliers' answers and returned as .xlsx or .csv, one supplier never returns its follow-up."""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path
from typing import Any

from conftest import ROOT, Runner, as_json
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

SUPPLIERS = ["S001", "S002", "S003", "S004", "S005", "S006", "S014"]  # S014: no follow-up
SILENT = "S014"


def campaign_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running a campaign", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```bash\n(.*?)\n```", section, re.S)
    return [shlex.split(line) for line in block.splitlines() if line.strip()]


def example_answers() -> tuple[dict[tuple[str, str], dict[str, Any]], list[list[Any]]]:
    rows = CalamineWorkbook.from_path(ROOT / "examples" / "suppliers.xlsx").get_sheet_by_index(0).to_python()
    header = [str(h).split(" ")[0] for h in rows[3]]
    answers = {(r[0], r[2]): dict(zip(header, r, strict=True)) for r in rows[4:]}
    return answers, rows[3]


def reply(form: Path, answers: dict[tuple[str, str], dict[str, Any]], target: Path) -> None:
    """A supplier types its answers into the form and sends it back (as .csv when asked)."""
    book = load_workbook(form)
    sheet = book.worksheets[0]
    header = {str(c.value).split(" ")[0]: c.column for c in sheet[3] if c.value}
    for row in sheet.iter_rows(min_row=4):
        given = answers.get((str(row[0].value), str(row[2].value)), {})
        for key, column in header.items():
            if re.fullmatch(r"[ESG]-\d+-\d+", key) and given.get(key) not in (None, ""):
                sheet.cell(row=row[0].row, column=column, value=given[key])
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix == ".csv":
        with target.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(
                [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)])
    else:
        book.save(target)


def test_the_campaign_section_runs(tmp_path: Path) -> None:
    esg = Runner()
    answers, header = example_answers()
    first = {k[0]: v for k, v in reversed(answers.items())}
    with (tmp_path / "suppliers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header[:2] + header[4:6])  # id, name, headcount, industry
        for ident in SUPPLIERS:
            row = first[ident]
            writer.writerow([ident, row["협력사명"], row["상시근로자"], row["업종"]])
    commands = campaign_commands()
    assert [c[:2] for c in commands] == [
        ["esg", "template"], ["esg", "status"], ["esg", "validate"], ["esg", "score"],
        ["esg", "feedback"], ["esg", "actions"], ["esg", "template"], ["esg", "status"],
        ["esg", "improve"], ["esg", "certify"], ["esg", "report"]]
    results: list[Any] = []
    for command in commands:
        result = esg(*command[1:], cwd=tmp_path)
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
        results.append(result)
        if command[1] == "template":  # the suppliers reply, each its own way
            forms = tmp_path / command[command.index("-o") + 1]
            round_name = forms.name.removeprefix("forms-")  # forms-사전: the round's forms
            for i, form in enumerate(sorted(forms.iterdir())):
                if round_name == "사후" and form.name.startswith(SILENT):
                    continue
                suffix = ".csv" if i % 2 else ".xlsx"
                reply(form, answers, tmp_path / "replies" / round_name / (form.stem + suffix))
    assert "7" in results[0].stderr  # seven workbooks written
    assert (tmp_path / "chase.xlsx").is_file() and (tmp_path / "plan.xlsx").is_file()
    assert (tmp_path / "report-2024.html").is_file()
    assert len(list((tmp_path / "feedback-사전").glob("*.html"))) == 7
    status = as_json(esg("status", "replies/사후", "--suppliers", "suppliers.csv", "--round", "사후",
                         "--format", "json", cwd=tmp_path))
    assert {s["supplier_id"]: s["status"] for s in status["suppliers"]}[SILENT] == "missing"
    assert status["summary"]["missing"] == 1 and status["summary"]["listed"] == 7
    improved = as_json(esg("improve", "replies/사전", "replies/사후", "--format", "json",
                           cwd=tmp_path))
    assert improved["paired"] == 6 and improved["only_before"] == [SILENT]
