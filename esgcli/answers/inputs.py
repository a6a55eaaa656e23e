"""Many answer files as one (SPEC §12): paths → files → one questionnaire → merged records.

`expand_paths` turns files and folders into the answer files they mean; `read_answer_paths`
reads every one against one questionnaire and merges the records as if they were one sheet,
each record keeping the file it came from and every problem naming its own file. Duplicates of
(supplier id, round, year) across files are errors naming both files and rows, or, with
``on_duplicate="latest"``, the record of the file modified last is kept with a warning.

One file is read exactly as `answers.read_answers` reads it: nothing is merged or copied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from esgcli.answers.answerset import AnswerSet, Source, blank_year_problems
from esgcli.answers.opening import OpenedFile, open_all, open_file
from esgcli.answers.paths import ANSWER_SUFFIXES, InputFile, expand_paths, input_files
from esgcli.answers.read import recorded_meta, recorded_questionnaire
from esgcli.answers.stacked import read_run, runs_of
from esgcli.base.coded import Coded
from esgcli.base.formatting import few_names
from esgcli.base.labels import label
from esgcli.base.problems import InputError, Problem, warnings_of
from esgcli.questionnaire.questionnaire import Questionnaire, resolve_questionnaire

__all__ = [
    "ANSWER_SUFFIXES", "FileRead", "InputFile", "MergingRead", "NotSkippable", "QuestionnaireChoice",
    "ValidAnswers", "choose_questionnaire", "expand_paths", "input_files", "keep_valid",
    "merge_reads", "metas_of", "open_files", "read_answer_paths", "read_files", "read_opened",
    "read_opened_merged", "read_runs", "said_once",
]

OnDuplicate = Literal["error", "latest"]
Progress = Callable[[int, int], None]  # (files done, files in all)


# ---------------------------------------------------------------- one questionnaire for all
@dataclass(frozen=True)
class QuestionnaireChoice:
    """The questionnaire every file is read against, and the files made for an older version."""

    questionnaire: Questionnaire
    changed: list[str]  # files whose recorded sha256 is not this questionnaire's
    made_for: str  # "id version" recorded in the first changed file ("" if none)

    def warnings(self) -> list[Problem]:
        if not self.changed:
            return []
        count = f" (×{len(self.changed)})" if len(self.changed) > 1 else ""
        return [Problem(code="SRC-005", severity="warning", file=few_names(self.changed) + count, params={
            "made_for": self.made_for,
            "sha": self.questionnaire.sha256[:12]})]


def choose_questionnaire(files: Sequence[InputFile], ref: str | Path | Questionnaire | None,
                         default: str | None = None,
                         metas: dict[str, dict[str, str]] | None = None) -> QuestionnaireChoice:
    """`-q` (``ref``), else the questionnaire recorded in the workbooks, else ``default`` (else
    the bundled one). Files recording different questionnaires are an error naming them.
    ``metas``: what each file recorded, when the files are open already (by name)."""
    if metas is None:
        metas = {f.name: recorded_meta(f.path) for f in files}
    recorded: dict[str, list[str]] = {}
    bad: list[Problem] = []
    for name, meta in metas.items():
        try:
            ident = recorded_questionnaire(meta, name) if ref is None else None
        except InputError as exc:  # an id that is not one (a path a crafted workbook names)
            bad += exc.problems
            continue
        if meta.get("questionnaire_id"):
            recorded.setdefault(ident or meta["questionnaire_id"], []).append(name)
    if bad:
        raise InputError(bad)
    if isinstance(ref, Questionnaire):
        q = ref
    else:
        if ref is None and len(recorded) > 1:
            detail = "; ".join(f"{ident}: {few_names(names)}" for ident, names in recorded.items())
            raise InputError([Problem(code="SRC-003", params={"detail": detail})])
        if ref is None:
            ref = next(iter(recorded), None) or default
        q = resolve_questionnaire(None if ref is None else str(ref))
    changed = [name for name, meta in metas.items()
               if meta.get("questionnaire_id") == q.id and meta.get("questionnaire_sha256")
               and meta["questionnaire_sha256"] != q.sha256]
    made_for = ""
    if changed:
        meta = metas[changed[0]]
        made_for = f"{q.id} {meta.get('questionnaire_version', '?')}"
    return QuestionnaireChoice(q, changed, made_for)


# ---------------------------------------------------------------- reading and merging
@dataclass(frozen=True)
class FileRead:
    """One file read: its answers, or the problems that made it unreadable."""

    file: InputFile
    answers: AnswerSet | None
    problems: list[Problem]  # the file-level errors when ``answers`` is None


def open_files(files: Sequence[InputFile], sheet: str | None = None,
               progress: Progress | None = None) -> list[OpenedFile]:
    """Open each file once (cells, header, recorded questionnaire, sha256); a file that cannot
    be read is kept with its problems."""
    if len(files) == 1:
        opened = [open_file(files[0].path, files[0].name, sheet)]
        if progress is not None:
            progress(1, 1)
        return opened
    return open_all([(f.path, f.name) for f in files], sheet, progress)


def metas_of(opened: Sequence[OpenedFile]) -> dict[str, dict[str, str]]:
    """What `esg template` recorded in each opened file, by name (for `choose_questionnaire`)."""
    return {o.name: o.meta for o in opened}


def read_opened(opened: Sequence[OpenedFile], questionnaire: Questionnaire) -> list[FileRead]:
    """Each opened file read on its own (`esg status` judges file by file)."""
    out: list[FileRead] = []
    for o in opened:
        f = InputFile(o.path, o.name)
        if o.sheet is None:
            out.append(FileRead(f, None, o.problems))
            continue
        data, failed = read_run([o], questionnaire)
        out.append(FileRead(f, data, failed.get(o.name, [])))
    return out


def read_runs(opened: Sequence[OpenedFile], questionnaire: Questionnaire) -> list[FileRead]:
    """Like `read_opened`, but consecutive files with the same header read in one pass: one
    `FileRead` per run of files (named after its first; each record names its own file in
    `records["file"]`), one per unreadable file, in the order of the files."""
    runs = {id(run[0]): run for run in runs_of(opened)}
    out: list[FileRead] = []
    for o in opened:
        if o.sheet is None:
            out.append(FileRead(InputFile(o.path, o.name), None, o.problems))
            continue
        run = runs.get(id(o))
        if run is None:
            continue  # read with the first file of its run
        data, failed = read_run(run, questionnaire)
        if data is not None:
            out.append(FileRead(InputFile(o.path, o.name), data, []))
        out += [FileRead(InputFile(r.path, r.name), None, failed[r.name])
                for r in run if r.name in failed]
    return out


def read_files(files: Sequence[InputFile], questionnaire: Questionnaire,
               sheet: str | None = None, progress: Progress | None = None) -> list[FileRead]:
    """Read each file; a file that cannot be read at all is kept with its problems."""
    return read_opened(open_files(files, sheet, progress), questionnaire)


def read_answer_paths(paths: Iterable[str | Path],
                      questionnaire: str | Path | Questionnaire | None = None, *,
                      sheet: str | None = None, default: str | None = None,
                      on_duplicate: OnDuplicate = "error",
                      progress: Progress | None = None) -> AnswerSet:
    """Every answer file of ``paths`` read against one questionnaire, merged.

    Problems are collected in the result (`AnswerSet.problems`), each naming its file: the
    errors of unreadable files, of rows, and duplicates across files. Only bad PATHs (missing,
    an empty folder) or files recording different questionnaires raise :class:`InputError`.
    """
    files = input_files(paths)
    opened = open_files(files, sheet, progress)
    choice = choose_questionnaire(files, questionnaire, default, metas_of(opened))
    merged = read_opened_merged(opened, choice.questionnaire, on_duplicate)
    return replace(merged, problems=choice.warnings() + merged.problems)


def read_opened_merged(opened: Sequence[OpenedFile], questionnaire: Questionnaire,
                       on_duplicate: OnDuplicate = "error") -> AnswerSet:
    """The records of every readable file as one answer set, consecutive files with the same
    header read in one pass (`stacked`); the result `merge_reads(read_opened(...))` gives."""
    if len(opened) == 1:
        return merge_reads(read_opened(opened, questionnaire), questionnaire, on_duplicate)
    sets, failed = _read_runs(opened, questionnaire)
    return _merged(opened, sets, failed, questionnaire, on_duplicate)


def _read_runs(opened: Sequence[OpenedFile], questionnaire: Questionnaire
               ) -> tuple[list[AnswerSet], dict[str, list[Problem]]]:
    failed: dict[str, list[Problem]] = {o.name: o.problems for o in opened if o.sheet is None}
    sets: list[AnswerSet] = []
    for run in runs_of(opened):
        data, bad = read_run(run, questionnaire)
        failed.update(bad)
        if data is not None:
            sets.append(data)
    return sets, failed


def _merged(opened: Sequence[OpenedFile], sets: list[AnswerSet], failed: dict[str, list[Problem]],
            questionnaire: Questionnaire, on_duplicate: OnDuplicate) -> AnswerSet:
    unreadable = [p for o in opened for p in failed.get(o.name, [])]
    readable = [o for o in opened if o.name not in failed]
    return _merge_sets(sets, unreadable, [o.name for o in opened], questionnaire, on_duplicate,
                       {o.name: o.path.stat().st_mtime for o in readable})


class MergingRead:
    """Many files read as they are opened (`opening.open_batches`), against a questionnaire
    guessed from the first of them, while the rest are still being opened: the reading no
    longer waits for the last file. :meth:`merged` gives what :func:`read_opened_merged` of
    every file gives (tested): a run of files cut between two batches is two runs read one
    after the other, and the runs are merged as before; when the questionnaire chosen at the
    end (from every file) is not the one guessed, every file is read again with it."""

    def __init__(self, guess: Callable[[Sequence[OpenedFile]], Questionnaire | None]) -> None:
        """``guess(first_batch)``: the questionnaire to read with (None: everything is read
        at the end, by :meth:`merged`)."""
        self.choose = guess
        self.opened: list[OpenedFile] = []
        self.guess: Questionnaire | None = None
        self.sets: list[AnswerSet] = []
        self.failed: dict[str, list[Problem]] = {}

    def add(self, batch: Sequence[OpenedFile]) -> None:
        """Take ``batch`` (the next files, in order) and read it with the guess."""
        if not self.opened:
            self.guess = self.choose(batch)
        self.opened += batch
        if self.guess is not None:
            sets, failed = _read_runs(batch, self.guess)
            self.sets += sets
            self.failed.update(failed)

    def merged(self, questionnaire: Questionnaire, on_duplicate: OnDuplicate = "error") -> AnswerSet:
        """Every file's records as one answer set, as :func:`read_opened_merged` gives them."""
        guess = self.guess
        if len(self.opened) < 2 or guess is None or guess.sha256 != questionnaire.sha256:
            return read_opened_merged(self.opened, questionnaire, on_duplicate)
        return _merged(self.opened, self.sets, self.failed, questionnaire, on_duplicate)


