"""Bad-input corpus (SPEC §10): each case gives exit 3, a located message and no traceback."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA, MINI, write_xlsx

GOOD_HEADER = ["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD_ROW = ["X", 10, "yes", 1, 5, "none", None]


def _rows(path: Path, rows: list[list[object]]) -> Path:
    return write_xlsx(path, rows)


def _yaml(replace: tuple[str, str]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        q = tmp / "bad.yaml"
        q.write_text(MINI.read_text(encoding="utf-8").replace(*replace), encoding="utf-8")
        return q
    return make


WORKBOOKS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "unknown answer": (
        lambda t: _rows(t / "a.xlsx", [GOOD_HEADER, ["X", 10, "maybe", 1, 5, "none", None]]),
        'error ANS-001 a.xlsx › answers › C2 (X, E-1): "maybe" is not an answer. Allowed: yes, no'),
    "N/A not allowed": (
        lambda t: _rows(t / "a.xlsx", [GOOD_HEADER, ["X", 10, "해당없음", 1, 5, "none", None]]),
        "error ANS-002 a.xlsx › answers › C2 (X, E-1): N/A is not allowed for this indicator. "
        "Allowed: yes, no"),
    "number out of range": (
        lambda t: _rows(t / "a.xlsx", [GOOD_HEADER, ["X", 10, "yes", 1, "120%", "none", None]]),
        "error ANS-003 a.xlsx › answers › E2 (X, E-3): 120% is outside the range [0, 100]"),
    "duplicate supplier": (
        lambda t: _rows(t / "a.xlsx", [GOOD_HEADER, GOOD_ROW, GOOD_ROW]),
        "error ROW-002 a.xlsx › answers › A3 (X): supplier X (round -, year -) is also on row 2"),
    "missing indicator column": (
        lambda t: _rows(t / "a.xlsx", [GOOD_HEADER[:-1], GOOD_ROW[:-1]]),
        "error HDR-001 a.xlsx › answers › row 1: indicator columns missing: S-2"),
    "not a workbook": (
        lambda t: _write(t / "a.xlsx", b"just some text, not a zip"),
        "error WB-002 a.xlsx: not a workbook (not a valid zip archive: File is not a zip file)"),
    "empty file": (lambda t: _write(t / "a.xlsx", b""), "error WB-004 a.xlsx: the file is empty"),
    "truncated zip": (
        lambda t: _write(t / "a.xlsx", (DATA / "mini.xlsx").read_bytes()[:3000]),
        "error WB-002 a.xlsx: not a workbook (not a valid zip archive: File is not a zip file)"),
    "no header row": (
        lambda t: _rows(t / "a.xlsx", [["title"], ["id", "name"], ["X", "x"]]),
        "error WB-006 a.xlsx: no sheet has a supplier id header in its first 20 rows. Accepted "
        "headers: supplier_id, supplier id, supplier code, 협력사코드, 업체코드, 사업자등록번호, "
        "사업자번호, 회사코드"),
    "encrypted (OLE container)": (
        lambda t: _write(t / "a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        "error WB-003 a.xlsx: the workbook is password-protected: remove the password and save it "
        "again"),
    "unsupported type": (
        lambda t: _write(t / "a.pdf", b"%PDF-1.4"),
        "error WB-007 a.pdf: unsupported file type '.pdf' (xlsx, xlsm, xls, ods, csv)"),
    "missing sheet": (
        lambda t: _rows(t / "a.xlsx", [GOOD_HEADER, GOOD_ROW]),
        "error WB-005 a.xlsx: no sheet named 'Sheet9'. Sheets: answers"),
    "bad year": (
        lambda t: _rows(t / "a.xlsx", [GOOD_HEADER + ["year"], GOOD_ROW + ["2024년"]]),
        "error ROW-003 a.xlsx › answers › H2 (X): year '2024년' is not a whole number"),
    "zip that is no workbook": (
        lambda t: _zip(t / "a.xlsx"),
        "error WB-002 a.xlsx: not a workbook"),
}

QUESTIONNAIRES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "malformed yaml": (_yaml(("title: {ko: 미니 진단, en: Mini assessment}", "title: {ko: 미니")),
                       "error YML-001 bad.yaml:6:9: YAML syntax error: while parsing a flow "
                       "mapping expected ',' or '}', but got ':'"),
    "unknown key": (_yaml(("language: en", "langauge: en")),
                    "error SCH-002 bad.yaml:6:1 langauge: unknown key 'langauge' (→ 'language'?)"),
    "unknown scale": (_yaml(("scale: level3", "scale: level6")),
                      "error QST-002 bad.yaml:22:55 indicators[1].scale: unknown scale 'level6' "
                      "(→ 'level3'?)"),
    "duplicate ids": (_yaml(("{id: E-2,", "{id: E-1,")),
                      "error QST-001 bad.yaml:22:6 indicators[1].id: duplicate id 'E-1' (first at "
                      "line 21)"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return path


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_bad_workbook(esg, tmp_path: Path, name: str) -> None:  # noqa: ANN001
    make, first_line = WORKBOOKS[name]
    path = make(tmp_path)
    extra = ["--sheet", "Sheet9"] if name == "missing sheet" else []
    for command in ("score", "validate"):
        result = esg(command, path, "-q", MINI, "--lang", "en", *extra)
        assert result.exit_code == 3, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        lines = (result.stderr if command == "score" else result.stdout + result.stderr).splitlines()
        errors = [line for line in lines if line.startswith("error ")]
        assert errors[0].startswith(first_line), errors
    score = esg("score", path, "-q", MINI, "--lang", "en", "-o", tmp_path / "out.json", *extra)
    assert score.exit_code == 3 and not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("name", list(QUESTIONNAIRES))
def test_bad_questionnaire_via_cli(esg, tmp_path: Path, name: str) -> None:  # noqa: ANN001
    make, first_line = QUESTIONNAIRES[name]
    q = make(tmp_path)
    for args in (("score", DATA / "mini.xlsx", "-q", q, "--lang", "en"),
                 ("questionnaire", "check", q, "--lang", "en")):
        result = esg(*args)
        assert result.exit_code == 3
        assert "Traceback" not in result.stdout + result.stderr
        assert result.stderr.splitlines()[0] == first_line
        assert result.stdout.strip() == ""


def test_korean_messages_by_default(esg, tmp_path: Path) -> None:  # noqa: ANN001
    path = _rows(tmp_path / "a.xlsx", [GOOD_HEADER, ["X", 10, "maybe", 1, 5, "none", None]])
    korean = tmp_path / "ko.yaml"
    korean.write_text(MINI.read_text(encoding="utf-8").replace("language: en", "language: ko"),
                      encoding="utf-8")
    result = esg("score", path, "-q", korean)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[1] == (
        '오류 ANS-001 a.xlsx › answers › C2 (X, E-1): "maybe"은(는) 올바른 응답이 아닙니다. 허용: 예, 아니오')
    assert result.stderr.splitlines()[-1] == "입력 오류로 중단했습니다: 오류 1개, 경고 0개"


def test_not_a_zip_is_said_in_korean(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """The Korean message carried Python's English (`not a valid zip archive: File is not a zip
    file`) inside its brackets."""
    path = _write(tmp_path / "a.xlsx", b"just some text, not a zip")
    ko = esg("validate", path, "-q", MINI, "--lang", "ko")
    assert "WB-002 a.xlsx: 엑셀 통합문서가 아닙니다 (zip 압축 파일이 아닙니다)" in ko.stdout, ko.stdout
    assert "zip archive" not in ko.stdout + ko.stderr


def test_yaml_parser_messages_are_said_in_korean(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """PyYAML's English ("while parsing a flow sequence expected ',' or ']'…") was inside the
    Korean message; English mode keeps the parser's words."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: esg-questionnaire/1\nid: x\nareas: [a, b\n", encoding="utf-8")
    ko = esg("questionnaire", "check", bad, "--lang", "ko")
    assert ko.exit_code == 3
    assert "흐름 목록 [ … ]을 읽는 중에 ',' 또는 ']'이(가) 와야 하는데" in ko.stderr, ko.stderr
    assert "while parsing" not in ko.stderr
    en = esg("questionnaire", "check", bad, "--lang", "en")
    assert "while parsing a flow sequence expected ',' or ']'" in en.stderr, en.stderr
