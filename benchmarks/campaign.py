"""A collection campaign's folder of replies (SPEC §12): `esg score DIR` on 1,000 and 10,000
filled per-supplier workbooks, side by side with a bare python-calamine read of the same files.

    python benchmarks/campaign.py                       # 1,000 and 10,000 files
    python benchmarks/campaign.py --sizes 1000 --runs 3 --json campaign.json
    python benchmarks/campaign.py --quick               # a smoke run (the test suite uses it)

The workbooks are those `esg template --per-supplier` writes for `bench-80.yaml` (two rounds,
year 2024), filled with seeded answers by openpyxl, as a supplier's spreadsheet would save them.
Writing 10,000 through openpyxl takes the better part of an hour, so `MODELS` suppliers are
written and filled for real and every other supplier's file is a copy of one of them with the
supplier's own id and name put in place of the model's: byte for byte the workbook the
template and a fill would give, apart from those two strings. Generated once into
`benchmarks/data/campaign-N/`.

Each command is its own process (interpreter start-up included). The floor walks the folder
and reads every cell of each file's first sheet with python-calamine, in one process; `esg
score DIR --format json` does everything an operator gets. The target (SPEC §12) is ≤ 2× the
floor at 1,000 files. `--hostile` adds a zip bomb, an entity bomb and a file that is no workbook
to the folder and times `esg status` (which reports unreadable files instead of stopping).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import CHECK, LEVEL, NA, QUESTIONNAIRE, YES_NO  # noqa: E402
from run import esg_exe, measure  # noqa: E402

MODELS = 8  # suppliers written by `esg template --per-supplier` and filled by openpyxl
ROUNDS = ("사전", "사후")
FLOOR = """\
import os, sys
from python_calamine import CalamineWorkbook
cells = 0
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith('.xlsx'):
            rows = CalamineWorkbook.from_path(os.path.join(root, name)).get_sheet_by_index(0).to_python()
            cells += sum(map(len, rows))
