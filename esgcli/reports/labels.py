"""Report wording in Korean and English."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "summary": ("요약", "Summary"),
    "areas": ("영역별", "Areas"),
    "suppliers": ("협력사별", "Suppliers"),
    "indicators": ("지표별", "Indicators"),
    "certification": ("인증", "Certification"),
    "trend": ("연도별 추이", "Trend"),
    "method": ("산출 방법", "Method"),
    "funnel": ("참여 현황", "Participation"),
    "program_to_date": ("사업 누적 성과", "Program to date"),
    "years": ("연도", "Years"),
    "participations": ("참여 (연도별 합계, 전·후 비교)", "Participations (paired, all years)"),
    "distinct_suppliers": ("참여 협력사 (중복 제외)", "Suppliers (distinct)"),
    "evaluated": ("사후 평가 협력사 (중복 제외)", "Suppliers evaluated (distinct)"),
    "certified_any": ("인증 협력사 (중복 제외)", "Suppliers certified (distinct)"),
    "qualified_any": ("기준 충족 협력사 (중복 제외)", "Suppliers meeting the criteria (distinct)"),
    "sentence": ("인용 문구", "Sentence to quote"),
    "method_change_note": ("질문지 버전이 바뀌었습니다", "The questionnaire version changed"),
    "pooled_rule": ("사업 누적 성과: 각 연도의 전·후 비교 대상을 모두 합쳐 평균 "
                    "(두 해에 참여한 협력사는 두 번 계산), 인증 비율 = 어느 해든 인증된 협력사 ÷ "
                    "어느 해든 사후 평가를 받은 협력사 (모두 중복 제외)",
                    "Program to date: every year's paired suppliers pooled (a supplier paired in two "
                    "years counts twice); certified share = suppliers certified in any year ÷ "
                    "suppliers evaluated in any year (both distinct)"),
    "diagnosed_before": ("사전 진단", "Diagnosed before support"),
    "diagnosed_after": ("사후 평가", "Evaluated after support"),
    "both": ("전·후 모두 (비교 대상)", "Both rounds (paired)"),
    "certified": ("인증", "Certified"),
    "qualified": ("기준 충족", "Meeting the criteria"),
    "share": ("비율", "Share"),
    "cohort": ("평균 지표 준수율", "Mean indicator compliance rate"),
    "cohort_score": ("평균 점수", "Mean score"),
    "before": ("지원 전", "Before"),
    "after": ("지원 후", "After"),
    "change_pp": ("변화 (%p)", "Change (pp)"),
    "relative": ("상대 향상률 (%)", "Relative change (%)"),
    "overall": ("전체", "Overall"),
    "area": ("영역", "Area"),
    "supplier_id": ("협력사코드", "Supplier ID"),
    "supplier_name": ("협력사명", "Supplier"),
    "indicator": ("지표", "Indicator"),
    "title": ("지표명", "Title"),
    "became": ("개선", "Became compliant"),
    "regressed": ("후퇴", "Regressed"),
    "stayed": ("유지(준수)", "Stayed compliant"),
    "stayed_not": ("유지(미준수)", "Stayed non-compliant"),
    "compliance": ("준수율", "Compliance"),
    "score": ("점수", "Score"),
    "chart_areas": ("영역별 지원 전·후 준수율", "Compliance before and after, by area"),
    "chart_distribution": ("협력사 준수율 분포 (협력사 수)", "Distribution of supplier compliance (suppliers)"),
    "chart_indicators": ("가장 많이 개선된 지표 (%p)", "Most improved indicators (pp)"),
    "chart_trend": ("연도별 평균 준수율", "Mean compliance by year"),
    "year": ("연도", "Year"),
    "number": ("인증서 번호", "Certificate"),
    "issued_on": ("발급일", "Issued on"),
    "valid_until": ("유효기간", "Valid until"),
    "unpaired": ("한쪽 차수에만 참여 (평균에서 제외)", "In one round only (not averaged)"),
    "only_before": ("사전만", "Before only"),
    "only_after": ("사후만", "After only"),
    "no_improvement": ("이 해의 자료에는 전·후 두 차수가 없어 개선도를 계산하지 않았습니다.",
                       "This year's data has no before and after rounds; no improvement computed."),
    "rules": ("산출 규칙", "Rules"),
    "rule_compliance": ("지표 준수율 = 준수 지표 가중치 합 ÷ 평가 대상 지표 가중치 합 × 100 "
                        "(해당없음·적용 제외 지표는 분모에서 제외, 미응답은 미준수)",
                        "Compliance rate = weight of compliant indicators ÷ weight of counted indicators × 100 "
                        "(N/A and not-applicable indicators left out; a blank counts as not compliant)"),
    "rule_score": ("점수 = 획득 점수 × 가중치 합 ÷ 최대 점수 × 가중치 합 × 100",
                   "Score = weighted points ÷ weighted max points × 100"),
    "rule_pairing": ("개선도는 두 차수에 모두 참여한 협력사만 비교합니다. "
                     "%p = 후 − 전, 상대 향상률 = (후 − 전) ÷ 전 × 100",
                     "Improvement compares only suppliers present in both rounds. pp = after − before; "
                     "relative = (after − before) ÷ before × 100"),
    "questionnaire": ("질문지", "Questionnaire"),
    "policy": ("인증 기준", "Certification policy"),
    "sources": ("입력 파일", "Input files"),
    "tool": ("도구", "Tool"),
    "generated_at": ("작성 시각", "Generated at"),
    "sheet": ("시트", "Sheet"),
    "file": ("파일", "File"),
    "paired": ("비교 대상", "Paired"),
    "bin": ("준수율 구간", "Compliance band"),
    "method_changes": ("정의가 바뀐 지표 (전·후 질문지 버전이 다름)",
                       "Indicators whose definition changed (the rounds use different versions)"),
}


def label(key: str, lang: str) -> str:
    ko, en = LABELS[key]
    return ko if lang == "ko" else en
