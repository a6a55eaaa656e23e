"""Corrective action plans (개선과제, SPEC §13): build a plan, read it back, review it (pure).

`build_plan` turns every counted non-compliant indicator of the judged round (as `esg certify`
judges it) into an action; its priority is `critical`, then `to-qualify` for indicators in the
supplier's certify gap (:func:`esgcli.engine.certification.evaluate`, the one solver), then `other`.
`read_plan` reads a plan as the operator edited it (Excel or LibreOffice), collecting every bad
status or date as a located problem; `review_plan` reports closure, overdue actions and, with
follow-up answers, whether done actions made their indicators compliant.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from esgcli.answers.answerset import AnswerSet
from esgcli.base.cells import FORMULA_START
from esgcli.base.labels import group, label
from esgcli.base.problems import InputError, Problem, did_you_mean
from esgcli.base.tokens import clean_id
from esgcli.engine.certification import evaluate
from esgcli.engine.feedback import non_compliant
from esgcli.engine.scoring import score
from esgcli.engine.selection import choose_rounds
from esgcli.questionnaire.policy import Policy

PRIORITIES = ("critical", "to-qualify", "other")
STATUSES = ("not_started", "in_progress", "done", "on_hold")
COLUMNS = ("supplier_id", "supplier_name", "indicator", "area", "title", "answer", "passes_with",
           "priority", "owner", "due", "status", "note")
SHEET_NAMES = {lang: label("plan.sheet", lang) for lang in ("ko", "en")}
META_SHEET = "_esgcli"


def _key(text: Any) -> str:
    """Header/status spelling without case, width, spaces, underscores or hyphens."""
    value = unicodedata.normalize("NFKC", "" if text is None else str(text)).casefold()
    return re.sub(r"[\s_\-]+", "", value)


# a status or header is read back in either language (the English ones are the keys themselves)
STATUS_BY_KEY = {_key(s): s for s in STATUSES} | {
    _key(ko): s for s, (ko, _) in group("plan.status.").items()} | {_key("진행 중"): "in_progress"}
COLUMN_BY_KEY = {_key(c): c for c in COLUMNS} | {_key(ko): c for c, (ko, _) in group("plan.header.").items()}


def header(column: str, lang: str) -> str:
    return label(f"plan.header.{column}", lang)


def status_label(status: str, lang: str) -> str:
    return label(f"plan.status.{status}", lang)


def priority_label(priority: str, lang: str) -> str:
    return label(f"plan.priority.{priority}", lang)


# ---------------------------------------------------------------- the plan
@dataclass(frozen=True)
class Action:
    supplier_id: str
    supplier_name: str | None
    indicator: str
    area: str
    title: str
    answer: str | None
    passes_with: str
    priority: str
    owner: str | None = None
    due: dt.date | None = None
    status: str = "not_started"
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {c: (getattr(self, c).isoformat() if c == "due" and self.due else getattr(self, c))
                for c in COLUMNS}


@dataclass(frozen=True)
class ActionPlan:
    questionnaire: dict[str, str]
    round: str | None
    year: int | None
    policy: dict[str, str] | None
    lang: str
    actions: list[Action]
    suppliers: int  # judged suppliers, with or without actions
    not_evaluated: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # what was assumed (stderr, not JSON)

    def to_dict(self) -> dict[str, Any]:
        return {"questionnaire": self.questionnaire, "round": self.round, "year": self.year,
                "policy": self.policy, "suppliers": self.suppliers,
                "actions": [a.to_dict() for a in self.actions],
                "not_evaluated": self.not_evaluated}


def build_plan(data: AnswerSet, policy: Policy | None = None, due: dt.date | None = None,
               lang: str = "ko", round_name: str | None = None, before: str | None = None,
               after: str | None = None, year: int | None = None) -> ActionPlan:
    """One action per supplier and counted non-compliant indicator of the judged round;
    suppliers in id order, then priority, then questionnaire order."""
    choice = choose_rounds(data, round_name, before, after, year)
    judged = score(choice.judged)
    earlier = score(choice.before) if choice.before is not None else None
    gaps: dict[int, set[str]] = {}
    if policy is not None:
        for d in evaluate(policy, judged, earlier):
            gaps[d.index] = set(d.gap["indicators"]) if d.gap else set()
    order = {ident: j for j, ident in enumerate(data.questionnaire.indicator_ids)}
    ids = judged.records["supplier_id"].astype(str).tolist()
    names = judged.records["supplier_name"].tolist()
    actions: list[Action] = []
    for i in sorted(range(len(judged)), key=lambda i: ids[i]):
        rows = []
        for item in non_compliant(judged, i, lang):
            priority = ("critical" if item["critical"] else
                        "to-qualify" if item["indicator"] in gaps.get(i, set()) else "other")
            rows.append(Action(ids[i], names[i] or None, item["indicator"], item["area"],
                               item["title"], item["answer"], item["passes_with"], priority,
                               due=due))
        rows.sort(key=lambda a: (PRIORITIES.index(a.priority), order[a.indicator]))
        actions += rows
    years = sorted({int(y) for y in judged.records["year"].dropna()})
    q = data.questionnaire
    return ActionPlan(
        questionnaire=q.to_ref(), round=choice.judged_name,
        year=years[0] if len(years) == 1 else None,
        policy={"id": policy.id, "version": policy.version} if policy else None,
        lang=lang, actions=actions, suppliers=len(judged), not_evaluated=choice.not_evaluated,
        notes=choice.notes)


# ---------------------------------------------------------------- reading a plan back
@dataclass(frozen=True)
class PlanRow:
    supplier_id: str
    supplier_name: str | None
    indicator: str
    status: str
    due: dt.date | None
    cell: str  # the indicator's cell, for messages


@dataclass(frozen=True)
class ReadPlan:
    file: str
    sheet: str
    rows: list[PlanRow]
    meta: dict[str, str]


def _date(value: Any) -> dt.date | None | str:
    """A due date from a cell; the string 'bad' when it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel date serial (1954–2119) in a cell without format
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        return "bad"
    text = unicodedata.normalize("NFKC", str(value)).strip().rstrip(".")
    match = re.fullmatch(r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?:[ T]00:00(?::00)?)?",
                         text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return "bad"
    return "bad"


