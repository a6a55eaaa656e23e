"""Generate examples/security.xlsx: a seeded security self-diagnosis cohort (사전/사후 rounds).

32 suppliers of a sponsor's supply chain take the information-security self-diagnosis
(questionnaire `supplier-security`) before support; 29 of them take it again after consulting.
Profiles are typed the way people fill a form (the Korean labels of the template's dropdowns,
sometimes the English value or an alias such as `클라우드`); answers use the spellings people
type (예, O, 아니오, stage numbers or labels, checklist labels, `25%`), with a few blanks.
The file is byte-for-byte reproducible: fixed seed, fixed document dates, fixed zip times.

    python examples/make_security_example.py     # writes examples/security.xlsx
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from esgcli.questionnaire.applicability import evaluate  # noqa: E402
from esgcli.questionnaire.models import ChecklistScale, ChoiceScale, Indicator, NumberScale, Scale  # noqa: E402
from esgcli.questionnaire.questionnaire import load_questionnaire, scale_of  # noqa: E402

SEED = 2025_11
SUPPLIERS = 32
DROPPED = 3  # did not take the follow-up diagnosis
YEAR = 2025
FIXED_TIME = dt.datetime(2025, 12, 1, 9, 0, 0)
PREFIXES = ["가온", "누리", "다온", "라온", "마루", "바른", "새솔", "아라", "한결", "푸른", "초록",
            "하늘", "미르", "온새", "빛나"]
SUFFIXES = ["정보통신", "시스템", "솔루션", "정밀", "전자", "물류", "테크", "산업", "소프트", "엔지니어링"]
# (canonical value, weight, how it is typed: the dropdown's Korean label mostly, else a variant)
PROFILE = {
    "personal_data": [("employees_only", 0.55, ["임직원 정보만"] * 4 + ["employees_only", "임직원"]),
                      ("customers", 0.30, ["고객 개인정보 처리"] * 4 + ["customers", "고객정보"]),
                      ("none", 0.15, ["처리 안 함"] * 3 + ["none"])],
    "customer_data": [("none", 0.25, ["취급 안 함"] * 3 + ["none"]),
                      ("holds", 0.50, ["고객사 자료 보관"] * 4 + ["holds", "도면 보관"]),
                      ("connects", 0.25, ["고객사 시스템 접속·데이터 호스팅"] * 3 + ["connects", "시스템 접속"])],
    "it_environment": [("pc_only", 0.30, ["PC·웹메일만"] * 3 + ["pc_only", "서버 없음"]),
                       ("cloud", 0.30, ["클라우드·SaaS"] * 3 + ["cloud", "클라우드"]),
                       ("own_servers", 0.20, ["자체 서버"] * 3 + ["own_servers", "온프레미스"]),
                       ("hybrid", 0.20, ["자체 서버와 클라우드"] * 3 + ["hybrid"])],
}
YES = ["예"] * 8 + ["O", "Y", "yes"]
NO = ["아니오"] * 8 + ["X", "N", "아니요"]


def pick_profile(field: str, rng: random.Random) -> tuple[str, str]:
    """(canonical value, the spelling written in the cell)."""
    options = PROFILE[field]
    value, _, spellings = rng.choices(options, weights=[w for _, w, _ in options])[0]
    return value, rng.choice(spellings)


def answer_for(indicator: Indicator, scale: Scale, ok: bool, rng: random.Random) -> Any:
    if isinstance(scale, ChoiceScale):
        if indicator.scale == "yes_no":
            return rng.choice(YES if ok else NO)
        pass_points = scale.pass_points if scale.pass_points is not None else 0
        options = [o for o in scale.options if (o.points >= pass_points) == ok]
        option = rng.choice(options)
        if option.label is not None and rng.random() < 0.4:  # the dropdown's label
            return option.label.ko
        return option.value
    if isinstance(scale, ChecklistScale):
        items = scale.items
        need = int(scale.pass_points or len(items))
        count = rng.randint(need, len(items)) if ok else rng.randint(0, need - 1)
        if count == 0:
            return "없음"
        chosen = sorted(rng.sample(range(len(items)), count))
        labels = rng.random() < 0.6  # most people type the labels they see
        return ", ".join(items[i].label.ko if labels and items[i].label else str(items[i].value)
                         for i in chosen)
    assert isinstance(scale, NumberScale)
    low, high = scale.range or (0.0, 1000.0)
    pass_points = scale.pass_points if scale.pass_points is not None else 0
    passing = [r for r in scale.points if r.points >= pass_points]
    if all(r.max is not None for r in passing):  # lower is better: days, counts
        bound = max(r.max for r in passing if r.max is not None)
        if bound == 0:
            return 0 if ok else rng.randint(1, 4)
        return rng.randint(int(low), int(bound)) if ok else rng.randint(int(bound) + 1, int(bound) * 4)
    bound = min(r.min for r in passing if r.min is not None)
    value = rng.uniform(bound, high) if ok else rng.uniform(max(low, bound - 45), bound - 1)
    return f"{round(value)}%" if rng.random() < 0.3 else round(value)


def build(q_path: Path = ROOT / "questionnaires" / "supplier-security.yaml") -> Workbook:
    rng = random.Random(SEED)
    q = load_questionnaire(q_path)
    wb = Workbook()
    ws = wb.active
    ws.title = "정보보호진단"
    ws["A1"] = f"{YEAR}년 협력사 정보보호 역량강화 지원사업 — 사전 자가진단 및 사후 자가진단 결과"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = ("※ 응답: 예/아니오, 1~4단계, 빈도(안 함/비정기/연 1회 이상/분기 1회 이상), "
                "체크리스트(쉼표 구분), 숫자. 간이 자가진단이며 인증 심사가 아닙니다.")
    titles = {p.id: p.title.ko if p.title else p.id for p in q.model.profile}
    header = ["협력사코드", "협력사명", "진단차수", "연도", *titles.values()]
    header += [f"{i.id} {i.title.ko}" for i in q.indicators] + ["비고"]
    ws.append([])
    ws.append(header)
    for cell in ws[4]:
        cell.font = Font(bold=True)

    names = rng.sample([f"(주){p}{s}" for p in PREFIXES for s in SUFFIXES], SUPPLIERS)
    suppliers = []
    for n in range(SUPPLIERS):
        employees = rng.choice([rng.randint(5, 49), rng.randint(5, 49), rng.randint(50, 299),
                                rng.randint(50, 299), rng.randint(300, 700)])
        profile = {field: pick_profile(field, rng) for field in PROFILE}
        before = min(max(rng.gauss(0.45, 0.15), 0.1), 0.85)
        after = min(max(before + rng.gauss(0.30, 0.08), 0.55), 0.98)
        suppliers.append((f"P{n + 101:03d}", names[n], employees, profile, before, after))
    dropped = set(rng.sample(range(SUPPLIERS), DROPPED))

    for round_name in ("사전", "사후"):
        for k, (sid, name, employees, profile, before, after) in enumerate(suppliers):
            if round_name == "사후" and k in dropped:
                continue
            level = before if round_name == "사전" else after
            row: list[Any] = [sid, name, round_name, YEAR, employees,
                              *(spelling for _, spelling in profile.values())]
            frame = pd.DataFrame({"employees": [float(employees)],
                                  **{f: [value] for f, (value, _) in profile.items()}})
            for indicator in q.indicators:
                scale = scale_of(q.model, indicator)
                assert scale is not None
                if indicator.applies_if is not None and not evaluate(
                        indicator.applies_if, frame, q.profile_values)[0]:
                    row.append(None)
                    continue
                roll = rng.random()
                if indicator.na_allowed and roll < 0.12:
                    row.append("해당없음")
                elif roll > 0.985:
                    row.append(None)  # left blank
                else:
                    # consulting goes after the must-pass items first
                    chance = min(0.95, level + 0.25) if indicator.critical and round_name == "사후" \
                        else level
                    row.append(answer_for(indicator, scale, rng.random() < chance, rng))
            row.append("컨설팅 후 재진단" if round_name == "사후" and rng.random() < 0.2 else None)
            ws.append(row)
    ws.freeze_panes = "C5"
    wb.properties.creator = "esgcli examples"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def reproducible(data: bytes) -> bytes:
    """The same bytes on every run: fixed zip entry times, fixed modified date."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                text = body.decode("utf-8")
                start = text.find("<dcterms:modified")
                end = text.find("</dcterms:modified>")
                if start >= 0 and end >= 0:
                    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
                    text = (text[:start] + '<dcterms:modified xsi:type="dcterms:W3CDTF">'
                            + stamp + text[end:])
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


def main(out: Path = ROOT / "examples" / "security.xlsx") -> Path:
    buffer = io.BytesIO()
    build().save(buffer)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(reproducible(buffer.getvalue()))
    return out


if __name__ == "__main__":
    print(main())
