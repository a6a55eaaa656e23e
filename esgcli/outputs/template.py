"""Answer workbooks for suppliers (`esg template`): dropdowns, input help, a questions sheet and
a hidden record of the questionnaire so that `esg score` needs no `-q`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from esgcli import __version__
from esgcli.answers.opening import META_SHEET
from esgcli.base.cells import is_formula_like, supplier_file_name, xml_safe
from esgcli.base.labels import label
from esgcli.base.parallel import in_processes
from esgcli.base.problems import usage_problem
from esgcli.base.tokens import parse_number
from esgcli.outputs.files import write_atomic
from esgcli.questionnaire.applicability import condition_text
from esgcli.questionnaire.questionnaire import Questionnaire
from esgcli.questionnaire.scales import ChecklistMatcher, ChoiceMatcher, NumberMatcher

LISTS_SHEET = "_lists"
HEADER_ROW = 3
MIN_ROWS = 300

QUESTION_COLUMNS = ("indicator", "area", "category", "title", "question", "how", "weight",
                    "critical", "na_allowed", "applies_if")


def _text(key: str, lang: str) -> str:
    """A word or line of the template (labels ``template.*``)."""
    return label(f"template.{key}", lang)


def instructions(lang: str) -> list[str]:
    """The lines of the instructions sheet: a title, the numbered lines, how to check the file."""
    numbered = [label(f"template.guide.{k}", lang) for k in range(1, 8)]
    return [_text("guide.title", lang), "", *numbered, "", _text("guide.check", lang)]


HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class SupplierRow:
    supplier_id: str
    supplier_name: str = ""
    profile: dict[str, Any] | None = None
    answers: dict[str, Any] | None = None  # indicator id -> an earlier answer (`--prefill`)


def write_template(q: Questionnaire, path: Path, lang: str = "ko", rounds: list[str] | None = None,
                   suppliers: list[SupplierRow] | None = None, year: int | None = None) -> None:
    """Write an answer workbook for ``q`` atomically to ``path``."""
    write_atomic(path, lambda temp: _build(q, lang, rounds or [], suppliers or [], year).save(temp))


def workbook_name(supplier: SupplierRow) -> str:
    """`{supplier_id}_{supplier_name}.xlsx`, characters file systems refuse replaced by `_`."""
    return supplier_file_name(supplier.supplier_id, supplier.supplier_name, ".xlsx")


@dataclass(frozen=True)
class PerSupplierResult:
    """The workbooks `esg template --per-supplier` wrote, one per supplier."""

    folder: Path
    files: list[tuple[SupplierRow, Path]]

    def to_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder),
                "files": [{"supplier_id": s.supplier_id, "supplier_name": s.supplier_name or None,
                           "path": str(p)} for s, p in self.files]}


def per_supplier_paths(folder: Path, suppliers: list[SupplierRow]) -> list[tuple[SupplierRow, Path]]:
    """Each supplier's workbook path in ``folder``; names that collide (ids differing only in
    refused characters or case) get `-2`, `-3`, …."""
    taken: set[str] = set()
    out: list[tuple[SupplierRow, Path]] = []
    for supplier in suppliers:
        name = workbook_name(supplier)
        stem, n = name[:-5], 2
        while name.casefold() in taken:
            name, n = f"{stem}-{n}.xlsx", n + 1
        taken.add(name.casefold())
        out.append((supplier, folder / name))
    return out


def write_per_supplier(q: Questionnaire, folder: Path, suppliers: list[SupplierRow],
                       lang: str = "ko", rounds: list[str] | None = None, year: int | None = None,
                       force: bool = False, inputs: list[Path] | None = None,
                       progress: Callable[[int, int], None] | None = None) -> PerSupplierResult:
    """One locked answer workbook per supplier in ``folder`` (SPEC §12): the supplier's id,
    name, profile values, rounds and year filled in and protected; answer cells editable.
    Existing files are refused (exit 2, naming them) unless ``force``; inputs never replaced.
    Many workbooks are written by a process per core; ``progress(done, total)`` follows."""
    if folder.exists() and not folder.is_dir():
        raise usage_problem("TPL-002", path=str(folder))
    targets = per_supplier_paths(folder, suppliers)
    protected = {p.resolve() for p in inputs or [] if p.exists()}
    for _, path in targets:
        if path.exists() and path.resolve() in protected:
            raise usage_problem("OUT-001", path=str(path))
    existing = [str(p) for _, p in targets if p.exists()]
    if existing and not force:
        shown = ", ".join(existing[:5]) + (f" (+{len(existing) - 5})" if len(existing) > 5 else "")
        raise usage_problem("TPL-003", count=len(existing), files=shown)
    folder.mkdir(parents=True, exist_ok=True)
    in_processes(_write_one, [(lang, rounds or [], supplier, year, path)
                              for supplier, path in targets], chunk=4, progress=progress,
                 shared=q)
    return PerSupplierResult(folder, targets)


def _write_one(q: Questionnaire,
               task: tuple[str, list[str], SupplierRow, int | None, Path]) -> None:
    lang, rounds, supplier, year, path = task
    book = _build(q, lang, rounds, [supplier], year, lock=True)
    write_atomic(path, book.save)


def _build(q: Questionnaire, lang: str, rounds: list[str], suppliers: list[SupplierRow],
           year: int | None, lock: bool = False) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = _text("answers", lang)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    columns: list[tuple[str, str]] = [(key, _text(key, lang))
                                      for key in ("supplier_id", "supplier_name", "round")]
    if year is not None:
        columns.append(("year", _text("year", lang)))
    for field in q.model.profile:
        columns.append((f"profile:{field.id}", field.title.get(lang) if field.title else field.id))
    first_indicator = len(columns) + 1
    for ind in q.indicators:
        columns.append((f"indicator:{ind.id}", f"{ind.id} {ind.title.get(lang)}"))

    sheet.cell(row=1, column=1, value=f"{q.title(lang)} — {_text('title_suffix', lang)} "
               f"({q.id} {q.version})").font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=_text("hint", lang)).font = Font(italic=True, color="555555")
    for j, (_, header) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=j, value=header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(j)].width = 14 if j < first_indicator else 18
    sheet.column_dimensions["B"].width = 24
    sheet.row_dimensions[HEADER_ROW].height = 48

    rows = [(s, r) for s in suppliers for r in (rounds or [""])]
    kinds = {f.id: f.type for f in q.model.profile}
    n_rows = max(len(rows), MIN_ROWS)
    first, last = HEADER_ROW + 1, HEADER_ROW + n_rows
    for i, (supplier, round_name) in enumerate(rows):
        r = first + i
        sheet.cell(row=r, column=1, value=supplier.supplier_id)
        sheet.cell(row=r, column=2, value=supplier.supplier_name or None)
        sheet.cell(row=r, column=3, value=round_name or None)
        for j, (key, _) in enumerate(columns, start=1):
            if key == "year":
                sheet.cell(row=r, column=j, value=year)
            elif key.startswith("profile:") and supplier.profile:
                field_id = key.split(":", 1)[1]
                value = supplier.profile.get(field_id)
                number = parse_number(value) if kinds[field_id] in ("integer", "number") else None
                if number is not None:
                    value = int(number) if kinds[field_id] == "integer" else number
                elif field_id in q.profile_values:  # a declared value as its dropdown entry
                    value = q.profile_values[field_id].shown(value, lang)
                sheet.cell(row=r, column=j, value=value)
            elif key.startswith("indicator:") and supplier.answers:
                value = supplier.answers.get(key.split(":", 1)[1])
                if value is not None:  # the supplier's earlier answer, still editable
                    sheet.cell(row=r, column=j, value=value)
    for j in range(first_indicator, len(columns) + 1):
        for r in range(first, first + max(len(rows), 20)):
            sheet.cell(row=r, column=j).fill = ANSWER_FILL
    if lock:  # SPEC §12: identity, round and year locked; answers (and missing profile) editable
        for r in range(first, first + len(rows)):
            for j, (key, _) in enumerate(columns, start=1):
                cell = sheet.cell(row=r, column=j)
                if key.startswith("indicator:") or (key.startswith("profile:")
                                                    and cell.value is None):
                    cell.protection = Protection(locked=False)
        sheet.protection.sheet = True  # no password: a guard against slips, not a secret

    list_col = 0
    if rounds:
        list_col += 1
        _add_list(sheet, lists, list_col, rounds, f"C{first}:C{last}", lang)
    for j, (key, _) in enumerate(columns, start=1):
        letter = get_column_letter(j)
        ref = f"{letter}{first}:{letter}{last}"
        if key.startswith("profile:"):
            field = next(f for f in q.model.profile if f.id == key.split(":", 1)[1])
            if field.type == "integer":
                dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                    allow_blank=True)
                dv.add(ref)
                sheet.add_data_validation(dv)
            elif field.id in q.profile_values:  # declared values: a dropdown in `lang` (SPEC §2)
                list_col += 1
                _add_list(sheet, lists, list_col, q.profile_values[field.id].choices(lang), ref, lang)
            continue
        if not key.startswith("indicator:"):
            continue
        ind = q.indicator_by_id[key.split(":", 1)[1]]
        matcher = q.matchers[ind.id]
        if isinstance(matcher, ChoiceMatcher):
            choices = matcher.choices(lang) + ([_text("na", lang)] if ind.na_allowed else [])
            list_col += 1
            dv = _add_list(sheet, lists, list_col, choices, ref, lang)
        elif isinstance(matcher, NumberMatcher):
            dv = _number_validation(matcher, ind.na_allowed, letter, first, ref, lang)
            sheet.add_data_validation(dv)
        else:
            assert isinstance(matcher, ChecklistMatcher)
            dv = DataValidation(type=None, allow_blank=True)
            dv.add(ref)
            sheet.add_data_validation(dv)
        dv.promptTitle = ind.id[:32]
        prompt = (ind.question.get(lang) if ind.question else ind.title.get(lang))
        prompt = f"{prompt}\n→ {matcher.expected(lang)}" + (f", {_text('na', lang)}" if ind.na_allowed else "")
        dv.prompt = prompt[:250]
        dv.showInputMessage = True
    sheet.freeze_panes = sheet.cell(row=first, column=4)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"

    _questions_sheet(book.create_sheet(_text("questions", lang)), q, lang)
    guide = book.create_sheet(_text("instructions", lang))
    for line in instructions(lang):
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 120
    meta = book.create_sheet(META_SHEET)
    for row in (("questionnaire_id", q.id), ("questionnaire_version", q.version),
                ("questionnaire_sha256", q.sha256), ("generated_by", f"esgcli {__version__}"),
                ("language", lang)):
        meta.append(list(row))
    meta.sheet_state = "hidden"
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    _neutralise_cells(book)
    return book


def _neutralise_cells(book: Workbook) -> None:
    """Supplier names and questionnaire texts (titles, versions, labels) are input: none may
    reach a cell as a formula. The template holds no formula cells of its own (its checks are
    data validations), so every text cell is written as text: a string cell, never a formula,
    and text that would run as one if typed in (`-마이너스(주)`, `=HYPERLINK(…)`) gets Excel's
    quote prefix, which keeps it text when the supplier edits the cell. No apostrophe goes
    into the value: what the supplier sees, and what is read back, is the name itself."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    text = xml_safe(cell.value)
                    cell.value = text
                    if is_formula_like(text):
                        cell.data_type = "s"
                        cell.quotePrefix = True


