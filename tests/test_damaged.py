"""A damaged workbook (a bad checksum, a compression method Python cannot unpack, an entity
declared in workbook.xml) is a located error, exit 3 (WB-002), on every read path: it was a
traceback and exit 1 where the sheet was scanned before the read (the hostile-input probe's D)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from conftest import MINI, write_xlsx
from test_fast_read import _validate_as_big

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["supplier_id", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]


def _answers(path: Path) -> Path:
    return write_xlsx(path, [HEADER] + [[f"S{i:03d}", "사전", 10, "yes", 1, 5, "none", None]
                                        for i in range(300)])


def _patch_member(path: Path, member: str, local_offset: int, central_offset: int,
                  fmt: str, value: int) -> Path:
    """Overwrite one field of ``member``'s local header and central directory entry."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into(fmt, data, info.header_offset + local_offset, value)
    central = data.rfind(b"PK\x01\x02" + data[info.header_offset + 4:info.header_offset + 6])
    name = member.encode()
    at = data.find(b"PK\x01\x02", 0)
    while at >= 0:
        size = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + size] == name:
            central = at
            break
        at = data.find(b"PK\x01\x02", at + 4)
    struct.pack_into(fmt, data, central + central_offset, value)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("path_taken", ["whole", "parts"])
@pytest.mark.parametrize("damage", ["checksum", "deflate64"])
def test_a_damaged_big_sheet_is_a_located_error(esg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                                path_taken: str, damage: str) -> None:
    path = _answers(tmp_path / "d.xlsx")
    if damage == "checksum":
        _patch_member(path, SHEET, 14, 16, "<I", 0x12345678)
    else:
        _patch_member(path, SHEET, 8, 10, "<H", 9)
    result = _validate_as_big(esg, path, monkeypatch, path_taken)
    assert result.exit_code == 3, result.stdout
    assert "WB-002 d.xlsx: not a workbook" in result.stdout, result.stdout


def test_an_entity_declared_in_the_workbook_part_is_a_located_error(esg, tmp_path: Path) -> None:  # noqa: ANN001
    source = _answers(tmp_path / "src.xlsx")
    target = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"<workbook ", b'<!DOCTYPE workbook [<!ENTITY e "x">]><workbook ', 1)
            new.writestr(item, data)
    result = esg("validate", target, "-q", MINI, "--lang", "en")
    assert result.exit_code == 3, result.stdout
    assert "WB-002 dtd.xlsx" in result.stdout
