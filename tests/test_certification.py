"""Certification (SPEC §7): criteria, gaps, registry numbering, idempotency, concurrency."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, MINI, write_xlsx

from esgcli import InputError, RegistryError, load_questionnaire, read_answers, score
from esgcli.engine.certification import evaluate
from esgcli.questionnaire.policy import load_policy
from esgcli.registry.core import Registry, valid_until

Q = load_questionnaire(MINI)
POLICY = DATA / "mini-policy.yaml"
HEADER = ["supplier_id", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
ALL_GOOD = ["yes", 3, 30, "manager,training,ppe", None]


def policy_with(tmp_path: Path, criteria: str) -> Path:
    path = tmp_path / "p.yaml"
    text = POLICY.read_text(encoding="utf-8")
    start, end = text.index("criteria:"), text.index("certificate:")
    path.write_text(text[:start] + "criteria:\n" + criteria + text[end:], encoding="utf-8")
    return path


def judge(tmp_path: Path, rows: list[list[object]], criteria: str):  # noqa: ANN201
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, *rows])
    data = read_answers(path, Q)
    policy = load_policy(policy_with(tmp_path, criteria))
    before = data.select((data.records["round"] == "before").to_numpy())
    after = data.select((data.records["round"] != "before").to_numpy())
    return evaluate(policy, score(after), score(before) if len(before) else None)


@pytest.mark.parametrize("criteria,row,failed", [
    ("  compliance_min: 80\n", ["X", None, 10, "no", 3, 30, "none", None],
     [("compliance_min", None, 80.0, 60.0)]),
    ("  areas: {S: {compliance_min: 40}}\n", ["X", None, 10, "yes", 3, 30, "none", None],
     [("compliance_min", "S", 40.0, 0.0)]),
    ("  areas: {E: {score_min: 90}}\n", ["X", None, 10, "yes", 2, 30, "none", None],
     [("score_min", "E", 90.0, pytest.approx(100 * 5 / 7))]),
    ("  score_min: 90\n", ["X", None, 10, "yes", 2, 30, "manager,training,ppe", None],
     [("score_min", None, 90.0, pytest.approx(80.0))]),
    ("  no_critical_failures: true\n", ["X", None, 10, "yes", 3, 30, "manager", None],
     [("no_critical_failures", None, [], ["S-1"])]),
    ("  max_missing: 0\n", ["X", None, 10, None, 3, 30, "manager,training", None],
     [("max_missing", None, 0, 1)]),
    ("  grades: [A]\n", ["X", None, 10, "no", 3, 30, "none", None],
     [("grades", None, ["A"], "B")]),
])
def test_each_criterion_alone_section7(tmp_path: Path, criteria: str, row: list[object],
                                       failed: list[tuple]) -> None:
    decision = judge(tmp_path, [row], criteria)[0]
    assert [(f.criterion, f.area, f.required, f.actual) for f in decision.failed] == failed
    assert not decision.qualifies
    good = judge(tmp_path, [["Y", None, 10, *ALL_GOOD]], criteria)[0]
    assert good.qualifies and good.failed == []


def test_criteria_combined_and_all_reported(tmp_path: Path) -> None:
    criteria = ("  compliance_min: 80\n  areas: {S: {compliance_min: 40}}\n"
                "  no_critical_failures: true\n")
    decision = judge(tmp_path, [["X", None, 10, "no", 1, 0, "none", None]], criteria)[0]
    assert [f.criterion for f in decision.failed] == ["compliance_min", "compliance_min",
                                                      "no_critical_failures"]


def test_null_rates_fail_thresholds(tmp_path: Path) -> None:
    q = tmp_path / "na.yaml"
    q.write_text(MINI.read_text(encoding="utf-8").replace("    critical: true\n",
                 "    critical: true\n    na_allowed: true\n"), encoding="utf-8")
    questionnaire = load_questionnaire(q)
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["X", None, 10, "yes", 3, 30, "n/a", None]])
    result = score(read_answers(path, questionnaire))
    policy = load_policy(policy_with(tmp_path, "  areas: {S: {compliance_min: 40}}\n"))
    decision = evaluate(policy, result)[0]
    assert [(f.criterion, f.area, f.actual) for f in decision.failed] == [("compliance_min", "S", None)]


def test_improvement_criterion_needs_a_before_round(tmp_path: Path) -> None:
    criteria = "  improvement_min_pp: 10\n"
    only_after = judge(tmp_path, [["X", None, 10, *ALL_GOOD]], criteria)[0]
    assert [(f.criterion, f.actual) for f in only_after.failed] == [("improvement_min_pp", None)]
    both = judge(tmp_path, [["X", "before", 10, "yes", 3, 30, "none", None],
                            ["X", "after", 10, *ALL_GOOD]], criteria)[0]
    assert both.qualifies and both.improvement_pp == pytest.approx(20.0)


def test_gap_is_the_fewest_indicators(tmp_path: Path) -> None:
    decision = judge(tmp_path, [["X", None, 10, "no", 1, 0, "none", None]],
                     "  compliance_min: 80\n  areas: {S: {compliance_min: 40}}\n")[0]
    # E weights: E-1 1, E-2 2, E-3 1; S: S-1 1 (S-2 does not apply) -> total 5, need 4
    assert decision.gap == {"count": 3, "indicators": ["S-1", "E-2", "E-1"],
                            "by_area": {"S": 1, "E": 2}, "unreachable": []}


def test_valid_until_section7() -> None:
    assert valid_until(dt.date(2024, 12, 15), 1) == dt.date(2025, 12, 14)
    assert valid_until(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 27)


def test_policy_problems_are_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(POLICY.read_text(encoding="utf-8").replace("compliance_min: 80",
                   "complience_min: 80"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_policy(bad)
    assert info.value.problems[0].message("en") == (
        "bad.yaml:7:3 criteria.complience_min: unknown key 'complience_min' (→ 'compliance_min'?)")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(POLICY.read_text(encoding="utf-8").replace("{seq:03d}", "{sequence}"),
                     encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_policy(wrong)
    assert info.value.problems[0].code == "POL-005"
    assert info.value.problems[0].message("en") == (
        "wrong.yaml:10:3 certificate.number: certificate number template 'MINI-{year}-{sequence}' "
        "has unknown field(s) {sequence}; the fields are {policy}, {seq}, {supplier_id}, {year}")
    other = load_policy(POLICY)
    with pytest.raises(InputError) as info:
        other.check_questionnaire(load_questionnaire(DATA.parent.parent / "questionnaires" /
                                                     "supplier-esg.yaml"))
    assert [p.code for p in info.value.problems] == ["POL-002"]


# ------------------------------------------------------------------ CLI and registry
def certify(esg, answers: Path, registry: Path, *extra: object):  # noqa: ANN001, ANN201
    return esg("certify", answers, "--policy", POLICY, "-q", MINI, "--year", 2024,
               "--registry", registry, "--date", "2024-12-01", "--format", "json", *extra)


def test_numbering_idempotency_and_no_silent_revoke(esg, tmp_path: Path, registry: str) -> None:  # noqa: ANN001
    reg = registry  # on both backends
    first = write_xlsx(tmp_path / "a.xlsx", [HEADER,
                       ["S3", None, 10, *ALL_GOOD], ["S1", None, 10, *ALL_GOOD],
                       ["S2", None, 10, "no", 1, 0, "none", None]])
    result = certify(esg, first, reg)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"policy", "year", "registry", "dry_run", "suppliers", "not_evaluated",
                         "summary"}
    certs = {s["supplier_id"]: s["certificate"] for s in data["suppliers"]}
    assert certs["S1"] == {"number": "MINI-2024-001", "status": "issued", "issued_on": "2024-12-01",
                           "valid_until": "2026-11-30"}
    assert certs["S3"]["number"] == "MINI-2024-002" and certs["S2"] is None
    assert data["summary"] == {"evaluated": 3, "qualified": 2, "issued": 2, "existing": 0,
                               "revoked": 0, "share_pct": pytest.approx(200 / 3)}
    again = json.loads(certify(esg, first, reg).stdout)
    assert [s["certificate"]["status"] for s in again["suppliers"] if s["certificate"]] == [
        "existing", "existing"]
    later = write_xlsx(tmp_path / "b.xlsx", [HEADER,
                       ["S1", None, 10, "no", 1, 0, "none", None], ["S2", None, 10, *ALL_GOOD]])
    third = certify(esg, later, reg)
    out = json.loads(third.stdout)
    assert out["no_longer_qualify"] == [{"supplier_id": "S1", "number": "MINI-2024-001"}]
    assert {s["supplier_id"]: (s["certificate"] or {}).get("number") for s in out["suppliers"]} == {
        "S1": None, "S2": "MINI-2024-003"}
    listed = json.loads(esg("certs", "list", "--registry", reg, "--format", "json",
                            "--date", "2025-01-01").stdout)
    assert [(c["number"], c["supplier_id"], c["status"]) for c in listed] == [
        ("MINI-2024-001", "S1", "active"), ("MINI-2024-002", "S3", "active"),
        ("MINI-2024-003", "S2", "active")]
    assert listed[0]["answers_sha256"] and listed[0]["questionnaire_sha256"] == Q.sha256
    assert listed[0]["areas"]["E"]["compliance"] == 100.0


def test_dry_run_writes_nothing(esg, tmp_path: Path) -> None:  # noqa: ANN001
    reg = tmp_path / "reg.sqlite"
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["S1", None, 10, *ALL_GOOD]])
    dry = certify(esg, answers, reg, "--dry-run")
    assert dry.exit_code == 0 and not reg.exists()
    assert json.loads(dry.stdout)["suppliers"][0]["certificate"]["number"] == "MINI-2024-001"
    certify(esg, answers, reg)
    before = reg.read_bytes()
    other = write_xlsx(tmp_path / "b.xlsx", [HEADER, ["S2", None, 10, *ALL_GOOD]])
    dry = json.loads(certify(esg, other, reg, "--dry-run").stdout)
    assert dry["dry_run"] is True and dry["summary"]["issued"] == 1
    assert reg.read_bytes() == before


def test_revoke_export_show_verify(esg, tmp_path: Path, registry: str) -> None:  # noqa: ANN001
    reg = registry  # on both backends
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["S1", None, 10, *ALL_GOOD],
                                                ["S2", None, 10, *ALL_GOOD]])
    certify(esg, answers, reg, "--documents", tmp_path / "docs")
    html = (tmp_path / "docs" / "MINI-2024-001.html").read_text(encoding="utf-8")
    assert "미니 우수기업 확인서" in html and "Mini excellent" in html and "100.0%" in html
    assert "http" not in html
    verified = esg("certs", "verify", "MINI-2024-001", answers, "-q", MINI, "--policy", POLICY,
                   "--registry", reg, "--date", "2025-01-01", "--format", "json")
    assert verified.exit_code == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["matches"] is True
    changed = tmp_path / "changed.xlsx"
    write_xlsx(changed, [HEADER, ["S1", None, 10, "no", 1, 0, "none", None]])
    mismatch = esg("certs", "verify", "MINI-2024-001", changed, "-q", MINI, "--policy", POLICY,
                   "--registry", reg, "--date", "2025-01-01", "--format", "json")
    assert mismatch.exit_code == 3
    checks = {c["check"]: c["ok"] for c in json.loads(mismatch.stdout)["checks"]}
    assert checks == {"status": True, "answers_sha256": False, "policy_version": True,
                      "questionnaire_sha256": True, "compliance": False, "qualifies": False}
    revoked = esg("certs", "revoke", "MINI-2024-002", "--reason", "허위 증빙", "--registry", reg,
                  "--date", "2025-02-01")
    assert revoked.exit_code == 0
    assert esg("certs", "revoke", "MINI-2024-002", "--reason", "x", "--registry", reg).exit_code == 4
    shown = json.loads(esg("certs", "show", "MINI-2024-002", "--registry", reg, "--format",
                           "json").stdout)
    assert (shown["status"], shown["revoked_on"], shown["revoke_reason"]) == (
        "revoked", "2025-02-01", "허위 증빙")
    expired = json.loads(esg("certs", "list", "--registry", reg, "--status", "expired", "--date",
                             "2027-01-01", "--format", "json").stdout)
    assert [c["number"] for c in expired] == ["MINI-2024-001"]
    for suffix in (".csv", ".xlsx", ".json"):
        out = tmp_path / f"export{suffix}"
        assert esg("certs", "export", "-o", out, "--registry", reg).exit_code == 0
        assert out.stat().st_size > 0
    rows = (tmp_path / "export.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("number,supplier_id,supplier_name,policy_id")
    assert len(rows) == 3


def test_registry_that_is_not_one_exit_4(esg, tmp_path: Path) -> None:  # noqa: ANN001
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["S1", None, 10, *ALL_GOOD]])
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    result = certify(esg, answers, junk)
    assert result.exit_code == 4
    assert "not a certificate registry" in result.stderr and "Traceback" not in result.stderr
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    assert certify(esg, answers, other).exit_code == 4
    newer = tmp_path / "newer.sqlite"
    Registry.open(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 99")
    result = certify(esg, answers, newer)
    assert result.exit_code == 4 and "newer esgcli" in result.stderr
    assert esg("certs", "list", "--registry", tmp_path / "none.sqlite").exit_code == 4
    with pytest.raises(RegistryError):
        Registry.open(junk)


def test_concurrent_certify_never_duplicates(tmp_path: Path) -> None:
    """Two `esg certify` processes at once: distinct numbers, one certificate per supplier."""
    exe = shutil.which("esg") or str(Path(sys.executable).parent / "esg")
    reg = tmp_path / "reg.sqlite"
    files = []
    for k in range(2):
        rows = [[f"S{k}{i:02d}", None, 10, *ALL_GOOD] for i in range(30)]
        rows += [[f"C{i:02d}", None, 10, *ALL_GOOD] for i in range(10)]  # in both files
        files.append(write_xlsx(tmp_path / f"f{k}.xlsx", [HEADER, *rows]))
    procs = [subprocess.Popen([exe, "certify", str(f), "--policy", str(POLICY), "-q", str(MINI),
                               "--year", "2024", "--registry", str(reg), "--format", "json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in files for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    with sqlite3.connect(reg) as db:
        numbers = [r[0] for r in db.execute("SELECT number FROM certificates")]
        suppliers = [r[0] for r in db.execute("SELECT supplier_id FROM certificates")]
        seqs = sorted(r[0] for r in db.execute("SELECT seq FROM certificates"))
    assert len(numbers) == len(set(numbers)) == 70
    assert len(suppliers) == len(set(suppliers))
    assert seqs == list(range(1, 71))


def test_certify_golden(esg, golden, tmp_path: Path) -> None:  # noqa: ANN001
    shutil.copy(DATA / "mini.xlsx", tmp_path / "mini.xlsx")
    args = ("certify", "mini.xlsx", "--policy", POLICY, "-q", MINI, "--year", 2024,
            "--registry", "reg.sqlite", "--date", "2024-12-01")
    table = esg(*args, "--dry-run", "--lang", "en", cwd=tmp_path)
    assert table.exit_code == 0, table.stderr
    golden("certify-mini.txt", table.stdout)
    assert table.stderr.splitlines()[-1] == (
        "evaluated 2 · qualified 2 (100.0%) · newly issued 2 · existing 0 · dry run (nothing written)")
    result = esg(*args, "--format", "json", cwd=tmp_path)
    golden("certify-mini.json", result.stdout)
    assert json.loads(result.stdout)["not_evaluated"] == ["1234", "A003"]


def _gap_by_loop(policy, result, i, before=None):  # noqa: ANN001, ANN202, C901
    """The per-record greedy search the vectorised `qualify_gaps` must reproduce: critical
    failures, then missing answers, then compliance (areas, overall, improvement, grade), then
    score (areas, overall, grade); a flip is an answer with full points; within a phase the
    largest gain first (then the heaviest), listed heaviest first; a grade carried past every
    allowed band is unreachable."""
    import numpy as np

    q = result.questionnaire
    criteria = policy.criteria
    weights, area_of = q.weights, q.area_positions
    full = np.array([q.matchers[x.id].max_points for x in q.indicators], dtype=float)
    critical = np.array([x.critical for x in q.indicators], dtype=bool)
    counted, compliant = result.counted[i], result.compliant[i].copy()
    points = result.points[i].copy() if hasattr(result, "points") else full * compliant
    missing = result.missing[i] if hasattr(result, "missing") else np.zeros_like(counted)
    phases: list[list[int]] = []
    unreachable: list[str] = []
    graded_by_score = q.model.grades is not None and q.model.grades.metric == "score"
    area_weights = np.array([a.weight or 0.0 for a in q.areas])

    def flipped() -> list[int]:
        return [j for phase in phases for j in phase]

    def rate(values, totals, a=None):  # noqa: ANN001, ANN202
        if a is not None or not q.area_weighted:
            members = counted & (area_of == a) if a is not None else counted
            total = (weights * totals)[members].sum()
            return None if total == 0 else 100.0 * (weights * values)[members].sum() / total
        known = [(x.weight, rate(values, totals, n)) for n, x in enumerate(q.areas)]
        known = [(w, r) for w, r in known if r is not None]
        total = sum(w for w, _ in known)
        return None if total == 0 else sum(w * r for w, r in known) / total

    def compliance(a=None):  # noqa: ANN001, ANN202
        return rate(compliant.astype(float), np.ones_like(full), a)

    def score(a=None):  # noqa: ANN001, ANN202
        return rate(points, full, a)

    def gain(j, by_score, area):  # noqa: ANN001, ANN202 - as qualify_gaps computes it
        value, whole = (points, full) if by_score else (compliant.astype(float), np.ones_like(full))
        up = 100.0 * weights[j] * (whole[j] - value[j])
        den = [(weights * whole)[counted & (area_of == a)].sum() for a in range(len(q.areas))]
        if area:
            return up / den[area_of[j]]
        if q.area_weighted:
            norm = sum(area_weights[a] for a in range(len(q.areas)) if den[a] > 0)
            return up / den[area_of[j]] * area_weights[area_of[j]] / norm
        return up / (weights * whole)[counted].sum()

    def ok(value, need):  # noqa: ANN001, ANN202
        return value is not None and value >= need - 1e-9

    def flip(candidates, done, by_score=False, area=False):  # noqa: ANN001, ANN202
        gains = {j: gain(j, by_score, area) for j in np.flatnonzero(candidates)}
        phases.append([])
        for j in sorted(gains, key=lambda j: (-round(gains[j], 9), -weights[j], j)):
            if done():
                return True
            if j not in flipped():
                compliant[j], points[j] = True, full[j]
                phases[-1].append(int(j))
        return done()

    def grade_need(value):  # noqa: ANN001, ANN202
        bands = q.model.grades.bands
        allowed = sorted({b.min for b in bands if b.grade in criteria.grades})
        if value is None:
            return None
        band = max((b.min for b in bands if value >= b.min), default=None)
        if band in allowed:
            return -np.inf
        return next((m for m in allowed if value < m), None)

    def reach(name, candidates, value, need, by_score=False, area=False):  # noqa: ANN001, ANN202
        if need is None or (isinstance(need, float) and np.isnan(need)):
            if name not in unreachable:
                unreachable.append(name)
            return
        if not flip(candidates(), lambda: ok(value(), need), by_score, area) \
                and name not in unreachable:
            unreachable.append(name)

    if criteria.no_critical_failures:
        flip(counted & ~compliant & critical, lambda: False)
    if criteria.max_missing is not None:
        left = missing & ~np.isin(np.arange(len(full)), flipped())
        excess = int(left.sum()) - criteria.max_missing
        phases.append([])
        for j in sorted(np.flatnonzero(left), key=lambda j: (-weights[j], j))[:max(excess, 0)]:
            compliant[j], points[j] = True, full[j]
            phases[-1].append(int(j))
    for area, rule in criteria.areas.items():
        if rule.compliance_min is not None:
            a = q.area_ids.index(area)
            reach(area, lambda a=a: counted & ~compliant & (area_of == a),
                  lambda a=a: compliance(a), rule.compliance_min, area=True)
    if criteria.compliance_min is not None:
        reach("overall", lambda: counted & ~compliant, compliance, criteria.compliance_min)
    if criteria.improvement_min_pp is not None:
        reach("improvement", lambda: counted & ~compliant, compliance,
              None if before is None else before + criteria.improvement_min_pp)
    if criteria.grades is not None and not graded_by_score:
        reach("grades", lambda: counted & ~compliant, compliance, grade_need(compliance()))
    for area, rule in criteria.areas.items():
        if rule.score_min is not None:
            a = q.area_ids.index(area)
            reach(f"{area} score", lambda a=a: counted & (points < full) & (area_of == a),
                  lambda a=a: score(a), rule.score_min, by_score=True, area=True)
    if criteria.score_min is not None:
        reach("score", lambda: counted & (points < full), score, criteria.score_min, by_score=True)
    if criteria.grades is not None and graded_by_score:
        reach("grades", lambda: counted & (points < full), score, grade_need(score()),
              by_score=True)
    if criteria.grades is not None and "grades" not in unreachable:
        final = score() if graded_by_score else compliance()
        if final is None or grade_need(final) != -np.inf:
            unreachable.append("grades")
    order = [j for phase in phases for j in sorted(phase, key=lambda j: (-weights[j], j))]
    ids = [q.indicator_ids[j] for j in order]
    by_area: dict[str, int] = {}
    for j in order:
        by_area[q.area_ids[area_of[j]]] = by_area.get(q.area_ids[area_of[j]], 0) + 1
    return {"count": len(ids), "indicators": ids, "by_area": by_area, "unreachable": unreachable}


@pytest.mark.parametrize("graded_by", ["compliance", "score"])
@pytest.mark.parametrize("area_weights", [None, (3, 1)])
@pytest.mark.parametrize("criteria", [
    "  compliance_min: 80\n  areas: {E: {compliance_min: 40}, S: {compliance_min: 40}}\n",
    "  compliance_min: 95\n", "  areas: {S: {compliance_min: 70}}\n  compliance_min: 50\n",
    "  no_critical_failures: true\n  max_missing: 0\n  compliance_min: 60\n",
    "  max_missing: 1\n  areas: {E: {compliance_min: 50}}\n",
    "  compliance_min: 50\n  improvement_min_pp: 15\n",
    "  score_min: 75\n  areas: {E: {score_min: 60}}\n  no_critical_failures: true\n",
    "  grades: [A, B]\n", "  grades: [A]\n  compliance_min: 30\n",
    "  grades: [C]\n  compliance_min: 60\n", "  grades: [B]\n  score_min: 70\n"])
def test_vectorised_gaps_equal_the_greedy_loop(tmp_path: Path, area_weights, criteria,  # noqa: ANN001
                                               graded_by) -> None:  # noqa: ANN001
    """Random answers (fractional weights, level points, missing answers, some suppliers
    without a before round): every record's gap as the one-record-at-a-time search finds it,
    for every kind of criterion (SPEC §7: the fewest indicators that make it qualify)."""
    import types

    import numpy as np

    from esgcli.engine.gaps import qualify_gaps

    text = MINI.read_text(encoding="utf-8").replace("weight: 2", "weight: 2.5")
    text = text.replace("grades:\n", f"grades:\n  metric: {graded_by}\n")
    if area_weights:
        text = text.replace("- {id: E, title:", f"- {{id: E, weight: {area_weights[0]}, title:")
        text = text.replace("- {id: S, title:", f"- {{id: S, weight: {area_weights[1]}, title:")
    q_path = tmp_path / "q.yaml"
    q_path.write_text(text, encoding="utf-8")
    q = load_questionnaire(q_path)
    assert q.area_weighted == bool(area_weights)
    assert q.model.grades is not None and q.model.grades.metric == graded_by
    rng = np.random.default_rng(11)
    shape = (400, len(q.indicators))
    full = np.array([q.matchers[x.id].max_points for x in q.indicators], dtype=float)
    counted = rng.random(shape) < 0.8
    missing = counted & (rng.random(shape) < 0.1)
    points = np.where(counted & ~missing, rng.integers(0, 3, shape) * full / 2, 0.0)
    result = types.SimpleNamespace(questionnaire=q, counted=counted, compliant=points >= full,
                                   points=points, missing=missing)
    before = np.where(rng.random(400) < 0.2, np.nan, rng.random(400) * 60)
    policy = load_policy(policy_with(tmp_path, criteria))
    rows = np.arange(400)
    got = qualify_gaps(policy, result, rows, before)
    expected = [_gap_by_loop(policy, result, i, None if np.isnan(before[i]) else before[i])
                for i in rows]
    assert got == expected
    assert any(g["count"] for g in got)


def test_warnings_come_before_a_registry_error(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """CRT-001/CRT-002 are the judgement's, said before the registry is opened: a run that then
    fails on the registry (exit 4) has still shown them (#14)."""
    from esgcli.engine.certify_run import judge

    answers = write_xlsx(tmp_path / "a.xlsx", [[*HEADER, "year"], ["S1", None, 10, *ALL_GOOD, 2024]])
    policy = policy_with(tmp_path, "  compliance_min: 50\n  improvement_min_pp: 5\n")
    judged = judge(read_answers(answers, Q), load_policy(policy))  # no registry at all
    assert [(p.code, p.severity) for p in judged.problems] == [("CRT-002", "warning"),
                                                               ("CRT-001", "warning")]
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    result = esg("certify", answers, "--policy", policy, "-q", MINI, "--registry", junk,
                 "--lang", "en")
    assert result.exit_code == 4
    lines = result.stderr.splitlines()
    said = [i for i, line in enumerate(lines) if line.startswith("no --year: judging the records' "
                                                                  "year, 2024")]
    improvement = [i for i, line in enumerate(lines) if "improvement" in line]
    failed = [i for i, line in enumerate(lines) if "not a certificate registry" in line]
    assert said and improvement and failed and max(said + improvement) < min(failed), lines
