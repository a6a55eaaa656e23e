"""Seeded wide answer workbooks for benchmarks: N suppliers × 80 indicators (+ 6 other columns).

    python benchmarks/generate.py 100000            # writes benchmarks/data/wide-100000.xlsx

Each column holds the handful of spellings people type (예/아니오/Y/N/O/X, 1–5, checklists,
numbers, 해당없음, blanks). Two rounds (사전/사후) per supplier, so N suppliers give 2N rows when
--rounds 2 (the default is 1 row per supplier: N rows).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
QUESTIONNAIRE = HERE / "bench-80.yaml"
YES_NO = ["예", "아니오", "Y", "N", "O", "X", "yes", "no", "예", "아니오"]
LEVEL = [1, 2, 3, 4, 5, "3", "4"]
CHECK = ["a, b", "a, b, c", "none", "b;c", "a", "c, d, a", "d"]
NA = "해당없음"


def write_questionnaire(path: Path = QUESTIONNAIRE) -> Path:
    """80 indicators: 40 yes/no, 16 five-level, 12 checklists, 12 numbers; E/S/G; profile."""
    lines = [
        "format: esg-questionnaire/1", "id: bench-80", 'version: "1"',
        "title: {ko: 벤치마크 80, en: Benchmark 80}", "language: en",
        "profile:", "  - {id: employees, type: integer}", "  - {id: industry, type: string}",
        "areas:", "  - {id: E, title: Environment}", "  - {id: S, title: Social}",
        "  - {id: G, title: Governance}",
        "scales:", "  level5:", "    type: choice", "    options:",
        *[f"      - {{value: {v}, points: {v - 1}}}" for v in range(1, 6)], "    pass_points: 2",
        "  check4:", "    type: checklist", "    items:",
        *[f"      - {{value: {c}}}" for c in "abcd"], "    pass_points: 2",
        "  share:", "    type: number", "    range: [0, 100]",
        "    points: [{min: 50, points: 2}, {min: 20, points: 1}]", "    pass_points: 1",
        "grades:", "  bands: [{grade: A, min: 80}, {grade: B, min: 50}, {grade: C, min: 0}]",
        "indicators:",
    ]
    for j in range(80):
        area = "ESG"[j % 3]
        scale = "yes_no" if j < 40 else "level5" if j < 56 else "check4" if j < 68 else "share"
        extra = ", na_allowed: true" if j % 7 == 0 else ""
        extra += ", critical: true" if j % 19 == 0 else ""
        if j % 11 == 5:
            extra += ", applies_if: {field: employees, op: '>=', value: 50}"
        lines.append(f"  - {{id: {area}-{j:02d}, area: {area}, title: Indicator {j}, "
                     f"scale: {scale}{extra}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def column_values(j: int, n: int, rng: np.random.Generator) -> list[object]:
    pool: list[object] = YES_NO if j < 40 else LEVEL if j < 56 else CHECK if j < 68 else [
        0, 5.5, 12, 20, 35.5, 50, 75, "25%", "60%"]
    values = list(rng.choice(np.array(pool, dtype=object), size=n))
    blanks = rng.random(n)
    for i in np.flatnonzero(blanks < 0.01):
        values[i] = None
    if j % 7 == 0:
        for i in np.flatnonzero(blanks > 0.97):
            values[i] = NA
    return [v.item() if hasattr(v, "item") else v for v in values]


def rows(n: int, seed: int = 7) -> list[list[object]]:
    """The benchmark sheet's cells, row by row: a title row, the header row, ``n`` answer rows
    (None for an empty cell). Every producer's twin (`twins.py`) writes exactly these."""
    write_questionnaire()
    rng = np.random.default_rng(seed)
    columns = [column_values(j, n, rng) for j in range(80)]
    employees = rng.integers(5, 900, size=n)
    industries = rng.choice(["manufacturing", "services", "it", "construction"], size=n)
    rounds = np.where(np.arange(n) % 2 == 0, "사전", "사후")
    header = ["supplier_id", "supplier_name", "round", "year", "employees", "industry"]
    header += [f"{'ESG'[j % 3]}-{j:02d} Indicator {j}" for j in range(80)]
    out: list[list[object]] = [["benchmark answers"], header]
    for i in range(n):
        row: list[object] = [f"S{i // 2:06d}", f"Supplier {i // 2}", str(rounds[i]), 2024,
                             int(employees[i // 2 * 2]), str(industries[i // 2 * 2])]
        row += [columns[j][i] for j in range(80)]
        out.append(row)
    return out


def generate(n: int, out: Path | None = None, seed: int = 7, shared_strings: bool = False) -> Path:
    """Inline strings (xlsxwriter's constant-memory mode), or a shared-string table as Excel
    and LibreOffice write it (same cells; smaller sheet XML, so a faster raw read)."""
    import xlsxwriter

    out = out or HERE / "data" / (f"wide-{n}-sst.xlsx" if shared_strings else f"wide-{n}.xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(out), {"constant_memory": not shared_strings})
    sheet = book.add_worksheet("answers")
    for r, row in enumerate(rows(n, seed)):
        sheet.write_row(r, 0, row)
    book.close()
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--shared-strings", action="store_true",
                        help="write a shared-string table, as Excel does")
    args = parser.parse_args()
    print(generate(args.n, args.output, shared_strings=args.shared_strings))
