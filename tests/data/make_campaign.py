"""Write tests/data/campaign/: per-supplier workbooks as `esg template --per-supplier` makes
them, filled in, and LibreOffice's re-saves of them (SPEC §12, issue 15).

    python tests/data/make_campaign.py          # needs `esg` importable and `soffice`

campaign/original/   the filled workbooks (openpyxl, as a supplier's Excel would keep them)
campaign/lo-xlsx/    each re-saved by LibreOffice as .xlsx
campaign/lo-ods/     ... as .ods
campaign/lo-csv/     ... as .csv (UTF-8, comma, the first sheet: the answers)

The SheetJS fixture beside it is made by make_sheetjs.js.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).parent
OUT = HERE / "campaign"
SUPPLIERS = (
    "협력사코드,협력사명,상시근로자 수\n"
    "A001,(주)가나,10\n"
    "A002,(주)다라,120\n"
    "A003,-마이너스(주),55\n"
)
# (supplier id, round) → answers by indicator id; what is not given stays blank (missing)
ANSWERS: dict[tuple[str, str], dict[str, object]] = {
    ("A001", "사전"): {"E-1": "예", "E-2": 2, "E-3": 10, "S-1": "책임자"},
    ("A001", "사후"): {"E-1": "예", "E-2": 3, "E-3": 30, "S-1": "책임자, training"},
    ("A002", "사전"): {"E-1": "아니오", "E-2": "해당없음", "E-3": "25%", "S-1": "manager; ppe",
                     "S-2": "예"},
    ("A002", "사후"): {"E-1": "예", "E-2": "우수", "E-3": 21.5, "S-1": "manager,ppe,training",
                     "S-2": "예"},
    ("A003", "사전"): {"E-2": "보통", "E-3": 4.5, "S-1": "none", "S-2": "아니오"},
    ("A003", "사후"): {"E-1": "예", "E-2": 1, "E-3": 0, "S-1": "보호구", "S-2": "예"},
}
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76"  # comma, double quote, UTF-8


def fill(path: Path) -> None:
    """Type the answers into the unlocked cells, as a supplier would."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = {str(c.value).split(" ")[0]: c.column for c in sheet[3] if c.value}
    for row in sheet.iter_rows(min_row=4):
        for name, value in ANSWERS.get((str(row[0].value), str(row[2].value)), {}).items():
            sheet.cell(row=row[0].row, column=header[name], value=value)
    book.save(path)


def soffice(target: str, files: list[Path], outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:  # a private profile: no clash with a running one
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                       check=True, capture_output=True)


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    original = OUT / "original"
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "suppliers.csv"
        listing.write_text(SUPPLIERS, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "esgcli", "template", "-q", str(HERE / "mini.yaml"),
                        "--suppliers", str(listing), "--per-supplier", "-o", str(original),
                        "--rounds", "사전,사후", "--year", "2024"], check=True)
    files = sorted(original.glob("*.xlsx"))
    for path in files:
        fill(path)
    soffice("xlsx", files, OUT / "lo-xlsx")
    soffice("ods", files, OUT / "lo-ods")
    soffice(CSV_FILTER, files, OUT / "lo-csv")


if __name__ == "__main__":
    main()
