"""Rich rendering of results and problems for the terminal (the only module besides cli.py
that knows about rich)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from .applicability import condition_text
from .coded import Coded
from .diff import QuestionnaireDiff
from .formatting import num, pct
from .problems import Problem, errors_of, warnings_of
from .questionnaire import Questionnaire
from .scoring import ScoreResult
from .tokens import display

LABELS: dict[str, tuple[str, str]] = {
    "supplier_id": ("협력사코드", "Supplier"),
    "supplier_name": ("협력사명", "Name"),
    "round": ("차수", "Round"),
    "year": ("연도", "Year"),
    "compliance": ("준수율", "Compliance"),
    "score": ("점수", "Score"),
    "grade": ("등급", "Grade"),
    "critical": ("중대 미준수", "Critical failures"),
    "critical_short": ("중대", "Crit."),
    "missing": ("미응답", "Missing"),
    "suppliers": ("협력사 수", "Suppliers"),
    "all": ("전체", "All"),
    "indicator": ("지표", "Indicator"),
    "title": ("지표명", "Title"),
    "answer": ("응답", "Answer"),
    "read_as": ("인식값", "Read as"),
    "points": ("점수", "Points"),
    "compliant": ("준수", "Compliant"),
    "why": ("설명", "Why"),
    "summary": ("요약 (평균)", "Summary (means)"),
}
TABLE_ROW_LIMIT = 150


def label(key: str, lang: str) -> str:
    ko, en = LABELS[key]
    return ko if lang == "ko" else en


def render_problems(console: Console, problems: list[Problem], lang: str,
                    limit: int | None = 30, show_warnings: bool = True) -> None:
    """Errors first, then warnings, each on one line; summarised beyond ``limit``."""
    errors, warnings = errors_of(problems), warnings_of(problems)
    for kind, items, style in (("error", errors, "red"), ("warning", warnings, "yellow")):
        if kind == "warning" and not show_warnings:
            continue
        shown = items if limit is None else items[:limit]
        tag = {"error": ("오류", "error"), "warning": ("경고", "warning")}[kind]
        for problem in shown:
            line = Text()
            line.append(f"{tag[0] if lang == 'ko' else tag[1]} {problem.code} ", style=style)
            line.append(problem.message(lang))
            console.print(line, soft_wrap=True)
        if len(items) > len(shown):
            codes = Counter(p.code for p in items[len(shown):])
            rest = ", ".join(f"{c} ×{n}" for c, n in codes.most_common())
            console.print(
                f"… {len(items) - len(shown)}개 더 ({rest}). 전체 목록: esg validate"
                if lang == "ko" else
                f"… {len(items) - len(shown)} more ({rest}). Full list: esg validate",
                soft_wrap=True)


def problem_count_line(problems: list[Problem], lang: str) -> str:
    errors, warnings = len(errors_of(problems)), len(warnings_of(problems))
    if lang == "ko":
        return f"오류 {errors}개, 경고 {warnings}개"
    return f"{errors} error(s), {warnings} warning(s)"


def score_table(result: ScoreResult, lang: str, limit: int = TABLE_ROW_LIMIT,
                width: int = 200) -> Table:
    """Suppliers with their rates; on narrow terminals a lighter frame and counts of critical
    failures instead of their ids (`--explain` shows them)."""
    areas = result.area_ids
    narrow = width < 110
    table = Table(title=result.questionnaire.title(lang), title_justify="left",
                  box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
                  padding=(0, 1) if not narrow else (0, 0, 0, 1))
    for key in ("supplier_id", "supplier_name", "round"):
        table.add_column(label(key, lang), no_wrap=key != "supplier_name",
                         min_width=8 if key == "supplier_name" else None, overflow="fold")
    table.add_column(label("compliance", lang), justify="right", no_wrap=True)
    table.add_column(label("score", lang), justify="right", no_wrap=True)
    if result.questionnaire.model.grades is not None:
        table.add_column(label("grade", lang), justify="center")
    for area in areas:
        table.add_column(area, justify="right", no_wrap=True)
    table.add_column(label("critical_short" if narrow else "critical", lang),
                     overflow="fold", justify="right" if narrow else "left")
    ids = result.questionnaire.indicator_ids
    for i in range(min(len(result), limit)):
        rec = result.records.iloc[i]
        row = [rec["supplier_id"], rec["supplier_name"] or "", rec["round"] or "",
               pct(result.compliance[i]), num(result.score[i])]
        if result.questionnaire.model.grades is not None:
            row.append(result.grade[i] or "—")
        row += [pct(result.area_compliance[i, a]) for a in range(len(areas))]
        failed = [ids[j] for j in np.flatnonzero(result.critical_failed[i])]
        shown = str(len(failed)) if narrow else ", ".join(failed)
        row.append(Text(shown, style="red") if failed else Text("—"))
        table.add_row(*[Text(x) if isinstance(x, str) else x for x in row])
    return table


def summary_table(result: ScoreResult, lang: str) -> Table:
    table = Table(title=label("summary", lang), title_justify="left")
    table.add_column(label("round", lang))
    table.add_column(label("suppliers", lang), justify="right")
    table.add_column(label("compliance", lang), justify="right")
    table.add_column(label("score", lang), justify="right")
    for area in result.area_ids:
        table.add_column(f"{area} {label('compliance', lang)}", justify="right")
    rounds = list(dict.fromkeys(result.records["round"].tolist()))
    groups: list[tuple[str, ScoreResult]] = []
    if len(rounds) > 1:
        for r in rounds:
            groups.append((str(r), result.select((result.records["round"] == r).to_numpy())))
    else:
        groups.append((str(rounds[0]) if rounds and rounds[0] else label("all", lang), result))
    for name, part in groups:
        s = part.summary()
        table.add_row(Text(name), str(s["suppliers"]), pct(s["compliance_mean"]),
                      num(s["score_mean"]),
                      *[pct(s["areas"][a]["compliance_mean"]) for a in result.area_ids])
    return table


def explain_table(result: ScoreResult, raw: Coded, i: int, lang: str) -> Table:
    """One record indicator by indicator: answer typed, read as, points, compliant, why."""
    q = result.questionnaire
    rec = result.records.iloc[i]
    title = f"{rec['supplier_id']} {rec['supplier_name'] or ''} · {rec['round'] or ''}".strip()
    overall = (f"{label('compliance', lang)} {pct(result.compliance[i])} · "
               f"{label('score', lang)} {num(result.score[i])}")
    if q.model.grades is not None:
        overall += f" · {label('grade', lang)} {result.grade[i] or '—'}"
    table = Table(title=f"{title}\n{overall}", title_justify="left")
    for key in ("indicator", "title", "answer", "read_as", "points", "compliant", "why"):
        table.add_column(label(key, lang), justify="right" if key == "points" else "left")
    ko = lang == "ko"
    for j, indicator in enumerate(q.indicators):
        detail = result.indicator_detail(i, j)
        matcher = q.matchers[indicator.id]
        typed = display(raw.value(i, j))
        if detail["status"] == "not_applicable":
            assert indicator.applies_if is not None
            why = ("적용 제외 (" if ko else "does not apply (") + \
                condition_text(indicator.applies_if) + ")"
            mark, points = Text("—"), "—"
        elif detail["status"] == "na":
            why = "해당없음: 분모에서 제외" if ko else "N/A: left out of the denominator"
            mark, points = Text("—"), "—"
        else:
            points = f"{detail['points']:g}/{detail['max_points']:g}"
            if detail["missing"]:
                why = "미응답 → 미준수" if ko else "blank → not compliant"
            elif detail["compliant"]:
                why = (f"{matcher.pass_points:g}점 이상 → 준수" if ko
                       else f"≥ {matcher.pass_points:g} points → compliant")
            else:
                why = (f"{matcher.pass_points:g}점 미만 → 미준수" if ko
                       else f"< {matcher.pass_points:g} points → not compliant")
            mark = Text("✓", style="green") if detail["compliant"] else Text("✗", style="red")
            if indicator.critical and not detail["compliant"]:
                why += " · 중대 미준수" if ko else " · critical failure"
        table.add_row(Text(indicator.id), Text(indicator.title.get(lang)), Text(typed),
                      Text(str(detail["answer"] or "")), Text(points), mark, Text(why))
    return table


def make_console(stderr: bool = False) -> Console:
    """Rich console; piped output (no terminal, no COLUMNS) gets room for whole tables."""
    import os
    import sys

    stream = sys.stderr if stderr else sys.stdout
    piped = not (hasattr(stream, "isatty") and stream.isatty())
    width = 160 if piped and "COLUMNS" not in os.environ else None
    # markup and emoji codes off: every string printed may hold input text (`[/]`, `:x:`)
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width, markup=False,
                   emoji=False)


def questionnaire_tree(q: Questionnaire, lang: str) -> Tree:
    """Areas, then indicators with their answers, points, pass rule and flags."""
    ko = lang == "ko"
    title = Text(f"{q.title(lang)} — {q.id} {q.version}", style="bold")
    tree = Tree(title)
    if q.model.based_on:
        tree.add(Text(("근거: " if ko else "Based on: ") + q.model.based_on.get(lang), style="dim"))
    if q.model.profile:
        label = "프로필" if ko else "Profile"
        fields = [f"{p.id} ({p.type})" for p in q.model.profile]
        if not q.profile_values:
            tree.add(Text(f"{label}: {', '.join(fields)}"))
        else:  # one line per field, with its declared values as `value (label)` in `lang`
            branch = tree.add(Text(label))
            for p, text in zip(q.model.profile, fields, strict=True):
                values = q.profile_values.get(p.id)
                branch.add(Text(text + (f": {values.expected_values(lang)}" if values else "")))
    for area in q.areas:
        items = [i for i in q.indicators if i.area == area.id]
        weight = f", {'가중치' if ko else 'weight'} {area.weight:g}" if area.weight else ""
        branch = tree.add(Text(f"{area.id} {area.title.get(lang)} ({len(items)}{weight})",
                               style="bold"))
        for ind in items:
            matcher = q.matchers[ind.id]
            flags = []
            if ind.weight != 1:
                flags.append(f"{'가중치' if ko else 'weight'} {ind.weight:g}")
            if ind.critical:
                flags.append("중대" if ko else "critical")
            if ind.na_allowed:
                flags.append("해당없음 허용" if ko else "N/A allowed")
            if ind.applies_if is not None:
                flags.append(("적용: " if ko else "applies if ") + condition_text(ind.applies_if))
            head = Text(f"{ind.id} {ind.title.get(lang)}")
            if flags:
                head.append(f"  [{'; '.join(flags)}]", style="yellow")
            node = branch.add(head)
            rule = (f"{matcher.kind} · {'최대' if ko else 'max'} {matcher.max_points:g} · "
                    f"{'준수' if ko else 'pass'} ≥ {matcher.pass_points:g}")
            node.add(Text(rule, style="dim"))
            node.add(Text(matcher.points_text(lang)))
    return tree


def diff_table(delta: QuestionnaireDiff, lang: str) -> Table:
    ko = lang == "ko"
    old, new = delta.old, delta.new
    table = Table(title=f"{old.id} {old.version} → {new.id} {new.version}", title_justify="left")
    table.add_column("지표" if ko else "Indicator")
    table.add_column("변경" if ko else "Change")
    table.add_column("내용" if ko else "Details")
    for ident in delta.added:
        table.add_row(ident, Text("추가" if ko else "added", style="green"),
                      Text(new.indicator_by_id[ident].title.get(lang)))
    for ident in delta.removed:
        table.add_row(ident, Text("삭제" if ko else "removed", style="red"),
                      Text(old.indicator_by_id[ident].title.get(lang)))
    for change in delta.changed:
        details = "; ".join(f"{f}: {_short(change['old'][f], lang)} → {_short(change['new'][f], lang)}"
                            for f in change["fields"])
        table.add_row(change["indicator"], Text("변경" if ko else "changed", style="yellow"),
                      Text(details))
    for change in delta.area_changes:
        detail = change["change"]
        if detail == "weight":
            detail = f"weight {change['old']} → {change['new']}"
        table.add_row(change["area"], Text("영역" if ko else "area", style="yellow"), Text(detail))
    if delta.identical:
        table.add_row("—", "같음" if ko else "identical", "")
    return table


def _short(value: Any, lang: str) -> str:
    import json

    if isinstance(value, dict) and set(value) == {"ko", "en"}:
        value = value.get(lang) or value.get("ko") or value.get("en")
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"
