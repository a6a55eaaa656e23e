"""The one emitter: what a command serves, refusals with a code (exit 2), -o beside stdout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from esgcli.base.problems import UsageError
from esgcli.cli.emit import Serves, Views, emit
from esgcli.cli.options import Format


class Result:
    def to_dict(self) -> dict[str, Any]:
        return {"rows": [{"a": 1, "b": "=x"}]}


SHEETS = [("rows", ["a", "b"], [[1, "=x"]])]


def test_a_format_the_command_does_not_serve_is_refused_with_a_code() -> None:
    with pytest.raises(UsageError) as caught:
        Serves(formats=(Format.table, Format.json)).check(Format.csv, None)
    assert caught.value.code == "OUT-010" and caught.value.exit_code == 2
    assert "table|json" in caught.value.text("en")


def test_output_file_refused_by_a_command_without_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        Serves().check(Format.table, tmp_path / "x.json")
    assert caught.value.code == "OUT-011"
    with pytest.raises(UsageError) as caught:
        Serves(files=(".json",)).check(Format.table, tmp_path / "x.csv")
    assert "'.csv'" in caught.value.text("en")
    assert Serves(files=(".json",)).check(Format.table, tmp_path / "x.JSON") == ".json"


def test_csv_without_a_table_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UsageError) as caught:
        emit(Result(), Format.csv, None, "en", table=lambda: None)
    assert caught.value.code == "OUT-010"
    assert capsys.readouterr().out == ""


def test_json_is_to_dict_and_csv_the_first_sheet_neutralised(capsys: pytest.CaptureFixture[str]) -> None:
    emit(Result(), Format.json, None, "en", sheets=lambda: SHEETS)
    assert json.loads(capsys.readouterr().out) == Result().to_dict()
    emit(Result(), Format.csv, None, "en", sheets=lambda: SHEETS)
    assert capsys.readouterr().out == "a,b\n1,'=x\n"


def test_output_file_replaces_the_table_and_keeps_json_on_stdout(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shown: list[str] = []
    views = Views(json=lambda: '{"x": 1}\n', sheets=lambda: SHEETS, table=lambda: shown.append("t"))
    emit(views, Format.table, tmp_path / "r.csv", "ko")
    out = capsys.readouterr()
    assert shown == [] and out.out == ""
    assert out.err == f"저장했습니다: {tmp_path / 'r.csv'}\n"
    assert (tmp_path / "r.csv").read_bytes() == "\ufeffa,b\n1,'=x\n".encode()
    emit(views, Format.json, tmp_path / "r.json", "en")
    assert capsys.readouterr().out == '{"x": 1}\n'
    assert (tmp_path / "r.json").read_text() == '{"x": 1}\n'
    emit(views, Format.table, None, "en")
    assert shown == ["t"]


def test_streamed_pieces_are_written_in_order(tmp_path: Path) -> None:
    views = Views(json=lambda: [b'{"a": ', memoryview(b"1}\n")], csv=lambda: [b"a\n", b"1\n"])
    emit(views, Format.table, tmp_path / "r.json", "en")
    emit(views, Format.table, tmp_path / "r.csv", "en")
    assert (tmp_path / "r.json").read_bytes() == b'{"a": 1}\n'
    assert (tmp_path / "r.csv").read_bytes() == b"\xef\xbb\xbfa\n1\n"