def _add_list(sheet: Worksheet, lists: Worksheet, col: int, values: list[str], ref: str,
              lang: str) -> DataValidation:
    letter = get_column_letter(col)
    for i, value in enumerate(values, start=1):
        lists.cell(row=i, column=col, value=value)
    source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(values)}"
    dv = DataValidation(type="list", formula1=f"={source}", allow_blank=True,
                        showErrorMessage=True, errorTitle=_text("error_title", lang),
                        error=_text("error", lang),
                        errorStyle="warning")
    dv.add(ref)
    sheet.add_data_validation(dv)
    return dv


def _number_validation(matcher: NumberMatcher, na_allowed: bool, letter: str, first: int,
                       ref: str, lang: str) -> DataValidation:
    low, high = matcher.scale.range if matcher.scale.range else (None, None)
    common: dict[str, Any] = {"allow_blank": True, "showErrorMessage": True,
                              "errorTitle": _text("error_title", lang), "error": _text("error", lang),
                              "errorStyle": "warning"}
    if na_allowed or low is None:
        cell = f"{letter}{first}"
        check = f"ISNUMBER({cell})"
        if low is not None:
            check = f"AND(ISNUMBER({cell}),{cell}>={low:g},{cell}<={high:g})"
        formula = f'OR({check},{cell}="{_text("na", lang)}")' if na_allowed else check
        dv = DataValidation(type="custom", formula1=formula, **common)
    else:
        dv = DataValidation(type="decimal", operator="between", formula1=f"{low:g}",
                            formula2=f"{high:g}", **common)
    dv.add(ref)
    return dv


def _questions_sheet(sheet: Worksheet, q: Questionnaire, lang: str) -> None:
    sheet.append([_text(f"q.{key}", lang) for key in QUESTION_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    areas = {a.id: a.title.get(lang) for a in q.areas}
    for ind in q.indicators:
        matcher = q.matchers[ind.id]
        sheet.append([
            ind.id, f"{ind.area} {areas[ind.area]}",
            ind.category.get(lang) if ind.category else "", ind.title.get(lang),
            ind.question.get(lang) if ind.question else "",
            matcher.expected(lang) + (f", {_text('na', lang)}" if ind.na_allowed else ""),
            ind.weight, _text("yes", lang) if ind.critical else "",
            _text("yes", lang) if ind.na_allowed else "",
            condition_text(ind.applies_if) if ind.applies_if else _text("always", lang)])
    for letter, width in zip("ABCDEFGHIJ", (10, 14, 18, 30, 50, 50, 8, 10, 12, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
