"""Program to date (SPEC §8): every year's paired suppliers pooled, the certified share over the
years, and the sentence a sponsor quotes."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import DATA, MINI, ROOT, as_json, parse_table, write_xlsx
from openpyxl import load_workbook

from esgcli.engine.program import YearParticipation, program_to_date

POLICY = DATA / "mini-policy.yaml"
ENV = {"SOURCE_DATE_EPOCH": "1733011200"}

# Three program years, different suppliers each year; A1 takes part in 2022 and again in 2023;
# A3 (2022) and C4 (2024) have one round only; B2 (2023) is evaluated without qualifying.
YEARS = {
    2022: """
| supplier_id | supplier_name | round | year | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| A1 | 가나 | 사전 | 2022 | 60 | no | 1 | 2 | manager | no |
| A1 | 가나 | 사후 | 2022 | 60 | yes | 2 | 12 | manager,ppe | no |
| A2 | 다라 | 사전 | 2022 | 10 | no | 2 | 0 | none | |
| A2 | 다라 | 사후 | 2022 | 10 | yes | 3 | 25 | manager,training,ppe | |
| A3 | 마바 | 사전 | 2022 | 10 | yes | 1 | 5 | manager | |
""",
    2023: """
| supplier_id | supplier_name | round | year | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| A1 | 가나 | 사전 | 2023 | 60 | yes | 2 | 12 | manager | no |
| A1 | 가나 | 사후 | 2023 | 60 | yes | 3 | 30 | manager,training,ppe | yes |
| B1 | 사아 | 사전 | 2023 | 80 | no | 1 | 0 | none | no |
| B1 | 사아 | 사후 | 2023 | 80 | yes | 3 | 20 | manager,ppe | yes |
| B2 | 자차 | 사전 | 2023 | 20 | no | 1 | 1 | none | |
| B2 | 자차 | 사후 | 2023 | 20 | no | 2 | 3 | manager | |
""",
    2024: """
