"""The bundled information-security self-diagnosis (issue 18): questionnaire, policy, example."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from conftest import ROOT, as_json
from openpyxl import load_workbook

from esgcli import resolve_questionnaire
from esgcli.questionnaire.models import LocalText
from esgcli.questionnaire.policy import resolve_policy

QUESTIONNAIRE = ROOT / "questionnaires" / "supplier-security.yaml"
EXAMPLE = ROOT / "examples" / "security.xlsx"


def test_questionnaire_and_policy_load_and_check(esg) -> None:  # noqa: ANN001
    checked = esg("questionnaire", "check", QUESTIONNAIRE, ROOT / "questionnaires" / "supplier-esg.yaml")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    q = resolve_questionnaire("supplier-security")
    policy = resolve_policy("security-baseline")
    policy.check_questionnaire(q)  # raises on a wrong questionnaire id, area or grade
    assert policy.model.questionnaire == q.id
    assert set(policy.criteria.areas) == set(q.area_ids)
    assert policy.criteria.no_critical_failures


def test_questionnaire_shape_issue_18() -> None:
    q = resolve_questionnaire("supplier-security")
    assert q.area_ids == ["PO", "AM", "PS", "IR", "SC"]
    kinds = {q.matchers[i.id].kind for i in q.indicators}
    assert kinds == {"choice", "checklist", "number"}
    assert any(i.scale == "yes_no" for i in q.indicators)
    critical = {i.id for i in q.indicators if i.critical}
    assert {"AM-3", "PS-5"} <= critical  # no shared admin accounts; backups restore-tested
    fields = {f for i in q.indicators if i.applies_if for f in _fields(i.applies_if)}
    assert {"employees", "personal_data", "customer_data", "it_environment"} <= fields
    strings = {p.id for p in q.model.profile if p.type == "string"}
    assert strings and set(q.profile_values) == strings  # every string field declares values
    texts: list[LocalText] = [q.model.title, *(a.title for a in q.areas)]
    for indicator in q.indicators:
        texts += [indicator.title, indicator.question] if indicator.question else [indicator.title]
    assert all(t is not None and t.ko and t.en and t.ko != t.en for t in texts)
    header = QUESTIONNAIRE.read_text(encoding="utf-8").split("format:")[0]
    assert "NOT an ISMS / ISMS-P certification audit" in header
    for source in ("ISMS-P", "ISO/IEC 27001:2022", "CIS Critical Security Controls v8", "KISA"):
        assert source in header


def _fields(condition: object) -> set[str]:
    found: set[str] = set()
    for part in ("all", "any"):
        for child in getattr(condition, part, None) or []:
            found |= _fields(child)
    if getattr(condition, "not_", None) is not None:
        found |= _fields(condition.not_)  # type: ignore[attr-defined]
    if getattr(condition, "field", None):
        found.add(condition.field)  # type: ignore[attr-defined]
    return found


def test_example_scores_golden(esg, golden) -> None:  # noqa: ANN001
    result = esg("score", EXAMPLE, "-q", "supplier-security", "--format", "json")
    assert result.exit_code == 0, result.stderr
    golden("score-security-example.json", result.stdout)
    data = json.loads(result.stdout)
    rounds = [s["round"] for s in data["suppliers"]]
    assert 20 <= rounds.count("사전") <= 40 and 0 < rounds.count("사후") < rounds.count("사전")


def test_example_is_what_its_script_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_security_example",
                                                  ROOT / "examples" / "make_security_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.main(tmp_path / "security.xlsx")
    assert made.read_bytes() == EXAMPLE.read_bytes()


def test_example_through_improve_certify_report(esg, tmp_path: Path) -> None:  # noqa: ANN001
    improved = as_json(esg("improve", EXAMPLE, "-q", "supplier-security", "--format", "json"))
    assert improved["cohort"]["compliance"]["delta_pp"] > 0
    assert improved["paired"] + len(improved["only_before"]) == len({
        s["supplier_id"] for s in as_json(esg("score", EXAMPLE, "-q", "supplier-security",
                                              "--format", "json"))["suppliers"]})

    # certify's verdicts are the policy's criteria applied to the after round's scores
    after = as_json(esg("score", EXAMPLE, "-q", "supplier-security", "--round", "사후",
                        "--format", "json"))["suppliers"]
    expected = sorted(s["supplier_id"] for s in after
                      if s["compliance"] >= 70 and not s["critical_failures"] and not s["missing"]
                      and all(a["compliance"] is not None and a["compliance"] >= 50
                              for a in s["areas"].values()))
    run = esg("certify", EXAMPLE, "-q", "supplier-security", "--policy", "security-baseline",
              "--year", "2025", "--registry", tmp_path / "r.sqlite", "--format", "json")
    assert run.exit_code == 0, run.stderr
    certified = json.loads(run.stdout)
    assert sorted(s["supplier_id"] for s in certified["suppliers"] if s["qualifies"]) == expected
    assert 0 < len(expected) < len(after)
    numbers = [s["certificate"]["number"] for s in certified["suppliers"] if s["certificate"]]
    assert numbers == [f"SEC-2025-{n:04d}" for n in range(1, len(expected) + 1)]

    for suffix in ("xlsx", "html"):
        out = tmp_path / f"report.{suffix}"
        made = esg("report", EXAMPLE, "-q", "supplier-security", "--year", "2025", "--policy",
                   "security-baseline", "-o", out)
        assert made.exit_code == 0, made.stderr
        assert out.stat().st_size > 0


def test_show_and_diff(esg) -> None:  # noqa: ANN001
    shown = esg("questionnaire", "show", "supplier-security", "--lang", "en")
    assert shown.exit_code == 0
    assert "AM-3 Shared administrator accounts" in shown.stdout
    same = esg("questionnaire", "diff", "supplier-security", QUESTIONNAIRE)
    assert same.exit_code == 0, same.stderr


def fill(path: Path, rows: dict[int, dict[str, object]]) -> None:
    """Type answers under the headers the template wrote (indicator ids, profile titles)."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header: dict[str, int] = {}
    for cell in sheet[3]:
        if cell.value:
            header[str(cell.value)] = cell.column
            header[str(cell.value).split(" ")[0]] = cell.column
    for r, values in rows.items():
        for key, value in values.items():
            sheet.cell(row=r, column=header[key], value=value)
    book.save(path)


