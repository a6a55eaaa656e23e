"""Annual report (SPEC §8): workbook structure, charts, HTML, figures equal to `esg improve`."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DATA, MINI, ROOT, as_json, write_xlsx
from openpyxl import load_workbook

EXAMPLE = ROOT / "examples" / "suppliers.xlsx"
ENV = {"SOURCE_DATE_EPOCH": "1733011200"}


def test_xlsx_report_structure_and_figures(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "report.xlsx"
    result = esg("report", EXAMPLE, "--year", 2024, "-o", out, "--policy", "esg-excellent",
                 "--lang", "en", **ENV)
    assert result.exit_code == 0, result.stderr
    improvement = as_json(esg("improve", EXAMPLE, "--format", "json"))
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Areas", "Suppliers", "Indicators", "Certification",
                               "Method"]
    areas = book["Areas"]
    assert [c.value for c in areas[1]] == ["Area", "Before", "After", "Change (pp)",
                                           "Relative change (%)", "Paired"]
    cohort = improvement["cohort"]
    assert [c.value for c in areas[2]][1:6] == pytest.approx([
        cohort["compliance"]["mean_before"], cohort["compliance"]["mean_after"],
        cohort["compliance"]["delta_pp"], cohort["compliance"]["relative_pct"],
        cohort["compliance"]["n"]], rel=1e-15)
    assert areas["B3"].value == pytest.approx(cohort["areas"]["E"]["compliance"]["mean_before"],
                                              rel=1e-15)
    charts = areas._charts
    assert len(charts) == 2
    refs = [[s.val.numRef.f for s in chart.series] for chart in charts]
    assert refs == [["'Areas'!$B$2:$B$5", "'Areas'!$C$2:$C$5"],
                    ["'Areas'!$B$9:$B$18", "'Areas'!$C$9:$C$18"]]
    assert sum(areas.cell(row=r, column=3).value for r in range(9, 19)) == improvement["paired"]
    indicators = book["Indicators"]
    assert len(indicators._charts) == 1
    # the table in the questionnaire's order; the chart over the ten most improved (L:M)
    order = [i["id"] for i in as_json(esg("questionnaire", "show", "supplier-esg", "--format",
                                          "json"))["indicators"]]
    table = [r[0] for r in indicators.iter_rows(min_row=2, max_col=1, values_only=True)]
    assert table == [i for i in order if i in table] and len(table) == len(improvement["indicators"])
    assert indicators._charts[0].series[0].val.numRef.f == "'Indicators'!$M$2:$M$11"
    assert indicators._charts[0].series[0].cat.numRef.f == "'Indicators'!$L$2:$L$11"
    top = [(r["indicator"], r["delta_pp"]) for r in improvement["indicators"][:10]]
    cells = list(indicators.iter_rows(min_row=2, max_row=11, min_col=12, max_col=13,
                                      values_only=True))
    assert [c[0] for c in cells] == [t[0] for t in top]
    assert [c[1] for c in cells] == pytest.approx([t[1] for t in top], rel=1e-14)
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Diagnosed before support"] == 66
    assert summary["Both rounds (paired)"] == 61
    certified = as_json(esg("certify", EXAMPLE, "--policy", "esg-excellent", "--year", 2024,
                            "--dry-run", "--format", "json", "--registry", tmp_path / "r.sqlite"))
    assert summary["Meeting the criteria"] == certified["summary"]["qualified"]
    method = [r for r in book["Method"].iter_rows(values_only=True)]
    assert method[1][2] == improvement["questionnaire"]["sha256"]
    assert any(r[1] == "suppliers.xlsx (진단결과)" for r in method)
    assert ("Generated at", "2024-12-01T00:00:00+00:00", None) in method


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") or (value and "://" in value):
                self.urls.append(f"{name}={value}")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_is_self_contained(esg, tmp_path: Path, golden) -> None:  # noqa: ANN001
    out = tmp_path / "report.html"
    result = esg("report", EXAMPLE, "--year", 2024, "-o", out, **ENV)
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(page)
    assert parser.urls == [] and "http" not in page and "@import" not in page
    assert parser.tags.count("svg") == 3
    text = " ".join(parser.text)
    improvement = as_json(esg("improve", EXAMPLE, "--format", "json"))
    c = improvement["cohort"]["compliance"]
    assert f"{c['mean_before']:.1f}% → {c['mean_after']:.1f}%" in text
    assert f"{c['delta_pp']:+.1f}%p" in text and f"{c['relative_pct']:+.1f}%" in text
    assert "2024년 협력사 ESG 지원사업 성과 보고서" in text
    summary = page[page.index("<h2>요약"):page.index("<h2>영역별")]
    golden("report-summary.html", re.sub(r">\s+<", "><", summary) + "\n")


def test_injection_is_neutralised_in_reports(esg, tmp_path: Path) -> None:  # noqa: ANN001
    header = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1",
              "S-2"]
    rows = [["@cmd", "<script>alert(1)</script>", "사전", 10, "no", 1, 0, "none", None],
            ["@cmd", "<script>alert(1)</script>", "사후", 10, "yes", 3, 30, "manager,ppe", None]]
    answers = write_xlsx(tmp_path / "x.xlsx", [header, *rows])
    html_out, xlsx_out = tmp_path / "r.html", tmp_path / "r.xlsx"
    assert esg("report", answers, "-q", MINI, "--year", 2024, "-o", html_out).exit_code == 0
    assert esg("report", answers, "-q", MINI, "--year", 2024, "-o", xlsx_out).exit_code == 0
    page = html_out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    sheet = load_workbook(xlsx_out)["Suppliers"]
    assert sheet["A2"].value == "'@cmd" and sheet["A2"].data_type == "s"


def test_multi_year_trend(esg, tmp_path: Path) -> None:  # noqa: ANN001
    first = tmp_path / "program-2023.xlsx"
    shutil.copy(DATA / "mini.xlsx", first)
    book = load_workbook(first)
    for row in book.worksheets[0].iter_rows(min_row=4):
        row[3].value = None  # no year column values: the file name gives 2023
    book.save(first)
    second = tmp_path / "program-2024.xlsx"
    shutil.copy(DATA / "mini.xlsx", second)
    out = tmp_path / "trend.json"
    result = esg("report", first, second, "-q", MINI, "--year", 2024, "-o", out, **ENV)
    assert result.exit_code == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [t["year"] for t in report["trend"]] == [2023, 2024]
    xlsx = tmp_path / "trend.xlsx"
    assert esg("report", first, second, "-q", MINI, "--year", 2024, "-o", xlsx).exit_code == 0
    trend = load_workbook(xlsx)["Trend"]
    assert trend._charts[0].series[0].val.numRef.f == "'Trend'!$E$2:$E$3"


def test_registry_counts_certificates(esg, tmp_path: Path) -> None:  # noqa: ANN001
    reg = tmp_path / "r.sqlite"
    policy = DATA / "mini-policy.yaml"
    esg("certify", DATA / "mini.xlsx", "--policy", policy, "-q", MINI, "--year", 2024,
        "--registry", reg)
    out = tmp_path / "r.json"
    assert esg("report", DATA / "mini.xlsx", "-q", MINI, "--year", 2024, "--registry", reg,
               "--policy", policy, "-o", out).exit_code == 0
    cert = json.loads(out.read_text(encoding="utf-8"))["main"]["certification"]
    assert (cert["certified"], cert["evaluated"], cert["qualified"]) == (2, 2, 2)


def test_two_files_with_different_versions_are_flagged(esg, tmp_path: Path) -> None:  # noqa: ANN001
    header = ["supplier_id", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
    before = write_xlsx(tmp_path / "before.xlsx", [header, ["P1", 10, "no", 1, 0, "manager,ppe", None]])
    after = write_xlsx(tmp_path / "after.xlsx", [header, ["P1", 10, "yes", 3, 30, "manager,ppe", None]])
    new = tmp_path / "mini2.yaml"
    new.write_text(MINI.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"').replace(
        "pass_points: 2\n", "pass_points: 3\n"), encoding="utf-8")
    out = tmp_path / "r.json"
    result = esg("report", before, after, "-q", MINI, "--year", 2024, "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["main"]["both"] == 1
    html = tmp_path / "r.html"
    versions = esg("report", before, after, "-q", MINI, "-q", new, "--year", 2024, "-o", html,
                   "--lang", "en")
    assert versions.exit_code == 0, versions.stderr
    page = html.read_text(encoding="utf-8")
    assert "Indicators whose definition changed (the rounds use different versions): S-1 " \
           "(pass points)" in page


def test_markdown_report(esg, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "report.md"
    result = esg("report", EXAMPLE, "--year", 2024, "-o", out, "--lang", "en", **ENV)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    improvement = as_json(esg("improve", EXAMPLE, "--format", "json"))
    c = improvement["cohort"]["compliance"]
    assert f"{c['mean_before']:.1f}% → {c['mean_after']:.1f}% ({c['delta_pp']:+.1f} pp" in text
    assert "%p" not in text  # English readers expect pp (#12 item 11)
    assert text.startswith("# Supplier ESG support program report 2024\n")
    assert "| Indicator | Title | Before | After |" in text


@pytest.mark.parametrize("lang, unit", [("en", " pp"), ("ko", "%p")])
def test_percentage_points_in_the_reports_language(esg, tmp_path: Path, lang: str, unit: str) -> None:  # noqa: ANN001
    """`%p` is Korean; English HTML, Markdown and Excel reports write `pp` (#12 item 11)."""
    delta = as_json(esg("improve", EXAMPLE, "--format", "json"))["cohort"]["compliance"]["delta_pp"]
    for suffix in ("html", "md", "xlsx"):
        out = tmp_path / f"report.{suffix}"
        result = esg("report", EXAMPLE, "--year", 2024, "-o", out, "--lang", lang, **ENV)
        assert result.exit_code == 0, result.stderr
        if suffix == "xlsx":
            formats = {c.number_format for sheet in load_workbook(out) for row in sheet.iter_rows()
                       for c in row if "p" in c.number_format}
            assert formats == {f'+0.0"{unit}";-0.0"{unit}";0.0"{unit}"'}
            continue
        text = out.read_text(encoding="utf-8")
        assert f"{delta:+.1f}{unit}" in text
        assert ("%p" in text) == (lang == "ko")


@pytest.mark.parametrize("named", [False, True])
def test_two_files_given_after_first_are_taken_by_their_round_names(
        esg, tmp_path: Path, named: bool) -> None:  # noqa: ANN001
    """`esg report after.xlsx before.xlsx` reversed the year (compliance "fell" from the after
    figure to the before one, certification judged on the before round), exit 0. Two
    single-round files are now taken by their rounds' names, with a warning (RPT-015)."""
    header = ["supplier_id", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
    before = write_xlsx(tmp_path / "before.xlsx", [header, ["P1", "사전평가", 10, "no", 1, 0, "", None],
                                                   ["P2", "사전평가", 10, "no", 1, 0, "", None]])
    after = write_xlsx(tmp_path / "after.xlsx", [header, ["P1", "사후평가", 10, "yes", 3, 30, "manager", None],
                                                 ["P2", "사후평가", 10, "yes", 3, 30, "manager", None]])
    names = ["--before", "사전평가", "--after", "사후평가"] if named else []
    right, swapped = tmp_path / "right.json", tmp_path / "swapped.json"
    assert esg("report", before, after, "-q", MINI, "--year", 2024, "-o", right, *names).exit_code == 0
    result = esg("report", after, before, "-q", MINI, "--year", 2024, "-o", swapped, *names,
                 "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "RPT-015 2024: the first file (after.xlsx) holds the after round '사후평가' and the " \
           "second (before.xlsx) the before round '사전평가'" in result.stderr
    main = json.loads(swapped.read_text(encoding="utf-8"))["main"]
    expected = json.loads(right.read_text(encoding="utf-8"))["main"]
    assert main["improvement"]["cohort"] == expected["improvement"]["cohort"]
    assert main["improvement"]["cohort"]["compliance"]["delta_pp"] > 0
    assert main["certification"] == expected["certification"]


def test_improve_of_one_file_given_twice_says_so(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """`esg improve before.xlsx before_copy.xlsx` reported every supplier at +0.0 without a
    word (#12 review): the same bytes twice is said on stderr (IMP-006)."""
    header = ["supplier_id", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
    first = write_xlsx(tmp_path / "before.xlsx", [header, ["P1", "사전", 10, "no", 1, 0, "", None]])
    copy = tmp_path / "before_copy.xlsx"
    shutil.copyfile(first, copy)
    result = esg("improve", first, copy, "-q", MINI, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "the two files (before.xlsx, before_copy.xlsx) hold the same bytes" in result.stderr
    other = write_xlsx(tmp_path / "after.xlsx", [header, ["P1", "사후", 10, "yes", 3, 30, "manager", None]])
    assert "same bytes" not in esg("improve", first, other, "-q", MINI, "--lang", "en").stderr
