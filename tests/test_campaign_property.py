"""Properties (SPEC §12): one answers table split into per-supplier files of any formats (.xlsx,
.csv, .ods as LibreOffice and as SheetJS write it) and scored as a folder gives the same result
as the whole table in one workbook; and reading many files in one pass (`answers.stacked`)
gives exactly what reading each file alone and merging gives, problems included."""

from __future__ import annotations

import csv
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from conftest import MINI, Runner, as_json, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esgcli.answers.inputs import (
    MergingRead,
    input_files,
    merge_reads,
    open_files,
    read_opened,
    read_opened_merged,
    read_runs,
)
from esgcli.engine.campaign import campaign_status
from esgcli.questionnaire.questionnaire import load_questionnaire

HEADER = ["협력사코드", "협력사명", "차수", "연도", "상시근로자 수", "E-1 환경 목표", "E-2 추진체계",
          "E-3 재생에너지 비율", "S-1 안전보건", "S-2 장애인 고용"]
POOLS: list[list[Any]] = [  # answers to E-1 … S-2 as people type them, blanks included
    ["예", "아니오", "yes", "N", None],
    [1, 2, 3, "보통", "Good", "해당없음", None],
    [0, 4.5, 10, "25%", 80, None],
    ["책임자", "manager; ppe", "책임자, training", "none", "보호구,training,manager", None],
    ["예", "X", "O", None],
]


def write_ods(path: Path, rows: list[list[Any]], pretty: bool = False) -> Path:
    """A minimal OpenDocument spreadsheet; ``pretty`` puts whitespace between the elements, as
    SheetJS writes them."""
    gap = "\n    " if pretty else ""

    def cell(value: Any) -> str:  # noqa: ANN401
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return (f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
                "</table:table-cell>")

    body = gap.join("<table:table-row>" + gap + gap.join(cell(v) for v in row) + gap
                    + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'{gap}<office:body>{gap}<office:spreadsheet>{gap}<table:table table:name="응답">{gap}'
        f"{body}{gap}</table:table>{gap}</office:spreadsheet>{gap}</office:body>{gap}"
        "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml"'
        ' manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in row] for row in rows])
    return path


WRITERS = {".xlsx": lambda p, rows: write_xlsx(p, rows, sheet="응답"), ".csv": write_csv,
           ".ods": write_ods, ".ods spaced": lambda p, rows: write_ods(p, rows, pretty=True)}

supplier = st.tuples(
    st.lists(st.sampled_from(["사전", "사후"]), min_size=1, max_size=2, unique=True),
    st.sampled_from([10, 55, 120]),
    st.sampled_from(sorted(WRITERS)),
    st.lists(st.tuples(*[st.sampled_from(pool) for pool in POOLS]), min_size=2, max_size=2),
)


def scored(result: Any) -> dict[str, Any]:  # noqa: ANN401
    assert result.exit_code == 0, result.stderr
    data = as_json(result)
    return {"suppliers": [{k: v for k, v in s.items() if k != "file"} for s in data["suppliers"]],
            "summary": data["summary"]}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(supplier, min_size=1, max_size=4))
def test_a_table_split_into_per_supplier_files_of_any_format_scores_as_one(
        suppliers: list[tuple[list[str], int, str, list[tuple[Any, ...]]]]) -> None:
    esg = Runner()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "replies"
        folder.mkdir()
        whole: list[list[Any]] = [HEADER]
        for i, (rounds, employees, suffix, answers) in enumerate(suppliers):
            ident = f"S{i:02d}"
            rows = [[ident, f"협력사 {i}", name, 2024, employees, *answers[k]]
                    for k, name in enumerate(rounds)]
            whole += rows
            WRITERS[suffix](folder / f"{ident}{suffix.split()[0]}", [HEADER, *rows])
        write_xlsx(Path(tmp) / "whole.xlsx", whole, sheet="응답")
        one = scored(esg("score", Path(tmp) / "whole.xlsx", "-q", MINI, "--format", "json",
                         "--detail"))
        split = scored(esg("score", folder, "-q", MINI, "--format", "json", "--detail"))
    assert split == one


EXTRA = ["비고", "extra"]  # a remarks column (silent) and an unknown one (a warning per file)
BAD_POOLS: list[list[Any]] = [pool + bad for pool, bad in zip(POOLS, [
    ["maybe"], ["4"], ["-5", "lots"], ["helmet"], ["?"]], strict=True)]
reply_file = st.tuples(
    st.lists(st.tuples(st.sampled_from(["S1", "S2", "S3", ""]), st.sampled_from(["사전", "사후"]),
                       st.sampled_from([10, 55, "many"]),
                       st.tuples(*[st.sampled_from(pool) for pool in BAD_POOLS])),
             min_size=1, max_size=3),
    st.sampled_from([".xlsx", ".csv", ".ods"]),
    st.sampled_from([0, 1, 2]),  # which header: plain, with the unknown column, with remarks
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(reply_file, min_size=2, max_size=5), st.sampled_from(["error", "latest"]),
       st.lists(st.integers(1, 3), min_size=1, max_size=5))
def test_reading_many_files_in_one_pass_is_reading_each_alone(
        replies: list[tuple[list[tuple[Any, ...]], str, int]], on_duplicate: str,
        batches: list[int]) -> None:
    """Blank ids, duplicates within a file and across files, unknown answers and columns,
    profile errors, answers that do not apply: the same records, answers and problems (every
    one naming its own file and cell) in the same order, whichever way the files are read:
    each alone, in runs, or in runs cut into batches as the files come (`MergingRead`)."""
    q = load_questionnaire(MINI)
    with tempfile.TemporaryDirectory() as tmp:
        for i, (rows, suffix, header) in enumerate(replies):
            head = HEADER + ([EXTRA[header - 1]] if header else [])
            body = [[ident, f"협력사 {ident}", rnd, 2024, employees, *answers,
                     *(["x"] if header else [])] for ident, rnd, employees, answers in rows]
            path = Path(tmp) / f"r{i}{suffix}"
            WRITERS[suffix](path, [head, *body])
            os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
        opened = open_files(input_files([tmp]))
        alone = merge_reads(read_opened(opened, q), q, on_duplicate)  # type: ignore[arg-type]
        together = read_opened_merged(opened, q, on_duplicate)  # type: ignore[arg-type]
        reading, start = MergingRead(lambda first: q), 0
        for size in [*batches, len(opened)]:
            if start < len(opened):
                reading.add(opened[start:start + size])
                start += size
        streamed = reading.merged(q, on_duplicate)  # type: ignore[arg-type]
        listed = [{"supplier_id": ident, "supplier_name": ""} for ident in ("S1", "S2", "S4")]
        for round_name in ("사전", None):  # `esg status`: file by file, or run by run
            assert campaign_status(listed, read_runs(opened, q), round_name).to_dict() == \
                campaign_status(listed, read_opened(opened, q), round_name).to_dict()
    for read in (together, streamed):
        assert read.records.to_dict("list") == alone.records.to_dict("list")
        assert [s.to_dict() for s in read.sources] == [s.to_dict() for s in alone.sources]
        assert [p.to_dict("en") for p in read.problems] == [p.to_dict("en") for p in alone.problems]
        assert [p.record for p in read.problems] == [p.record for p in alone.problems]
        for name in ("status", "points", "applicable", "cell_rows"):
            assert (getattr(read, name) == getattr(alone, name)).all(), name
        assert read.profile.equals(alone.profile)
        k = alone.status.shape[1]
        assert [read.answers.column(j).tolist() for j in range(k)] == \
            [alone.answers.column(j).tolist() for j in range(k)]
