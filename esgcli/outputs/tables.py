"""Flat tables of results (one row per supplier and round) for CSV and XLSX output."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any

from esgcli.base.labels import LABELS, label
from esgcli.engine.explain import answer_read
from esgcli.engine.scoring import AREA_COUNTS, ScoreResult
from esgcli.outputs.xlsx_writer import Flag
from esgcli.questionnaire.applicability import condition_text
from esgcli.questionnaire.questionnaire import Questionnaire


def score_header(result: ScoreResult) -> list[str]:
    header = ["supplier_id", "supplier_name", "round", "year", "compliance", "score", "grade"]
    for area in result.area_ids:
        header += [f"{area}.compliance", f"{area}.score"] + [f"{area}.{c}" for c in AREA_COUNTS]
    return header + ["critical_failures", "missing"]


def score_table(result: ScoreResult) -> tuple[list[str], list[list[Any]]]:
    """Header and rows with the same values as `esg score --format json` (full precision)."""
    header = score_header(result)
    rows: list[list[Any]] = []
    for entry in result.supplier_dicts():
        row = [entry["supplier_id"], entry["supplier_name"], entry["round"], entry["year"],
               entry["compliance"], entry["score"], entry["grade"]]
        for area in result.area_ids:
            values = entry["areas"][area]
            row += [values["compliance"], values["score"]] + [values[c] for c in AREA_COUNTS]
        row += [";".join(entry["critical_failures"]), ";".join(entry["missing"])]
        rows.append(row)
    return header, rows


DETAIL_HEADER = ["supplier_id", "round", "year", "indicator", "status", "answer", "points",
                 "max_points", "compliant", "missing"]


def detail_table(result: ScoreResult, lang: str | None = None) -> tuple[list[str], list[list[Any]]]:
    """One row per supplier, round and indicator (long form of `--detail`); with ``lang``, the
    answers as the reader reads them in that language (`예`, not the stored `yes`: the sheet of
    `-o FILE.xlsx`), else as stored (JSON, CSV)."""
    header = list(DETAIL_HEADER)
    rows: list[list[Any]] = []
    q = result.questionnaire
    ids = q.indicator_ids
    for i in range(len(result)):
        rec = result.records.iloc[i]
        for j, ind in enumerate(ids):
            d = result.indicator_detail(i, j)
            answer = d["answer"] if lang is None else answer_read(q.matchers[ind], d, lang)
            rows.append([rec["supplier_id"], rec["round"], rec["year"], ind, d["status"],
                         answer, d["points"], d["max_points"], d["compliant"], d["missing"]])
    return header, rows


def is_rate_column(name: str) -> bool:
    return name.endswith(("compliance", "score"))


def improvement_tables(data: dict[str, Any], titles: Mapping[str, str] | None = None
                       ) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Sheets of `esg improve -o FILE.xlsx`: cohort, suppliers, indicators, unpaired, grades;
    the indicators titled by ``titles`` (in the run's language) where given, else as in JSON."""
    keys = ("mean_before", "mean_after", "delta_pp", "relative_pct", "n")
    cohort_rows = [["overall", m, *[data["cohort"][m][k] for k in keys]]
                   for m in ("compliance", "score")]
    for area, values in data["cohort"]["areas"].items():
        cohort_rows += [[area, m, *[values[m][k] for k in keys]] for m in ("compliance", "score")]
    areas = list(data["cohort"]["areas"])
    parts = ("before", "after", "delta_pp", "relative_pct")
    header = ["supplier_id", "supplier_name"]
    header += [f"{m}.{p}" for m in ("compliance", "score") for p in parts]
    header += [f"{a}.{m}.{p}" for a in areas for m in ("compliance", "score") for p in parts]
    supplier_rows = []
    for s in data["suppliers"]:
        row = [s["supplier_id"], s["supplier_name"]]
        row += [s[m][p] for m in ("compliance", "score") for p in parts]
        row += [s["areas"][a][m][p] for a in areas for m in ("compliance", "score") for p in parts]
        supplier_rows.append(row)
    ind_keys = ["indicator", "area", "title", "counted_both", "compliant_before_pct",
                "compliant_after_pct", "delta_pp", "became_compliant", "regressed",
                "stayed_compliant", "stayed_non_compliant", "definition_changed"]
    sheets = [
        ("cohort", ["scope", "metric", *keys], cohort_rows),
        ("suppliers", header, supplier_rows),
        ("indicators", ind_keys, [[(titles or {}).get(r["indicator"], r[k]) if k == "title" else r[k]
                                   for k in ind_keys] for r in data["indicators"]]),
        ("unpaired", ["supplier_id", "only_in"],
         [[s, "before"] for s in data["only_before"]] + [[s, "after"] for s in data["only_after"]]),
    ]
    if data.get("grades"):
        grades = data["grades"]
        sheets.append(("grades", ["grade", "before", "before_pct", "after", "after_pct"],
                       [[g, grades["before"][g]["count"], grades["before"][g]["share_pct"],
                         grades["after"][g]["count"], grades["after"][g]["share_pct"]]
                        for g in grades["before"]]))
    return sheets


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def column_title(key: str, lang: str) -> str:
    """A result column's header in ``lang``, word by word from its key (the JSON key path, as in
    CSV): `E.compliance` is `E 준수율` in Korean and `E compliance` in English."""
    parts = key.split(".")
    if not any(f"column.{w}" in LABELS for w in parts):
        return key  # not one of our column keys: shown as it is
    text = label("column.sep", lang).join(label(f"column.{w}", lang) if f"column.{w}" in LABELS
                                          else w for w in parts)
    return text[:1].upper() + text[1:]


