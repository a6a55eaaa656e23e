"""Flat tables of results (one row per supplier and round) for CSV and XLSX output."""

from __future__ import annotations

from typing import Any

from .scoring import AREA_COUNTS, ScoreResult


def score_table(result: ScoreResult) -> tuple[list[str], list[list[Any]]]:
    """Header and rows with the same values as `esg score --format json` (full precision)."""
    header = ["supplier_id", "supplier_name", "round", "year", "compliance", "score", "grade"]
    for area in result.area_ids:
        header += [f"{area}.compliance", f"{area}.score"] + [f"{area}.{c}" for c in AREA_COUNTS]
    header += ["critical_failures", "missing"]
    rows: list[list[Any]] = []
    for i in range(len(result)):
        entry = result.supplier_dict(i)
        row = [entry["supplier_id"], entry["supplier_name"], entry["round"], entry["year"],
               entry["compliance"], entry["score"], entry["grade"]]
        for area in result.area_ids:
            values = entry["areas"][area]
            row += [values["compliance"], values["score"]] + [values[c] for c in AREA_COUNTS]
        row += [";".join(entry["critical_failures"]), ";".join(entry["missing"])]
        rows.append(row)
    return header, rows


def detail_table(result: ScoreResult) -> tuple[list[str], list[list[Any]]]:
    """One row per supplier, round and indicator (long form of `--detail`)."""
    header = ["supplier_id", "round", "year", "indicator", "status", "answer", "points",
              "max_points", "compliant", "missing"]
    rows: list[list[Any]] = []
    ids = result.questionnaire.indicator_ids
    for i in range(len(result)):
        rec = result.records.iloc[i]
        for j, ind in enumerate(ids):
            d = result.indicator_detail(i, j)
            rows.append([rec["supplier_id"], rec["round"], rec["year"], ind, d["status"],
                         d["answer"], d["points"], d["max_points"], d["compliant"], d["missing"]])
    return header, rows


def is_rate_column(name: str) -> bool:
    return name.endswith(("compliance", "score"))
