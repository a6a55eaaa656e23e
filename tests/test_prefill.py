"""`esg template --per-supplier --prefill PATH` (SPEC §12): a follow-up starts from each
supplier's latest earlier answers, read from replies of any format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import DATA, MINI, as_json
from openpyxl import load_workbook

CAMPAIGN = DATA / "campaign"


def scores(result: Any, round_name: str | None = None) -> dict[str, Any]:  # noqa: ANN401
    assert result.exit_code == 0, result.stderr
    return {s["supplier_id"]: (s["compliance"], s["score"], s["grade"], s["missing"],
                               s["critical_failures"])
            for s in as_json(result)["suppliers"] if round_name in (None, s["round"])}


def test_a_follow_up_starts_from_each_supplier_s_latest_answers(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """Returned unchanged, the prefilled forms score as the suppliers' latest (after) records;
    a supplier without earlier answers gets an empty form, and is named."""
    (tmp_path / "suppliers.csv").write_text(
        "협력사코드,협력사명,상시근로자 수\nA001,(주)가나,10\nA002,(주)다라,120\nA009,새회사,30\n",
        encoding="utf-8")
    made = esg("template", "-q", MINI, "--suppliers", "suppliers.csv", "--per-supplier", "-o",
               "forms", "--rounds", "2025", "--year", "2025", "--prefill", CAMPAIGN / "lo-ods",
               "--lang", "en", cwd=tmp_path)
    assert made.exit_code == 0, made.stderr
    assert "TPL-006" not in made.stderr  # a note, not a problem: no code line
    assert "prefilled from earlier answers: 2 suppliers" in made.stderr
    assert "1 suppliers have no earlier answers: A009" in made.stderr
    before = scores(esg("score", CAMPAIGN / "lo-ods", "-q", MINI, "--format", "json"), "사후")
    after = scores(esg("score", tmp_path / "forms", "-q", MINI, "--format", "json"))
    assert after["A001"] == before["A001"] and after["A002"] == before["A002"]
    assert after["A009"][3] == ["E-1", "E-2", "E-3", "S-1"]  # nothing prefilled: all missing
    sheet = load_workbook(tmp_path / "forms" / "A002_(주)다라.xlsx").worksheets[0]
    header = [c.value for c in sheet[3]]
    row = [c.value for c in sheet[4]]
    assert row[header.index("E-3 Renewable share")] == 21.5  # a number stays a number
    assert not sheet.cell(row=4, column=header.index("E-1 Targets") + 1).protection.locked


def test_invalid_earlier_answers_are_left_blank_and_unreadable_files_stop(
        esg, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "suppliers.csv").write_text("협력사코드,협력사명\nA001,가\n", encoding="utf-8")
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "a.csv").write_text(
        "협력사코드,협력사명,차수,연도,상시근로자 수,E-1,E-2,E-3,S-1,S-2\n"
        "A001,가,사후,2024,10,maybe,2,-5,none,\n", encoding="utf-8")
    made = esg("template", "-q", MINI, "--suppliers", "suppliers.csv", "--per-supplier", "-o",
               "forms", "--prefill", earlier, "--lang", "en", cwd=tmp_path)
    assert made.exit_code == 0, made.stderr
    assert "2 answers that were not valid are left blank" in made.stderr  # maybe, -5 (< 0)
    sheet = load_workbook(tmp_path / "forms" / "A001_가.xlsx").worksheets[0]
    header = [c.value for c in sheet[3]]
    row = [c.value for c in sheet[4]]
    assert [row[header.index(h)] for h in ("E-1 Targets", "E-2 System", "E-3 Renewable share",
                                           "S-1 Safety")] == [None, "2", None, "none"]  # as typed
    (earlier / "b.xlsx").write_bytes(b"not a workbook")
    stopped = esg("template", "-q", MINI, "--suppliers", "suppliers.csv", "--per-supplier", "-o",
                  "forms2", "--prefill", earlier, cwd=tmp_path)
    assert stopped.exit_code == 3 and "WB-002" in stopped.stderr
    assert not (tmp_path / "forms2").exists()
    alone = esg("template", "-q", MINI, "-o", "t.xlsx", "--prefill", earlier, cwd=tmp_path)
    assert alone.exit_code == 2 and "TPL-005" in alone.stderr


def test_the_prefill_is_the_library_s(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """What `--prefill` fills and says comes from `engine.campaign.prefill` (#14): the CLI only
    says its note, which equals the library's."""
    from esgcli import load_questionnaire
    from esgcli.engine.campaign import prefill

    found = prefill([CAMPAIGN / "lo-ods"], load_questionnaire(MINI), ["A001", "A002", "A009"])
    assert sorted(found.answers) == ["A001", "A002"] and found.without == ["A009"]
    assert found.answers["A002"]["E-3"] == 21.5
    note = found.note()
    assert note.code == "TPL-006" and note.text("en").startswith(
        "prefilled from earlier answers: 2 suppliers")
    (tmp_path / "suppliers.csv").write_text(
        "협력사코드,협력사명,상시근로자 수\nA001,(주)가나,10\nA002,(주)다라,120\nA009,새회사,30\n",
        encoding="utf-8")
    made = esg("template", "-q", MINI, "--suppliers", "suppliers.csv", "--per-supplier", "-o",
               "forms", "--prefill", str(CAMPAIGN / "lo-ods"), "--lang", "ko", cwd=tmp_path)
    assert made.exit_code == 0, made.stderr
    assert note.text("ko") in made.stderr.splitlines()