def merge_reads(reads: Sequence[FileRead], questionnaire: Questionnaire,
                on_duplicate: OnDuplicate = "error") -> AnswerSet:
    """The records of every readable file as one answer set (problems of all files kept)."""
    sets = [r.answers for r in reads if r.answers is not None]
    unreadable = [p for r in reads for p in r.problems]
    if len(sets) == 1 and len(reads) == 1:
        return with_year_problems(sets[0])
    return _merge_sets(sets, unreadable, [r.file.name for r in reads], questionnaire,
                       on_duplicate, {r.file.name: r.file.path.stat().st_mtime for r in reads
                                      if r.answers is not None})


def _merge_sets(sets: list[AnswerSet], unreadable: list[Problem], names: list[str],
                questionnaire: Questionnaire, on_duplicate: OnDuplicate,
                mtimes: dict[str, float]) -> AnswerSet:
    if not sets:
        return replace(_empty(questionnaire, names), problems=unreadable)
    merged = _concat(sets)
    merged = replace(merged, problems=unreadable + merged.problems)
    if len(merged.sources) > 1:
        merged = _across_files(merged, on_duplicate, mtimes)
    return with_year_problems(merged)


def with_year_problems(data: AnswerSet) -> AnswerSet:
    """``data`` with SEL-004 for every blank year cell beside years (`blank_year_problems`):
    an error of its record, which `esg validate` lists and `--skip-invalid` leaves out."""
    problems = blank_year_problems(data)
    return replace(data, problems=data.problems + problems) if problems else data


