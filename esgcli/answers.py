"""Reading an answers workbook against a questionnaire (SPEC §3–4).

``read_answers`` returns an :class:`AnswerSet`: one record per supplier and round, the parsed
status and points of every answer (suppliers × indicators matrices) and every problem found,
each located by file, sheet and cell. Columns are parsed by distinct value, never cell by cell.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .applicability import applicability
from .problems import InputError, Problem, did_you_mean, errors_of
from .questionnaire import Questionnaire
from .scales import ANSWERED, INVALID, MISSING, NA, Parsed
from .tokens import clean_id, display, header_key, is_blank, is_na, normalise, parse_number
from .workbook import Sheet, Workbook, column_letter, open_workbook

HEADER_SEARCH_ROWS = 20
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "supplier_id": ("supplier_id", "supplier id", "supplier code", "협력사코드", "업체코드",
                    "사업자등록번호"),
    "supplier_name": ("supplier_name", "supplier name", "협력사명", "업체명", "회사명"),
    "round": ("round", "차수", "구분", "진단차수"),
    "year": ("year", "연도", "사업연도"),
    "indicator": ("indicator", "indicator_id", "지표", "지표코드"),
    "answer": ("answer", "응답", "응답값"),
}


def _alias_key(value: Any) -> str:
    return re.sub(r"[\s_]+", "", header_key(value))


ROLE_BY_KEY = {_alias_key(a): role for role, aliases in ROLE_ALIASES.items() for a in aliases}


@dataclass(frozen=True)
class Source:
    file: str
    path: str
    sheet: str
    sha256: str
    layout: str  # "wide" | "long"

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "sheet": self.sheet, "sha256": self.sha256}


@dataclass(frozen=True)
class AnswerSet:
    """Parsed answers: records (supplier × round) by indicators."""

    questionnaire: Questionnaire
    source: Source
    records: pd.DataFrame  # supplier_id, supplier_name, round, year, excel_row
    profile: pd.DataFrame  # one typed column per profile field
    status: np.ndarray  # int8 (n, k): MISSING, NA, ANSWERED, INVALID
    points: np.ndarray  # float64 (n, k)
    answers: np.ndarray  # object (n, k): the answer as read (canonical), None if blank
    raw: np.ndarray  # object (n, k): the cell as typed
    applicable: np.ndarray  # bool (n, k)
    cell_rows: np.ndarray  # int (n, k): Excel row of each answer, 0 when absent
    answer_columns: list[str]  # column letter of each indicator's answers
    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.records)

    @property
    def errors(self) -> list[Problem]:
        return errors_of(self.problems)

    def cell(self, i: int, j: int) -> str:
        return f"{self.answer_columns[j]}{int(self.cell_rows[i, j])}"

    def invalid_records(self) -> list[int]:
        return sorted({p.record for p in self.errors if p.record is not None})

    def select(self, mask: np.ndarray) -> AnswerSet:
        """The records where ``mask`` is True (problems of other records dropped)."""
        index = np.flatnonzero(mask)
        position = {int(old): new for new, old in enumerate(index)}
        problems = [p if p.record is None else replace(p, record=position[p.record])
                    for p in self.problems if p.record is None or p.record in position]
        return replace(
            self, records=self.records.iloc[index].reset_index(drop=True),
            profile=self.profile.iloc[index].reset_index(drop=True),
            status=self.status[index], points=self.points[index], answers=self.answers[index],
            raw=self.raw[index], applicable=self.applicable[index],
            cell_rows=self.cell_rows[index], problems=problems)

    def restrict(self, questionnaire: Questionnaire) -> AnswerSet:
        """Only the indicators of ``questionnaire`` (a restriction of ours)."""
        position = {ident: j for j, ident in enumerate(self.questionnaire.indicator_ids)}
        cols = np.array([position[i] for i in questionnaire.indicator_ids], dtype=np.int64)
        return replace(
            self, questionnaire=questionnaire, status=self.status[:, cols],
            points=self.points[:, cols], answers=self.answers[:, cols], raw=self.raw[:, cols],
            applicable=self.applicable[:, cols], cell_rows=self.cell_rows[:, cols],
            answer_columns=[self.answer_columns[j] for j in cols])

    def rounds(self) -> list[str | None]:
        return list(dict.fromkeys(self.records["round"].tolist()))

    def require_valid(self) -> None:
        if self.errors:
            raise InputError(self.problems)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_answers(path: str | Path, questionnaire: Questionnaire,
                 sheet: str | None = None) -> AnswerSet:
    """Read every answer of a workbook; problems are collected in the result, not raised.

    Only a file that cannot be read at all (not a workbook, no header row, missing columns)
    raises :class:`InputError`.
    """
    path = Path(path)
    book = open_workbook(path)
    grid, header_row = _find_sheet(book, sheet)
    reader = _SheetReader(book, grid, header_row, questionnaire)
    result = reader.read()
    source = Source(file=path.name, path=str(path), sheet=grid.name,
                    sha256=file_sha256(path), layout=reader.layout)
    return replace(result, source=source, problems=book.warnings + result.problems)


def _find_sheet(book: Workbook, wanted: str | None) -> tuple[Sheet, int]:
    if wanted is not None:
        if wanted not in book.sheet_names:
            raise InputError([Problem(code="WB-005", file=book.file, params={
                "sheet": wanted, "available": ", ".join(book.sheet_names)})])
        names = [wanted]
    else:
        names = book.sheet_names
    for name in names:
        grid = book.load(name)
        row = find_header_row(grid.cells)
        if row is not None:
            return grid, row
    raise InputError([Problem(code="WB-006", file=book.file,
                              sheet=wanted if wanted else None,
                              params={"rows": HEADER_SEARCH_ROWS})])


def find_header_row(cells: np.ndarray) -> int | None:
    """Index of the first row, within the first 20, holding a supplier-id header."""
    for r in range(min(HEADER_SEARCH_ROWS, cells.shape[0])):
        for value in cells[r]:
            if isinstance(value, str) and ROLE_BY_KEY.get(_alias_key(value)) == "supplier_id":
                return r
    return None


def match_indicator(text: Any, ids_by_key: dict[str, str]) -> str | None:
    """`E-1-1`, `E-1-1 환경경영`, `E-1-1: ...`, `E-1-1. ...` -> `E-1-1` (longest id wins)."""
    key = header_key(text)
    if not key:
        return None
    if key in ids_by_key:
        return ids_by_key[key]
    for i in range(len(key) - 1, 0, -1):
        if key[i] in " :." and key[:i] in ids_by_key:
            return ids_by_key[key[:i]]
    return None


class _SheetReader:
    """Turns the cells below a header row into an AnswerSet."""

    def __init__(self, book: Workbook, grid: Sheet, header_row: int,
                 questionnaire: Questionnaire) -> None:
        self.book, self.grid, self.header_row, self.q = book, grid, header_row, questionnaire
        self.problems: list[Problem] = []
        self.row_problems: list[tuple[int, Problem]] = []  # (body row, problem)
        self.layout = "wide"

    def problem(self, code: str, severity: str = "error", **kw: Any) -> None:
        self.problems.append(Problem(code=code, severity=severity,  # type: ignore[arg-type]
                                     file=self.book.file, sheet=self.grid.name, **kw))

    # -- header -------------------------------------------------------------------------
    def _map_header(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        header = self.grid.cells[self.header_row]
        ids_by_key = {header_key(i): i for i in self.q.indicator_ids}
        profile_keys: dict[str, str] = {}
        for p in self.q.model.profile:
            for text in [p.id, *(p.title.texts() if p.title else [])]:
                profile_keys.setdefault(_alias_key(text), p.id)
        roles: dict[str, int] = {}
        profile: dict[str, int] = {}
        indicators: dict[str, int] = {}
        ignored: list[str] = []
        header_cell = self.header_row + 1
        for j, value in enumerate(header):
            if is_blank(value):
                continue
            akey = _alias_key(value)
            if akey in ROLE_BY_KEY:
                target, name = roles, ROLE_BY_KEY[akey]
            elif akey in profile_keys:
                target, name = profile, profile_keys[akey]
            elif (ind := match_indicator(value, ids_by_key)) is not None:
                target, name = indicators, ind
            else:
                ignored.append(f"{column_letter(j)} '{display(value)}'")
                continue
            if name in target:
                first = column_letter(target[name])
                self.problem("HDR-004", cell=f"{column_letter(j)}{header_cell}",
                             row=header_cell, column=j + 1, value=display(value),
                             params={"name": name, "first": first, "second": column_letter(j)})
                continue
            target[name] = j
        if ignored:
            self.problem("HDR-003", severity="warning", row=header_cell,
                         params={"headers": ", ".join(ignored)})
        return roles, profile, indicators

    # -- reading ------------------------------------------------------------------------
    def read(self) -> AnswerSet:
        roles, profile_cols, indicator_cols = self._map_header()
        self.layout = "long" if ("indicator" in roles or "answer" in roles) else "wide"
        fatal: list[Problem] = []
        header_cell = self.header_row + 1
        for p in self.q.model.profile:
            if p.id not in profile_cols:
                title = p.title.get(self.q.language) if p.title else p.id
                fatal.append(Problem(code="HDR-002", file=self.book.file, sheet=self.grid.name,
                                     row=header_cell, params={"name": p.id, "title": title}))
        if self.layout == "long":
            if "indicator" not in roles or "answer" not in roles:
                fatal.append(Problem(code="HDR-005", file=self.book.file, sheet=self.grid.name,
                                     row=header_cell))
        else:
            absent = [i for i in self.q.indicator_ids if i not in indicator_cols]
            if absent:
                fatal.append(Problem(code="HDR-001", file=self.book.file, sheet=self.grid.name,
                                     row=header_cell, params={"ids": ", ".join(absent)}))
        if fatal or errors_of(self.problems):
            raise InputError(self.problems + fatal)

        body = self.grid.cells[self.header_row + 1:]
        excel_rows = np.arange(self.header_row + 2, self.header_row + 2 + body.shape[0])
        id_col = roles["supplier_id"]
        ids = _clean_column(body[:, id_col], clean_id)
        blank_id = ids == ""
        if blank_id.any():
            non_empty = np.array([not all(is_blank(v) for v in body[r]) if blank_id[r] else True
                                  for r in range(len(body))])
            body, excel_rows, ids = body[non_empty], excel_rows[non_empty], ids[non_empty]
            for r in np.flatnonzero(ids == ""):
                self.row_problems.append((int(r), Problem(
                    code="ROW-001", file=self.book.file, sheet=self.grid.name,
                    cell=f"{column_letter(id_col)}{excel_rows[r]}", row=int(excel_rows[r]),
                    column=id_col + 1)))

        rounds = (_clean_column(body[:, roles["round"]], clean_id) if "round" in roles
                  else np.full(len(body), "", dtype=object))
        years = self._years(body, roles, excel_rows)
        names = (_clean_column(body[:, roles["supplier_name"]], clean_id)
                 if "supplier_name" in roles else np.full(len(body), "", dtype=object))
        if self.layout == "long":
            return self._long(body, excel_rows, ids, rounds, years, names, roles, profile_cols)
        records = _records_frame(ids, names, rounds, years, excel_rows)
        raw = np.empty((len(body), len(self.q.indicator_ids)), dtype=object)
        for j, ind in enumerate(self.q.indicator_ids):
            raw[:, j] = body[:, indicator_cols[ind]]
        cell_rows = np.repeat(excel_rows[:, None], len(self.q.indicator_ids), axis=1)
        letters = [column_letter(indicator_cols[i]) for i in self.q.indicator_ids]
        profile_raw = {pid: (body[:, c], column_letter(c)) for pid, c in profile_cols.items()}
        self._duplicates(records, id_col)
        return self._finish(records, raw, cell_rows, letters, profile_raw, excel_rows,
                            np.arange(len(body)))

    def _years(self, body: np.ndarray, roles: dict[str, int], excel_rows: np.ndarray) -> np.ndarray:
        years = np.full(len(body), None, dtype=object)
        if "year" not in roles:
            return years
        col = roles["year"]
        codes, uniques = pd.factorize(body[:, col], use_na_sentinel=True)
        parsed: list[int | None] = []
        bad: list[bool] = []
        for value in uniques:
            if is_blank(value):
                parsed.append(None)
                bad.append(False)
                continue
            number = parse_number(value)
            ok = number is not None and number == int(number) and 1900 <= number <= 2200
            parsed.append(int(number) if ok else None)  # type: ignore[arg-type]
            bad.append(not ok)
        lookup = np.array(parsed + [None], dtype=object)
        years = lookup[codes]
        bad_codes = [k for k, b in enumerate(bad) if b]
        if bad_codes:
            for r in np.flatnonzero(np.isin(codes, bad_codes)):
                value = display(body[r, col])
                self.row_problems.append((int(r), Problem(
                    code="ROW-003", file=self.book.file, sheet=self.grid.name,
                    cell=f"{column_letter(col)}{excel_rows[r]}", row=int(excel_rows[r]),
                    column=col + 1, value=value, params={"value": value})))
        return years

    def _duplicates(self, records: pd.DataFrame, id_col: int) -> None:
        keys = records[["supplier_id", "round", "year"]].astype(str)
        dup = keys.duplicated(keep=False).to_numpy()
        if not dup.any():
            return
        first_row: dict[tuple[str, ...], int] = {}
        for i in np.flatnonzero(dup):
            key = tuple(keys.iloc[i])
            row = int(records["excel_row"].iloc[i])
            if key not in first_row:
                first_row[key] = row
                continue
            rec = records.iloc[i]
            self.problem("ROW-002", cell=f"{column_letter(id_col)}{row}", row=row,
                         column=id_col + 1, supplier_id=rec["supplier_id"], record=int(i),
                         params={"supplier": rec["supplier_id"], "round": rec["round"] or "-",
                                 "year": rec["year"] or "-", "first": first_row[key]})

    def _long(self, body: np.ndarray, excel_rows: np.ndarray, ids: np.ndarray,
              rounds: np.ndarray, years: np.ndarray, names: np.ndarray, roles: dict[str, int],
              profile_cols: dict[str, int]) -> AnswerSet:
        self.layout = "long"
        ind_col, ans_col = roles["indicator"], roles["answer"]
        ids_by_key = {header_key(i): i for i in self.q.indicator_ids}
        codes, uniques = pd.factorize(body[:, ind_col], use_na_sentinel=True)
        position = {ind: j for j, ind in enumerate(self.q.indicator_ids)}
        ind_index = np.array([position.get(match_indicator(u, ids_by_key) or "", -1)
                              for u in uniques] + [-1], dtype=np.int64)[codes]
        for r in np.flatnonzero(ind_index < 0):
            value = display(body[r, ind_col])
            self.problem("ROW-006", cell=f"{column_letter(ind_col)}{excel_rows[r]}",
                         row=int(excel_rows[r]), column=ind_col + 1, supplier_id=ids[r],
                         value=value, params={"value": value,
                                              "hint": did_you_mean(value, self.q.indicator_ids)})
        key_frame = pd.DataFrame({"supplier_id": ids, "round": rounds,
                                  "year": pd.array(years, dtype=object)}).astype(str)
        record_codes, record_keys = pd.factorize(
            pd.MultiIndex.from_frame(key_frame), use_na_sentinel=False)
        n, k = len(record_keys), len(self.q.indicator_ids)
        first = pd.Series(np.arange(len(body))).groupby(record_codes).first().to_numpy()
        name_of = pd.Series(np.where(names == "", None, names)).groupby(record_codes).first()
        records = _records_frame(ids[first], name_of.reindex(range(n)).fillna("").to_numpy(),
                                 rounds[first], years[first], excel_rows[first])
        raw = np.full((n, k), "", dtype=object)
        cell_rows = np.zeros((n, k), dtype=np.int64)
        valid = ind_index >= 0
        flat = record_codes[valid] * k + ind_index[valid]
        dup = pd.Series(flat).duplicated(keep="first").to_numpy()
        valid_rows = np.flatnonzero(valid)
        if dup.any():
            first_of = dict(zip(flat[~dup].tolist(), valid_rows[~dup].tolist(), strict=True))
            for r, cell in zip(valid_rows[dup], flat[dup], strict=True):
                j = int(ind_index[r])
                self.problem("ROW-007", cell=f"{column_letter(ind_col)}{excel_rows[r]}",
                             row=int(excel_rows[r]), column=ind_col + 1, supplier_id=ids[r],
                             indicator=self.q.indicator_ids[j], record=int(record_codes[r]),
                             params={"indicator": self.q.indicator_ids[j],
                                     "first": int(excel_rows[first_of[int(cell)]])})
        keep = valid_rows[~dup]
        raw.reshape(-1)[flat[~dup]] = body[keep, ans_col]
        cell_rows.reshape(-1)[flat[~dup]] = excel_rows[keep]
        letters = [column_letter(ans_col)] * k
        profile_raw = {pid: (body[first, c], column_letter(c)) for pid, c in profile_cols.items()}
        return self._finish(records, raw, cell_rows, letters, profile_raw, excel_rows[first],
                            record_codes)

    # -- profile, answers, applicability ------------------------------------------------
    def _finish(self, records: pd.DataFrame, raw: np.ndarray, cell_rows: np.ndarray,
                letters: list[str], profile_raw: dict[str, tuple[np.ndarray, str]],
                record_rows: np.ndarray, body_to_record: np.ndarray) -> AnswerSet:
        n, k = raw.shape
        for r, problem in self.row_problems:
            record = int(body_to_record[r])
            self.problems.append(replace(problem, record=record,
                                         supplier_id=records["supplier_id"].iloc[record] or None))
        profile = pd.DataFrame(index=range(n))
        for field_def in self.q.model.profile:
            values, letter = profile_raw[field_def.id]
            profile[field_def.id] = self._profile_column(field_def.id, field_def.type, values,
                                                         letter, records, record_rows)
        status = np.zeros((n, k), dtype=np.int8)
        points = np.zeros((n, k), dtype=np.float64)
        answers = np.full((n, k), None, dtype=object)
        invalid: list[tuple[int, np.ndarray, list[Parsed]]] = []
        for j, indicator in enumerate(self.q.indicators):
            matcher = self.q.matchers[indicator.id]
            codes, uniques = pd.factorize(raw[:, j], use_na_sentinel=True)
            parsed = [_parse(u, matcher, indicator.na_allowed) for u in uniques]
            parsed.append(Parsed(MISSING))
            status[:, j] = np.array([p.status for p in parsed], dtype=np.int8)[codes]
            points[:, j] = np.array([p.points for p in parsed], dtype=np.float64)[codes]
            answers[:, j] = np.array([p.answer for p in parsed] , dtype=object)[codes]
            if any(p.status == INVALID for p in parsed):
                invalid.append((j, codes, parsed))
        applies = applicability(self.q, profile)
        ids = records["supplier_id"].to_numpy()
        for j, codes, parsed in invalid:
            bad = np.array([p.status == INVALID for p in parsed])[codes] & applies[:, j]
            indicator = self.q.indicators[j]
            matcher = self.q.matchers[indicator.id]
            na_text = {"ko": ", 해당없음", "en": ", N/A"} if indicator.na_allowed else None
            expected = {lang: matcher.expected(lang) + (na_text[lang] if na_text else "")
                        for lang in ("ko", "en")}
            for i in np.flatnonzero(bad):
                p = parsed[codes[i]]
                value = display(raw[i, j])
                self.problem(p.code or "ANS-001", cell=f"{letters[j]}{cell_rows[i, j]}",
                             row=int(cell_rows[i, j]), supplier_id=ids[i],
                             indicator=indicator.id, value=value, record=int(i),
                             params={"value": value, "expected": expected, **p.params})
        ignored = ((status == ANSWERED) | (status == INVALID)) & ~applies & (answers != "n/a")
        for i, j in zip(*np.nonzero(ignored), strict=True):
            value = display(raw[i, j])
            self.problem("ANS-007", severity="warning", cell=f"{letters[j]}{cell_rows[i, j]}",
                         row=int(cell_rows[i, j]), supplier_id=ids[i],
                         indicator=self.q.indicator_ids[j], value=value, params={"value": value})
        status[~applies] = MISSING
        points[~applies] = 0.0
        answers[~applies] = None
        if self.q.model.missing == "error":
            for i, j in zip(*np.nonzero((status == MISSING) & applies), strict=True):
                self.problem("ANS-006", cell=f"{letters[j]}{cell_rows[i, j] or record_rows[i]}",
                             row=int(cell_rows[i, j] or record_rows[i]), supplier_id=ids[i],
                             indicator=self.q.indicator_ids[j], record=int(i))
        self.problems.sort(key=lambda p: (p.severity != "error", p.row or 0, p.column or 0,
                                          p.cell or ""))
        return AnswerSet(
            questionnaire=self.q, source=Source("", "", self.grid.name, "", self.layout),
            records=records, profile=profile, status=status, points=points, answers=answers,
            raw=raw, applicable=applies, cell_rows=cell_rows, answer_columns=letters,
            problems=self.problems)

    def _profile_column(self, field_id: str, kind: str, values: np.ndarray, letter: str,
                        records: pd.DataFrame, record_rows: np.ndarray) -> pd.Series:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        typed: list[Any] = []
        bad: list[str | None] = []
        for value in uniques:
            result, code = _profile_value(value, kind)
            typed.append(result)
            bad.append(code)
        typed.append(None)
        bad.append("ROW-005")
        column = np.array(typed, dtype=object)[codes]
        bad_codes = np.array([b is not None for b in bad])[codes]
        for i in np.flatnonzero(bad_codes):
            code = bad[codes[i]]
            value = display(values[i])
            self.problem(code or "ROW-004", cell=f"{letter}{record_rows[i]}",
                         row=int(record_rows[i]), supplier_id=records["supplier_id"].iloc[i],
                         value=value, record=int(i),
                         params={"name": field_id, "value": value, "type": kind})
        if kind in ("integer", "number"):
            return pd.Series(column, dtype="float64")
        if kind == "boolean":
            return pd.Series(column, dtype="object")
        return pd.Series(column, dtype="object")


def _parse(value: Any, matcher: Any, na_allowed: bool) -> Parsed:
    if is_blank(value):
        return Parsed(MISSING)
    token = normalise(value)
    if is_na(token):
        return Parsed(NA if na_allowed else INVALID, answer="n/a",
                      code=None if na_allowed else "ANS-002")
    return matcher.parse(value)


def _profile_value(value: Any, kind: str) -> tuple[Any, str | None]:
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


def _clean_column(values: np.ndarray, fn: Any) -> np.ndarray:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = np.array([fn(u) for u in uniques] + [""], dtype=object)
    return lookup[codes]


def _records_frame(ids: np.ndarray, names: np.ndarray, rounds: np.ndarray, years: np.ndarray,
                   excel_rows: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "supplier_id": pd.Series(ids, dtype=object),
        "supplier_name": pd.Series(names, dtype=object),
        "round": pd.Series(np.where(rounds == "", None, rounds), dtype=object),
        "year": pd.Series(years, dtype=object),
        "excel_row": pd.Series(excel_rows, dtype=np.int64),
    })


META_SHEET = "_esgcli"


def recorded_questionnaire(path: str | Path) -> str | None:
    """The questionnaire id that `esg template` recorded in a hidden sheet, if any."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods", ".xls"):
        return None
    try:
        book = open_workbook(path)
        if META_SHEET not in book.sheet_names:
            return None
        cells = book.load(META_SHEET).cells
    except InputError:
        return None
    for row in cells:
        if len(row) >= 2 and row[0] == "questionnaire_id" and isinstance(row[1], str):
            return row[1].strip() or None
    return None


def read_supplier_list(path: str | Path, questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """Suppliers to prefill a template with: id, name and profile values (raw) per row."""
    path = Path(path)
    book = open_workbook(path)
    grid, header_row = _find_sheet(book, None)
    header = grid.cells[header_row]
    profile_keys: dict[str, str] = {}
    for p in questionnaire.model.profile:
        for text in [p.id, *(p.title.texts() if p.title else [])]:
            profile_keys.setdefault(_alias_key(text), p.id)
    columns: dict[str, int] = {}
    for j, value in enumerate(header):
        key = _alias_key(value)
        name = ROLE_BY_KEY.get(key) or profile_keys.get(key)
        if name and name not in columns:
            columns[name] = j
    rows = []
    for row in grid.cells[header_row + 1:]:
        ident = clean_id(row[columns["supplier_id"]])
        if not ident:
            continue
        rows.append({
            "supplier_id": ident,
            "supplier_name": clean_id(row[columns["supplier_name"]]) if "supplier_name" in columns
            else "",
            "profile": {p.id: row[columns[p.id]] for p in questionnaire.model.profile
                        if p.id in columns and not is_blank(row[columns[p.id]])},
        })
    return rows
