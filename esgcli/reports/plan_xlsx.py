"""The corrective action plan workbook (SPEC §13), ready for an operator to fill in.

One sheet (`개선과제` / `actions`) with a frozen, filtered header, a status dropdown, date
validation on the due column, priorities coloured, widths that fit Korean text, A4 landscape
print setup with the header repeated; and a hidden sheet recording questionnaire and round.
Every text that came from input is neutralised against formulas.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from esgcli import __version__
from esgcli.base.cells import spreadsheet_value
from esgcli.base.labels import label
from esgcli.engine.actions import (
    COLUMNS,
    META_SHEET,
    SHEET_NAMES,
    STATUSES,
    ActionPlan,
    header,
    priority_label,
    status_label,
)
from esgcli.outputs.files import write_atomic

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
PRIORITY_FILLS = {"critical": "F8D7DA", "to-qualify": "FFF3CD"}
DONE_FILL = "E2F0D9"
EDITABLE_FILL = PatternFill("solid", fgColor="FFFDF5")
THIN = Side(style="thin", color="C9D3DD")
CENTRED = ("area", "priority", "due", "status")
WRAPPED = ("title", "passes_with", "note", "answer")
MIN_WIDTH = {"due": 12, "owner": 12, "status": 10, "note": 20, "area": 6}
MAX_WIDTH = {"title": 36, "passes_with": 48, "answer": 24, "note": 30, "supplier_name": 22}
DATE_FORMAT = "yyyy-mm-dd"


def display_width(text: str, wide: float = 2.0) -> float:
    """Columns a text takes in a spreadsheet: East Asian wide characters count ``wide``."""
    return sum(wide if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0 for ch in text)


def column_widths(rows: list[list[Any]], heads: list[str]) -> list[float]:
    widths = []
    for j, name in enumerate(COLUMNS):
        longest = max([display_width(heads[j]) + 3] +  # room for the filter button
                      [display_width(str(r[j])) for r in rows if r[j] is not None])
        longest = max(longest, MIN_WIDTH.get(name, 0))
        widths.append(min(longest + 2, MAX_WIDTH.get(name, 60)))
    return widths


def row_lines(values: list[Any], widths: list[float]) -> int:
    """Lines the tallest wrapped cell of a row needs (LibreOffice does not grow rows itself)."""
    lines = 1
    for name, value, width in zip(COLUMNS, values, widths, strict=True):
        if name in WRAPPED and value:
            # a Hangul glyph takes about two character units (LibreOffice's CJK fallback font)
            lines = max(lines, math.ceil(display_width(str(value)) / max(width - 1, 1)))
    return min(lines, 6)


def build_plan_workbook(plan: ActionPlan) -> Workbook:
    lang = plan.lang
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAMES[lang]
    heads = [header(c, lang) for c in COLUMNS]
    sheet.append(heads)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    rows = []
    for a in plan.actions:
        d = a.to_dict()
        d["priority"] = priority_label(a.priority, lang)
        d["status"] = status_label(a.status, lang)
        d["due"] = a.due
        if a.answer is None:
            d["answer"] = label("passing.blank", lang)
        rows.append([d[c] for c in COLUMNS])
    col = {c: j + 1 for j, c in enumerate(COLUMNS)}
    for i, values in enumerate(rows, start=2):
        for j, (name, value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = sheet.cell(row=i, column=j, value=spreadsheet_value(value))
            cell.border = Border(bottom=THIN)
            cell.alignment = Alignment(vertical="top", wrap_text=name in WRAPPED,
                                       horizontal="center" if name in CENTRED else None)
            if name == "due":
                cell.number_format = DATE_FORMAT
            if name in ("owner", "due", "status", "note"):
                cell.fill = EDITABLE_FILL
    last = max(len(rows) + 1, 2)
    widths = column_widths(rows, heads)
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = width
    for i, values in enumerate(rows, start=2):
        lines = row_lines(values, widths)
        if lines > 1:
            sheet.row_dimensions[i].height = 15 * lines + 2
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    _validations(sheet, col, lang, last)
    _colours(sheet, col, lang, last)
    _print_setup(sheet, plan)
    meta = book.create_sheet(META_SHEET)
    for key, value in (("kind", "esg-action-plan/1"),
                       ("questionnaire_id", plan.questionnaire["id"]),
                       ("questionnaire_version", plan.questionnaire["version"]),
                       ("questionnaire_sha256", plan.questionnaire["sha256"]),
                       ("round", plan.round), ("year", plan.year),
                       ("policy_id", plan.policy["id"] if plan.policy else None),
                       ("policy_version", plan.policy["version"] if plan.policy else None),
                       ("language", lang), ("generated_by", f"esgcli {__version__}")):
        meta.append([key, spreadsheet_value(value if value is None else str(value))])
    meta.sheet_state = "hidden"
    return book


def _validations(sheet: Any, col: dict[str, int], lang: str, last: int) -> None:
    status = get_column_letter(col["status"])
    labels = ",".join(status_label(s, lang) for s in STATUSES)
    dv = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True,
                        showErrorMessage=True, showInputMessage=True,
                        errorTitle=label("plan.status_prompt", lang),
                        error=label("plan.status_error", lang, statuses=labels),
                        promptTitle=label("plan.status_prompt", lang),
                        prompt=labels)
    dv.add(f"{status}2:{status}{max(last, 1000)}")
    sheet.add_data_validation(dv)
    due = get_column_letter(col["due"])
    dates = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                           formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                           showInputMessage=True, errorTitle=label("plan.due_prompt", lang),
                           error=label("plan.due_error", lang),
                           promptTitle=label("plan.due_prompt", lang), prompt="YYYY-MM-DD")
    dates.add(f"{due}2:{due}{max(last, 1000)}")
    sheet.add_data_validation(dates)


def _colours(sheet: Any, col: dict[str, int], lang: str, last: int) -> None:
    """Priority and done rows coloured by formula, so they follow the operator's edits."""
    end = get_column_letter(len(COLUMNS))
    area = f"A2:{end}{max(last, 1000)}"
    status = get_column_letter(col["status"])
    priority = get_column_letter(col["priority"])
    done = status_label("done", lang)
    sheet.conditional_formatting.add(area, FormulaRule(
        formula=[f'${status}2="{done}"'], fill=PatternFill("solid", bgColor=DONE_FILL),
        stopIfTrue=True))
    for key, colour in PRIORITY_FILLS.items():
        shown = priority_label(key, lang)
        sheet.conditional_formatting.add(f"{priority}2:{priority}{max(last, 1000)}", FormulaRule(
            formula=[f'${priority}2="{shown}"'], fill=PatternFill("solid", bgColor=colour)))


def _print_setup(sheet: Any, plan: ActionPlan) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    parts = [label("plan.title", plan.lang), f"{plan.questionnaire['id']} {plan.questionnaire['version']}", plan.round]
    # `&` starts a header code in Excel: doubled, input text prints as typed
    sheet.oddHeader.left.text = " · ".join(str(p) for p in parts if p).replace("&", "&&")
    sheet.oddFooter.right.text = "&P / &N"


def write_plan_xlsx(plan: ActionPlan, path: Path) -> None:
    write_atomic(path, lambda temp: build_plan_workbook(plan).save(temp))