def _concat(sets: list[AnswerSet]) -> AnswerSet:
    first = sets[0]
    problems: list[Problem] = []
    offset = 0
    for s in sets:
        problems += [p.shifted(offset) for p in s.problems]
        offset += len(s)
    sources = tuple(src for s in sets for src in s.sources)
    return replace(
        first,
        source=_combined_source(sources),
        sources=sources,
        records=pd.concat([s.records for s in sets], ignore_index=True),
        profile=pd.concat([s.profile for s in sets], ignore_index=True),
        status=np.concatenate([s.status for s in sets]),
        points=np.concatenate([s.points for s in sets]),
        answers=Coded.concat([s.answers for s in sets]),
        raw=Coded.concat([s.raw for s in sets]),
        applicable=np.concatenate([s.applicable for s in sets]),
        cell_rows=np.concatenate([s.cell_rows for s in sets]),
        problems=problems)


def _combined_source(sources: tuple[Source, ...]) -> Source:
    """The `source` of a merged set: named after its files (each record keeps its own)."""
    names = [s.file for s in sources]
    return Source(file=few_names(names), path="", sheet=sources[0].sheet if sources else "",
                  sha256="", layout=sources[0].layout if sources else "wide",
                  records=sum(s.records for s in sources))


def _empty(questionnaire: Questionnaire, names: list[str]) -> AnswerSet:
    k = len(questionnaire.indicator_ids)
    records = pd.DataFrame({c: pd.Series([], dtype=object) for c in
                            ("supplier_id", "supplier_name", "round", "year")})
    records["excel_row"] = pd.Series([], dtype=np.int64)
    records["file"] = pd.Series([], dtype=object)
    source = Source(file=few_names(names), path="", sheet="", sha256="", layout="wide")
    return AnswerSet(
        questionnaire=questionnaire, source=source, sources=(), records=records,
        profile=pd.DataFrame(index=range(0)), status=np.zeros((0, k), dtype=np.int8),
        points=np.zeros((0, k)), answers=Coded.empty(0, k), raw=Coded.empty(0, k),
        applicable=np.zeros((0, k), dtype=bool), cell_rows=np.zeros((0, k), dtype=np.int64),
        answer_columns=[""] * k)