def test_template_filled_scores_without_q(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """A template of the security questionnaire, filled as a supplier would (the dropdown's
    Korean labels for the profile), scores with no -q: the recorded questionnaire is used."""
    out = tmp_path / "answers.xlsx"
    made = esg("template", "-q", "supplier-security", "-o", out, "--lang", "ko", cwd=tmp_path)
    assert made.exit_code == 0, made.stderr
    q = resolve_questionnaire("supplier-security")
    good = {"PO-1": "예", "PO-2": "정기 점검·개선", "PO-3": "분기 1회 이상", "PO-4": "예",
            "PO-5": "예", "PO-6": 3, "AM-1": 3, "AM-2": "예", "AM-3": 0, "AM-4": "예",
            "AM-5": "메일·외부 공개 서비스, 관리자 계정", "AM-6": "예", "AM-7": "연 1회 이상",
            "PS-1": 14, "PS-2": "100%", "PS-3": 0,
            "PS-4": "백업 대상·주기 문서화, 주 1회 이상 자동 백업, 분리 보관(오프라인·별도 클라우드)",
            "PS-5": "연 1회 이상", "PS-6": "방화벽(공유기 포함) 설정, 화면 잠금(15분 이내), "
                                       "원격데스크톱 인터넷 직접 노출 없음",
            "PS-7": 3, "PS-8": "예", "PS-9": "분기 1회 이상", "PS-10": "예",
            "IR-1": 3, "IR-2": "예", "IR-3": "예", "IR-4": 3, "IR-5": "예",
            "SC-1": "예", "SC-2": "해당없음", "SC-3": "해당없음", "SC-4": "예", "SC-5": 3}
    assert sorted(good) == sorted(q.indicator_ids)
    small = {"PO-1": "아니오", "PO-2": 1, "PO-3": "안 함", "PO-4": "아니오",
             "AM-1": 1, "AM-2": "아니오", "AM-3": 2, "AM-4": "아니오", "AM-5": "없음",
             "AM-6": "아니오", "AM-7": "안 함", "PS-1": 90, "PS-2": 60, "PS-3": 1,
             "PS-4": "없음", "PS-5": "안 함", "PS-6": "없음", "PS-10": "아니오", "IR-1": 1,
             "SC-1": "아니오", "SC-2": "없음", "SC-3": 1}
    fill(out, {
        4: {"협력사코드": "A1", "상시근로자 수": 320, "개인정보 처리": "고객 개인정보 처리",
            "고객사 정보 취급": "고객사 시스템 접속·데이터 호스팅", "IT 운영 형태": "자체 서버와 클라우드",
            **good},
        5: {"협력사코드": "B2", "상시근로자 수": 12, "개인정보 처리": "처리 안 함",
            "고객사 정보 취급": "취급 안 함", "IT 운영 형태": "클라우드·SaaS", **small},
    })
    result = esg("score", out, "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("질문지: supplier-security 2026.1 (")
    a, b = json.loads(result.stdout)["suppliers"]
    assert (a["supplier_id"], a["compliance"], a["critical_failures"], a["missing"]) == \
        ("A1", 100.0, [], [])
    assert a["areas"]["SC"]["na"] == 2
    # B2: 12 employees, no personal data, no customer data, cloud only
    not_applicable = {"PO-5", "PO-6", "PS-7", "PS-8", "PS-9", "IR-2", "IR-3", "IR-4", "IR-5",
                      "SC-4", "SC-5"}
    counted = len(q.indicators) - len(not_applicable)
    assert sum(area["counted"] for area in b["areas"].values()) == counted
    assert (b["compliance"], b["critical_failures"], b["missing"]) == (0.0, ["AM-3", "PS-5"], [])


def test_readme_quotes_the_security_example(esg) -> None:  # noqa: ANN001
    data = as_json(esg("improve", EXAMPLE, "-q", "supplier-security", "--format", "json"))
    c = data["cohort"]["compliance"]
    suppliers = data["paired"] + len(data["only_before"])
    quoted = (f"{suppliers} suppliers,\n{data['paired']} paired, {c['mean_before']:.1f}% → "
              f"{c['mean_after']:.1f}% (+{c['delta_pp']:.1f}%p, +{c['relative_pct']:.1f}%)")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert quoted in readme, quoted
    count = len(resolve_questionnaire("supplier-security").indicators)
    assert f"{count} items in five areas" in readme


def test_example_through_feedback_and_actions(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """Per-supplier result pages and the corrective action plan work on the security example."""
    base = ("-q", "supplier-security")
    after = as_json(esg("score", EXAMPLE, *base, "--round", "사후", "--detail",
                        "--format", "json"))["suppliers"]
    feedback = esg("feedback", EXAMPLE, *base, "--policy", "security-baseline", "--format", "json")
    assert feedback.exit_code == 0, feedback.stderr
    pages = json.loads(feedback.stdout)["suppliers"]
    certified = as_json(esg("certify", EXAMPLE, *base, "--policy", "security-baseline",
                            "--year", "2025", "--dry-run", "--registry", tmp_path / "r.sqlite",
                            "--format", "json"))
    judged = {s["supplier_id"]: s["qualifies"] for s in certified["suppliers"]}
    assert {p["supplier_id"]: p["qualifies"] for p in pages if p["round"] == "사후"} == judged
    written = esg("feedback", EXAMPLE, *base, "-o", tmp_path / "pages")
    assert written.exit_code == 0, written.stderr
    assert len(list((tmp_path / "pages").glob("*.html"))) == len(pages)

    plan = tmp_path / "plan.xlsx"
    made = esg("actions", "make", EXAMPLE, *base, "--round", "사후", "--policy",
               "security-baseline", "-o", plan)
    assert made.exit_code == 0, made.stderr
    rows = list(load_workbook(plan).worksheets[0].iter_rows(min_row=2, values_only=True))
    expected = sorted((s["supplier_id"], i) for s in after for i, d in s["indicators"].items()
                      if d["status"] == "counted" and not d["compliant"])
    assert sorted((r[0], r[2]) for r in rows) == expected
    review = esg("actions", "review", plan, EXAMPLE, *base, "--date", "2025-12-31",
                 "--format", "json")
    assert review.exit_code == 0, review.stderr


def test_the_gap_fixes_critical_failures_and_missing_answers(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """SPEC §7/§13: the gap is the fewest indicators that make the supplier qualify, under every
    criterion. It gave P127 (failing only its critical IR-3) an empty gap, and P103 a gap
    without its critical PS-5 and its missing PS-2, which would not have made it qualify."""
    args = ("-q", "supplier-security", "--policy", "security-baseline", "--format", "json")
    certified = as_json(esg("certify", EXAMPLE, *args, "--year", "2025", "--dry-run",
                            "--registry", tmp_path / "r.sqlite"))
    gaps = {s["supplier_id"]: s["gap"] for s in certified["suppliers"]}
    assert gaps["P127"]["indicators"] == ["IR-3"]
    assert gaps["P119"]["indicators"] == ["AM-3", "AM-6"]  # critical, then the missing answer
    assert gaps["P103"]["indicators"] == ["PS-5", "PS-2", "SC-1"]
    assert all(g is None or not g["unreachable"] for g in gaps.values())
    feedback = as_json(esg("feedback", EXAMPLE, *args))
    to_qualify = {s["supplier_id"]: s["to_qualify"] for s in feedback["suppliers"]}
    assert to_qualify["P127"] == ["IR-3"] and to_qualify["P103"] == ["PS-5", "PS-2", "SC-1"]
