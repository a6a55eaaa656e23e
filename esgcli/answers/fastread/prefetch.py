"""Start reading the answers workbook on a second core while Python imports the rest.

fastexcel parses without holding the GIL, so `esg score big.xlsx` overlaps the sheet read with
importing pandas, loading the questionnaire and hashing the file. Only the stdlib is imported
here; the extent check runs first, so a sheet too large to allocate is never read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

_COMMANDS = {"score", "validate", "improve", "certify", "report"}
_lock = threading.Lock()
_jobs: dict[tuple[str, str], tuple[threading.Thread, dict[str, Any]]] = {}
MIN_BYTES = 1024**2


def maybe_start(argv: list[str], work: Callable[[Path, dict[str, Any]], None]) -> None:
    """`esg score FILE.xlsx ...`: prefetch the first sheet of FILE (no --sheet given) by
    ``work(path, box)`` on a thread (`route.read_ahead`, which fills the box for `take`)."""
    argv = [argv[0], *(a for a in argv[1:3] if a != "--debug"), *argv[3:]]  # `esg --debug score`
    if len(argv) < 3 or argv[1] not in _COMMANDS or "--sheet" in argv:
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
    thread = threading.Thread(target=work, args=(path, box), daemon=True)
    with _lock:
        _jobs[(str(path.resolve()), "")] = (thread, box)
    thread.start()


def reader_for(path: Path) -> Any | None:
    """The fastexcel reader opened by a prefetch of this file (after its read finished)."""
    with _lock:
        job = _jobs.get((str(path.resolve()), ""))
    if job is None:
        return None
    job[0].join()
    return job[1].get("reader")


NOT_PREFETCHED = object()


def take(path: Path, name: str) -> Any:  # noqa: ANN401
    """(what `route.sheet_columns` gave, its notes) for this file and sheet, read in the
    background by `route.read_ahead` (waiting for it to finish), or NOT_PREFETCHED."""
    with _lock:
        job = _jobs.pop((str(path.resolve()), ""), None)
    if job is None:
        return NOT_PREFETCHED
    thread, box = job
    thread.join()
    if "failed" in box:  # (None, [why]): the sheet is read again on the normal path
        return None, [box["failed"]]
    if box.get("name") != name or "placed" not in box:
        return NOT_PREFETCHED
    return box["placed"]
