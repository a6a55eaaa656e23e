"""The per-supplier lines of `esg score` and `esg improve` (JSON, CSV), built column by column in Arrow.

Identical to encoding `ScoreResult.to_dict()` with `output.to_json`, and to `output.csv_text`
of `tables.score_table` (both tested byte for byte), but each field is formatted once per
distinct value in Python and the lines are assembled by Arrow's string kernels in C, on a
thread per core. At 100,000 suppliers this takes a fraction of a second; the records never
exist as Python dicts or as one huge Python string: the result is a list of UTF-8 buffers,
written as they are.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

import numpy as np

from esgcli.outputs.files import csv_cell, csv_text, to_json

if TYPE_CHECKING:
    from esgcli.engine.improvement import Improvement
    from esgcli.engine.scoring import ScoreResult

Pieces = list[bytes | memoryview]
_MARK = "\x00records\x00"
EMPTY_OBJECT = object()  # a column whose every value is {}


class _Style:
    """How one output format writes a text, a number, an integer and a list of ids."""

    def __init__(self, text: Callable[[Any], str], number: Callable[[float], str],
                 id_item: Callable[[str], str], id_sep: str, id_wrap: tuple[str, str]):
        self.text, self.number, self.id_item = text, number, id_item
        self.id_sep, self.id_wrap = id_sep, id_wrap


JSON = _Style(text=lambda v: "null" if v is None else encode_basestring(v),
              number=lambda u: "null" if u != u else float.__repr__(u),
              id_item=encode_basestring, id_sep=", ", id_wrap=("[", "]"))


def _csv_field(value: Any) -> str:
    """One CSV field exactly as `output.csv_text` writes it inside a row."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([csv_cell(value), ""])
    return buffer.getvalue()[:-2]


CSV = _Style(text=_csv_field, number=lambda u: "" if math.isnan(u) else float.__repr__(u),
             id_item=str, id_sep=";", id_wrap=("", ""))


def score_json_parts(result: ScoreResult, detail: bool = False) -> Pieces:
    """The JSON text as UTF-8 pieces: head, the supplier records, tail; with ``detail``, every
    indicator of every record too (`to_dict(detail=True)`)."""
    columns = [(_path(name), column) for name, column in _columns(result, JSON)]
    columns.insert(4, (("file",), _texts(result.files(), JSON)))
    if not result.area_ids:
        columns.insert(-2, (("areas",), EMPTY_OBJECT))
    if detail:
        columns += _indicator_columns(result)
    return _document(result.to_dict(suppliers=False), columns, len(result))


def _indicator_columns(result: ScoreResult) -> list[tuple[tuple[str, ...], Any]]:
    """("indicators", id, field) columns as `ScoreResult.indicator_detail` writes them."""
    from esgcli.engine.scoring import DETAIL_STATUSES

    q = result.questionnaire
    if not q.indicator_ids:
        return [(("indicators",), EMPTY_OBJECT)]
    statuses = [JSON.text(s) for s in DETAIL_STATUSES]
    columns: list[tuple[tuple[str, ...], Any]] = []
    for j, ident in enumerate(q.indicator_ids):
        counted = result.counted[:, j]
        columns += [
            (("indicators", ident, "status"), _take(statuses, result.status_codes[:, j])),
            (("indicators", ident, "answer"),
             _take([JSON.text(v) for v in result.answers.lookups[j].tolist()],
                   result.answers.codes[:, j])),
            (("indicators", ident, "points"),
             _by_value(np.where(counted, result.points[:, j], np.nan), JSON.number)),
            (("indicators", ident, "max_points"), float.__repr__(float(q.matchers[ident].max_points))),
            (("indicators", ident, "compliant"), _flags(result.compliant[:, j], counted, JSON)),
            (("indicators", ident, "missing"), _flags(result.missing[:, j], None, JSON)),
        ]
    return columns


