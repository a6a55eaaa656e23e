"""Result tables as an .xlsx workbook, written as SpreadsheetML text (stdlib only).

openpyxl builds an object per styled cell and needs ~25 s for 100,000 suppliers × 31 columns;
this writer formats each cell straight into the sheet XML (a distinct value once per column)
and needs a few seconds. Same content as before: a bold frozen header, column widths, rates
with one decimal, text that could run as a formula written as text with Excel's quote prefix
(no apostrophe added to the value; headers keep the apostrophe). Values of other types than
text, numbers, booleans and blanks raise `Unsupported` (the caller uses openpyxl instead).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from esgcli.base.cells import is_formula_like, spreadsheet_value, xml_safe
from esgcli.outputs.guard import CREATOR_XML

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BOLD, _RATE, _TEXT = 1, 2, 3  # cellXfs indexes in _STYLES (_TEXT: quote prefix, kept text)
_FIRST_FORMAT = 165  # numFmtId of the first number format a Flag brings (164 is the rate's)
_STYLES_TEMPLATE = (_DECL + f'<styleSheet xmlns="{_NS}">'
           '<numFmts count="{formats}"><numFmt numFmtId="164" formatCode="0.0"/>{more_formats}</numFmts>'
           '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="{styles}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
           '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>{more_styles}'
           '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
           "</cellStyles></styleSheet>")


class Unsupported(Exception):
    """A value this writer does not write (a date, say)."""


@dataclass(frozen=True, slots=True)
class Flag:
    """A true/false cell shown in words (`예`/`아니오`) and stored as 1/0 under a number format:
    a filter lists the words, and sorting, `SUM` and `COUNTIF(…, 1)` still work."""

    value: bool
    yes: str
    no: str

    @property
    def number_format(self) -> str:
        return f'"{self.yes}";"{self.yes}";"{self.no}"'


def write_tables(target: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
                 percent_columns: Callable[[str], bool]) -> None:
    """Write ``sheets`` (title, header, rows) to ``target``; raises Unsupported."""
    from esgcli.base.cells import column_letter

    titles = sheet_titles([title for title, _, _ in sheets])
    formats: dict[str, int] = {}  # a Flag's number format -> its cellXfs index
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for k, (_, header, rows) in enumerate(sheets, start=1):
            letters = [column_letter(j) for j in range(len(header))]
            stream = iter(rows)
            sample = list(itertools.islice(stream, WIDTH_SAMPLE))
            rows = itertools.chain(sample, stream)
            with archive.open(f"xl/worksheets/sheet{k}.xml", "w", force_zip64=True) as out:
                out.write(_sheet_head(header, letters, sample).encode())
                rate = [percent_columns(str(name)) for name in header]
                caches: list[dict[Any, str]] = [{} for _ in header]
                batch: list[str] = []
                for r, row in enumerate(rows, start=2):
                    number = str(r)
                    line = [f'<row r="{number}">']
                    for j, value in enumerate(row):
                        cacheable = type(value) is str or type(value) is float  # 1 == 1.0 == True
                        cell = caches[j].get(value) if cacheable else None
                        if cell is None:
                            cell = _cell(value, rate[j], formats)
                            if cacheable and len(caches[j]) < 100_000:
                                caches[j][value] = cell
                        if cell:
                            line.append(f'<c r="{letters[j]}{number}"{cell}')
                    line.append("</row>")
                    batch.append("".join(line))
                    if len(batch) >= 2000:
                        out.write("".join(batch).encode())
                        batch.clear()
                out.write(("".join(batch) + "</sheetData></worksheet>").encode())
        _package(archive, titles, formats)


def _cell(value: Any, rate: bool, formats: dict[str, int]) -> str:
    """The rest of a `<c r="A2"` element for ``value`` ("" for a blank: no element); a Flag's
    number format is added to ``formats`` the first time it is met."""
    if value is None or (type(value) is str and not value):
        return ""
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Flag):
        xf = formats.setdefault(value.number_format, _TEXT + 1 + len(formats))
        return f' s="{xf}"><v>{int(value.value)}</v></c>'
    if isinstance(value, int):
        return f"><v>{value}</v></c>"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            raise Unsupported(value)
        style = f' s="{_RATE}"' if rate else ""
        return f"{style}><v>{float.__repr__(value)}</v></c>"
    if isinstance(value, str):
        if is_formula_like(value):  # a name like `-마이너스(주)`: text as it is, kept text on edit
            return (f' s="{_TEXT}" t="inlineStr"><is><t xml:space="preserve">'
                    f'{escape(xml_safe(value)[:32767])}</t></is></c>')
        return f' t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    raise Unsupported(type(value).__name__)


def _text(value: str) -> str:
    return escape(spreadsheet_value(value)[:32767])


def _sheet_head(header: Sequence[str], letters: list[str], sample: list[Sequence[Any]]) -> str:
    widths = "".join(f'<col min="{j}" max="{j}" width="{column_width(name, _column(sample, j - 1))}" '
                     'customWidth="1"/>' for j, name in enumerate(header, start=1))
    cells = "".join(f'<c r="{letters[j]}1" s="{_BOLD}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{_text(str(name))}</t></is></c>" for j, name in enumerate(header))
    return (_DECL + f'<worksheet xmlns="{_NS}" xmlns:r="{_REL}"><sheetViews><sheetView workbookViewId="0">'
            '<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>'
            '<selection pane="bottomRight" activeCell="B2" sqref="B2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{widths}</cols>" if widths else ""}'
            f'<sheetData><row r="1">{cells}</row>')


WIDTH_SAMPLE = 500  # rows whose text sets a column's width (the first ones: linear, bounded)


def column_width(header: object, values: Iterable[object] = ()) -> int:
    """A column's width: room for its bold header and for the longest text among ``values`` (a
    sample of its cells), wide (Korean) characters counting two; 10 to 50 characters."""
    longest = max((text_width(v) + 2 for v in values if isinstance(v, str)), default=0)
    return min(max(text_width(str(header)) + 4, longest, 10), 50)


def text_width(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _column(rows: list[Sequence[Any]], j: int) -> list[Any]:
    return [row[j] for row in rows if j < len(row)]


def sheet_titles(titles: list[str]) -> list[str]:
    """Sheet names Excel accepts: ≤ 31 characters, none of []:*?/\\, unique."""
    out: list[str] = []
    for title in titles:
        name = re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet"
        base, n = name, 2
        while name.casefold() in (o.casefold() for o in out):
            name = f"{base[:28]}({n})"
            n += 1
        out.append(name)
    return out


def _styles(formats: dict[str, int]) -> str:
    """styles.xml: the bold header, the one-decimal rate and each Flag's number format."""
    def attr(text: str) -> str:
        return escape(text, {'"': "&quot;"})

    ids = {code: _FIRST_FORMAT + k for k, code in enumerate(formats)}
    return _STYLES_TEMPLATE.format(
        formats=1 + len(formats), styles=_TEXT + 1 + len(formats),
        more_formats="".join(f'<numFmt numFmtId="{ids[c]}" formatCode="{attr(c)}"/>' for c in formats),
        more_styles="".join(f'<xf numFmtId="{ids[c]}" fontId="0" fillId="0" borderId="0" xfId="0" '
                            'applyNumberFormat="1"/>' for c in formats))


