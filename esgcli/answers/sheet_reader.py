"""The cells below a header row → records, typed profile, parsed answers and located problems.

Columns are handled as (codes, distinct values) pairs: every distinct spelling is parsed once
and the result is mapped back to all rows with numpy (SPEC §3–4, READING.md).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from esgcli.answers.headers import (
    REMARKS_KEYS,
    ROLE_BY_KEY,
    alias_key,
)
from esgcli.answers.workbook import Sheet
from esgcli.base.cells import neutralise
from esgcli.base.coded import Coded, lookup
from esgcli.base.labels import label
from esgcli.base.parallel import run, thread_count
from esgcli.base.problems import InputError, Problem, did_you_mean, errors_of
from esgcli.base.tokens import (
    clean_id,
    clean_text,
    cleaned_all,
    display,
    header_key,
    is_blank,
    is_na,
    normalise,
    parse_number,
)
from esgcli.questionnaire.applicability import applicability
from esgcli.questionnaire.questionnaire import Questionnaire
from esgcli.questionnaire.scales import ANSWERED, INVALID, MISSING, NA, Matcher, Parsed

IGNORED_PER_CELL = 10  # more ignored answers in one column are reported as one warning
CELLS_PER_COLUMN = 1_000  # invalid or blank answers of one file's column listed one by one
NONE = np.array(None, dtype=object)  # None as an array value, for np.where


def suggest_indicator(value: Any, ids_by_key: dict[str, str]) -> str | None:
    """The indicator id an unknown header probably means: `E11` or `e 1 1` -> `E-1-1` (same
    letters and digits), else a close spelling of a short header. None when nothing is close."""
    import difflib

    key = header_key(value)
    head = re.split(r"[ :.]", key, maxsplit=1)[0] if key else ""
    if not head or len(head) > 2 * max((len(k) for k in ids_by_key), default=0):
        return None
    squeezed = {re.sub(r"[\W_]+", "", k): ident for k, ident in ids_by_key.items()}
    for text in dict.fromkeys((key, head)):
        plain = re.sub(r"[\W_]+", "", text)
        if plain in squeezed:
            return squeezed[plain]
    match = difflib.get_close_matches(head, list(ids_by_key), n=1, cutoff=0.8)
    return ids_by_key[match[0]] if match else None
Encoded = tuple[np.ndarray, np.ndarray]  # (codes with -1 for empty, distinct values)


def profile_headers(questionnaire: Questionnaire) -> dict[str, str]:
    """Header key -> profile field id: a field is headed by its id or its title (any language)."""
    keys: dict[str, str] = {}
    for field in questionnaire.model.profile:
        for text in [field.id, *(field.title.texts() if field.title else [])]:
            keys.setdefault(alias_key(text), field.id)
            keys.setdefault(alias_key(neutralise(text)), field.id)  # as the template wrote it
    return keys


LIST_CAP = 20  # items a message lists before "… and N more"


def capped_list(items: list[str], cap: int = LIST_CAP) -> str:
    """`a, b, c` — at most ``cap`` items, then `… (+N)`: a warning stays one short line
    however many columns a sheet has."""
    shown = ", ".join(items[:cap])
    return shown if len(items) <= cap else f"{shown} … (+{len(items) - cap:,})"


def match_indicator(text: Any, ids_by_key: dict[str, str]) -> str | None:
    """`E-1-1`, `E-1-1 환경경영`, `E-1-1: ...`, `E-1-1. ...` -> `E-1-1` (longest id wins)."""
    key = header_key(text)
    if not key:
        return None
    if key in ids_by_key:
        return ids_by_key[key]
    # only prefixes as long as an id can match: a header of a million separators costs no more
    # than a short one (slicing at every separator was quadratic)
    longest = max(map(len, ids_by_key), default=0)
    for i in range(min(len(key) - 1, longest), 0, -1):
        if key[i] in " :." and key[:i] in ids_by_key:
            return ids_by_key[key[:i]]
    return None


def _values(encoded: Encoded) -> np.ndarray:
    codes, uniques = encoded
    lookup = np.empty(len(uniques) + 1, dtype=object)
    lookup[:-1] = uniques
    lookup[-1] = None
    return lookup[codes]


def _map(encoded: Encoded, fn: Any, empty: Any = "") -> np.ndarray:
    codes, uniques = encoded
    lookup = np.empty(len(uniques) + 1, dtype=object)
    lookup[:-1] = cleaned_all(list(uniques), fn)
    lookup[-1] = empty
    return lookup[codes]


class SheetReader:
    """Reads one sheet against one questionnaire."""

    def __init__(self, file: str, sheet: Sheet, header_row: int, questionnaire: Questionnaire):
        self.file, self.sheet, self.header_row, self.q = file, sheet, header_row, questionnaire
        self.problems: list[Problem] = []
        self.row_problems: list[tuple[int, Problem]] = []  # (body row, problem)
        self.layout = "wide"
        self.keep = np.arange(0)
        self.cache: dict[int, Encoded] = {}
        self.bad_cells: dict[tuple[str, int], tuple[str, str]] = {}
        self.header_hints: dict[str, str] = {}  # indicator id -> the header that looks like it
        self.parts: np.ndarray | None = None  # a stacked sheet's file of each record

    def problem(self, code: str, severity: str = "error", **kw: Any) -> None:
        self.problems.append(Problem(code=code, severity=severity,  # type: ignore[arg-type]
                                     file=self.file, sheet=self.sheet.name, **kw))

    def located(self, code: str, j: int, r: int, **kw: Any) -> Problem:
        """A problem at body row ``r`` (after dropping empty rows) and sheet column ``j``."""
        row = int(self.excel_rows[r])
        return Problem(code=code, file=self.file, sheet=self.sheet.name,
                       cell=f"{self.sheet.letter(j)}{row}", row=row,
                       column=self.sheet.col_offset + j + 1, **kw)

    def column(self, j: int) -> Encoded:
        if j not in self.cache:
            self.cache[j] = self.sheet.encoded(j, self.header_row + 1)
        codes, uniques = self.cache[j]
        # `keep` is ascending, so keeping as many rows as there are means keeping them all
        return (codes if len(self.keep) == len(codes) else codes[self.keep]), uniques

    # -- header -------------------------------------------------------------------------
    def map_header(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        header = self.sheet.row(self.header_row)
        ids_by_key = {header_key(i): i for i in self.q.indicator_ids}
        profile_keys = profile_headers(self.q)
        roles: dict[str, int] = {}
        profile: dict[str, int] = {}
        indicators: dict[str, int] = {}
        ignored: list[str] = []
        header_cell = self.sheet.excel_row(self.header_row)
        for j, value in enumerate(header):
            if is_blank(value):
                continue
            akey = alias_key(value)
            if akey in ROLE_BY_KEY:
                target, name = roles, ROLE_BY_KEY[akey]
            elif akey in profile_keys:
                target, name = profile, profile_keys[akey]
            elif (ind := match_indicator(value, ids_by_key)) is not None:
                target, name = indicators, ind
            elif akey in REMARKS_KEYS:
                continue
            else:
                shown = f"{self.sheet.letter(j)} '{display(value)}'"
                close = suggest_indicator(value, ids_by_key)
                if close is not None:
                    self.header_hints.setdefault(close, shown)
                    shown += f" (→ {close}?)"
                ignored.append(shown)
                continue
            if name in target:
                self.problem("HDR-004", cell=f"{self.sheet.letter(j)}{header_cell}",
                             row=header_cell, column=j + 1, value=display(value),
                             params={"name": name, "first": self.sheet.letter(target[name]),
                                     "second": self.sheet.letter(j)})
                continue
            target[name] = j
        if ignored:
            self.problem("HDR-003", severity="warning", row=header_cell,
                         params={"headers": capped_list(ignored)})
        return roles, profile, indicators

    # -- reading ------------------------------------------------------------------------
    def read(self) -> dict[str, Any]:
        roles, profile_cols, indicator_cols = self.map_header()
        self.layout = "long" if ("indicator" in roles or "answer" in roles) else "wide"
        self._check_columns(roles, profile_cols, indicator_cols)

        start = self.header_row + 1
        n_body = max(self.sheet.n_rows - start, 0)
        used = [*roles.values(), *profile_cols.values(), *indicator_cols.values()]
        self.cache.update(self.sheet.encoded_many(used, start))
        self.keep = np.arange(n_body)
        self.excel_rows = self.sheet.body_excel_rows(start)
        parts = self.sheet.body_parts(start)
        id_col = roles["supplier_id"]
        ids = _map(self.column(id_col), clean_id)
        blank = ids == ""
        if blank.any():
            # A row with no value in any column we read is an empty row (a sheet may hold a
            # million of them); whitespace-only cells count as empty.
            has_value = np.zeros(n_body, dtype=bool)
            for j in used:
                codes, uniques = self.column(j)
                filled = np.array([not is_blank(u) for u in uniques] + [False])
                has_value |= filled[codes]
            mask = ~blank | has_value
            self.keep, self.excel_rows, ids = self.keep[mask], self.excel_rows[mask], ids[mask]
            parts = parts[mask] if parts is not None else None
            for r in np.flatnonzero(ids == ""):
                self.row_problems.append((int(r), self.located("ROW-001", id_col, int(r))))
        n = len(ids)
        rounds = _map(self.column(roles["round"]), clean_id) if "round" in roles \
            else np.full(n, "", dtype=object)
        names = _map(self.column(roles["supplier_name"]), clean_text) if "supplier_name" in roles \
            else np.full(n, "", dtype=object)
        years = self._years(roles)
        if self.layout == "long":
            return self._long(ids, rounds, years, names, roles, profile_cols)
        records = records_frame(ids, names, rounds, years, self.excel_rows)
        if parts is not None:  # a stacked sheet: the file of each record (SPEC §12)
            self.parts = parts
            records["part"] = parts
        self._duplicates(records, id_col)
        encoded = [self.column(indicator_cols[i]) for i in self.q.indicator_ids]
        cell_rows = np.broadcast_to(self.excel_rows[:, None], (n, len(encoded)))  # read-only view
        letters = [self.sheet.letter(indicator_cols[i]) for i in self.q.indicator_ids]
        profile_raw = {pid: (_values(self.column(c)), self.sheet.letter(c))
                       for pid, c in profile_cols.items()}
        return self._finish(records, encoded, cell_rows, letters, profile_raw, self.excel_rows,
                            np.arange(n))

    def _check_columns(self, roles: dict[str, int], profile_cols: dict[str, int],
                       indicator_cols: dict[str, int]) -> None:
        fatal: list[Problem] = []
        header_cell = self.sheet.excel_row(self.header_row)
        where: dict[str, Any] = {"file": self.file, "sheet": self.sheet.name, "row": header_cell}
        for p in self.q.model.profile:
            if p.id not in profile_cols:
                title = p.title.get(self.q.language) if p.title else p.id
                fatal.append(Problem(code="HDR-002", params={"name": p.id, "title": title}, **where))
        if self.layout == "long":
            if "indicator" not in roles or "answer" not in roles:
                fatal.append(Problem(code="HDR-005", **where))
        else:
            absent = [i for i in self.q.indicator_ids if i not in indicator_cols]
            if absent:
                hints = self.header_hints
                named = [f"{i} (← {hints[i]}?)" if i in hints else i for i in absent]
                fatal.append(Problem(code="HDR-001", params={"ids": ", ".join(named)}, **where))
        if fatal or errors_of(self.problems):
            raise InputError(self.problems + fatal)

    def _years(self, roles: dict[str, int]) -> np.ndarray:
        if "year" not in roles:
            return np.full(len(self.keep), None, dtype=object)
        col = roles["year"]
        codes, uniques = self.column(col)
        parsed: list[int | None] = []
        bad: list[bool] = []
        for value in uniques:
            number = None if is_blank(value) else parse_number(value)
            ok = number is not None and number == int(number) and 1900 <= number <= 2200
            parsed.append(int(number) if ok else None)  # type: ignore[arg-type]
            bad.append(not ok and not is_blank(value))
        lookup = np.array(parsed + [None], dtype=object)
        bad_codes = [k for k, b in enumerate(bad) if b]
        if bad_codes:
            for r in np.flatnonzero(np.isin(codes, bad_codes)):
                value = display(uniques[codes[r]])
                self.row_problems.append((int(r), self.located(
                    "ROW-003", col, int(r), value=value, params={"value": value})))
        return lookup[codes]

    def _duplicates(self, records: pd.DataFrame, id_col: int) -> None:
        # a stacked sheet's files are told apart: the same supplier in two files is theirs to say
        # each column's values as codes (a blank year is one value): equal rows have equal
        # codes, found among integers instead of 100,000s of texts made with str()
        keys = pd.DataFrame({column: pd.factorize(records[column], use_na_sentinel=False)[0]
                             for column in ("supplier_id", "round", "year", "part")
                             if column in records})
        dup = keys.duplicated(keep=False).to_numpy()
        if not dup.any():
            return
        first_row: dict[tuple[int, ...], int] = {}
        for i in np.flatnonzero(dup):
            key = tuple(keys.iloc[i])
            row = int(records["excel_row"].iloc[i])
            if key not in first_row:
                first_row[key] = row
                continue
            rec = records.iloc[i]
            self.problem("ROW-002", cell=f"{self.sheet.letter(id_col)}{row}", row=row,
                         column=id_col + 1, supplier_id=rec["supplier_id"], record=int(i),
                         params={"supplier": rec["supplier_id"], "round": rec["round"] or "-",
                                 "year": rec["year"] or "-", "first": first_row[key]})

    def _long(self, ids: np.ndarray, rounds: np.ndarray, years: np.ndarray, names: np.ndarray,
              roles: dict[str, int], profile_cols: dict[str, int]) -> dict[str, Any]:
        ind_col, ans_col = roles["indicator"], roles["answer"]
        ids_by_key = {header_key(i): i for i in self.q.indicator_ids}
        codes, uniques = self.column(ind_col)
        position = {ind: j for j, ind in enumerate(self.q.indicator_ids)}
        ind_index = np.array([position.get(match_indicator(u, ids_by_key) or "", -1)
                              for u in uniques] + [-1], dtype=np.int64)[codes]
        for r in np.flatnonzero(ind_index < 0):
            value = display(uniques[codes[r]]) if codes[r] >= 0 else ""
            self.row_problems.append((int(r), self.located(
                "ROW-006", ind_col, int(r), supplier_id=ids[r] or None, value=value,
                params={"value": value, "hint": did_you_mean(value, self.q.indicator_ids)})))
        key_frame = pd.DataFrame({"supplier_id": ids, "round": rounds,
                                  "year": np.asarray(years, dtype=object)}).astype(str)
        record_codes, record_keys = pd.factorize(
            pd.MultiIndex.from_frame(key_frame), use_na_sentinel=False)
        n, k = len(record_keys), len(self.q.indicator_ids)
        first = pd.Series(np.arange(len(ids))).groupby(record_codes).first().to_numpy()
        name_of = pd.Series(np.where(names == "", NONE, names)).groupby(record_codes).first()
        records = records_frame(ids[first], name_of.reindex(range(n)).fillna("").to_numpy(),
                                rounds[first], years[first], self.excel_rows[first])
        answers = _values(self.column(ans_col))
        raw = np.full((n, k), None, dtype=object)
        cell_rows = np.zeros((n, k), dtype=np.int64)
        valid = ind_index >= 0
        flat = record_codes[valid] * k + ind_index[valid]
        dup = pd.Series(flat).duplicated(keep="first").to_numpy()
        valid_rows = np.flatnonzero(valid)
        if dup.any():
            first_of = dict(zip(flat[~dup].tolist(), valid_rows[~dup].tolist(), strict=True))
            for r, cell in zip(valid_rows[dup], flat[dup], strict=True):
                j = int(ind_index[r])
                self.problem("ROW-007", cell=f"{self.sheet.letter(ind_col)}{self.excel_rows[r]}",
                             row=int(self.excel_rows[r]), column=ind_col + 1, supplier_id=ids[r],
                             indicator=self.q.indicator_ids[j], record=int(record_codes[r]),
                             params={"indicator": self.q.indicator_ids[j],
                                     "first": int(self.excel_rows[first_of[int(cell)]])})
        kept = valid_rows[~dup]
        raw.reshape(-1)[flat[~dup]] = answers[kept]
        cell_rows.reshape(-1)[flat[~dup]] = self.excel_rows[kept]
        encoded = []
        for j in range(k):
            col_codes, col_uniques = pd.factorize(raw[:, j], use_na_sentinel=True)
            encoded.append((col_codes.astype(np.int64), np.asarray(col_uniques, dtype=object)))
        letters = [self.sheet.letter(ans_col)] * k
        profile_raw = {pid: (_values(self.column(c))[first], self.sheet.letter(c))
                       for pid, c in profile_cols.items()}
        return self._finish(records, encoded, cell_rows, letters, profile_raw,
                            self.excel_rows[first], record_codes)

    # -- profile, answers, applicability ------------------------------------------------
    def _finish(self, records: pd.DataFrame, encoded: list[Encoded], cell_rows: np.ndarray,
                letters: list[str], profile_raw: dict[str, tuple[np.ndarray, str]],
                record_rows: np.ndarray, body_to_record: np.ndarray) -> dict[str, Any]:
        n, k = len(records), len(encoded)
        encoded = self._percent_cells(records, encoded, letters)
        for r, problem in self.row_problems:
            record = int(body_to_record[r])
            self.problems.append(replace(problem, record=record,
                                         supplier_id=records["supplier_id"].iloc[record] or None))
        profile = pd.DataFrame(index=range(n))
        self.profile_bad = np.zeros(n, dtype=bool)  # records whose profile is invalid or blank
        for field_def in self.q.model.profile:
            values, letter = profile_raw[field_def.id]
            profile[field_def.id] = self._profile_column(field_def.id, field_def.type, values,
                                                         letter, records, record_rows)
            if field_def.id in self.q.profile_values:
                profile[field_def.id] = self._declared_values(field_def.id, profile[field_def.id],
                                                              values, letter, records, record_rows)
        status = np.empty((n, k), dtype=np.int8, order="F")
        points = np.empty((n, k), dtype=np.float64, order="F")
        codes_matrix = np.empty((n, k), dtype=np.int32, order="F")
        na_answer = np.empty((n, k), dtype=bool, order="F")
        raw_lookups: list[np.ndarray] = []
        answer_lookups: list[np.ndarray] = []
        invalid: list[tuple[int, np.ndarray, list[Parsed]]] = []
        tables: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for j, indicator in enumerate(self.q.indicators):  # each distinct spelling, once
            matcher = self.q.matchers[indicator.id]
            codes, uniques = encoded[j]
            parsed = [parse_cell(u, matcher, indicator.na_allowed) for u in uniques]
            parsed.append(Parsed(MISSING))  # code -1: the last entry
            tables.append((np.array([p.status for p in parsed], dtype=np.int8),
                           np.array([p.points for p in parsed], dtype=np.float64),
                           np.array([p.answer == "n/a" for p in parsed])))
            raw_lookups.append(lookup(list(uniques)))
            answer_lookups.append(lookup([p.answer for p in parsed[:-1]]))
            if any(p.status == INVALID for p in parsed):
                invalid.append((j, codes, parsed))

        def fill(j: int) -> None:  # numpy's take drops the GIL: columns fill on every core
            codes = encoded[j][0]
            np.take(tables[j][0], codes, out=status[:, j], mode="wrap")
            np.take(tables[j][1], codes, out=points[:, j], mode="wrap")
            np.take(tables[j][2], codes, out=na_answer[:, j], mode="wrap")
            codes_matrix[:, j] = codes

        run(fill, range(k), thread_count(n * k, 1_000_000))
        raw = Coded(codes_matrix, raw_lookups)
        applies = applicability(self.q, profile)
        ids = records["supplier_id"].to_numpy()
        for j, codes, parsed in invalid:
            bad = np.array([p.status == INVALID for p in parsed])[codes] & applies[:, j]
            indicator = self.q.indicators[j]
            matcher = self.q.matchers[indicator.id]
            expected = {lang: matcher.expected(lang)
                        + (f", {label('na', lang)}" if indicator.na_allowed else "") for lang in ("ko", "en")}
            listed, beyond = self._capped(np.flatnonzero(bad))
            for i in listed:
                p = parsed[codes[i]]
                value = display(raw.value(i, j))
                self.problem(p.code or "ANS-001", cell=f"{letters[j]}{cell_rows[i, j]}",
                             row=int(cell_rows[i, j]), supplier_id=ids[i],
                             indicator=indicator.id, value=value, record=int(i),
                             params={"value": value, "expected": expected, **p.params})
            self._more("ANS-012", beyond, j, letters, cell_rows[:, j], expected)
        ignored = ((status == ANSWERED) | (status == INVALID)) & ~applies & ~na_answer
        ignored &= ~self.profile_bad[:, None]  # applicability unknown: the profile error says why
        for j, rows in self._ignored_by_part(ignored):
            if len(rows) > IGNORED_PER_CELL:  # one line per indicator, not thousands
                cells = ", ".join(f"{letters[j]}{cell_rows[i, j]}" for i in rows[:3])
                self.problem("ANS-011", severity="warning",
                             cell=f"{letters[j]}{cell_rows[rows[0], j]}",
                             row=int(cell_rows[rows[0], j]), indicator=self.q.indicator_ids[j],
                             record=int(rows[0]), params={"count": len(rows), "cells": cells})
                continue
            for i in rows:
                value = display(raw.value(i, j))
                self.problem("ANS-007", severity="warning", cell=f"{letters[j]}{cell_rows[i, j]}",
                             row=int(cell_rows[i, j]), supplier_id=ids[i],
                             indicator=self.q.indicator_ids[j], value=value, record=int(i),
                             params={"value": value})
        self._bad_cells(records, letters, cell_rows)
        status[~applies] = MISSING
        points[~applies] = 0.0
        answer_codes = codes_matrix.copy()
        answer_codes[~applies] = -1
        answers = Coded(answer_codes, answer_lookups)
        if self.q.model.missing == "error":
            blank = (status == MISSING) & applies
            for column in np.flatnonzero(blank.any(axis=0)).tolist():
                listed, beyond = self._capped(np.flatnonzero(blank[:, column]))
                rows_of = np.where(cell_rows[:, column] > 0, cell_rows[:, column], record_rows)
                for i in listed:
                    row = int(rows_of[i])
                    self.problem("ANS-006", cell=f"{letters[column]}{row}", row=row,
                                 supplier_id=ids[i], indicator=self.q.indicator_ids[column],
                                 record=int(i))
                self._more("ANS-013", beyond, column, letters, rows_of, None)
        self.problems.sort(key=lambda p: (p.severity != "error", p.row or 0, p.column or 0,
                                          p.cell or ""))
        return {"records": records, "profile": profile, "status": status, "points": points,
                "answers": answers, "raw": raw, "applicable": applies, "cell_rows": cell_rows,
                "answer_columns": letters, "problems": self.problems}

    def _capped(self, records: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """``records`` (ascending) split into those listed one by one, at most
        CELLS_PER_COLUMN of each file of a stacked sheet, and each file's records beyond that:
        a sheet of 100,000 suppliers that all answered one column wrongly gives a thousand
        lines and a count, not 100,000 problems (millions of them ran out of memory)."""
        if records.size <= CELLS_PER_COLUMN:
            return records, []
        if self.parts is None:
            return records[:CELLS_PER_COLUMN], [records[CELLS_PER_COLUMN:]]
        keys = self.parts[records]
        order = np.argsort(keys, kind="stable")
        starts = np.flatnonzero(np.r_[True, keys[order][1:] != keys[order][:-1]])
        listed: list[np.ndarray] = []
        beyond: list[np.ndarray] = []
        for group in np.split(order, starts[1:]):
            listed.append(records[group[:CELLS_PER_COLUMN]])
            if group.size > CELLS_PER_COLUMN:
                beyond.append(records[group[CELLS_PER_COLUMN:]])
        return np.sort(np.concatenate(listed)), beyond

    def _more(self, code: str, beyond: list[np.ndarray], j: int, letters: list[str],
              rows_of: np.ndarray, expected: dict[str, str] | None) -> None:
        """One problem per file for the records of column ``j`` past the listed ones
        (``rows_of``: each record's row in that column)."""
        for records in beyond:
            rows = [int(rows_of[i]) for i in records[:3]]
            cells = ", ".join(f"{letters[j]}{r}" for r in rows)
            self.problem(code, cell=f"{letters[j]}{rows[0]}", row=rows[0],
                         indicator=self.q.indicator_ids[j], record=int(records[0]),
                         covers=tuple(records[1:].tolist()),
                         params={"count": int(records.size), "cells": cells,
                                 **({"expected": expected} if expected else {})})

    def _ignored_by_part(self, ignored: np.ndarray) -> list[tuple[int, np.ndarray]]:
        """(indicator column, records) whose answers are ignored, per file of a stacked sheet:
        each file is told about its own cells, as if it had been read alone."""
        out = []
        parts = self.parts
        for j in np.flatnonzero(ignored.any(axis=0)):
            rows = np.flatnonzero(ignored[:, j])
            if parts is None:
                out.append((int(j), rows))
                continue
            for part in dict.fromkeys(parts[rows].tolist()):
                out.append((int(j), rows[parts[rows] == part]))
        return out

    def _percent_cells(self, records: pd.DataFrame, encoded: list[Encoded],
                       letters: list[str]) -> list[Encoded]:
        """A percent-formatted cell stores 0.25 for what the supplier saw as 25%: for `%`
        number indicators, read it as the supplier saw it."""
        percent = {key: v for key, (kind, v) in self.bad_cells.items() if kind == "percent"}
        if not percent or self.layout != "wide":
            return encoded
        record_of_row = {int(r): i for i, r in enumerate(records["excel_row"].tolist())}
        column_of = {letter: j for j, letter in enumerate(letters)}
        encoded = list(encoded)
        for (letter, row), stored in percent.items():
            j, i = column_of.get(letter), record_of_row.get(row)
            if j is None or i is None:
                continue
            matcher = self.q.matchers[self.q.indicator_ids[j]]
            number = parse_number(stored)
            if getattr(getattr(matcher, "scale", None), "unit", None) != "%" or number is None:
                continue
            codes, uniques = encoded[j]
            codes = codes.copy()
            codes[i] = len(uniques)
            encoded[j] = (codes, np.append(uniques, np.array([f"{number * 100:g}%"], dtype=object)))
        return encoded

    def _bad_cells(self, records: pd.DataFrame, letters: list[str], cell_rows: np.ndarray) -> None:
        """Excel errors and formulas without a value in answer cells: errors, not blanks."""
        if not self.bad_cells or self.layout != "wide":
            return
        record_of_row = {int(r): i for i, r in enumerate(records["excel_row"].tolist())}
        column_of = {letter: j for j, letter in enumerate(letters)}
        ids = records["supplier_id"].to_numpy()
        by_column: dict[int, list[tuple[int, int, str, str]]] = {}
        for (letter, row), (kind, text) in self.bad_cells.items():
            i, j = record_of_row.get(row), column_of.get(letter)
            if kind != "percent" and i is not None and j is not None:
                by_column.setdefault(j, []).append((i, row, kind, text))
        for j, found in sorted(by_column.items()):
            found.sort()
            listed, beyond = self._capped(np.array([i for i, _, _, _ in found], dtype=np.intp))
            judged = {i: (row, kind, text) for i, row, kind, text in found}
            for i in listed.tolist():
                row, kind, text = judged[i]
                self.problem("ANS-009" if kind == "error" else "ANS-010", cell=f"{letters[j]}{row}",
                             row=row, supplier_id=ids[i], indicator=self.q.indicator_ids[j],
                             value=text, record=i, params={"value": text})
            self._more("ANS-014", beyond, j, letters, cell_rows[:, j], None)

    def _profile_column(self, field_id: str, kind: str, values: np.ndarray, letter: str,
                        records: pd.DataFrame, record_rows: np.ndarray) -> pd.Series:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        typed: list[Any] = []
        bad: list[str | None] = []
        for value in uniques:
            result, code = profile_value(value, kind)
            typed.append(result)
            bad.append(code)
        typed.append(None)
        bad.append("ROW-005")
        lookup = np.empty(len(typed), dtype=object)
        lookup[:] = typed
        column = lookup[codes]
        bad_codes = np.array([b is not None for b in bad])[codes]
        self.profile_bad |= bad_codes
        for i in np.flatnonzero(bad_codes):
            value = display(values[i])
            self.problem(bad[codes[i]] or "ROW-004", cell=f"{letter}{record_rows[i]}",
                         row=int(record_rows[i]), supplier_id=records["supplier_id"].iloc[i],
                         value=value, record=int(i),
                         params={"name": field_id, "value": value, "type": kind})
        if kind in ("integer", "number"):
            return pd.Series(column, dtype="float64")
        return pd.Series(column, dtype="object")


    def _declared_values(self, field_id: str, column: pd.Series, values: np.ndarray, letter: str,
                         records: pd.DataFrame, record_rows: np.ndarray) -> pd.Series:
        """A field with declared values (SPEC §2): each spelling -> its canonical value; a value
        outside them is an invalid answer, located, with close matches."""
        declared = self.q.profile_values[field_id]
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        canonical = [declared.canonical(u) for u in uniques]
        lookup = np.array([*canonical, None], dtype=object)
        out = lookup[codes]
        field = declared.field
        title = {lang: f"{field.title.get(lang)} ({field_id})" if field.title else field_id
                 for lang in ("ko", "en")}
        expected = {lang: declared.expected(lang) for lang in ("ko", "en")}
        unknown = np.array([c is None for c in canonical] + [False])  # blanks: ROW-005 already
        for i in np.flatnonzero(unknown[codes]):
            value = display(values[i])
            hint = {lang: " (→ " + ", ".join(f"'{c}'" for c in close) + "?)" if close else ""
                    for lang in ("ko", "en") for close in [declared.close_matches(value, lang)]}
            self.profile_bad[i] = True
            self.problem("PRF-001", cell=f"{letter}{record_rows[i]}", row=int(record_rows[i]),
                         supplier_id=records["supplier_id"].iloc[i], value=value, record=int(i),
                         params={"title": title, "value": value, "hint": hint,
                                 "expected": expected})
        return pd.Series(out, dtype="object")


def parse_cell(value: Any, matcher: Matcher, na_allowed: bool) -> Parsed:
    if is_blank(value):
        return Parsed(MISSING)
    token = normalise(value)
    if is_na(token):
        return Parsed(NA if na_allowed else INVALID, answer="n/a",
                      code=None if na_allowed else "ANS-002")
    return matcher.parse(value)


def profile_value(value: Any, kind: str) -> tuple[Any, str | None]:
    if is_blank(value):
        return None, "ROW-005"
    if kind in ("integer", "number"):
        number = parse_number(value)
        if number is None or (kind == "integer" and number != int(number)):
            return None, "ROW-004"
        return number, None
    if kind == "boolean":
        token = normalise(value)
        if token in ("yes", "y", "true", "1", "예", "o"):
            return True, None
        if token in ("no", "n", "false", "0", "아니오", "x"):
            return False, None
        return None, "ROW-004"
    return normalise(value), None


def records_frame(ids: np.ndarray, names: np.ndarray, rounds: np.ndarray, years: np.ndarray,
                  excel_rows: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "supplier_id": pd.Series(ids, dtype=object),
        "supplier_name": pd.Series(names, dtype=object),
        "round": pd.Series(np.where(rounds == "", NONE, rounds), dtype=object),
        "year": pd.Series(years, dtype=object),
        "excel_row": pd.Series(excel_rows, dtype=np.int64),
    })