def read_plan(path: Path) -> ReadPlan:
    """Every action row of a plan workbook (.xlsx as written or re-saved by Excel or
    LibreOffice, or .ods); InputError with every bad status, date or row."""
    file = path.name
    sheets = _plan_sheets(path)
    meta: dict[str, str] = {}
    if META_SHEET in sheets:
        for row in sheets[META_SHEET]()[:50]:
            if len(row) >= 2 and isinstance(row[0], str) and row[1] is not None:
                meta[row[0]] = str(row[1])
    for name, load in sheets.items():
        if name == META_SHEET:
            continue
        rows, first = load(), 1
        while rows and not any(v is not None and str(v).strip() for v in rows[0]) and first < 20:
            rows, first = rows[1:], first + 1  # blank rows above the header
        found = _columns(rows[0] if rows else ())
        if found is not None:
            return ReadPlan(file, name, _rows(file, name, rows, found, first), meta)
    raise InputError([Problem(code="PLN-001", file=file)])


def _plan_sheets(path: Path) -> dict[str, Any]:
    """Sheet name -> a function returning its rows (from row 1, column A)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        from esgcli.answers.workbook import open_workbook

        book = open_workbook(path)  # .ods, .xls (and refusals of everything else)

        def grid(name: str) -> list[tuple[Any, ...]]:
            sheet = book.load(name)
            pad: list[tuple[Any, ...]] = [()] * sheet.row_offset
            return pad + [(None,) * sheet.col_offset + tuple(sheet.row(r))
                          for r in range(sheet.n_rows)]

        return {name: (lambda n=name: grid(n)) for name in book.sheet_names}
    from openpyxl import load_workbook

    from esgcli.answers.xlsx_checks import check_extent, zip_problem

    if not path.is_file():
        raise InputError([Problem(code="WB-001", file=str(path))])
    problem = zip_problem(path) or check_extent(path)
    if problem is not None:
        raise InputError([problem])
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook openpyxl can read
        raise InputError([Problem(code="WB-002", file=path.name,
                                  params={"detail": str(exc)[:200]})]) from None
    try:
        found = {name: [tuple(row) for row in book[name].iter_rows(values_only=True)]
                 for name in book.sheetnames}
    finally:
        book.close()
    return {name: (lambda rows=rows: rows) for name, rows in found.items()}


def _columns(head: tuple[Any, ...]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for j, value in enumerate(head):
        column = COLUMN_BY_KEY.get(_key(value))
        if column and column not in found:
            found[column] = j
    return found if {"supplier_id", "indicator", "status"} <= set(found) else None


def _rows(file: str, sheet: str, rows: list[tuple[Any, ...]], col: dict[str, int],
          first: int) -> list[PlanRow]:
    from esgcli.base.cells import column_letter

    def letter(j: int) -> str:
        return column_letter(j - 1)

    problems: list[Problem] = []
    out: list[PlanRow] = []
    seen: dict[tuple[str, str], int] = {}

    def cell(row: tuple[Any, ...], name: str) -> Any:
        j = col.get(name)
        value = row[j] if j is not None and j < len(row) else None
        if isinstance(value, str) and value[:1] == "'" and value[1:2].startswith(FORMULA_START):
            return value[1:]  # our own formula neutralising, undone
        return value

    for r, row in enumerate(rows[1:], start=first + 1):
        supplier = cell(row, "supplier_id")
        indicator = cell(row, "indicator")
        supplier, indicator = clean_id(supplier), clean_id(indicator)
        if not supplier and not indicator:
            continue  # empty row
        where: dict[str, Any] = {"file": file, "sheet": sheet, "row": r, "supplier_id": supplier or None,
                 "indicator": indicator or None}
        if not supplier:
            problems.append(Problem(code="ROW-001", cell=f"{letter(col['supplier_id'] + 1)}{r}",
                                    **where))
            continue
        raw_status = cell(row, "status")
        status = "not_started" if raw_status is None or not str(raw_status).strip() \
            else STATUS_BY_KEY.get(_key(raw_status))
        if status is None:
            problems.append(Problem(code="PLN-002", cell=f"{letter(col['status'] + 1)}{r}",
                                    value=raw_status, params={"value": raw_status}, **where))
        due = _date(cell(row, "due")) if "due" in col else None
        if due == "bad":
            raw = cell(row, "due")
            problems.append(Problem(code="PLN-003", cell=f"{letter(col['due'] + 1)}{r}",
                                    value=raw, params={"value": raw}, **where))
        key = (supplier, indicator)
        if key in seen:
            problems.append(Problem(code="PLN-004", cell=f"{letter(col['indicator'] + 1)}{r}",
                                    params={"supplier": supplier, "indicator": indicator,
                                            "first": seen[key]}, **where))
        seen.setdefault(key, r)
        if status is None or due == "bad":
            continue
        name = cell(row, "supplier_name")
        out.append(PlanRow(supplier, None if name is None else str(name), indicator, status,
                           due if isinstance(due, dt.date) else None,
                           f"{letter(col['indicator'] + 1)}{r}"))
    if problems:
        raise InputError(problems)
    return out


# ---------------------------------------------------------------- review
@dataclass(frozen=True)
class PlanReview:
    date: dt.date
    followup: bool
    suppliers: list[dict[str, Any]]
    summary: dict[str, Any]
    followup_round: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "followup_round": self.followup_round,
                "suppliers": self.suppliers, "summary": self.summary}


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def review_plan(plan: ReadPlan, today: dt.date, followup: AnswerSet | None = None,
                round_name: str | None = None, year: int | None = None) -> PlanReview:
    """Closure per supplier and for the program; with follow-up answers, verification."""
    compliant_of: dict[str, np.ndarray] | None = None
    position: dict[str, int] = {}
    followup_round = None
    if followup is not None:
        q = followup.questionnaire
        position = {ident: j for j, ident in enumerate(q.indicator_ids)}
        unknown = [Problem(code="ROW-006", file=plan.file, sheet=plan.sheet, cell=r.cell,
                           supplier_id=r.supplier_id, indicator=r.indicator,
                           params={"value": r.indicator,
                                   "hint": did_you_mean(r.indicator, q.indicator_ids)})
                   for r in plan.rows if r.indicator not in position]
        if unknown:
            raise InputError(unknown)
        choice = choose_rounds(followup, round_name, None, None, year)
        followup_round = choice.judged_name
        result = score(choice.judged)
        ok = result.counted & result.compliant
        compliant_of = {str(s): ok[i] for i, s in enumerate(result.records["supplier_id"])}
    by_supplier: dict[str, list[PlanRow]] = {}
    for row in plan.rows:
        by_supplier.setdefault(row.supplier_id, []).append(row)
    suppliers = []
    totals = {"actions": 0, "done": 0, "overdue": 0, "verified": 0, "not_verified": 0,
              "improved_without_action": 0}
    for sid in sorted(by_supplier):
        rows = by_supplier[sid]
        done = [r for r in rows if r.status == "done"]
        overdue = [r.indicator for r in rows
                   if r.status != "done" and r.due is not None and r.due < today]
        entry: dict[str, Any] = {
            "supplier_id": sid, "supplier_name": next((r.supplier_name for r in rows
                                                       if r.supplier_name), None),
            "actions": len(rows), "done": len(done), "closure_pct": _pct(len(done), len(rows)),
            "overdue": overdue,
            "by_status": {s: sum(r.status == s for r in rows) for s in STATUSES},
            "verified": None, "not_verified": None, "improved_without_action": None,
            "followed_up": None}
        if compliant_of is not None:
            now = compliant_of.get(sid)
            entry["followed_up"] = now is not None
            if now is not None:
                entry["verified"] = [r.indicator for r in done if now[position[r.indicator]]]
                entry["not_verified"] = [r.indicator for r in done
                                         if not now[position[r.indicator]]]
                entry["improved_without_action"] = [r.indicator for r in rows if r.status != "done"
                                                    and now[position[r.indicator]]]
                for key in ("verified", "not_verified", "improved_without_action"):
                    totals[key] += len(entry[key])
        totals["actions"] += len(rows)
        totals["done"] += len(done)
        totals["overdue"] += len(overdue)
        suppliers.append(entry)
    verified = None if compliant_of is None else totals["verified"]
    not_verified = None if compliant_of is None else totals["not_verified"]
    summary = {
        "suppliers": len(suppliers), "actions": totals["actions"], "done": totals["done"],
        "closure_pct": _pct(totals["done"], totals["actions"]), "overdue": totals["overdue"],
        "verified": verified, "not_verified": not_verified,
        "verified_pct": None if verified is None else _pct(verified, verified + (not_verified or 0)),
        "improved_without_action": None if compliant_of is None
        else totals["improved_without_action"],
    }
    return PlanReview(date=today, followup=compliant_of is not None, suppliers=suppliers,
                      summary=summary, followup_round=followup_round)
