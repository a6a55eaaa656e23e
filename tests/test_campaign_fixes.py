"""Campaign details (SPEC §12): SheetJS .ods replies, what `--on-duplicate latest` reports, round
names in `esg status`, `-o` inside an input folder, and status messages from the catalogue."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, MINI, as_json

from esgcli.base.catalogue import CATALOGUE

HEADER = "협력사코드,협력사명,차수,연도,상시근로자 수,E-1,E-2,E-3,S-1,S-2"
CAMPAIGN = DATA / "campaign"


def reply(path: Path, *rows: str, header: str = HEADER, age: int = 0) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    stamp = 1_700_000_000 - age
    os.utime(path, (stamp, stamp))
    return path


def codes(stderr: str) -> list[tuple[str, str]]:
    """(code, file) of every problem line on stderr."""
    out = []
    for line in stderr.splitlines():
        parts = line.split(" ")
        if len(parts) > 2 and parts[0] in ("error", "warning", "오류", "경고"):
            out.append((parts[1], parts[2]))
    return out


def without_files(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k != "sources"}
    out["suppliers"] = [{k: v for k, v in s.items() if k != "file"} for s in data["suppliers"]]
    return out


def test_a_sheetjs_ods_reads_exactly_as_the_original(esg) -> None:  # noqa: ANN001
    """SheetJS (npm `xlsx`) writes whitespace between the cells of content.xml; LibreOffice
    opens such files, and so must we, cell for cell (tests/data/make_sheetjs.js)."""
    original = esg("score", CAMPAIGN / "original", "-q", MINI, "--format", "json", "--detail")
    sheetjs = esg("score", CAMPAIGN / "sheetjs-ods", "-q", MINI, "--format", "json", "--detail")
    assert sheetjs.exit_code == 0, sheetjs.stderr
    assert without_files(as_json(sheetjs)) == without_files(as_json(original))
    assert [s["file"] for s in as_json(sheetjs)["sources"]] == [
        p.with_suffix(".ods").name for p in sorted((CAMPAIGN / "original").iterdir())]


def test_on_duplicate_latest_says_nothing_of_the_records_it_dropped(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """The older reply's own warnings (an ignored answer, an unknown column) go with it; the
    newer file's stay, and the drop itself is said once."""
    reply(tmp_path / "a-old.csv", "A001,가,사전,2024,10,maybe,2,10,none,예",
          header=HEADER + ",extra", age=100)
    reply(tmp_path / "a-new.csv", "A001,가,사전,2024,10,예,2,10,none,예")
    reply(tmp_path / "b.csv", "B001,나,사전,2024,10,예,2,10,none,예", header=HEADER + ",extra")
    result = esg("score", tmp_path, "-q", MINI, "--on-duplicate", "latest", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert codes(result.stderr) == [("ANS-007", "a-new.csv"), ("HDR-003", "b.csv"),
                                    ("ANS-007", "b.csv"), ("SRC-002", "a-old.csv")]


def test_status_round_matches_as_score_round_does_and_an_unknown_round_is_said(
        esg, tmp_path: Path) -> None:  # noqa: ANN001
    replies = tmp_path / "replies"
    replies.mkdir()
    reply(replies / "a.csv", "A001,가,지원 후,2024,10,예,2,10,none,")
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text("협력사코드,협력사명\nA001,가\n", encoding="utf-8")
    same = esg("status", replies, "--suppliers", suppliers, "-q", MINI, "--round", "지원후",
               "--format", "json")
    assert same.exit_code == 0, same.stderr
    assert [s["status"] for s in as_json(same)["suppliers"]] == ["returned"]
    typo = esg("status", replies, "--suppliers", suppliers, "-q", MINI, "--round", "지원 우",
               "--format", "json", "--lang", "en")
    assert typo.exit_code == 0
    assert [s["status"] for s in as_json(typo)["suppliers"]] == ["missing"]
    assert "STA-001" in typo.stderr and "지원 후" in typo.stderr


def test_status_messages_have_codes_in_both_languages(esg, tmp_path: Path) -> None:  # noqa: ANN001
    replies = tmp_path / "replies"
    replies.mkdir()
    reply(replies / "a.csv", "A001,가,사전,2024,10,예,2,10,none,", "A001,가,사후,2024,10,예,2,10,none,")
    reply(replies / "b.csv", "A001,가,사전,2024,10,예,2,10,none,")
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text("협력사코드,협력사명\nA001,가\n", encoding="utf-8")
    several = esg("status", replies, "--suppliers", suppliers, "-q", MINI, "--lang", "en")
    assert several.exit_code == 2 and "STA-002" in several.stderr
    twice = esg("status", replies, "--suppliers", suppliers, "-q", MINI, "--round", "사전",
                "--lang", "ko")
    assert twice.exit_code == 0 and "STA-003" in twice.stderr
    for code in ("STA-001", "STA-002", "STA-003", "OUT-009"):
        ko, en = CATALOGUE[code]
        assert ko and en and ko != en


@pytest.mark.parametrize("command", ["score", "status"])
def test_output_into_an_input_folder_is_refused_when_it_would_be_read_as_answers(
        esg, tmp_path: Path, command: str) -> None:  # noqa: ANN001
    """`esg score replies/ -o replies/scores.xlsx` would make the next `esg score replies/`
    read the scores as a reply: refused (exit 2) before anything is read or written; a file the
    folder reading skips (JSON) may go there."""
    replies = tmp_path / "replies"
    (replies / "sub").mkdir(parents=True)
    reply(replies / "a.csv", "A001,가,사전,2024,10,예,2,10,none,")
    extra = ["--suppliers", tmp_path / "suppliers.csv"] if command == "status" else []
    (tmp_path / "suppliers.csv").write_text("협력사코드,협력사명\nA001,가\n", encoding="utf-8")
    for target in (replies / "scores.xlsx", replies / "sub" / "scores.csv"):
        result = esg(command, replies, "-q", MINI, *extra, "-o", target, "--lang", "en")
        assert result.exit_code == 2, result.stderr
        assert "OUT-009" in result.stderr and not target.exists()
    if command == "score":
        ok = esg(command, replies, "-q", MINI, "-o", replies / "scores.json")
        assert ok.exit_code == 0 and (replies / "scores.json").is_file()
        again = esg(command, replies, "-q", MINI, "--format", "json")
        assert again.exit_code == 0 and len(as_json(again)["sources"]) == 1
    beside = esg(command, replies, "-q", MINI, *extra, "-o", tmp_path / "scores.xlsx")
    assert beside.exit_code == 0, beside.stderr
