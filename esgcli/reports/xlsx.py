"""The report as an Excel workbook with native charts (openpyxl.chart)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from esgcli.base.cells import spreadsheet_value
from esgcli.base.labels import label
from esgcli.outputs.files import write_atomic
from esgcli.outputs.guard import RESULT_CREATOR
from esgcli.questionnaire.diff_text import field_names
from esgcli.reports.data import BINS
from esgcli.reports.program_view import (
    in_questionnaire_order,
    method_note,
    method_questionnaires,
    program_rows,
    questionnaire_years,
    years_text,
)

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
PCT = '0.0"%"'
REL = '+0.0"%";-0.0"%";0.0"%"'
GREEN_FONT = Font(color="2E7D32")
RED_FONT = Font(color="C62828")


def _pp(unit: str) -> str:
    """The number format of a change in percentage points: `+43.9%p` (ko) or `+43.9 pp` (en)."""
    return f'+0.0"{unit}";-0.0"{unit}";0.0"{unit}"'


def _header(sheet: Worksheet, row: int, values: list[str]) -> None:
    for j, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=j, value=spreadsheet_value(value))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _rows(sheet: Worksheet, start: int, rows: list[list[Any]], formats: dict[int, str]) -> int:
    for i, row in enumerate(rows):
        for j, value in enumerate(row, start=1):
            cell = sheet.cell(row=start + i, column=j, value=spreadsheet_value(value))
            if j in formats and isinstance(value, (int, float)):
                cell.number_format = formats[j]
    return start + len(rows) - 1


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = width


def _delta_colours(sheet: Worksheet, ref: str) -> None:
    sheet.conditional_formatting.add(ref, CellIsRule(operator="greaterThan", formula=["0"],
                                                     font=GREEN_FONT))
    sheet.conditional_formatting.add(ref, CellIsRule(operator="lessThan", formula=["0"],
                                                     font=RED_FONT))


def _place_chart(sheet: Worksheet, chart: BarChart | LineChart, title: str,
                 data_columns: tuple[int, int], header_row: int, last_row: int, anchor: str,
                 height: float = 8, categories: int = 1) -> None:
    """Series from ``data_columns`` (titles in ``header_row``), categories from column
    ``categories`` (A)."""
    chart.title = title
    chart.add_data(Reference(sheet, min_col=data_columns[0], max_col=data_columns[1],
                             min_row=header_row, max_row=last_row), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=categories, min_row=header_row + 1,
                                   max_row=last_row))
    chart.height, chart.width = height, 16
    sheet.add_chart(chart, anchor)


def _print_setup(sheet: Worksheet, landscape: bool = True) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False


def write_report_xlsx(report: dict[str, Any], path: Path) -> None:
    write_atomic(path, lambda temp: build_workbook(report).save(temp))


def build_workbook(report: dict[str, Any]) -> Workbook:
    lang = report["lang"]

    def L(key: str) -> str:  # noqa: N802
        return label(key, lang)

    main, q = report["main"], report["questionnaire"]
    imp = main["improvement"]
    book = Workbook()
    book.properties.creator = RESULT_CREATOR  # a result: a later -o may replace it
    summary = book.active
    summary.title = L("summary")
    summary["A1"] = report["title"]
    summary["A1"].font = Font(bold=True, size=16)
    summary["A2"] = f"{q['title']} · {q['id']} {q['version']}"
    summary["A2"].font = Font(italic=True, color="555555")
    start = _program_block(summary, report["program_to_date"], lang) + 2
    _header(summary, start, [L("funnel"), ""])
    funnel = [[L("diagnosed_before"), main["diagnosed_before"]],
              [L("diagnosed_after"), main["diagnosed_after"]], [L("both"), main["both"]]]
    cert = main["certification"]
    if cert:
        key = "certified" if "certified" in cert else "qualified"
        funnel.append([L(key), cert[key]])
        funnel.append([f"{L(key)} {L('share')}", cert[f"{key}_share_pct"]])
    end = _rows(summary, start + 1, funnel, {})
    if cert:
        summary.cell(row=end, column=2).number_format = PCT
    row = end + 2
    if imp:
        _header(summary, row, ["", L("before"), L("after"), L("change_pp"), L("relative")])
        lines = []
        for name, values in [(L("overall"), imp["cohort"])] + [
                (f"{a['id']} {a['title']}", imp["cohort"]["areas"][a["id"]]) for a in q["areas"]]:
            c = values["compliance"]
            lines.append([f"{L('compliance')} · {name}", c["mean_before"], c["mean_after"],
                          c["delta_pp"], c["relative_pct"]])
        s = imp["cohort"]["score"]
        lines.append([f"{L('score')} · {L('overall')}", s["mean_before"], s["mean_after"],
                      s["delta_pp"], s["relative_pct"]])
        end = _rows(summary, row + 1, lines,
                    {2: PCT, 3: PCT, 4: _pp(L("unit.pp")), 5: '+0.0"%";-0.0"%"'})
        _delta_colours(summary, f"D{row + 1}:E{end}")
    else:
        summary.cell(row=row, column=1, value=L("no_improvement"))
    _widths(summary, [34, 16, 16, 16, 18])
    _print_setup(summary, landscape=False)

    if imp:
        _areas_sheet(book, report, L)
        _suppliers_sheet(book, report, L)
        _indicators_sheet(book, report, L)
    if cert:
        _certification_sheet(book, cert, L)
    if len(report["trend"]) > 1:
        _trend_sheet(book, report["trend"], L)
    if report.get("consulting"):
        from esgcli.reports.consulting import consulting_sheet

        consulting_sheet(book, report["consulting"], lang)
    _method_sheet(book, report, L)
    return book


def _program_block(sheet: Worksheet, ptd: dict[str, Any], lang: str) -> int:
    """Program to date (§8) from row 4: the sentence to quote (merged, wrapped), then its
    figures as numbers with their units; returns the last row used."""
    _header(sheet, 4, [f"{label('program_to_date', lang)} · {years_text(ptd['years'])}", "", "",
                       "", ""])
    sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=5)
    cell = sheet.cell(row=5, column=1, value=spreadsheet_value(ptd["sentence"]))
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.font = Font(size=12, bold=True, color="1F4E78")
    sheet.merge_cells(start_row=5, start_column=1, end_row=5, end_column=5)
    sheet.row_dimensions[5].height = 15 * (2 + len(ptd["sentence"]) // (60 if lang == "ko" else 95))
    row = 6
    for name, value, kind in program_rows(ptd, lang):
        sheet.cell(row=row, column=1, value=spreadsheet_value(name))
        target = sheet.cell(row=row, column=2, value=spreadsheet_value(value))
        if kind and isinstance(value, (int, float)):
            target.number_format = {"pct": PCT, "pp": _pp(label("unit.pp", lang)), "rel": REL}[kind]
        row += 1
    note = method_note(ptd, lang)
    if note:
        warn = sheet.cell(row=row, column=1, value=spreadsheet_value(f"⚠ {note}"))
        warn.font = Font(color="8A4B00")
        warn.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        sheet.row_dimensions[row].height = 15 * (2 + len(note) // 90)
        row += 1
    return row - 1


def _areas_sheet(book: Workbook, report: dict[str, Any], L: Any) -> None:  # noqa: N803
    q, main = report["questionnaire"], report["main"]
    cohort = main["improvement"]["cohort"]
    sheet = book.create_sheet(L("areas"))
    _header(sheet, 1, [L("area"), L("before"), L("after"), L("change_pp"), L("relative"),
                       L("paired")])
    rows = [[L("overall"), *(cohort["compliance"][k] for k in ("mean_before", "mean_after",
                                                                "delta_pp", "relative_pct", "n"))]]
    for a in q["areas"]:
        c = cohort["areas"][a["id"]]["compliance"]
        rows.append([f"{a['id']} {a['title']}", c["mean_before"], c["mean_after"], c["delta_pp"],
                     c["relative_pct"], c["n"]])
    end = _rows(sheet, 2, rows, {2: PCT, 3: PCT, 4: _pp(L("unit.pp")), 5: '+0.0"%";-0.0"%"'})
    _delta_colours(sheet, f"D2:E{end}")
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    _place_chart(sheet, chart, L("chart_areas"), (2, 3), 1, end, "H2")

    start = end + 3
    _header(sheet, start, [L("bin"), L("before"), L("after")])
    bins = [[f"{BINS[i]}–{BINS[i + 1]}%", main["before_compliance"][i], main["after_compliance"][i]]
            for i in range(len(BINS) - 1)]
    end_bins = _rows(sheet, start + 1, bins, {})
    histogram = BarChart()
    histogram.type, histogram.grouping = "col", "clustered"
    _place_chart(sheet, histogram, L("chart_distribution"), (2, 3), start, end_bins, "H20")
    _widths(sheet, [26, 12, 12, 14, 16, 10])
    sheet.freeze_panes = "B2"
    _print_setup(sheet)


def _suppliers_sheet(book: Workbook, report: dict[str, Any], L: Any) -> None:  # noqa: N803
    q, imp = report["questionnaire"], report["main"]["improvement"]
    sheet = book.create_sheet(L("suppliers"))
    areas = [a["id"] for a in q["areas"]]
    _header(sheet, 1, [L("supplier_id"), L("supplier_name"), L("before"), L("after"),
                       L("change_pp"), L("relative")]
            + [f"{a} {L('before')}" for a in areas] + [f"{a} {L('after')}" for a in areas]
            + [f"{a} {L('change_pp')}" for a in areas])
    rows = []
    for s in sorted(imp["suppliers"], key=lambda s: -(s["compliance"]["delta_pp"] or -1e9)):
        c = s["compliance"]
        rows.append([s["supplier_id"], s["supplier_name"], c["before"], c["after"], c["delta_pp"],
                     c["relative_pct"]]
                    + [s["areas"][a]["compliance"]["before"] for a in areas]
                    + [s["areas"][a]["compliance"]["after"] for a in areas]
                    + [s["areas"][a]["compliance"]["delta_pp"] for a in areas])
    n = len(areas)
    formats = {3: PCT, 4: PCT, 5: _pp(L("unit.pp")), 6: '+0.0"%";-0.0"%"'}
    formats.update({7 + k: PCT for k in range(2 * n)})
    formats.update({7 + 2 * n + k: _pp(L("unit.pp")) for k in range(n)})
    end = _rows(sheet, 2, rows, formats)
    if rows:
        _delta_colours(sheet, f"E2:F{end}")
        first, last = get_column_letter(7 + 2 * n), get_column_letter(6 + 3 * n)
        _delta_colours(sheet, f"{first}2:{last}{end}")
    _widths(sheet, [12, 22] + [11] * (4 + 3 * n))
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(6 + 3 * n)}{max(end, 1)}"
    _print_setup(sheet)


def _indicators_sheet(book: Workbook, report: dict[str, Any], L: Any) -> None:  # noqa: N803
    q, imp = report["questionnaire"], report["main"]["improvement"]
    sheet = book.create_sheet(L("indicators"))
    _header(sheet, 1, [L("indicator"), L("title"), L("area"), L("before"), L("after"),
                       L("change_pp"), L("became"), L("regressed"), L("stayed"), L("stayed_not")])
    rows = [[r["indicator"], q["indicators"][r["indicator"]], r["area"], r["compliant_before_pct"],
             r["compliant_after_pct"], r["delta_pp"], r["became_compliant"], r["regressed"],
             r["stayed_compliant"], r["stayed_non_compliant"]]
            for r in in_questionnaire_order(imp["indicators"], q)]
    end = _rows(sheet, 2, rows, {4: PCT, 5: PCT, 6: _pp(L("unit.pp"))})
    _delta_colours(sheet, f"F2:F{max(end, 2)}")
    # the chart's data: the most improved (the improvement's rows come sorted by change), in L:M
    top = [r for r in imp["indicators"][:10] if (r["delta_pp"] or 0) > 0]
    if top:
        for row, (name, delta) in enumerate([(L("indicator"), L("change_pp"))]
                                            + [(r["indicator"], r["delta_pp"]) for r in top], 1):
            sheet.cell(row=row, column=12, value=spreadsheet_value(name))
            sheet.cell(row=row, column=13, value=delta).number_format = _pp(L("unit.pp"))
        chart = BarChart()
        chart.type = "bar"
        chart.y_axis.title = L("unit.pp").strip()
        chart.x_axis.scaling.orientation = "maxMin"
        chart.legend = None
        _place_chart(sheet, chart, label("chart_indicators", report["lang"]), (13, 13), 1,
                     1 + len(top), "O2", height=9, categories=12)
    _widths(sheet, [10, 34, 8, 11, 11, 12, 10, 10, 12, 14, 4, 10, 12])
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:J{max(end, 1)}"
    _print_setup(sheet)


def _certification_sheet(book: Workbook, cert: dict[str, Any], L: Any) -> None:  # noqa: N803
    sheet = book.create_sheet(L("certification"))
    lines = [[L("diagnosed_after"), cert["evaluated"]]]
    if "qualified" in cert:
        lines += [[L("policy"), f"{cert['policy']} {cert['policy_version']}"],
                  [L("qualified"), cert["qualified"]],
                  [f"{L('qualified')} {L('share')}", cert["qualified_share_pct"]]]
    if "certified" in cert:
        lines += [[L("certified"), cert["certified"]],
                  [f"{L('certified')} {L('share')}", cert["certified_share_pct"]]]
    _header(sheet, 1, [L("certification"), ""])
    end = _rows(sheet, 2, lines, {})
    for r in range(2, end + 1):
        if str(sheet.cell(row=r, column=1).value).endswith(L("share")):
            sheet.cell(row=r, column=2).number_format = PCT
    if "certificates" in cert:
        start = end + 2
        _header(sheet, start, [L("number"), L("supplier_id"), L("supplier_name"), L("policy"),
                               L("issued_on"), L("valid_until")])
        _rows(sheet, start + 1, [[c["number"], c["supplier_id"], c["supplier_name"], c["policy"],
                                  c["issued_on"], c["valid_until"]] for c in cert["certificates"]],
              {})
    _widths(sheet, [24, 16, 22, 16, 12, 12])
    _print_setup(sheet, landscape=False)


def _trend_sheet(book: Workbook, trend: list[dict[str, Any]], L: Any) -> None:  # noqa: N803
    sheet = book.create_sheet(L("trend"))
    _header(sheet, 1, [L("year"), L("diagnosed_before"), L("diagnosed_after"), L("both"),
                       L("before"), L("after"), L("change_pp"), L("certified")])
    end = _rows(sheet, 2, [[t["year"], t["diagnosed_before"], t["diagnosed_after"], t["both"],
                            t["mean_before"], t["mean_after"], t["delta_pp"], t["certified"]]
                           for t in trend], {5: PCT, 6: PCT, 7: _pp(L("unit.pp"))})
    chart = LineChart()
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    _place_chart(sheet, chart, L("chart_trend"), (5, 6), 1, end, "J2")
    _widths(sheet, [8, 14, 14, 14, 12, 12, 12, 10])
    _print_setup(sheet)


def _method_sheet(book: Workbook, report: dict[str, Any], L: Any) -> None:  # noqa: N803
    m = report["method"]
    sheet = book.create_sheet(L("method"))
    rows: list[list[Any]] = [
        [L("questionnaire"), f"{q['id']} {q['version']}{questionnaire_years(q, m)}", q["sha256"]]
        for q in method_questionnaires(m)]
    if m["policy"]:
        rows.append([L("policy"), f"{m['policy']['id']} {m['policy']['version']}",
                     m["policy"]["sha256"]])
    rows += [[L("rules"), L("rule_compliance"), ""], ["", L("rule_score"), ""],
             ["", L("rule_pairing"), ""], ["", L("pooled_rule"), ""]]
    rows += [[L("sources"), f"{s['file']} ({s['sheet']})", s["sha256"]] for s in m["sources"]]
    changes = [c for c in (report["main"]["improvement"] or {}).get("method_changes", [])
               if c["indicator"]]
    rows += [[L("method_changes"), f"{c['indicator']}: {field_names(c['fields'], report['lang'])}", ""]
             for c in changes]
    rows += [[L("tool"), m["tool"], ""], [L("generated_at"), m["generated_at"], ""]]
    _header(sheet, 1, [L("method"), "", "sha256"])
    _rows(sheet, 2, rows, {})
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, [18, 70, 66])
    _print_setup(sheet)
