"""Per-supplier replies as other programs save them (SPEC §12, issue 15): the workbooks
`esg template --per-supplier` wrote, filled, then re-saved by LibreOffice as .xlsx, .ods and
.csv (tests/data/make_campaign.py), score exactly as the originals, alone and mixed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, MINI, as_json

CAMPAIGN = DATA / "campaign"
ORIGINAL = CAMPAIGN / "original"


def results(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON result less what names the files (their names and sha256 differ by design)."""
    out = {k: v for k, v in data.items() if k != "sources"}
    out["suppliers"] = [{k: v for k, v in s.items() if k != "file"} for s in data["suppliers"]]
    return out


def score(esg: Any, *paths: Path, **kw: Any) -> dict[str, Any]:  # noqa: ANN401
    result = esg("score", *paths, "--format", "json", "--detail", **kw)
    assert result.exit_code == 0, result.stderr
    return as_json(result)


@pytest.fixture(scope="module")
def original() -> dict[str, Any]:
    from conftest import Runner

    return score(Runner(), ORIGINAL, "-q", MINI)


def test_the_originals_hold_every_kind_of_answer(original: dict[str, Any]) -> None:
    """The fixture is worth comparing: six records, answers of every type, a blank, N/A, a
    critical failure, and the three suppliers' files."""
    suppliers = original["suppliers"]
    assert [(s["supplier_id"], s["round"]) for s in suppliers] == [
        ("A001", "사전"), ("A001", "사후"), ("A002", "사전"), ("A002", "사후"),
        ("A003", "사전"), ("A003", "사후")]
    statuses = {i["status"] for s in suppliers for i in s["indicators"].values()}
    assert statuses == {"counted", "na", "not_applicable"}
    assert any(s["missing"] for s in suppliers) and any(s["critical_failures"] for s in suppliers)
    assert len({s["compliance"] for s in suppliers}) >= 4


@pytest.mark.parametrize("variant", ["lo-xlsx", "lo-ods", "lo-csv"])
def test_a_libreoffice_resave_scores_as_the_original(esg, variant: str,  # noqa: ANN001
                                                     original: dict[str, Any]) -> None:
    folder = CAMPAIGN / variant
    data = score(esg, folder, "-q", MINI)
    assert results(data) == results(original)
    suffix = "." + variant.split("-")[1]
    assert [s["file"] for s in data["sources"]] == [
        p.with_suffix(suffix).name for p in sorted(ORIGINAL.iterdir())]


def test_a_folder_of_mixed_resaves_needs_no_q(esg, tmp_path: Path,  # noqa: ANN001
                                              original: dict[str, Any]) -> None:
    """One supplier kept Excel's file, one sent LibreOffice's .ods, one a .csv: the
    questionnaire recorded by the template survives the .xlsx and .ods re-saves, so the folder
    scores without -q where the questionnaire resolves by id."""
    (tmp_path / "questionnaires").mkdir()
    shutil.copy(MINI, tmp_path / "questionnaires" / "mini.yaml")
    replies = tmp_path / "replies"
    replies.mkdir()
    for variant, stem in (("original", "A001"), ("lo-ods", "A002"), ("lo-csv", "A003"),
                          ("lo-xlsx", "A002")):
        for path in (CAMPAIGN / variant).glob(f"{stem}_*"):
            shutil.copy(path, replies / f"{stem}-{variant}{path.suffix}")
    duplicate = esg("score", "replies", "--format", "json", cwd=tmp_path)
    assert duplicate.exit_code == 3 and "SRC-001" in duplicate.stderr  # A002 twice
    (replies / "A002-lo-xlsx.xlsx").unlink()
    data = score(esg, Path("replies"), cwd=tmp_path)
    assert results(data) == results(original)
    assert [s["file"] for s in data["sources"]] == [
        "A001-original.xlsx", "A002-lo-ods.ods", "A003-lo-csv.csv"]


def test_reading_many_files_shows_files_done_on_a_terminal_only(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """A files done / total bar on stderr while many files are read (issue 15 item 4): on a
    terminal only, never in the result, never in a pipe."""
    for i in range(25):
        (tmp_path / f"S{i:02d}.csv").write_text(
            "협력사코드,협력사명,차수,연도,상시근로자 수,E-1,E-2,E-3,S-1,S-2\n"
            f"S{i:02d},x,사전,2024,10,예,2,10,none,\n", encoding="utf-8")
    args = ("score", tmp_path, "-q", MINI, "--format", "json", "--lang", "en")
    piped = esg(*args)
    terminal = esg(*args, TTY_COMPATIBLE="1", TERM="xterm")
    assert piped.exit_code == terminal.exit_code == 0
    assert terminal.stdout == piped.stdout
    assert "25/25" in terminal.stderr and "reading" in terminal.stderr
    assert "25/25" not in piped.stderr and "\x1b" not in piped.stderr
    few = esg("score", *sorted(tmp_path.iterdir())[:3], "-q", MINI, "--lang", "en",
              TTY_COMPATIBLE="1", TERM="xterm")
    assert few.exit_code == 0 and "/3" not in few.stderr  # three files: no bar
