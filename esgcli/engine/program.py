"""Program to date (SPEC §8): every year's paired participations pooled, and the sentence.

Sponsors publish one sentence over all the years they funded ("over the past three years the
participating suppliers' average indicator compliance rose 45.1% against before support; 89% of
them were designated ESG excellent"). This module computes that figure from each year's
improvement (§6) and certification, and words it, in Korean or English, ready to quote.

Pure: takes plain per-year figures and questionnaires, returns a :class:`ProgramToDate` whose
``to_dict()`` is the ``program_to_date`` object of ``report.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from esgcli.base.formatting import pct
from esgcli.engine.improvement import change
from esgcli.questionnaire.diff import diff_questionnaires
from esgcli.questionnaire.questionnaire import Questionnaire


@dataclass(frozen=True)
class YearParticipation:
    """One program year: its paired suppliers with their overall compliance before and after
    (NaN for null), and — with a policy or registry — who was evaluated and who certified."""

    year: int
    supplier_ids: list[str]
    before: np.ndarray
    after: np.ndarray
    evaluated_ids: list[str] | None = None
    certified_ids: list[str] | None = None

    @classmethod
    def from_figures(cls, figures: dict[str, Any]) -> YearParticipation:
        """From one year of the report's data (`reports.data.year_figures`)."""
        rows = (figures.get("improvement") or {}).get("suppliers") or []
        cert = figures.get("certification")
        certified = None
        if cert is not None:
            certified = cert["certified_ids"] if "certified_ids" in cert else cert["qualified_ids"]
        return cls(
            year=int(figures["year"]),
            supplier_ids=[str(r["supplier_id"]) for r in rows],
            before=_floats([r["compliance"]["before"] for r in rows]),
            after=_floats([r["compliance"]["after"] for r in rows]),
            evaluated_ids=None if cert is None else list(cert["evaluated_ids"]),
            certified_ids=None if certified is None else list(certified))


