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


def _in_folder(folder: Path) -> list[tuple[Path, str, bool]]:
    """(path, path below ``folder`` as posix, whether the entry is a symbolic link) of every
    answer file below ``folder``, in sorted order: the files `os.walk` lists (symbolic links
    to folders are not followed), read with `os.scandir` and plain strings, since pathlib
    took most of the time for a folder of a thousand replies."""
    found: list[tuple[tuple[str, ...], str, bool]] = []
    pending: list[tuple[tuple[str, ...], str]] = [((), str(folder))]
    while pending:
        below, directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:  # as os.walk: a folder that cannot be listed is passed over
            continue
        for entry in entries:
            if _skipped(entry.name):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.is_symlink():
                    pending.append(((*below, entry.name), entry.path))
            elif entry.name.lower().endswith(ANSWER_SUFFIXES):
                found.append(((*below, entry.name), entry.path, entry.is_symlink()))
    found.sort(key=lambda f: f[0])
    return [(Path(path), "/".join(parts), link) for parts, path, link in found]


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
            real = Path(os.path.realpath(path))  # no link below it is followed but files'
            pairs = [(f, below, f.resolve() if link else real.joinpath(*below.split("/")))
                     for f, below, link in found]
        elif path.exists():
            pairs = [(path, path.name, path.resolve())]
        else:
            problems.append(Problem(code="WB-001", file=str(path)))
            continue
        for file, name, key in pairs:
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
