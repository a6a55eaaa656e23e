"""Each common producer's twin of the benchmark workbook: the same cells, written the way that
producer writes them (SPEC §11: the speed must hold for every one of them).

    python benchmarks/twins.py 100000            # writes benchmarks/data/twin-100000-*.xlsx
    python benchmarks/twins.py 1000 --only openpyxl-write-only pandas

| twin | producer | what differs in the file |
|---|---|---|
| `xlsxwriter` | xlsxwriter, normal mode | shared strings, `<dimension>`, `spans` (as Excel) |
| `xlsxwriter-constant-memory` | xlsxwriter `constant_memory` | inline strings, row by row |
| `openpyxl` | openpyxl `Workbook()` | inline strings, `<dimension>` |
| `openpyxl-write-only` | openpyxl `Workbook(write_only=True)` | no `<dimension>` at all |
| `pandas` | `DataFrame.to_excel`, default engine (xlsxwriter if installed) | shared strings |
| `libreoffice` | LibreOffice Calc re-save of the `xlsxwriter` twin | LibreOffice's XML |

Excel itself cannot run here; xlsxwriter's normal mode writes the layout Excel writes (shared
strings, `<dimension>`, `spans`), so it stands for "Excel-like shared strings".
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import rows  # noqa: E402

PRODUCERS = ("xlsxwriter", "xlsxwriter-constant-memory", "openpyxl", "openpyxl-write-only",
             "pandas", "libreoffice")


def _xlsxwriter(cells: list[list[object]], out: Path, constant_memory: bool) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out), {"constant_memory": constant_memory})
    sheet = book.add_worksheet("answers")
    for r, row in enumerate(cells):
        sheet.write_row(r, 0, row)
    book.close()


def _openpyxl(cells: list[list[object]], out: Path, write_only: bool) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("answers") if write_only else book.active
    sheet.title = "answers"
    for row in cells:
        sheet.append(row)
    book.save(out)


def _pandas(cells: list[list[object]], out: Path) -> None:
    import pandas as pd

    width = max(len(r) for r in cells)
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in cells], dtype=object)
    frame.to_excel(out, sheet_name="answers", header=False, index=False)


def _libreoffice(cells: list[list[object]], out: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.xlsx"
        _xlsxwriter(cells, source, constant_memory=False)
        profile = Path(tmp) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                        str(Path(tmp) / "out"), str(source)],
                       check=True, capture_output=True, timeout=3600)
        shutil.move(Path(tmp) / "out" / "source.xlsx", out)


WRITERS: dict[str, Callable[[list[list[object]], Path], None]] = {
    "xlsxwriter": lambda c, o: _xlsxwriter(c, o, constant_memory=False),
    "xlsxwriter-constant-memory": lambda c, o: _xlsxwriter(c, o, constant_memory=True),
    "openpyxl": lambda c, o: _openpyxl(c, o, write_only=False),
    "openpyxl-write-only": lambda c, o: _openpyxl(c, o, write_only=True),
    "pandas": _pandas,
    "libreoffice": _libreoffice,
}


def twin_path(n: int, producer: str, folder: Path | None = None) -> Path:
    return (folder or HERE / "data") / f"twin-{n}-{producer}.xlsx"


def write_twins(n: int, producers: tuple[str, ...] = PRODUCERS, folder: Path | None = None,
                seed: int = 7, overwrite: bool = False) -> dict[str, Path]:
    """The twins of the ``n``-row benchmark sheet (existing files are kept unless ``overwrite``)."""
    cells: list[list[object]] | None = None
    out = {}
    for producer in producers:
        path = twin_path(n, producer, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        if overwrite or not path.exists():
            cells = cells if cells is not None else rows(n, seed)
            temp = path.with_suffix(".part.xlsx")
            WRITERS[producer](cells, temp)
            temp.replace(path)
        out[producer] = path
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("--only", nargs="+", choices=PRODUCERS, default=list(PRODUCERS))
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    for name, path in write_twins(args.n, tuple(args.only), overwrite=args.overwrite).items():
        print(f"{name:28} {path} ({path.stat().st_size / 1024**2:.1f} MB)")