print(cells)
"""


def model_id(i: int) -> str:
    return f"QQ{i:02d}ZZID"  # placeholders that occur nowhere else in a workbook


def model_name(i: int) -> str:
    return f"QQ{i:02d}ZZNAME"


def answer(j: int, rng: np.random.Generator) -> object:
    """A seeded answer to indicator `j` of bench-80 (the spellings generate.py uses)."""
    if rng.random() < 0.01:
        return None
    if j % 7 == 0 and rng.random() < 0.05:
        return NA
    pool: list[object] = (YES_NO if j < 40 else LEVEL if j < 56 else CHECK if j < 68
                          else [0, 5, 12.5, 20, 35, 50, 80, "25%", "60%"])
    return pool[int(rng.integers(len(pool)))]


def write_models(folder: Path, seed: int = 11) -> list[Path]:
    """`esg template --per-supplier` for MODELS suppliers, each filled like a supplier would."""
    from openpyxl import load_workbook

    listing = folder / "models.csv"
    listing.write_text("supplier_id,supplier_name,employees,industry\n" + "".join(
        f"{model_id(i)},{model_name(i)},{[12, 80, 300, 45][i % 4]},manufacturing\n"
        for i in range(MODELS)), encoding="utf-8")
    out = folder / "models"
    subprocess.run([*esg_exe(), "template", "-q", str(QUESTIONNAIRE), "--suppliers", str(listing),
                    "--per-supplier", "-o", str(out), "--rounds", ",".join(ROUNDS),
                    "--year", "2024", "--lang", "ko"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(MODELS):
        path = next(out.glob(f"{model_id(i)}_*.xlsx"))
        book = load_workbook(path)
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[3]]
        first = next(k for k, h in enumerate(header) if str(h).startswith("E-00"))
        for row in sheet.iter_rows(min_row=4, max_row=3 + len(ROUNDS)):
            for j in range(80):
                value = answer(j, rng)
                if value is not None:
                    row[first + j].value = value
        book.save(path)
        paths.append(path)
    return paths


def clone(model: bytes, i: int, ident: str, name: str) -> bytes:
    """The filled model workbook with supplier `ident`/`name` in its strings (inline in the
    sheet, as openpyxl writes them, or in the shared strings)."""
    source = zipfile.ZipFile(io.BytesIO(model))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith(("xl/worksheets/", "xl/sharedStrings")):
                data = (data.replace(f">{model_id(i)}<".encode(), f">{ident}<".encode())
                        .replace(f">{model_name(i)}<".encode(), f">{name}<".encode()))
            target.writestr(info, data)
    return buffer.getvalue()


def generate_campaign(n: int, out: Path | None = None) -> Path:
    """`n` filled per-supplier workbooks in benchmarks/data/campaign-N/replies (once)."""
    out = out or HERE / "data" / f"campaign-{n}"
    replies = out / "replies"
    if (out / "done").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    replies.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        models = [p.read_bytes() for p in write_models(Path(tmp))]
    rows = ["supplier_id,supplier_name"]
    for s in range(n):
        ident, name = f"S{s:05d}", f"협력사{s:05d}"
        (replies / f"{ident}_{name}.xlsx").write_bytes(clone(models[s % MODELS], s % MODELS,
                                                             ident, name))
        rows.append(f"{ident},{name}")
    (out / "suppliers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (out / "done").write_text("")
    return out


BOMB_DTD = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i + 1, b"&lol%d;" % i * 10 if i else b"&lol;" * 10)
                       for i in range(9)) + b"]>")


def add_hostile(folder: Path) -> list[Path]:
    """Three hostile replies among the others, each made from a real one: a zip bomb (80 MB of
    zeros compressed to 80 kB), an entity bomb (billion laughs in the answers sheet) and a
    file that is no workbook (a scan sent as .xlsx)."""
    real = min(folder.glob("*.xlsx"))
    model = real.read_bytes()
    bomb = io.BytesIO(model)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/huge.bin", b"\0" * (80 * 1024**2))
    source = zipfile.ZipFile(io.BytesIO(model))
    laughs = io.BytesIO()
    with zipfile.ZipFile(laughs, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":  # the answers, strings inline
                head, rest = (data.split(b"?>", 1) if data.startswith(b"<?xml") else (b"", data))
                head += b"?>" if head else b""
                data = head + BOMB_DTD + rest.replace(b"<t>", b"<t>&lol9;", 1)
            target.writestr(info, data)
    files = {"Z0001_zip_bomb.xlsx": bomb.getvalue(), "Z0002_entity_bomb.xlsx": laughs.getvalue(),
             "Z0003_scan.xlsx": b"%PDF-1.4 a scanned reply\n" * 1000}
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def run(sizes: list[int], runs: int, hostile: bool, out: Path | None) -> dict[str, object]:
    results: dict[str, object] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                              "platform": platform.platform()}, "sizes": {}}
    print(f"{'files':>7} {'command':<40} {'median s':>9} {'min–max':>13} {'files/s':>8} {'peak MB':>8}")
    for n in sizes:
        folder = generate_campaign(n)
        replies = folder / "replies"
        commands = {
            "floor: python-calamine read": [sys.executable, "-c", FLOOR, str(replies)],
            "esg score DIR --format json": [*esg_exe(), "score", str(replies), "-q",
                                            str(QUESTIONNAIRE), "--format", "json"],
        }
        measured: dict[str, dict[str, float]] = {}
        for _ in range(runs):  # alternate, so that both see the same load
            for label, cmd in commands.items():
                m = measure(cmd, 1)
                prev = measured.setdefault(label, {"times": [], "peak_mb": 0.0})  # type: ignore[dict-item]
                prev["times"].append(m["median"])  # type: ignore[union-attr]
                prev["peak_mb"] = max(prev["peak_mb"], m["peak_mb"])  # type: ignore[type-var]
        size: dict[str, object] = {"commands": {}}
        for label, m in measured.items():
            times = sorted(m["times"])  # type: ignore[arg-type]
            median = times[len(times) // 2]
            row = {"median": median, "min": times[0], "max": times[-1],
                   "files_per_s": n / median, "peak_mb": m["peak_mb"]}
            size["commands"][label] = row  # type: ignore[index]
            print(f"{n:>7} {label:<40} {median:>9.2f} {times[0]:>6.2f}–{times[-1]:<6.2f} "
                  f"{n / median:>8.0f} {m['peak_mb']:>8.0f}")
        ratio = (size["commands"]["esg score DIR --format json"]["median"]  # type: ignore[index]
                 / size["commands"]["floor: python-calamine read"]["median"])  # type: ignore[index]
        size["esg score / floor"] = ratio
        print(f"{n:>7} {'esg score / floor':<40} {ratio:>9.2f}")
        if hostile:
            with tempfile.TemporaryDirectory() as tmp:
                mixed = Path(tmp) / "replies"
                shutil.copytree(replies, mixed)
                add_hostile(mixed)
                cmd = [*esg_exe(), "status", str(mixed), "-q", str(QUESTIONNAIRE), "--suppliers",
                       str(folder / "suppliers.csv"), "--round", ROUNDS[-1],
                       "--format", "json"]
                m = measure(cmd, 1)
                report = json.loads(subprocess.run(cmd, capture_output=True, check=True).stdout)
                size["esg status with 3 hostile files"] = {
                    **m, "unreadable": [u["file"] for u in report["unreadable"]],
                    "returned": report["summary"]["returned"]}
                print(f"{n:>7} {'esg status, 3 hostile files among them':<40} {m['median']:>9.2f} "
                      f"{'':>13} {n / m['median']:>8.0f} {m['peak_mb']:>8.0f}"
                      f"  unreadable: {len(report['unreadable'])}")
        results["sizes"][str(n)] = size  # type: ignore[index]
    if out:
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hostile", action="store_true",
                        help="also time `esg status` with three hostile files among the replies")
    parser.add_argument("--json", type=Path, help="write the measurements here")
    parser.add_argument("--quick", action="store_true", help="20 files, one run (smoke test)")
    args = parser.parse_args()
    if args.quick:
        with tempfile.TemporaryDirectory() as tmp:
            global HERE
            HERE = Path(tmp)  # the smoke run leaves nothing in benchmarks/data
            run([20], 1, True, args.json)
        return
    run(args.sizes, args.runs, args.hostile, args.json)


if __name__ == "__main__":
    main()
