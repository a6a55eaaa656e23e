"""Registry certificates read by `esg report` and `esg feedback` (SPEC §7, §8, §13): only the
report's questionnaire (and --policy) counts, distinct suppliers among those evaluated; and the
report's and messages' display details (indicator order, trend years, rounding, blank rounds)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

QUESTIONNAIRE = """format: esg-questionnaire/1
id: {id}
version: "1"
title: {{ko: 미니, en: Mini}}
language: ko
areas:
  - {{id: E, title: {{ko: 환경, en: Environment}}}}
  - {{id: S, title: {{ko: 사회, en: Social}}}}
  - {{id: G, title: {{ko: 지배구조, en: Governance}}}}
indicators:
  - {{id: E-1, area: E, title: {{ko: 환경1, en: Env1}}, scale: yes_no}}
  - {{id: E-2, area: E, title: {{ko: 환경2, en: Env2}}, scale: yes_no}}
  - {{id: S-1, area: S, title: {{ko: 사회1, en: Soc1}}, scale: yes_no}}
  - {{id: S-2, area: S, title: {{ko: 사회2, en: Soc2}}, scale: yes_no}}
  - {{id: G-1, area: G, title: {{ko: 지배1, en: Gov1}}, scale: yes_no}}
  - {{id: G-2, area: G, title: {{ko: 지배2, en: Gov2}}, scale: yes_no}}
"""
POLICY = """format: esg-policy/1
id: {id}
version: "1"
title: {{ko: 우수, en: Excellent}}
questionnaire: {questionnaire}
criteria:
  compliance_min: {minimum}
certificate:
  number: "{prefix}-{{year}}-{{seq:03d}}"
  valid_years: 1
