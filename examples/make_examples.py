"""Generate examples/suppliers.xlsx: a seeded, realistic program cohort (사전/사후 rounds).

66 suppliers take the self-diagnosis (사전); 61 of them reach the evaluation after support
(사후). Answers are drawn so that the cohort's compliance rate moves from about 44% to about
88%, as in published programs, with the spellings people really type (예, O, Y, 해당없음, ...),
a few blanks and N/A answers, a title row above Korean headers and a notes column.

    python examples/make_examples.py            # writes examples/suppliers.xlsx
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from esgcli.questionnaire.applicability import evaluate  # noqa: E402
from esgcli.questionnaire.models import ChecklistScale, ChoiceScale, NumberScale  # noqa: E402
from esgcli.questionnaire.questionnaire import load_questionnaire, scale_of  # noqa: E402

SEED = 20241
INDUSTRIES = ["manufacturing"] * 6 + ["construction"] * 1 + ["services"] * 2 + ["it"] * 1
PREFIXES = ["대한", "한빛", "새한", "동양", "삼정", "우진", "세원", "태성", "미래", "광명", "신영",
            "대성", "정우", "효성", "청운"]
SUFFIXES = ["정밀", "산업", "테크", "전자", "금속", "화학", "물산", "기공", "엔지니어링", "소재"]
YES = ["예"] * 8 + ["O", "Y", "yes"]
NO = ["아니오"] * 8 + ["X", "N", "아니요"]


def answer_for(indicator, scale, ok: bool, rng: random.Random):  # noqa: ANN001, ANN201
    if isinstance(scale, ChoiceScale):
        if scale.options[0].value == "yes" or indicator.scale == "yes_no":
            return rng.choice(YES if ok else NO)
        passing = [o.value for o in scale.options if o.points >= (scale.pass_points or 0)]
        failing = [o.value for o in scale.options if o.points < (scale.pass_points or 0)]
        return rng.choice(passing if ok else failing)
    if isinstance(scale, ChecklistScale):
        values = [i.value for i in scale.items]
        need = int(scale.pass_points or len(values))
        count = rng.randint(need, len(values)) if ok else rng.randint(0, need - 1)
        if count == 0:
            return "없음"
        chosen = sorted(rng.sample(values, count), key=values.index)
        if rng.random() < 0.3:  # some people type the Korean labels
            labels = {i.value: i.label.ko for i in scale.items if i.label}
            return ", ".join(labels[v] for v in chosen)
        return ", ".join(chosen)
    assert isinstance(scale, NumberScale)
    if scale.unit == "건":
        return 0 if ok else rng.randint(1, 3)
    rules = scale.points
    if rules[0].max is not None:  # lower is better (accident rate)
        return round(rng.uniform(0, 0.9), 2) if ok else round(rng.uniform(1.1, 4.0), 2)
    low = min(r.min for r in rules if r.points >= (scale.pass_points or 0))
    return round(rng.uniform(low, min(100, low * 3)), 1) if ok else \
        round(rng.uniform(0, low * 0.9), 1)


def main(out: Path = ROOT / "examples" / "suppliers.xlsx") -> Path:
    rng = random.Random(SEED)
    q = load_questionnaire(ROOT / "questionnaires" / "supplier-esg.yaml")
    wb = Workbook()
    ws = wb.active
    ws.title = "진단결과"
    ws["A1"] = "2024년 협력사 ESG 지원사업 — 자가진단(사전) 및 사후평가 결과"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "※ 응답: 예/아니오, 1~5단계, 체크리스트(쉼표 구분), 숫자. 해당없음 허용 지표만 '해당없음' 기입."
    header = ["협력사코드", "협력사명", "진단차수", "연도", "상시근로자 수", "업종"]
    header += [f"{i.id} {i.title.ko}" for i in q.indicators] + ["비고"]
    ws.append([])
    ws.append(header)
    for cell in ws[4]:
        cell.font = Font(bold=True)

    suppliers = []
    names = rng.sample([f"(주){p}{s}" for p in PREFIXES for s in SUFFIXES], 66)
    for n in range(66):
        name = names[n]
        employees = int(rng.choice([rng.randint(10, 49), rng.randint(50, 299),
                                    rng.randint(50, 299), rng.randint(300, 900)]))
        maturity = min(max(rng.gauss(0.37, 0.13), 0.1), 0.8)
        after = min(max(maturity + rng.gauss(0.56, 0.08), 0.7), 1.0)
        suppliers.append((f"S{n + 1:03d}", name, employees, rng.choice(INDUSTRIES),
                          maturity, after))
    dropped = set(rng.sample(range(66), 5))  # did not reach the evaluation after support

    for round_name in ("사전", "사후"):
        for k, (sid, name, employees, industry, before, after) in enumerate(suppliers):
            if round_name == "사후" and k in dropped:
                continue
            level = before if round_name == "사전" else after
            row = [sid, name, round_name, 2024, employees, industry]
            profile = pd.DataFrame({"employees": [float(employees)], "industry": [industry]})
            for indicator in q.indicators:
                scale = scale_of(q.model, indicator)
                if indicator.applies_if is not None and not evaluate(indicator.applies_if,
                                                                     profile)[0]:
                    row.append(None if rng.random() < 0.9 else "해당없음")
                    continue
                base = 0.9 if indicator.critical else level
                ok = rng.random() < (base if round_name == "사전" else max(base, level))
                roll = rng.random()
                if indicator.na_allowed and roll < 0.06:
                    row.append("해당없음")
                elif roll > 0.985:
                    row.append(None)  # left blank
                else:
                    row.append(answer_for(indicator, scale, ok, rng))
            row.append("서면 증빙 확인" if rng.random() < 0.2 else None)
            ws.append(row)
    ws.freeze_panes = "C5"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


if __name__ == "__main__":
    print(main())
