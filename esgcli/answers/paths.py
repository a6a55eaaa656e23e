"""Answer files from the PATHs given (SPEC §12): files and folders → the files they mean,
each with the name it goes by in messages and JSON.

Standard library only: `esg` expands its PATHs before the heavy imports, to start opening a
campaign's replies on every core at once (`answers.opening.start_early`).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from esgcli.base.problems import InputError, Problem

__all__ = ["ANSWER_SUFFIXES", "InputFile", "expand_paths", "file_sha256", "input_files"]

ANSWER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


@dataclass(frozen=True)
class InputFile:
    """One answers file and the name it goes by in messages and JSON."""

    path: Path
    name: str


def _skipped(name: str) -> bool:
    """Hidden files and office lock files (`~$x.xlsx`, `.~lock.x.xlsx#`)."""
    return name.startswith((".", "~$"))


def _in_folder(folder: Path) -> list[Path]:
    found: list[tuple[tuple[str, ...], Path]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not _skipped(d)]
        base = Path(root)
        for name in files:
            if _skipped(name) or not name.lower().endswith(ANSWER_SUFFIXES):
                continue
            path = base / name
            found.append((path.relative_to(folder).parts, path))
    return [path for _, path in sorted(found)]


def input_files(paths: Iterable[str | Path]) -> list[InputFile]:
    """Every answers file the PATHs mean, in order, each once, with its display name.

    A file is named by its file name, a file found in a folder by its path below that folder;
    names that would be the same are given as the paths were typed. A missing path, or a
    folder without answer files, is an input error naming it.
    """
    out: list[InputFile] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _in_folder(path)
            if not found:
                problems.append(Problem(code="SRC-004", file=str(path), params={
                    "suffixes": " ".join(ANSWER_SUFFIXES)}))
            pairs = [(f, f.relative_to(path).as_posix()) for f in found]
        elif path.exists():
            pairs = [(path, path.name)]
        else:
            problems.append(Problem(code="WB-001", file=str(path)))
            continue
        for file, name in pairs:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                out.append(InputFile(file, name))
    if problems:
        raise InputError(problems)
    names = [f.name for f in out]
    if len(set(names)) < len(names):
        counts = Counter(names)
        out = [InputFile(f.path, str(f.path)) if counts[f.name] > 1 else f for f in out]
    return out


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files and folders → the answer files (.xlsx .xlsm .xls .ods .csv) they mean.

    Folders are read recursively in sorted path order, skipping hidden files and folders and
    office lock files; a file given by name is always kept; each file comes once.
    """
    return [f.path for f in input_files(paths)]


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