def improvement_json_parts(improvement: Improvement) -> Pieces:
    """`esg improve --format json` as UTF-8 pieces (equal to `to_json(improvement.to_dict())`)."""
    after = improvement.after
    columns: list[tuple[tuple[str, ...], Any]] = [
        (("supplier_id",), _texts(after.records["supplier_id"].tolist(), JSON)),
        (("supplier_name",), _texts(improvement.supplier_names(), JSON)),
        (("file",), _texts(after.files(), JSON)),
        (("file_before",), _texts(improvement.before.files(), JSON))]
    columns += [(path + (field,), _by_value(values, JSON.number))
                for path, changes in improvement.supplier_changes()
                for field, values in changes.items()]
    if not improvement.area_ids:
        columns.append((("areas",), EMPTY_OBJECT))
    return _document(improvement.to_dict(suppliers=False), columns, len(after))


def _document(data: dict[str, Any], columns: list[tuple[tuple[str, ...], Any]], n: int) -> Pieces:
    """``data`` (whose "suppliers" is empty) as `to_json` writes it, with one record per line
    built from ``columns`` in place of the suppliers."""
    if not n:
        return [to_json(data).encode()]
    head, tail = to_json(data, prepared={"suppliers": [_MARK]}).encode().split(
        b"    " + _MARK.encode())
    lines = _joined_lines(_nested_parts(columns), n)
    lines[-1] = lines[-1][:-2]  # no ",\n" after the last record
    return [head, *lines, tail]


def _path(name: str) -> tuple[str, ...]:
    """`E.compliance` (a column of `tables.score_table`) -> ("areas", "E", "compliance")."""
    owner, _, field = name.rpartition(".")
    return ("areas", owner, field) if owner else (field,)


def score_csv_parts(result: ScoreResult) -> Pieces:
    """`tables.score_table` as CSV pieces. The `;`-joined id lists need no quoting: indicator ids
    are `[A-Z][A-Za-z0-9_.-]*` (models.Indicator)."""
    from esgcli.outputs.tables import score_header

    head = csv_text(score_header(result), []).encode()
    if not len(result):
        return [head]
    return [head, *_csv_lines([column for _, column in _columns(result, CSV)], len(result))]


def detail_csv_parts(result: ScoreResult) -> Pieces:
    """`tables.detail_table` (one row per record and indicator) as CSV pieces."""
    import pyarrow as pa

    from esgcli.engine.scoring import DETAIL_STATUSES
    from esgcli.outputs.tables import DETAIL_HEADER

    head = csv_text(DETAIL_HEADER, []).encode()
    n, k = result.status.shape
    if not n or not k:
        return [head]
    q, records = result.questionnaire, result.records
    row_of = pa.array(np.repeat(np.arange(n), k))  # record of each output line
    column_of = pa.array(np.tile(np.arange(k), n))  # indicator of each output line
    answer_texts: list[str] = []
    answer_codes = np.empty((n, k), dtype=np.int64)  # into answer_texts, all columns in one
    for j, lookup in enumerate(result.answers.lookups):
        codes = result.answers.codes[:, j]
        answer_codes[:, j] = np.where(codes < 0, len(lookup) - 1, codes) + len(answer_texts)
        answer_texts += [CSV.text(v) for v in lookup.tolist()]
    counted = result.counted.reshape(-1)
    fields = [
        _texts(records["supplier_id"].tolist(), CSV).take(row_of),
        _texts(records["round"].tolist(), CSV).take(row_of),
        _by_value(_years(records), lambda y: "" if y < 0 else str(y)).take(row_of),
        pa.array([CSV.text(i) for i in q.indicator_ids]).take(column_of),
        _take(list(DETAIL_STATUSES), result.status_codes.reshape(-1)),
        _take(answer_texts, answer_codes.reshape(-1)),
        _by_value(np.where(counted, result.points.reshape(-1), np.nan), CSV.number),
        pa.array([float.__repr__(float(q.matchers[i].max_points)) for i in q.indicator_ids])
        .take(column_of),
        _flags(result.compliant.reshape(-1), counted, CSV),
        _flags(result.missing.reshape(-1), None, CSV),
    ]
    return [head, *_csv_lines(fields, n * k)]