| supplier_id | supplier_name | round | year | employees | E-1 | E-2 | E-3 | S-1 | S-2 |
| C1 | 카타 | 사전 | 2024 | 30 | no | 2 | 4 | manager | |
| C1 | 카타 | 사후 | 2024 | 30 | yes | 2 | 6 | manager,ppe | |
| C2 | 파하 | 사전 | 2024 | 30 | yes | 1 | 0 | none | |
| C2 | 파하 | 사후 | 2024 | 30 | yes | 3 | 40 | manager,training | |
| C3 | 거너 | 사전 | 2024 | 200 | no | 해당없음 | 10 | ppe | no |
| C3 | 거너 | 사후 | 2024 | 200 | yes | 3 | 50 | manager,ppe | yes |
| C4 | 더러 | 사후 | 2024 | 5 | yes | 3 | 60 | manager,ppe | |
""",
}


def program_files(folder: Path) -> list[Path]:
    return [write_xlsx(folder / f"program-{year}.xlsx", parse_table(table))
            for year, table in YEARS.items()]


def report_json(esg: Any, files: list[Path], tmp_path: Path, *extra: Any) -> dict[str, Any]:
    out = tmp_path / "report.json"
    result = esg("report", *files, "-q", MINI, "--year", 2024, "-o", out, *extra, **ENV)
    assert result.exit_code == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_pooled_figures_equal_hand_computation_from_each_year(esg, tmp_path: Path) -> None:  # noqa: ANN001
    files = program_files(tmp_path)
    ptd = report_json(esg, files, tmp_path)["program_to_date"]
    yearly = [as_json(esg("improve", f, "-q", MINI, "--format", "json")) for f in files]
    cohorts = [y["cohort"]["compliance"] for y in yearly]
    n = sum(c["n"] for c in cohorts)
    before = sum(c["n"] * c["mean_before"] for c in cohorts) / n
    after = sum(c["n"] * c["mean_after"] for c in cohorts) / n
    ids = [s["supplier_id"] for y in yearly for s in y["suppliers"]]
    assert (ptd["years"], ptd["participations"], ptd["suppliers"]) == (
        [2022, 2023, 2024], sum(y["paired"] for y in yearly), len(set(ids)))
    assert (ptd["participations"], ptd["suppliers"]) == (8, 7)  # A1 counts twice
    assert ptd["compliance"] == pytest.approx({
        "mean_before": before, "mean_after": after, "delta_pp": after - before,
        "relative_pct": 100 * (after - before) / before}, rel=1e-12)
    assert (ptd["certified"], ptd["certified_pct"], ptd["method_changes"]) == (None, None, [])
    assert list(ptd)[:7] == ["years", "participations", "suppliers", "compliance", "certified",
                             "certified_pct", "sentence"]


def test_program_up_to_the_year_asked(esg, tmp_path: Path) -> None:  # noqa: ANN001
    files = program_files(tmp_path)
    out = tmp_path / "r.json"
    assert esg("report", *files, "-q", MINI, "--year", 2023, "-o", out).exit_code == 0
    ptd = json.loads(out.read_text(encoding="utf-8"))["program_to_date"]
    assert (ptd["years"], ptd["participations"], ptd["suppliers"]) == ([2022, 2023], 5, 4)


def test_certified_share_with_a_policy(esg, tmp_path: Path) -> None:  # noqa: ANN001
    files = program_files(tmp_path)
    ptd = report_json(esg, files, tmp_path, "--policy", POLICY)["program_to_date"]
    judged = [as_json(esg("certify", f, "-q", MINI, "--policy", POLICY, "--year", year,
                          "--dry-run", "--format", "json", "--registry", tmp_path / "x.sqlite"))
              for f, year in zip(files, YEARS, strict=True)]
    evaluated = {s["supplier_id"] for j in judged for s in j["suppliers"]}
    qualified = {s["supplier_id"] for j in judged for s in j["suppliers"] if s["qualifies"]}
    assert (ptd["evaluated"], ptd["certified"]) == (len(evaluated), len(qualified))
    assert ptd["certified_pct"] == pytest.approx(100 * len(qualified) / len(evaluated))
    assert (ptd["certified_basis"], len(evaluated), len(qualified)) == ("policy", 8, 7)


def test_certified_share_with_a_registry(esg, tmp_path: Path) -> None:  # noqa: ANN001
    files = program_files(tmp_path)
    reg = tmp_path / "r.sqlite"
    issued = []
    for f, year in zip(files, YEARS, strict=True):
        result = as_json(esg("certify", f, "-q", MINI, "--policy", POLICY, "--year", year,
                             "--format", "json", "--registry", reg))
        issued += [s for s in result["suppliers"] if s["certificate"]]
    revoked = next(s for s in issued if s["supplier_id"] == "C1")["certificate"]["number"]
    assert esg("certs", "revoke", revoked, "--reason", "test", "--registry", reg).exit_code == 0
    ptd = report_json(esg, files, tmp_path, "--registry", reg)["program_to_date"]
    certified = {s["supplier_id"] for s in issued} - {"C1"}
    assert (ptd["certified_basis"], ptd["evaluated"], ptd["certified"]) == (
        "registry", 8, len(certified))
    assert ptd["certified_pct"] == pytest.approx(100 * len(certified) / 8)
    assert ptd["sentence"].endswith("of the 8 suppliers evaluated after support were certified.")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_sentence_in_both_languages(esg, tmp_path: Path, golden, lang: str) -> None:  # noqa: ANN001
    files = program_files(tmp_path)
    reg = tmp_path / "r.sqlite"
    for f, year in zip(files, YEARS, strict=True):
        esg("certify", f, "-q", MINI, "--policy", POLICY, "--year", year, "--registry", reg)
    sentences = [report_json(esg, files, tmp_path, "--lang", lang, *extra)["program_to_date"]
                 ["sentence"] for extra in ([], ["--policy", POLICY],
                                            ["--policy", POLICY, "--registry", reg])]
    out = tmp_path / "example.json"  # every participant evaluated: "of them"
    assert esg("report", ROOT / "examples" / "suppliers.xlsx", "--year", 2024, "--policy",
               "esg-excellent", "-o", out, "--lang", lang).exit_code == 0
    sentences.append(json.loads(out.read_text(encoding="utf-8"))["program_to_date"]["sentence"])
    golden(f"program-sentence-{lang}.txt", "\n".join(sentences) + "\n")


def test_different_questionnaire_versions_are_flagged(esg, tmp_path: Path) -> None:  # noqa: ANN001
    files = program_files(tmp_path)
    v2 = tmp_path / "mini2.yaml"
    v2.write_text(MINI.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"')
                  .replace("pass_points: 2\n", "pass_points: 3\n"), encoding="utf-8")
    out = tmp_path / "r.json"
    result = esg("report", *files, "-q", MINI, "-q", MINI, "-q", v2, "--year", 2024, "-o", out,
                 "--lang", "en")
    assert result.exit_code == 0, result.stderr
    ptd = json.loads(out.read_text(encoding="utf-8"))["program_to_date"]
    assert [(c["from"]["year"], c["from"]["version"], c["to"]["year"], c["to"]["version"],
             c["indicators"]) for c in ptd["method_changes"]] == [
        (2023, "1", 2024, "2", [{"indicator": "S-1", "fields": ["pass_points"]}])]
    assert ptd["sentence"].endswith("Note: the years were scored with different questionnaire "
                                    "versions (2023: mini 1; 2024: mini 2), so indicator "
                                    "definitions differ.")
    assert "RPT-001" in result.stderr
    same = report_json(esg, files, tmp_path)["program_to_date"]
    assert same["method_changes"] == [] and "RPT-001" not in esg(
        "report", *files, "-q", MINI, "--year", 2024, "-o", tmp_path / "s.json").stderr


def test_program_leads_the_summary_in_every_format(esg, tmp_path: Path) -> None:  # noqa: ANN001
    files = program_files(tmp_path)
    sentence = report_json(esg, files, tmp_path, "--policy", POLICY, "--lang", "ko")[
        "program_to_date"]["sentence"]
    outputs = {}
    for suffix in ("html", "md", "xlsx"):
        outputs[suffix] = tmp_path / f"r.{suffix}"
        result = esg("report", *files, "-q", MINI, "--year", 2024, "--policy", POLICY, "-o",
                     outputs[suffix], "--lang", "ko")
        assert result.exit_code == 0, result.stderr
    page = outputs["html"].read_text(encoding="utf-8")
    assert page[page.index("<h2>요약</h2>"):].split("\n")[1].startswith("<section class='ptd'>")
    assert f"<blockquote>{sentence}</blockquote>" in page
    text = outputs["md"].read_text(encoding="utf-8")
    lead = text[text.index("## 요약\n"):].split("\n")
    assert lead[2:5] == ["### 사업 누적 성과 · 2022–2024", "", f"> {sentence}"]
    sheet = load_workbook(outputs["xlsx"]).worksheets[0]
    assert (sheet["A4"].value, sheet["A5"].value) == ("사업 누적 성과 · 2022–2024", sentence)
    figures = {r[0]: r[1] for r in sheet.iter_rows(min_row=6, max_row=15, values_only=True)}
    assert figures["참여 (연도별 합계, 전·후 비교)"] == 8
    assert figures["참여 협력사 (중복 제외)"] == 7


def participation(year: int, ids: list[str], before: list[float], after: list[float],
                  evaluated: list[str] | None = None,
                  certified: list[str] | None = None) -> YearParticipation:
    return YearParticipation(year, ids, np.array(before), np.array(after), evaluated, certified)


def test_single_year_and_a_supplier_twice() -> None:
    one = program_to_date([participation(2024, ["S1", "S2"], [40.0, 60.0], [80.0, 90.0])])
    assert one.to_dict()["compliance"] == {"mean_before": 50.0, "mean_after": 85.0,
                                           "delta_pp": 35.0, "relative_pct": 70.0}
    assert one.sentence == ("2024년 참여 협력사 2개사의 평균 지표 준수율은 지원 전 50.0%에서 "
                            "지원 후 85.0%로 70.0% 상승(+35.0%p)했습니다.")
    two = program_to_date([participation(2024, ["S1"], [50.0], [50.0], ["S1", "S9"], ["S9"]),
                           participation(2023, ["S1"], [20.0], [40.0], ["S1"], [])],
                          basis="registry", certified_title="ESG 우수기업", lang="en")
    data = two.to_dict()
    assert (data["years"], data["participations"], data["suppliers"]) == ([2023, 2024], 2, 1)
    assert (data["evaluated"], data["certified"], data["certified_pct"]) == (2, 1, 50.0)
    assert data["sentence"] == (
        "In 2023–2024, the average indicator compliance rate of the 1 participating supplier "
        "(2 participations over the years) rose 28.6% against before support, from 35.0% to "
        "45.0% (+10.0 percentage points); 1 (50.0%) of the 2 suppliers evaluated after support "
        "was designated “ESG 우수기업”.")


def test_no_pairs_and_a_fall() -> None:
    none = program_to_date([participation(2024, [], [], [], ["S1"], ["S1"])], basis="policy",
                           certified_title="ESG 우수기업")
    assert none.compliance["mean_before"] is None
    assert none.sentence == ("2024년에는 지원 전·후를 모두 진단받은 참여 협력사가 없습니다. "
                             "2024년 평가 협력사 1개사 중 1개사(100.0%)가 ESG 우수기업 기준을 "
                             "충족했습니다.")
    fall = program_to_date([participation(2024, ["S1"], [50.0], [45.0])])
    assert "10.0% 하락(-5.0%p)했습니다." in fall.sentence
    assert math.isclose(fall.compliance["relative_pct"] or 0, -10.0)