def _across_files(data: AnswerSet, on_duplicate: OnDuplicate,
                  mtimes: dict[str, float]) -> AnswerSet:
    """The same (supplier id, round, year) in two files: an error at the later record naming
    both, or (``latest``) the record of the file modified last kept, with a warning."""
    records = data.records
    ids = records["supplier_id"].astype(str).fillna("")
    # a blank round or year is a value of the key like any other (NA would drop the record
    # from the grouping, and a supplier sent twice would be scored twice)
    key = ids + "\x00" + _key_text(records["round"]) + "\x00" + _key_text(records["year"])
    files = records["file"]
    spread = pd.DataFrame({"key": key, "file": files})[ids != ""]
    per_key = spread.groupby("key", sort=False)["file"].nunique()
    shared = per_key.index[per_key > 1]
    if not len(shared):
        return data
    problems: list[Problem] = []
    drop = np.zeros(len(records), dtype=bool)
    rows = records["excel_row"].to_numpy()
    for k in shared:
        members = np.flatnonzero((key == k).to_numpy())
        first = int(members[0])
        rec = records.iloc[first]
        where = {"supplier": rec["supplier_id"], "round": rec["round"] or "-",
                 "year": rec["year"] or "-"}
        if on_duplicate == "latest":
            keep = max(members.tolist(), key=lambda i: (mtimes.get(files.iloc[i], 0.0), i))
            for i in members.tolist():
                if i == keep or files.iloc[i] == files.iloc[keep]:
                    continue
                drop[i] = True
                problems.append(Problem(
                    code="SRC-002", severity="warning", file=files.iloc[i],
                    sheet=data.sheet_of(files.iloc[i]), row=int(rows[i]),
                    supplier_id=rec["supplier_id"], params={
                        **where, "kept": files.iloc[keep], "kept_row": int(rows[keep]),
                        "dropped": files.iloc[i], "dropped_row": int(rows[i])}))
            continue
        for i in members[1:].tolist():
            if files.iloc[i] == files.iloc[first]:
                continue  # within one file: the sheet reader's ROW-002
            problems.append(Problem(
                code="SRC-001", file=files.iloc[i], sheet=data.sheet_of(files.iloc[i]),
                row=int(rows[i]), supplier_id=rec["supplier_id"], record=i, params={
                    **where, "first_file": files.iloc[first], "first_row": int(rows[first])}))
    if drop.any():
        # the dropped records' problems go with them (select), and so do the warnings of a file
        # none of whose records is kept (its unknown columns, a guessed encoding)
        gone = set(files[drop].tolist()) - set(files[~drop].tolist())
        data = replace(data, problems=[p for p in data.problems if not (
            p.record is None and p.severity == "warning" and p.file in gone)])
    data = replace(data, problems=data.problems + problems)
    if drop.any():
        kept = data.select(~drop)
        sources = tuple(replace(s, records=int((kept.records["file"] == s.file).sum()))
                        for s in data.sources)
        return replace(kept, sources=sources, source=_combined_source(sources))
    return data


