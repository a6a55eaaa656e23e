"""Every label in Korean and English: one table, one lookup.

Labels are the words around figures (column headers, row names, units, document headings);
messages about problems (errors, warnings) live in :mod:`esgcli.base.problems`. The annual
report's keys have no prefix; the keys of other tables and documents are grouped by a dotted
prefix (``plan.status.done``, ``feedback.doc``). :func:`label` is the one lookup;
:func:`in_lang` is the one place a Korean/English pair is resolved to a language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def in_lang(pair: tuple[str, str], lang: str) -> str:
    """The Korean or English text of a (ko, en) pair: Korean for ``ko``, English otherwise."""
    return pair[0] if lang == "ko" else pair[1]


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
    # esg certify / certs
    "result": ("판정", "Result"),
    "qualifies": ("충족", "qualifies"),
    "fails": ("미충족", "fails"),
    "cert_status": ("발급", "Issue"),
    "cert_issued": ("신규", "new"),
    "cert_existing": ("기존", "existing"),
    "cert_revoked": ("취소됨", "revoked"),
    "failed_criteria": ("미충족 기준", "Failed criteria"),
    "still_needed": ("추가로 준수해야 할 지표", "Indicators still needed"),
    "still_needed_short": ("부족 지표", "Needed"),
    "failed_short": ("미충족", "Failed"),
    "unreachable": ("(기준 도달 불가)", "(cannot be reached)"),
    # esg score --explain
    "excluded": ("적용 제외: 적용 조건({condition})에 해당하지 않음",
                 "does not apply: needs {condition}"),
    "na_excluded": ("해당없음: 분모에서 제외", "N/A: left out of the denominator"),
    "na": ("해당없음", "N/A"),
    "blank_fails": ("미응답 → 미준수", "blank → not compliant"),
    "passes": ("{points}점 이상 → 준수", "≥ {points} points → compliant"),
    "fails_points": ("{points}점 미만 → 미준수", "< {points} points → not compliant"),
    "cond_and": ("그리고", "and"),
    "cond_or": ("또는", "or"),
    "cond_not": ("{condition} 아님", "not ({condition})"),
    "cond_in": ("{field}: {values} 중 하나", "{field} is one of {values}"),
    "cond_not_in": ("{field}: {values} 외", "{field} is none of {values}"),
    # esg questionnaire diff: names of what changed
    "diff_area": ("영역", "area"),
    "diff_title": ("지표명", "title"),
    "diff_scale": ("척도", "scale"),
    "diff_max_points": ("최대 점수", "max points"),
    "diff_pass_points": ("준수 기준 점수", "pass points"),
    "diff_weight": ("가중치", "weight"),
    "diff_critical": ("중대", "critical"),
    "diff_na_allowed": ("해당없음 허용", "N/A allowed"),
    "diff_applies_if": ("적용 조건", "applies if"),
    "diff_type": ("응답 형식", "answer type"),
    "diff_points": ("점수", "points"),
    "diff_label": ("표시", "label"),
    "diff_aliases": ("별칭", "aliases"),
    "diff_range": ("범위", "range"),
    "diff_unit": ("단위", "unit"),
    "diff_added": ("추가", "added"),
    "diff_removed": ("삭제", "removed"),
    "diff_order": ("순서", "order"),
    "diff_none": ("없음", "none"),
    "yes": ("예", "yes"),
    "no": ("아니오", "no"),
    "report_title": ("{year}년 협력사 ESG 지원사업 성과 보고서", "Supplier ESG support program report {year}"),
    "change_defined": ("정의 변경", "changed"),
    # units
    "unit.pp": ("%p", " pp"),
    # a place in a file (problems.Problem.location)
    "place.row": ("{row}행", "row {row}"),
    # answer scales: what to type, how points are given
    "scale.yes_no": ("예, 아니오", "yes, no"),
    "scale.none": ("없음", "none"),
    "scale.checklist": ("해당 항목을 쉼표로 구분 ({items}) 또는 없음",
                        "the items met, separated by commas ({items}), or none"),
    "scale.otherwise_zero": (", 그 외 0", ", otherwise 0"),
    "scale.number_range": ("{low}–{high} 사이의 숫자{unit}", "a number from {low} to {high}{unit}"),
    "scale.number": ("숫자{unit}", "a number{unit}"),
    # what a non-compliant answer would have to become (engine.passing)
    "passing.blank": ("미응답", "(blank)"),
    "passing.none": ("없음", "none"),
    "passing.or_better": ("{x} 이상", "{x} or better"),
    "passing.at_least_of": ("다음 중 {n}개 이상: {items}", "at least {n} of: {items}"),
    "passing.points_of": ("다음 항목으로 {p}점 이상 추가: {items}", "{p} more points from: {items}"),
    "passing.or": (" 또는 ", " or "),
    # certification criteria (formatting.failure_text)
    "criterion.compliance_min": ("준수율", "compliance"),
    "criterion.score_min": ("점수", "score"),
    "criterion.no_critical_failures": ("중대 미준수", "critical failures"),
    "criterion.max_missing": ("미응답", "missing answers"),
    "criterion.grades": ("등급", "grade"),
    "criterion.improvement_min_pp": ("향상도", "improvement"),
    # certificate statuses (registry)
    "certificate.active": ("유효", "active"),
    "certificate.expired": ("만료", "expired"),
    "certificate.revoked": ("취소", "revoked"),
    # corrective action plan (engine.actions, reports.plan_xlsx): English headers are the column keys
    "plan.sheet": ("개선과제", "actions"),
    "plan.title": ("개선과제", "Corrective action plan"),
    "plan.status.not_started": ("미착수", "not_started"),
    "plan.status.in_progress": ("진행중", "in_progress"),
    "plan.status.done": ("완료", "done"),
    "plan.status.on_hold": ("보류", "on_hold"),
    "plan.priority.critical": ("중대", "critical"),
    "plan.priority.to-qualify": ("인증 필요", "to-qualify"),
    "plan.priority.other": ("기타", "other"),
    "plan.header.supplier_id": ("협력사코드", "supplier_id"),
    "plan.header.supplier_name": ("협력사명", "supplier_name"),
    "plan.header.indicator": ("지표", "indicator"),
    "plan.header.area": ("영역", "area"),
    "plan.header.title": ("지표명", "title"),
    "plan.header.answer": ("현재 응답", "answer"),
    "plan.header.passes_with": ("충족 기준", "passes_with"),
    "plan.header.priority": ("우선순위", "priority"),
    "plan.header.owner": ("담당자", "owner"),
    "plan.header.due": ("기한", "due"),
    "plan.header.status": ("상태", "status"),
    "plan.header.note": ("비고", "note"),
    "plan.status_prompt": ("상태", "status"),
    "plan.status_error": ("목록에서 고르세요: {statuses}", "pick one of: {statuses}"),
    "plan.due_prompt": ("기한", "due"),
    "plan.due_error": ("YYYY-MM-DD 형식의 날짜를 입력하세요", "type a date as YYYY-MM-DD"),
    # a supplier's feedback page (reports.feedback_html)
    "feedback.doc": ("ESG 진단 결과서", "ESG assessment result"),
    "feedback.round": ("차수", "Round"),
    "feedback.year": ("연도", "Year"),
    "feedback.compliance": ("지표 준수율", "Indicator compliance"),
    "feedback.score": ("점수", "Score"),
    "feedback.rate": ("준수율", "Compliance"),
    "feedback.grade": ("등급", "Grade"),
    "feedback.change": ("지원 전 대비", "Since before support"),
    "feedback.before": ("지원 전", "before"),
    "feedback.cohort": ("백분위 ({n}개사 중)", "Percentile (of {n} suppliers)"),
    "feedback.cohort_hidden": ("이 차수 참여 협력사가 5개사 미만이어서 평균과 백분위는 표시하지 않습니다.",
                      "Fewer than 5 suppliers took part in this round: the mean and percentile "
                      "are not shown."),
    "feedback.percentile_note": ("백분위: 같은 차수 협력사 중 이 회사보다 준수율이 낮은 비율(동률은 절반). "
                        "50이 중간입니다.",
                        "Percentile: the share of suppliers in the same round with a lower rate "
                        "(ties count half); 50 is the middle."),
    "feedback.areas": ("영역별 결과", "By area"),
    "feedback.area": ("영역", "Area"),
    "feedback.cohort_mean": ("참여 협력사 평균", "Cohort mean"),
    "feedback.percentile": ("백분위", "Percentile"),
    "feedback.failing": ("미준수 지표 {n}개", "{n} indicators not met"),
    "feedback.failing_intro": ("아래 지표를 충족 기준에 맞게 개선하면 준수로 인정됩니다. 중대 지표를 먼저 "
                      "보여 줍니다.",
                      "Each indicator below counts as met once the answer reaches what would "
                      "pass. Critical indicators come first."),
    "feedback.critical": ("중대", "Critical"),
    "feedback.needed": ("인증 필요", "Needed to qualify"),
    "feedback.answer": ("현재 응답", "Your answer"),
    "feedback.passes_with": ("충족 기준", "What would pass"),
    "feedback.blank": ("미응답", "(blank)"),
    "feedback.all_met": ("평가 대상 지표를 모두 준수했습니다.", "Every counted indicator is met."),
    "feedback.certification": ("인증 판정", "Certification"),
    "feedback.qualifies": ("기준 충족", "Meets the criteria"),
    "feedback.fails": ("기준 미충족", "Does not meet the criteria yet"),
    "feedback.not_judged": ("지원 후 평가가 없어 판정하지 않았습니다.",
                   "Not judged: there is no evaluation after support yet."),
    "feedback.failed": ("미충족 기준", "Criteria not met"),
    "feedback.to_qualify": ("인증에 필요한 최소 지표 {n}개", "Fewest indicators to qualify: {n}"),
    "feedback.unreachable": ("지표 개선만으로는 충족할 수 없는 기준: {x}",
                    "Criteria that indicators alone cannot meet: {x}"),
    "feedback.certificate": ("인증서", "Certificate"),
    "feedback.valid": ("유효기간", "Valid"),
    "feedback.status": ("상태", "Status"),
    "feedback.privacy": ("이 결과서에는 {name}의 결과만 담겨 있습니다. 평균과 백분위는 5개사 이상의 집계입니다.",
                "This page holds the results of {name} only. Means and percentiles are "
                "aggregates over 5 or more suppliers."),
    "feedback.made_with": ("질문지 {q} · {tool}", "Questionnaire {q} · {tool}"),
    # the consulting section of the report (reports.consulting)
    "consulting.consulting": ("컨설팅 (개선과제)", "Consulting (corrective actions)"),
    "consulting.plan": ("개선과제 파일", "Action plan"),
    "consulting.suppliers": ("과제가 있는 협력사", "Suppliers with actions"),
    "consulting.actions": ("개선과제", "Actions"),
    "consulting.done": ("완료", "Done"),
    "consulting.closure": ("완료율", "Closure rate"),
    "consulting.overdue": ("기한 경과", "Overdue"),
    "consulting.verified": ("완료 과제 중 사후 평가에서 준수 확인", "Done and compliant at the follow-up (verified)"),
    "consulting.not_verified": ("완료했으나 사후 평가에서 미준수", "Done but not compliant at the follow-up"),
    "consulting.verified_share": ("검증률", "Verified share"),
    "consulting.improved": ("과제 완료 없이 개선된 지표", "Met without a done action"),
    "consulting.as_of": ("기준일", "As of"),
    "consulting.followup": ("사후 차수", "Follow-up round"),
    "consulting.no_followup": ("사후 응답이 없어 검증하지 않았습니다", "not verified: no follow-up answers"),
    # collection campaign statuses (engine.campaign)
    "campaign.status.returned": ("회신 완료", "returned"),
    "campaign.status.incomplete": ("미응답 있음", "incomplete"),
    "campaign.status.invalid": ("오류", "invalid"),
    "campaign.status.missing": ("미회신", "missing"),
}


def label(key: str, lang: str, **fields: Any) -> str:
    """The label ``key`` in ``lang``; with ``fields``, its ``{placeholders}`` filled in."""
    text = in_lang(LABELS[key], lang)
    return text.format(**fields) if fields else text


def group(prefix: str) -> Mapping[str, tuple[str, str]]:
    """The (ko, en) pairs of one group by their key after ``prefix`` (``plan.status.``), in order."""
    return {k[len(prefix):]: v for k, v in LABELS.items() if k.startswith(prefix)}