def _columns(result: ScoreResult, style: _Style) -> list[tuple[str, Any]]:
    """(field name, Arrow string column) in the order of `tables.score_table`; a name
    `AREA.field` belongs to an area."""
    from esgcli.engine.scoring import AREA_COUNTS

    records = result.records
    ids = result.questionnaire.indicator_ids
    columns = [
        ("supplier_id", _texts(records["supplier_id"].tolist(), style)),
        ("supplier_name", _texts([x or None for x in records["supplier_name"].tolist()], style)),
        ("round", _texts(records["round"].tolist(), style)),
        ("year", _by_value(_years(records), lambda y: style.text(None) if y < 0 else str(y))),
        ("compliance", _by_value(result.compliance, style.number)),
        ("score", _by_value(result.score, style.number)),
        ("grade", _texts(result.grade.tolist(), style)),
    ]
    for a, area in enumerate(result.area_ids):
        columns += [(f"{area}.compliance", _by_value(result.area_compliance[:, a], style.number)),
                    (f"{area}.score", _by_value(result.area_score[:, a], style.number))]
        columns += [(f"{area}.{name}", _by_value(result.area_counts[name][:, a], str))
                    for name in AREA_COUNTS]
    columns += [("critical_failures", _id_lists(result.critical_failed, ids, style)),
                ("missing", _id_lists(result.missing, ids, style))]
    return columns


def _nested_parts(columns: list[tuple[tuple[str, ...], Any]]) -> list[Any]:
    """Literal texts and columns that, joined, are each record's JSON line; a column's path
    names the nested objects it sits in, as `json` writes them (", " and ": ")."""
    parts: list[Any] = []

    def literal(text: str) -> None:
        if parts and isinstance(parts[-1], str):
            parts[-1] += text
        else:
            parts.append(text)

    literal("    {")
    open_path: tuple[str, ...] = ()
    comma = False
    for path, column in columns:
        parent = path[:-1]
        common = 0
        while common < min(len(open_path), len(parent)) and open_path[common] == parent[common]:
            common += 1
        while len(open_path) > common:
            literal("}")
            open_path, comma = open_path[:-1], True
        while len(open_path) < len(parent):
            literal((", " if comma else "") + encode_basestring(parent[len(open_path)]) + ": {")
            open_path, comma = parent[:len(open_path) + 1], False
        literal((", " if comma else "") + encode_basestring(path[-1]) + ": ")
        if column is EMPTY_OBJECT:
            literal("{}")
        elif isinstance(column, str):  # the same text in every record
            literal(column)
        else:
            parts.append(column)
        comma = True
    literal("}" * len(open_path) + "},\n")
    return parts


def _years(records: Any) -> np.ndarray:
    """The records' years as integers, -1 where there is none."""
    return np.array([-1 if y is None or y != y else int(y) for y in records["year"].tolist()])


def _csv_lines(fields: list[Any], n: int) -> list[memoryview]:
    """``n`` CSV lines whose fields are the Arrow string columns ``fields``."""
    parts: list[Any] = []
    for f, column in enumerate(fields):
        parts += [",", column] if f else [column]
    return _joined_lines([*parts, "\n"], n)


def _joined_lines(parts: list[Any], n: int) -> list[memoryview]:
    """The lines in UTF-8 buffers, joined by Arrow on every core (it drops the GIL)."""
    from esgcli.base.parallel import row_blocks, run, thread_count

    threads = thread_count(n, 20_000)
    return run(lambda rows: _join(parts, rows.start, rows.stop), row_blocks(n, threads), threads)


def _join(parts: list[Any], start: int, stop: int) -> memoryview:
    import pyarrow as pa
    import pyarrow.compute as pc

    lines = pc.binary_join_element_wise(
        *[pa.scalar(p, pa.string()) if isinstance(p, str) else p.slice(start, stop - start)
          for p in parts], "")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset:lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[int(offsets[0]):int(offsets[-1])]