def _package(archive: zipfile.ZipFile, titles: list[str], formats: dict[str, int]) -> None:
    sheets = "".join(f'<sheet name="{escape(t, {chr(34): "&quot;"})}" sheetId="{k}" r:id="rId{k}"/>'
                     for k, t in enumerate(titles, start=1))
    rels = "".join(f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" '
                   f'Target="worksheets/sheet{k}.xml"/>' for k in range(1, len(titles) + 1))
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for k in range(1, len(titles) + 1))
    archive.writestr("[Content_Types].xml", _DECL + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/'
        f'vnd.openxmlformats-package.core-properties+xml"/>{overrides}</Types>'))
    archive.writestr("_rels/.rels", _DECL + (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
        'Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org'
        '/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '</Relationships>'))
    # the creator marks a result workbook that a later `-o` may replace (guard.py)
    archive.writestr("docProps/core.xml", _DECL + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"{CREATOR_XML}</cp:coreProperties>"))
    archive.writestr("xl/workbook.xml", _DECL + (
        f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{sheets}</sheets></workbook>"))
    archive.writestr("xl/_rels/workbook.xml.rels", _DECL + (
        f'<Relationships xmlns="{_PKG}">{rels}<Relationship Id="rId{len(titles) + 1}" '
        f'Type="{_REL}/styles" Target="styles.xml"/></Relationships>'))
    archive.writestr("xl/styles.xml", _styles(formats))