"""
HEADER = "supplier_id,supplier_name,year,round,E-1,E-2,S-1,S-2,G-1,G-2"
YES, HALF = "yes,yes,yes,yes,yes,yes", "yes,no,yes,no,yes,no"
# evaluated (after round): 2022 A, B · 2023 A, D, E · 2024 B, F; C only before
MULTI = [f"A,알파,2022,사전,{HALF}", f"A,알파,2022,사후,{YES}", f"B,베타,2022,사전,{HALF}",
         f"B,베타,2022,사후,{HALF}", f"C,감마,2022,사전,{HALF}", f"A,알파,2023,사전,{HALF}",
         f"A,알파,2023,사후,{YES}", f"D,델타,2023,사전,{HALF}", f"D,델타,2023,사후,{YES}",
         f"E,엡실론,2023,사후,{YES}", f"B,베타,2024,사전,{HALF}", f"B,베타,2024,사후,{YES}",
         f"F,제타,2024,사전,{YES}", f"F,제타,2024,사후,{HALF}"]


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """mini and sec questionnaires; mini-ex (80%) and mini-lo (50%) on mini, sec-ok (50%) on sec."""
    out: dict[str, Path] = {}
    for qid in ("mini", "sec"):
        out[qid] = tmp_path / f"{qid}.yaml"
        out[qid].write_text(QUESTIONNAIRE.format(id=qid), encoding="utf-8")
    for pid, qid, minimum, prefix in (("mini-ex", "mini", 80, "M"), ("mini-lo", "mini", 50, "L"),
                                      ("sec-ok", "sec", 50, "SEC")):
        out[pid] = tmp_path / f"{pid}.yaml"
        out[pid].write_text(POLICY.format(id=pid, questionnaire=qid, minimum=minimum,
                                          prefix=prefix), encoding="utf-8")
    out["multi"] = _csv(tmp_path / "multi.csv", MULTI)
    out["sec2024"] = _csv(tmp_path / "sec2024.csv", [r for r in MULTI if ",2024," in r])
    out["f2024"] = _csv(tmp_path / "f2024.csv", [r for r in MULTI if r.startswith("F,")])
    out["reg"] = tmp_path / "reg.sqlite"
    return out


def _certify(esg, f: dict[str, Path], answers: str, questionnaire: str, policy: str,  # noqa: ANN001
             year: int) -> None:
    result = esg("certify", f[answers], "-q", f[questionnaire], "--policy", f[policy], "--year",
                 year, "--registry", f["reg"])
    assert result.exit_code in (0, 3), result.stderr  # 3: some supplier does not qualify


@pytest.fixture
def two_programmes(esg, files: dict[str, Path]) -> dict[str, Path]:  # noqa: ANN001
    """mini-ex certificates for 2022–2024 and, in the same registry, sec-ok certificates of
    the same suppliers B and F in 2024 under another questionnaire."""
    for year in (2022, 2023, 2024):
        _certify(esg, files, "multi", "mini", "mini-ex", year)
    _certify(esg, files, "sec2024", "sec", "sec-ok", 2024)
    return files


def _report(esg, f: dict[str, Path], out: Path, *args: object) -> tuple[dict, str]:  # noqa: ANN001
    result = esg("report", f["multi"], "-q", f["mini"], "--year", 2024, "--registry", f["reg"],
                 "-o", out, *args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8")) if out.suffix == ".json" else {}
    return data, result.stderr


def test_report_counts_only_this_questionnaires_certificates(esg, two_programmes, tmp_path) -> None:  # noqa: ANN001
    f = two_programmes
    data, err = _report(esg, f, tmp_path / "r.json")
    cert = data["main"]["certification"]
    assert (cert["certified"], cert["evaluated"], cert["certified_share_pct"]) == (1, 2, 50.0)
    assert cert["certified_ids"] == ["B"]
    assert cert["certificates"] == [{"number": "M-2024-001", "supplier_id": "B",
                                     "supplier_name": "베타", "policy": "mini-ex",
                                     "issued_on": cert["certificates"][0]["issued_on"],
                                     "valid_until": cert["certificates"][0]["valid_until"]}]
    ptd = data["program_to_date"]
    assert (ptd["certified"], ptd["evaluated"], ptd["certified_pct"]) == (4, 5, 80.0)
    assert data["method"]["certificate_policies"] == ["mini-ex"]
    assert "RPT-005" not in err
    # the other formats say the same
    md = (tmp_path / "r.md")
    _report(esg, f, md)
    assert "| 1 / 2 (50.0%) |" in md.read_text(encoding="utf-8").replace("인증 ", "")
    html = tmp_path / "r.html"
    _report(esg, f, html)
    text = html.read_text(encoding="utf-8")
    assert " 1 / 2 (50.0%)</p>" in text and "SEC-2024" not in text
    xlsx = tmp_path / "r.xlsx"
    _report(esg, f, xlsx)
    sheet = load_workbook(xlsx)["인증"]
    values = [tuple(c for c in r if c is not None) for r in sheet.iter_rows(values_only=True)]
    assert values[-1][:4] == ("M-2024-001", "B", "베타", "mini-ex")
    assert not any("SEC-2024" in str(v) for row in values for v in row)


def test_report_with_policy_counts_only_evaluated_holders(esg, two_programmes, tmp_path) -> None:  # noqa: ANN001
    f = two_programmes
    out = tmp_path / "f.json"
    result = esg("report", f["f2024"], "-q", f["mini"], "--year", 2024, "--registry", f["reg"],
                 "--policy", f["mini-ex"], "-o", out)
    assert result.exit_code == 0, result.stderr
    cert = json.loads(out.read_text(encoding="utf-8"))["main"]["certification"]
    # B holds M-2024-001 but is not in this file: F alone was evaluated, and holds none
    assert (cert["certified"], cert["evaluated"], cert["certified_ids"]) == (0, 1, [])
    assert cert["certificates"] == []


def test_two_policies_count_each_supplier_once_and_are_named(esg, two_programmes, tmp_path) -> None:  # noqa: ANN001
    f = two_programmes
    _certify(esg, f, "multi", "mini", "mini-lo", 2024)  # B and F: a second certificate for B
    data, err = _report(esg, f, tmp_path / "r.json", "--lang", "en")
    cert = data["main"]["certification"]
    assert (cert["certified"], cert["evaluated"], cert["certified_share_pct"]) == (2, 2, 100.0)
    assert cert["certified_ids"] == ["B", "F"]
    assert [(c["number"], c["policy"]) for c in cert["certificates"]] == [
        ("M-2024-001", "mini-ex"), ("L-2024-001", "mini-lo"), ("L-2024-002", "mini-lo")]
    assert data["program_to_date"]["certified"] == 5  # A, D, E from earlier years; B, F
    assert data["method"]["certificate_policies"] == ["mini-ex", "mini-lo"]
    assert re.search(r"RPT-005.*: mini-ex, mini-lo\.", " ".join(err.split()))
    # --policy counts that policy alone, without the warning
    data, err = _report(esg, f, tmp_path / "p.json", "--policy", f["mini-lo"])
    cert = data["main"]["certification"]
    assert (cert["certified"], [c["number"] for c in cert["certificates"]]) == (
        2, ["L-2024-001", "L-2024-002"])
    assert data["method"]["certificate_policies"] == ["mini-lo"]
    assert "RPT-005" not in err


def test_feedback_shows_only_this_questionnaires_certificate(esg, two_programmes) -> None:  # noqa: ANN001
    f = two_programmes
    result = esg("feedback", f["multi"], "-q", f["mini"], "--year", 2024, "--registry", f["reg"],
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    shown = {s["supplier_id"]: s["certificate"] and (s["certificate"]["number"],
                                                      s["certificate"]["policy"])
             for s in json.loads(result.stdout)["suppliers"]}
    assert shown == {"B": ("M-2024-001", "mini-ex"), "F": None}


def test_report_indicator_tables_follow_the_questionnaire(esg, files, tmp_path) -> None:  # noqa: ANN001
    md = tmp_path / "r.md"
    assert esg("report", files["multi"], "-q", files["mini"], "--year", 2024, "-o",
               md).exit_code == 0
    rows = re.findall(r"^\| ([ESG]-\d) \|", md.read_text(encoding="utf-8"), flags=re.M)
    assert rows == ["E-1", "E-2", "S-1", "S-2", "G-1", "G-2"]
    html = tmp_path / "r.html"
    assert esg("report", files["multi"], "-q", files["mini"], "--year", 2024, "-o",
               html).exit_code == 0
    table = html.read_text(encoding="utf-8").split("<h2>지표별</h2>")[1]
    assert re.findall(r"<td class=\"\">([ESG]-\d)</td>", table)[:6] == ["E-1", "E-2", "S-1", "S-2", "G-1",
                                                             "G-2"]
    xlsx = tmp_path / "r.xlsx"
    assert esg("report", files["multi"], "-q", files["mini"], "--year", 2024, "-o",
               xlsx).exit_code == 0
    book = load_workbook(xlsx)
    sheet = book["지표별"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, max_col=1, values_only=True)] == [
        "E-1", "E-2", "S-1", "S-2", "G-1", "G-2"]
    trend = book["연도별 추이"]
    assert [r[0] for r in trend.iter_rows(min_row=2, max_col=1, values_only=True)] == [
        2022, 2023, 2024]


def test_verify_table_rounds_the_rate(esg, files, tmp_path) -> None:  # noqa: ANN001
    # A's 2023 after round: 5 of 6 compliant (83.33…%); then the file changes
    rows = [f"A,알파,2023,사전,{HALF}", "A,알파,2023,사후,yes,yes,yes,yes,yes,no"]
    answers = _csv(tmp_path / "a.csv", rows)
    assert esg("certify", answers, "-q", files["mini"], "--policy", files["mini-ex"], "--year",
               2023, "--registry", files["reg"]).exit_code == 0
    number = "M-2023-001"
    changed = _csv(tmp_path / "changed.csv", [rows[0], f"A,알파,2023,사후,{HALF}"])
    table = esg("certs", "verify", number, changed, "-q", files["mini"], "--policy",
                files["mini-ex"], "--registry", files["reg"], "--lang", "en")
    assert table.exit_code == 3
    line = next(x for x in table.stdout.splitlines() if "Compliance" in x or "compliance" in x)
    assert re.findall(r"[\d.]+%", line) == ["83.3%", "50.0%"]
    result = esg("certs", "verify", number, changed, "-q", files["mini"], "--policy",
                 files["mini-ex"], "--registry", files["reg"], "--format", "json")
    check = next(c for c in json.loads(result.stdout)["checks"] if c["check"] == "compliance")
    assert (check["recorded"], check["actual"]) == (pytest.approx(500 / 6, rel=1e-15), 50.0)


@pytest.mark.parametrize(("lang", "text"), [("ko", "파일의 차수: 사전, 사후, -)"),
                                            ("en", "rounds in the file: 사전, 사후, -)")])
def test_blank_round_is_shown_as_a_dash(esg, files, tmp_path, lang: str, text: str) -> None:  # noqa: ANN001
    answers = _csv(tmp_path / "blank.csv", [f"A,가,2024,사전,{HALF}", f"A,가,2024,사후,{YES}",
                                            f"B,나,2024,,{YES}"])
    result = esg("improve", answers, "-q", files["mini"], "--lang", lang)
    assert result.exit_code == 3
    message = " ".join(result.stderr.split())
    assert "IMP-001" in message and text in message and "None" not in message


def test_feedback_names_suppliers_certified_under_several_policies(esg, two_programmes) -> None:  # noqa: ANN001
    """Without --policy, a supplier holding certificates of two policies of this questionnaire
    is shown the latest, with its policy, and stderr says so (FBK-002)."""
    f = two_programmes
    args = ["feedback", f["multi"], "-q", f["mini"], "--year", 2024, "--registry", f["reg"],
            "--format", "json", "--lang", "en"]
    assert "FBK-002" not in esg(*args).stderr  # one policy each so far
    _certify(esg, f, "multi", "mini", "mini-lo", 2024)  # B and F: under mini-lo too
    result = esg(*args)
    assert result.exit_code == 0, result.stderr
    assert re.search(r"FBK-002 .*\(B\).*mini-ex, mini-lo", " ".join(result.stderr.split()))
    with_policy = esg(*args, "--policy", f["mini-lo"])
    assert "FBK-002" not in with_policy.stderr