def _key_text(column: pd.Series) -> pd.Series:
    """A record column as text for a key, a blank (None, NA) as ''."""
    return column.astype(object).where(column.notna(), "").astype(str)


# ---------------------------------------------------------------- what a command goes on with
@dataclass(frozen=True)
class ValidAnswers:
    """The answers a command computes on, and what was left out (`--skip-invalid`), as data.

    ``skipped``: the supplier ids of the records left out, sorted (`?` for a blank id);
    ``errors``: the errors that made them be left out (every error of the input); ``warnings``:
    the warnings of the answers kept. :meth:`problems` is all of it, the note included."""

    answers: AnswerSet
    skipped: list[str] = field(default_factory=list)
    left_out: int = 0  # records left out
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def note(self) -> Problem | None:
        """`left out N record(s) with errors: ids`, whenever records were left out (errors of
        no record leave none out: the run stops on them, and there is nothing to note)."""
        if not self.errors or not self.left_out:
            return None
        return Problem(code="SRC-006", severity="warning",
                       params={"count": self.left_out, "ids": ", ".join(self.skipped)})

    def problems(self) -> list[Problem]:
        note = self.note()
        return [*self.errors, *([note] if note is not None else []), *self.warnings]


class NotSkippable(InputError):
    """Errors of no record (an unreadable file, a header) stop a run even with `skip_invalid`:
    ``problems`` are those errors, ``valid`` what would have been left out before them."""

    def __init__(self, problems: list[Problem], valid: ValidAnswers):
        super().__init__(problems)
        self.valid = valid

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems, self.valid))


def keep_valid(data: AnswerSet, skip_invalid: bool = False) -> ValidAnswers:
    """``data`` ready for scoring. Any error stops it (:class:`InputError`, every problem),
    unless ``skip_invalid``: then the records with errors are left out, named in the result;
    errors that belong to no record cannot be left out (:class:`NotSkippable`)."""
    if not data.errors:
        return ValidAnswers(data, warnings=warnings_of(data.problems))
    if not skip_invalid:
        raise InputError(data.problems)
    bad = data.invalid_records()
    ids = data.records["supplier_id"]
    skipped = sorted({str(ids.iloc[r]) or "?" for r in bad})
    keep = np.ones(len(data), dtype=bool)
    keep[bad] = False
    kept = data.select(keep)
    valid = ValidAnswers(kept, skipped, len(bad), data.errors, warnings_of(kept.problems))
    unplaced = [p for p in data.errors if p.record is None]
    if unplaced:
        raise NotSkippable(unplaced, valid)
    return valid


# ---------------------------------------------------------------- saying things once
def said_once(problems: list[Problem], lang: str = "ko") -> list[Problem]:
    """Problems with the same message in several files, said once naming the files.

    `columns ignored: 비고2` in 300 replies is one line `a.xlsx, b.xlsx, c.xlsx … (+297)`
    (sheet `…` when the sheets' names differ, as CSV files' do); a problem of one file is left
    as it is. The order of first appearance is kept.
    """
    places: dict[tuple[Any, ...], int] = {}  # the message is made only where it may repeat:
    for p in problems:  # 7,000 warnings of as many suppliers are each said once anyway
        place = (p.code, p.severity, p.cell, p.row, p.supplier_id, p.indicator)
        places[place] = places.get(place, 0) + 1
    groups: dict[tuple[Any, ...], list[Problem]] = {}
    for p in problems:
        place = (p.code, p.severity, p.cell, p.row, p.supplier_id, p.indicator)
        key = (*place, p.text(lang)) if places[place] > 1 else (*place, id(p))
        groups.setdefault(key, []).append(p)
    out = []
    for members in groups.values():
        files = list(dict.fromkeys(p.file or "" for p in members))
        if len(members) == 1 or len(files) < len(members):
            out += members
            continue
        sheets = {p.sheet for p in members}
        out.append(replace(members[0], sheet=members[0].sheet if len(sheets) == 1 else "…",
                           file=f"{few_names(files)} ({label('cli.files', lang, n=len(files))})"))
    return out