_JSON_ESCAPED = r'[\x00-\x1f"\\]'  # what `encode_basestring` escapes: controls, quote, backslash
PLAIN_FROM = 64  # from this many distinct texts, JSON strings are quoted by Arrow at once


def _texts(values: list[Any], style: _Style) -> Any:
    """Texts (None for null), formatted once per distinct value."""
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    distinct = uniques.tolist()
    if style is JSON and len(distinct) >= PLAIN_FROM:
        quoted = _json_strings(distinct)
        if quoted is not None:
            return _take_arrow(quoted, codes)
    return _take([style.text(u) for u in distinct] + [style.text(None)], codes)


def _json_strings(distinct: list[Any]) -> Any:
    """`encode_basestring` of each text, then "null", as one Arrow array: texts with nothing to
    escape (ids, names: nearly all) quoted by Arrow, the others by Python; None when some value
    is no text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        texts = pa.array(distinct, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    escaped = pc.match_substring_regex(texts, _JSON_ESCAPED)
    quoted = pc.binary_join_element_wise('"', texts, '"', "")
    if pc.any(escaped).as_py():
        mask = escaped.to_numpy(zero_copy_only=False)
        others = [encode_basestring(distinct[i]) for i in np.flatnonzero(mask).tolist()]
        quoted = pc.replace_with_mask(quoted, escaped, pa.array(others, pa.string()))
    return pa.concat_arrays([quoted, pa.array([JSON.text(None)], pa.string())])


def _take(texts: list[str], codes: np.ndarray) -> Any:
    """``texts[code]`` for every code, code -1 meaning the last text (as in `coded.Coded`)."""
    import pyarrow as pa

    return _take_arrow(pa.array(texts, pa.string()), codes)


def _take_arrow(texts: Any, codes: np.ndarray) -> Any:  # noqa: ANN401 - an Arrow array
    """``texts[code]`` for every code, code -1 meaning the last text."""
    import pyarrow as pa

    return texts.take(pa.array(np.where(codes < 0, len(texts) - 1, codes)))


def _flags(values: np.ndarray, known: np.ndarray | None, style: _Style) -> Any:
    """true/false, or the style's null where ``known`` is False."""
    codes = values.astype(np.int8) if known is None else np.where(known, values, 2).astype(np.int8)
    return _take(["false", "true", style.text(None)], codes)


def _by_value(values: np.ndarray, text: Callable[[Any], str]) -> Any:
    """``text(v)`` for every value, formatted once per distinct value. Hashed, not sorted
    (np.unique sorted 100,000 rates: ~3× the time); ``+ 0`` makes -0.0 the 0.0 it equals, and
    every NaN is one value, so each distinct value has one text."""
    import pandas as pd
    import pyarrow as pa

    codes, uniques = pd.factorize(values + values.dtype.type(0), use_na_sentinel=False)
    texts = pa.array([text(u) for u in uniques.tolist()], pa.string())
    return texts.take(pa.array(codes))


def _id_lists(mask: np.ndarray, ids: list[str], style: _Style) -> Any:
    """Per row, the ids of the columns where ``mask`` is True, as one field."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # (one flat search and a division: np.nonzero of a 100,000 × 80 mask took twice as long)
    rows, cols = np.divmod(np.flatnonzero(mask), mask.shape[1]) if mask.shape[1] \
        else np.nonzero(mask)
    empty = "".join(style.id_wrap)
    if not rows.size:
        return pa.array([empty] * mask.shape[0], pa.string())
    offsets = np.zeros(mask.shape[0] + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=mask.shape[0]), out=offsets[1:])
    items = pa.array([style.id_item(i) for i in ids], pa.string()).take(pa.array(cols))
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), items), style.id_sep)
    if not any(style.id_wrap):
        return joined
    return pc.binary_join_element_wise(pa.scalar(style.id_wrap[0]), joined,
                                       pa.scalar(style.id_wrap[1]), "")