def _floats(values: list[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


@dataclass(frozen=True)
class ProgramToDate:
    """The pooled figure over the program years and the sentence that states it."""

    years: list[int]
    participations: int
    suppliers: int
    compliance: dict[str, float | None]
    evaluated: int | None
    certified: int | None
    certified_pct: float | None
    basis: str | None  # "registry" (certificates issued), "policy" (criteria met) or None
    certified_title: str | None
    evaluated_are_participants: bool = False  # evaluated = the paired suppliers ("of them")
    method_changes: list[dict[str, Any]] = field(default_factory=list)
    lang: str = "ko"

    @property
    def sentence(self) -> str:
        return sentence(self, self.lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "years": self.years,
            "participations": self.participations,
            "suppliers": self.suppliers,
            "compliance": self.compliance,
            "certified": self.certified,
            "certified_pct": self.certified_pct,
            "sentence": self.sentence,
            "evaluated": self.evaluated,
            "certified_basis": self.basis,
            "method_changes": self.method_changes,
        }


def program_to_date(years: list[YearParticipation],
                    questionnaires: list[tuple[int, Questionnaire]] | None = None,
                    basis: str | None = None, certified_title: str | None = None,
                    lang: str = "ko") -> ProgramToDate:
    """Pool ``years`` (each paired participation counts once: a supplier paired in two years
    counts twice); distinct suppliers; certified = distinct suppliers certified (or meeting the
    policy) in any year among the distinct suppliers evaluated in any year.

    ``questionnaires``: (year, questionnaire) in the order the years used them; a change of
    version is listed in ``method_changes`` and stated in the sentence. ``basis``: "registry"
    (certificates issued: "designated") or "policy" (criteria met); ``certified_title``: the
    policy's title in ``lang`` (None: none known).
    """
    ordered = sorted(years, key=lambda y: y.year)
    before = np.concatenate([y.before for y in ordered]) if ordered else np.zeros(0)
    after = np.concatenate([y.after for y in ordered]) if ordered else np.zeros(0)
    both = ~np.isnan(before) & ~np.isnan(after)
    if both.any():
        mb, ma = float(before[both].mean()), float(after[both].mean())
        compliance: dict[str, float | None] = {"mean_before": mb, "mean_after": ma, **change(mb, ma)}
    else:
        compliance = {"mean_before": None, "mean_after": None, "delta_pp": None,
                      "relative_pct": None}
    distinct = {s for y in ordered for s in y.supplier_ids}
    evaluated = certified = None
    share = None
    same = False
    judged = [y for y in ordered if y.evaluated_ids is not None]
    if judged:
        evaluated_ids = {s for y in judged for s in y.evaluated_ids or []}
        certified_ids = {s for y in judged for s in y.certified_ids or []} & evaluated_ids
        evaluated, certified = len(evaluated_ids), len(certified_ids)
        share = 100.0 * certified / evaluated if evaluated else None
        same = evaluated_ids == distinct
    return ProgramToDate(
        years=[y.year for y in ordered], participations=len(before), suppliers=len(distinct),
        compliance=compliance, evaluated=evaluated, certified=certified, certified_pct=share,
        basis=basis if judged else None, certified_title=certified_title,
        evaluated_are_participants=same,
        method_changes=method_changes(questionnaires or []), lang=lang)


def method_changes(questionnaires: list[tuple[int, Questionnaire]]) -> list[dict[str, Any]]:
    """Every change of questionnaire version along the years (as `esg improve` flags one):
    from which year and version to which, the indicators whose scoring changed, those added
    and removed."""
    out: list[dict[str, Any]] = []
    previous: tuple[int, Questionnaire] | None = None
    for year, q in questionnaires:
        if previous is not None and previous[1].sha256 != q.sha256:
            delta = diff_questionnaires(previous[1], q)
            out.append({"from": {"year": previous[0], **previous[1].to_ref()},
                        "to": {"year": year, **q.to_ref()},
                        "indicators": [{"indicator": c["indicator"], "fields": c["fields"]}
                                       for c in delta.method_changes()],
                        "added": delta.added, "removed": delta.removed})
        previous = (year, q)
    return out


# ------------------------------------------------------------------------------ the sentence
def _span(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _euro(word: str) -> str:
    """The Korean particle 으로/로 after ``word`` (로 after a vowel or ㄹ)."""
    last = word.rstrip()[-1:]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        return "로" if final in (0, 8) else "으로"
    return "(으)로"


def _num(value: float) -> str:
    return f"{value:.1f}"


def sentence(p: ProgramToDate, lang: str = "ko") -> str:
    """The program-to-date sentence in ``lang``, units labelled (%p / percentage points, %)."""
    return _sentence_ko(p) if lang == "ko" else _sentence_en(p)


def _sentence_ko(p: ProgramToDate) -> str:
    span = _span(p.years)
    c = p.compliance
    parts: list[str] = []
    cert = _certified_ko(p)
    if c["mean_before"] is None or c["mean_after"] is None:
        parts.append(f"{span}년에는 지원 전·후를 모두 진단받은 참여 협력사가 없습니다.")
        if cert:
            parts.append(f"{span}년 평가 협력사 {p.evaluated}개사 중 {cert}")
    else:
        who = f"{span}년 참여 협력사 {p.suppliers}개사"
        if p.participations != p.suppliers:
            who += f"(연도별 참여 {p.participations}건)"
        mb, ma, delta, relative = (c["mean_before"], c["mean_after"], c["delta_pp"],
                                   c["relative_pct"])
        head = f"{who}의 평균 지표 준수율은 지원 전 {pct(mb)}에서 지원 후 {pct(ma)}로 "
        assert delta is not None
        if delta == 0:
            head = f"{who}의 평균 지표 준수율은 지원 전·후 모두 {pct(ma)}로 변동이 없었"
        else:
            word = "상승" if delta > 0 else "하락"
            amount = f"{_num(abs(relative))}% {word}" if relative is not None else word
            head += f"{amount}({delta:+.1f}%p)했"
        if cert:
            lead = ("이 중 " if p.evaluated_are_participants
                    else f"사후 평가 협력사 {p.evaluated}개사 중 ")
            parts.append(f"{head}으며, {lead}{cert}")
        else:
            parts.append(f"{head}습니다.")
    if p.method_changes:
        versions = _versions(p)
        parts.append(f"단, 연도에 따라 질문지 버전이 달라({versions}) 지표 정의가 같지 않습니다.")
    return " ".join(parts)


def _certified_ko(p: ProgramToDate) -> str | None:
    if p.certified is None:
        return None
    count = f"{p.certified}개사({pct(p.certified_pct)})가 "
    title = p.certified_title
    if p.basis == "registry":
        return count + (f"{title}{_euro(title)} 선정되었습니다." if title else "인증을 받았습니다.")
    return count + f"{title or '인증'} 기준을 충족했습니다."


def _sentence_en(p: ProgramToDate) -> str:
    span = _span(p.years)
    c = p.compliance
    parts: list[str] = []
    cert = _certified_en(p)
    if c["mean_before"] is None or c["mean_after"] is None:
        parts.append(f"In {span}, no participating supplier was assessed both before and after "
                     "support.")
        if cert:
            parts.append(f"Of the {p.evaluated} suppliers evaluated, {_count_en(p)} {cert}.")
    else:
        who = f"the {p.suppliers} participating supplier{'s' if p.suppliers != 1 else ''}"
        if p.participations != p.suppliers:
            who += f" ({p.participations} participations over the years)"
        mb, ma, delta, relative = (c["mean_before"], c["mean_after"], c["delta_pp"],
                                   c["relative_pct"])
        assert delta is not None
        if delta == 0:
            head = (f"In {span}, the average indicator compliance rate of {who} stayed at "
                    f"{pct(ma)} before and after support")
        else:
            word = "rose" if delta > 0 else "fell"
            amount = f" {_num(abs(relative))}%" if relative is not None else ""
            head = (f"In {span}, the average indicator compliance rate of {who} {word}{amount} "
                    f"against before support, from {pct(mb)} to {pct(ma)} "
                    f"({delta:+.1f} percentage points)")
        if cert:
            lead = ("of them" if p.evaluated_are_participants
                    else f"of the {p.evaluated} suppliers evaluated after support")
            parts.append(f"{head}; {_count_en(p)} {lead} {cert}.")
        else:
            parts.append(f"{head}.")
    if p.method_changes:
        parts.append(f"Note: the years were scored with different questionnaire versions "
                     f"({_versions(p)}), so indicator definitions differ.")
    return " ".join(parts)


def _count_en(p: ProgramToDate) -> str:
    return f"{p.certified} ({pct(p.certified_pct)})"


def _certified_en(p: ProgramToDate) -> str | None:
    if p.certified is None:
        return None
    title = p.certified_title
    verb = "was" if p.certified == 1 else "were"
    if p.basis == "registry":
        return f"{verb} designated “{title}”" if title else f"{verb} certified"
    return f"met the criteria of “{title}”" if title else "met the certification criteria"


def _versions(p: ProgramToDate) -> str:
    seen: list[str] = []
    for change_ in p.method_changes:
        for end in (change_["from"], change_["to"]):
            text = f"{end['year']}: {end['id']} {end['version']}"
            if text not in seen:
                seen.append(text)
    return "; ".join(seen)
