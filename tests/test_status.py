"""`esg status` (SPEC §12): returned / incomplete / invalid / missing per listed supplier."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest
from conftest import DATA, MINI, as_json, write_xlsx
from openpyxl import load_workbook

from esgcli.answers.inputs import choose_questionnaire, input_files, read_files
from esgcli.answers.read import read_supplier_list
from esgcli.engine.campaign import campaign_status

sys.path.insert(0, str(DATA))
from make_fixtures import ROWS  # noqa: E402

HEADER = ROWS[2]
A001_BEFORE, A002_BEFORE, A003_BEFORE = ROWS[3], ROWS[4], ROWS[5]  # A003: E-1 unanswered
A001_AFTER = ["A001", "(주)가나", "사후", 2024, 10, "maybe", 3, 30, "책임자", None, None]
A004_BEFORE = ["A004", "라마", "사전", 2024, 10, "maybe", 2, 10, "책임자", None, None]
B999_BEFORE = ["B999", "외부", "사전", 2024, 10, "예", 2, 10, "책임자", None, None]


def campaign(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "replies"
    folder.mkdir()
    write_xlsx(folder / "A001.xlsx", [HEADER, A001_BEFORE, A001_AFTER])
    with (folder / "A002.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, A002_BEFORE])
    write_xlsx(folder / "A003.xlsx", [HEADER, A003_BEFORE])
    write_xlsx(folder / "A004.xlsx", [HEADER, A004_BEFORE])
    write_xlsx(folder / "B999.xlsx", [HEADER, B999_BEFORE])
    (folder / "broken.xlsx").write_bytes(b"not a workbook at all")
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text("협력사코드,협력사명\nA001,(주)가나\nA002,(주)다라\nA003,-마이너스(주)\n"
                         "A004,라마\nA005,바사\n", encoding="utf-8")
    return folder, suppliers


def statuses(data: dict) -> dict[str, str]:
    return {s["supplier_id"]: s["status"] for s in data["suppliers"]}


def test_every_status_and_json_equal_to_the_library(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder, suppliers = campaign(tmp_path)
    result = esg("status", folder, "--suppliers", suppliers, "-q", MINI, "--round", "사전",
                 "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    data = as_json(result)
    assert statuses(data) == {"A001": "returned", "A002": "returned", "A003": "incomplete",
                              "A004": "invalid", "A005": "missing"}
    by_id = {s["supplier_id"]: s for s in data["suppliers"]}
    assert (by_id["A001"]["file"], by_id["A001"]["errors"]) == ("A001.xlsx", 0)
    assert by_id["A003"]["missing_answers"] == 1 and by_id["A003"]["first_problem"] is None
    assert by_id["A004"]["errors"] == 1 and "maybe" in by_id["A004"]["first_problem"]
    assert by_id["A005"] == {"supplier_id": "A005", "supplier_name": "바사", "status": "missing",
                             "file": None, "errors": 0, "missing_answers": 0,
                             "first_problem": None}
    assert data["unexpected"] == [{"supplier_id": "B999", "file": "B999.xlsx"}]
    assert [u["file"] for u in data["unreadable"]] == ["broken.xlsx"]
    assert data["unreadable"][0]["problem"]
    assert data["summary"] == {"listed": 5, "returned": 2, "incomplete": 1, "invalid": 1,
                               "missing": 1, "unexpected": 1, "unreadable": 1}
    assert (data["round"], data["year"]) == ("사전", None)

    files = input_files([folder])
    q = choose_questionnaire(files, str(MINI)).questionnaire
    library = campaign_status(read_supplier_list(suppliers, q), read_files(files, q), "사전",
                              None, "en")
    assert data == library.to_dict()


def test_round_filter_judges_each_record_on_its_own(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder, suppliers = campaign(tmp_path)
    after = as_json(esg("status", folder, "--suppliers", suppliers, "-q", MINI,
                        "--round", "사후", "--year", "2024", "--format", "json"))
    assert statuses(after) == {"A001": "invalid", "A002": "missing", "A003": "missing",
                               "A004": "missing", "A005": "missing"}
    assert after["unexpected"] == [] and after["year"] == 2024
    other_year = as_json(esg("status", folder, "--suppliers", suppliers, "-q", MINI,
                             "--round", "사전", "--year", "2023", "--format", "json"))
    assert set(statuses(other_year).values()) == {"missing"}
    # several rounds and no --round: a usage error, not a silent choice
    both = esg("status", folder, "--suppliers", suppliers, "-q", MINI, "--lang", "en")
    assert both.exit_code == 2
    assert "--round" in both.stderr


def test_table_csv_and_chase_files(esg, tmp_path: Path) -> None:  # noqa: ANN001
    folder, suppliers = campaign(tmp_path)
    args = ["status", folder, "--suppliers", suppliers, "-q", MINI, "--round", "사전"]
    table = esg(*args, "--lang", "ko")
    assert table.exit_code == 0, table.stderr
    assert "미회신" in table.stdout and "B999" in table.stdout and "broken.xlsx" in table.stdout
    english = esg(*args, "--lang", "en")
    assert "incomplete" in english.stdout and "missing" in english.stdout
    rows = list(csv.reader(esg(*args, "--format", "csv").stdout.splitlines()))
    assert rows[0] == ["supplier_id", "supplier_name", "status", "file", "errors",
                       "missing_answers", "first_problem"]
    assert [(r[0], r[2]) for r in rows[1:]] == [("A001", "returned"), ("A002", "returned"),
                                                ("A003", "incomplete"), ("A004", "invalid"),
                                                ("A005", "missing")]
    chase = tmp_path / "chase.xlsx"
    written = esg(*args, "-o", chase, "--lang", "en")
    assert written.exit_code == 0, written.stderr
    sheet = load_workbook(chase).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [v[0] for v in values[1:]] == ["A001", "A002", "A003", "A004", "A005"]
    assert values[4][2] == "invalid" and "maybe" in values[4][6]
    chase_csv = tmp_path / "chase.csv"
    assert esg(*args, "-o", chase_csv).exit_code == 0
    assert "A005" in chase_csv.read_text(encoding="utf-8-sig")
    refused = esg(*args, "-o", tmp_path / "chase.pdf")
    assert refused.exit_code == 2 and not (tmp_path / "chase.pdf").exists()


def test_status_goes_through_the_one_emitter(esg, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """`esg status` hands its result to `cli.emit.emit` like every command (#14): the chase
    files keep their shape, a list for people (localised headers and statuses)."""
    import esgcli.cli.status as status_module
    from esgcli.cli import emit as emit_module
    from esgcli.engine.campaign import CampaignStatus

    seen: list[object] = []

    def spy(result: object, *args: object, **kw: object) -> None:
        seen.append(result)
        emit_module.emit(result, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(status_module, "emit", spy)
    folder, suppliers = campaign(tmp_path)
    args = ["status", folder, "--suppliers", suppliers, "-q", MINI, "--round", "사전"]
    chase = tmp_path / "chase.csv"
    result = esg(*args, "-o", chase, "--format", "json", "--lang", "ko")
    assert result.exit_code == 0, result.stderr
    assert len(seen) == 1 and isinstance(seen[0], CampaignStatus)
    assert as_json(result) == seen[0].to_dict()
    rows = list(csv.reader(chase.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["협력사코드", "협력사명", "상태", "파일", "오류", "미응답", "첫 문제"]
    assert [(r[0], r[2]) for r in rows[1:]] == [("A001", "회신 완료"), ("A002", "회신 완료"),
                                                ("A003", "미응답 있음"), ("A004", "오류"),
                                                ("A005", "미회신")]
    english = esg(*args, "--lang", "en")
    assert english.stdout.splitlines()[-3:] == [
        "not on the list: B999 (B999.xlsx)",
        "unreadable: broken.xlsx: not a workbook (not a valid zip archive: File is not a "
        "zip file)",
        "listed 5 · returned 2 · incomplete 1 · invalid 1 · missing 1 · unexpected 1 · "
        "unreadable 1"]


@pytest.mark.parametrize("columns", [80, 160])
def test_the_status_table_fits_and_tells_names_apart(esg, tmp_path: Path, columns: int) -> None:  # noqa: ANN001
    """SPEC §9 at 80 columns: "(주)동양물산" and "(주)동양기공" both showed as "(주)동양 …",
    and the file column wrapped. Names stay distinct, no line passes the width, numbers whole."""
    from rich.cells import cell_len

    folder, suppliers = campaign(tmp_path)
    long_names = {"A001": "(주)동양물산기계공업주식회사", "A002": "(주)동양물산기계공업연구소",
                  "A003": "-마이너스(주)", "A004": "라마", "A005": "바사"}
    suppliers.write_text("협력사코드,협력사명\n" + "".join(f"{k},{v}\n" for k, v in long_names.items()),
                         encoding="utf-8")
    result = esg("status", folder, "--suppliers", suppliers, "-q", MINI, "--round", "사전",
                 "--lang", "en", COLUMNS=str(columns))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    table = lines[:max(k for k, line in enumerate(lines) if "A005" in line) + 1]
    assert all(cell_len(line) <= columns for line in table), result.stdout  # notes soft-wrap
    rows = {line.split()[0].strip("│┃ "): line for line in lines if re.search(r"\bA00\d\b", line)}
    shown = [re.split(r"\s{2,}|│", rows[k].strip("│ "))[1].strip() for k in ("A001", "A002")]
    assert shown[0] != shown[1], shown
    assert "invalid" in rows["A004"] and re.search(r"\b1\b", rows["A004"]), rows["A004"]
