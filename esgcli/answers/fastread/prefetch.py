"""Start reading the answers workbook on a second core while Python imports the rest.

fastexcel parses without holding the GIL, so `esg score big.xlsx` overlaps the sheet read with
importing pandas, loading the questionnaire and hashing the file. Only the stdlib is imported
here; the extent check runs first, so a sheet too large to allocate is never read.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

_COMMANDS = {"score", "validate", "improve", "certify", "report"}
_lock = threading.Lock()
_jobs: dict[tuple[str, str], tuple[threading.Thread, dict[str, Any]]] = {}
MIN_BYTES = 1024**2


def maybe_start(argv: list[str]) -> None:
    """`esg score FILE.xlsx ...`: prefetch the first sheet of FILE (no --sheet given)."""
    if len(argv) < 3 or argv[1] not in _COMMANDS or "--sheet" in argv:
        return
    if os.environ.get("ESG_READER") == "calamine":
        return
    candidate = next((a for a in argv[2:] if not a.startswith("-")), None)
    if candidate is None or not candidate.lower().endswith((".xlsx", ".xlsm")):
        return
    path = Path(candidate)
    try:
        if not path.is_file() or path.stat().st_size < MIN_BYTES:
            return
    except OSError:
        return
    box: dict[str, Any] = {}
    thread = threading.Thread(target=_read_first_sheet, args=(path, box), daemon=True)
    with _lock:
        _jobs[(str(path.resolve()), "")] = (thread, box)
    thread.start()


def _read_first_sheet(path: Path, box: dict[str, Any]) -> None:
    try:
        from esgcli.answers.xlsx_checks import check_extent, zip_problem

        if zip_problem(path) is not None or check_extent(path) is not None:
            return
        import fastexcel

        from esgcli.answers.fastread.split_read import sheet_columns

        reader = fastexcel.read_excel(str(path))
        name = reader.sheet_names[0]
        box["reader"] = reader
        box["name"] = name
        box["placed"] = sheet_columns(path, name, reader)
    except Exception:  # the normal path reads the file again and reports any problem
        box.clear()


def reader_for(path: Path) -> Any | None:
    """The fastexcel reader opened by a prefetch of this file (after its read finished)."""
    with _lock:
        job = _jobs.get((str(path.resolve()), ""))
    if job is None:
        return None
    job[0].join()
    return job[1].get("reader")


NOT_PREFETCHED = object()


def take(path: Path, name: str) -> Any:
    """What `split_read.sheet_columns` gave for this file and sheet in the background (waiting
    for it to finish), or NOT_PREFETCHED."""
    with _lock:
        job = _jobs.pop((str(path.resolve()), ""), None)
    if job is None:
        return NOT_PREFETCHED
    thread, box = job
    thread.join()
    if box.get("name") != name or "placed" not in box:
        return NOT_PREFETCHED
    return box["placed"]