def localised_sheets(sheets: Sequence[Sheet], lang: str, percent_columns: Callable[[str], bool],
                     flags: Collection[str] = ()) -> tuple[list[Sheet], Callable[[str], bool]]:
    """Result sheets for `-o FILE.xlsx` with sheet names and headers in ``lang`` (#12 item 11),
    and ``percent_columns`` asked about the column keys behind them. The true/false values of
    the columns named in ``flags`` are shown as 예/아니오 (Yes/No) and kept as 1/0 (a Flag), so
    that a filter lists the words and a sum still counts; coded values with a label
    (`value.<column>.<value>`, e.g. a status `counted`) are shown in words."""
    keys: dict[str, str] = {}
    return _localise(sheets, lang, flags, keys), lambda name: percent_columns(keys.get(name, name))


def lazy_localised_sheets(build: Callable[[], Sequence[Sheet]], lang: str,
                          percent_columns: Callable[[str], bool], flags: Collection[str] = ()
                          ) -> tuple[Callable[[], list[Sheet]], Callable[[str], bool]]:
    """:func:`localised_sheets` of the sheets ``build`` makes, built only when asked for (a JSON
    run never builds its tables); the percent test answers about the headers built."""
    keys: dict[str, str] = {}
    return (lambda: _localise(build(), lang, flags, keys),
            lambda name: percent_columns(keys.get(name, name)))


def _localise(sheets: Sequence[Sheet], lang: str, flags: Collection[str], keys: dict[str, str]
              ) -> list[Sheet]:
    """The sheets in ``lang``; ``keys`` gets each shown header's column key."""
    shown: list[Sheet] = []
    yes, no = label("column.flag_yes", lang), label("column.flag_no", lang)
    for title, header, rows in sheets:
        titles = [column_title(str(k), lang) for k in header]
        keys.update(zip(titles, (str(k) for k in header), strict=True))
        name = label(f"sheet.{title}", lang) if f"sheet.{title}" in LABELS else title
        shown_as: dict[int, Callable[[Any], Any]] = {}
        for j, key in enumerate(header):
            words = {k.rsplit(".", 1)[1]: label(k, lang) for k in LABELS
                     if k.startswith(f"value.{key}.")}
            if key in flags:
                shown_as[j] = partial(_flag, yes=yes, no=no)
            elif words:
                shown_as[j] = partial(_word, words=words)
        shown.append((name, titles, _shown(rows, shown_as) if shown_as else rows))
    return shown


def _flag(value: Any, yes: str, no: str) -> Any:
    return Flag(value, yes, no) if isinstance(value, bool) else value


def _word(value: Any, words: dict[str, str]) -> Any:
    return words.get(value, value) if isinstance(value, str) else value


def _shown(rows: Iterable[Sequence[Any]], shown_as: dict[int, Callable[[Any], Any]]
           ) -> Iterator[Sequence[Any]]:
    for row in rows:
        out = list(row)
        for j, show in shown_as.items():
            out[j] = show(out[j])
        yield out


def questionnaire_dict(q: Questionnaire) -> dict[str, Any]:
    """The questionnaire as data, with each indicator's resolved scale, max and pass points."""
    from esgcli.questionnaire.questionnaire import scale_of

    indicators = []
    for ind in q.indicators:
        matcher = q.matchers[ind.id]
        scale = scale_of(q.model, ind)
        indicators.append({
            "id": ind.id, "area": ind.area,
            "category": ind.category.model_dump() if ind.category else None,
            "title": ind.title.model_dump(),
            "question": ind.question.model_dump() if ind.question else None,
            "scale": ind.scale, "type": matcher.kind,
            "answer": scale.model_dump(mode="json") if scale is not None else None,
            "max_points": matcher.max_points, "pass_points": matcher.pass_points,
            "weight": ind.weight, "critical": ind.critical, "na_allowed": ind.na_allowed,
            "applies_if": condition_text(ind.applies_if) if ind.applies_if else None,
        })
    return {
        **q.to_ref(), "title": q.model.title.model_dump(), "language": q.language,
        "missing": q.model.missing, "path": str(q.path) if q.path else None,
        "profile": [p.model_dump(mode="json") for p in q.model.profile],
        "areas": [a.model_dump(mode="json") for a in q.areas],
        "grades": q.model.grades.model_dump(mode="json") if q.model.grades else None,
        "indicators": indicators,
    }
