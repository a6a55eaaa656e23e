"""Rich rendering of results and problems for the terminal."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from esgcli.base.coded import Coded
from esgcli.base.formatting import num, pct
from esgcli.base.labels import label as label_text
from esgcli.base.problems import Problem, errors_of, template_of, warnings_of
from esgcli.base.tokens import display
from esgcli.cli.fit import Column, Fitted, Kind, fit_table
from esgcli.cli.visible import Lines, VisibleHook
from esgcli.engine.explain import answer_read
from esgcli.engine.scoring import ScoreResult
from esgcli.questionnaire.diff import QuestionnaireDiff
from esgcli.questionnaire.diff_text import change_lines, plain_value
from esgcli.questionnaire.questionnaire import Questionnaire

TABLE_ROW_LIMIT = 150


def label(key: str, lang: str) -> str:
    """A column header of the terminal tables (base.labels `table.*`)."""
    return label_text(f"table.{key}", lang)


def render_problems(console: Console, problems: list[Problem], lang: str,
                    limit: int | None = 30, show_warnings: bool = True) -> None:
    """Errors first, then warnings, each on one line; summarised beyond ``limit``."""
    errors, warnings = errors_of(problems), warnings_of(problems)
    for kind, items, style in (("error", errors, "red"), ("warning", warnings, "yellow")):
        if kind == "warning" and not show_warnings:
            continue
        shown = items if limit is None else items[:limit]
        tag = label_text(f"cli.{kind}", lang)
        if shown:
            console.print(Lines(((f"{tag} {p.code} ", p.message(lang)) for p in shown), style),
                          soft_wrap=True)
        if len(items) > len(shown):
            codes = Counter(p.code for p in items[len(shown):])
            rest = ", ".join(f"{c} ×{n}" for c, n in codes.most_common())
            console.print(Text(template_of("CLI-010", lang).format(
                count=len(items) - len(shown), rest=rest)), soft_wrap=True)


def problem_count_line(problems: list[Problem], lang: str) -> str:
    return template_of("CLI-011", lang).format(errors=len(errors_of(problems)),
                                               warnings=len(warnings_of(problems)))


def score_table(result: ScoreResult, lang: str, limit: int = TABLE_ROW_LIMIT,
                width: int = 200) -> Fitted:
    """Suppliers with their rates, fitted to ``width``: critical failures by id when there is
    room, else counted (`--explain` shows them); area columns give way first."""
    areas = result.area_ids
    q = result.questionnaire
    n = min(len(result), limit)
    records = result.records.iloc[:n]
    ids = q.indicator_ids
    failed = [[ids[j] for j in np.flatnonzero(result.critical_failed[i])] for i in range(n)]
    columns = [
        Column(label("supplier_id", lang), _texts(records["supplier_id"]), "key",
               short_header=label("supplier_id_short", lang)),
        Column(label("supplier_name", lang), _texts(records["supplier_name"]), "name"),
        Column(label("round", lang), _texts(records["round"]), "key"),
        Column(label("compliance", lang), [Text(pct(result.compliance[i])) for i in range(n)],
               justify="right"),
        Column(label("score", lang), [Text(num(result.score[i])) for i in range(n)],
               justify="right", drop=1),
    ]
    if q.model.grades is not None:
        columns.append(Column(label("grade", lang), [Text(result.grade[i] or "—") for i in range(n)],
                              justify="center", drop=2))
    for a, area in enumerate(areas):
        columns.append(Column(area, [Text(pct(result.area_compliance[i, a])) for i in range(n)],
                              justify="right", drop=4))
    columns.append(Column(
        label("critical", lang), [_red(str(len(f)) if f else "") for f in failed],
        drop=3, short_header=label("critical_short", lang),
        wide=[_red(", ".join(f)) for f in failed]))
    return fit_table(columns, width, title=q.title(lang))


def _texts(values: Any) -> list[Text]:
    return [Text("" if v is None else str(v)) for v in values]


def _red(text: str) -> Text:
    return Text(text, style="red") if text else Text("—")


def dropped_note(console: Console, dropped: list[str], lang: str) -> None:
    """The note naming the columns a narrow terminal left out (TBL-001)."""
    if dropped:
        render_problems(console, [Problem(code="TBL-001", severity="warning",
                                          params={"columns": ", ".join(dropped)})], lang)


def summary_table(result: ScoreResult, lang: str, width: int = 200) -> Fitted:
    rounds = list(dict.fromkeys(result.records["round"].tolist()))
    groups: list[tuple[str, ScoreResult]] = []
    if len(rounds) > 1:
        for r in rounds:
            groups.append((str(r), result.select((result.records["round"] == r).to_numpy())))
    else:
        groups.append((str(rounds[0]) if rounds and rounds[0] else label("all", lang), result))
    summaries = [(name, part.summary()) for name, part in groups]
    columns = [
        Column(label("round", lang), [Text(name) for name, _ in summaries], "key"),
        Column(label("suppliers", lang), [Text(str(s["suppliers"])) for _, s in summaries],
               justify="right"),
        Column(label("compliance", lang), [Text(pct(s["compliance_mean"])) for _, s in summaries],
               justify="right"),
        Column(label("score", lang), [Text(num(s["score_mean"])) for _, s in summaries],
               justify="right", drop=1),
    ]
    for area in result.area_ids:
        columns.append(Column(
            f"{area} {label('compliance', lang)}",
            [Text(pct(s["areas"][area]["compliance_mean"])) for _, s in summaries],
            justify="right", drop=2, short_header=f"{area}\n{label('compliance', lang)}",
            group="areas"))
    return fit_table(columns, width, title=label("summary", lang))


def explain_table(result: ScoreResult, raw: Coded, i: int, lang: str, width: int = 200) -> Fitted:
    """One record indicator by indicator: answer typed, read as, points, compliant, why."""
    q = result.questionnaire
    rec = result.records.iloc[i]
    title = f"{rec['supplier_id']} {rec['supplier_name'] or ''} · {rec['round'] or ''}".strip()
    overall = (f"{label('compliance', lang)} {pct(result.compliance[i])} · "
               f"{label('score', lang)} {num(result.score[i])}")
    if q.model.grades is not None:
        overall += f" · {label('grade', lang)} {result.grade[i] or '—'}"
    rows: list[tuple[Text, ...]] = []
    for j, indicator in enumerate(q.indicators):
        detail = result.indicator_detail(i, j)
        matcher = q.matchers[indicator.id]
        typed = display(raw.value(i, j))
        read = ""
        if detail["status"] == "not_applicable":
            assert indicator.applies_if is not None
            why = label_text("excluded", lang).format(
                condition=condition_words(indicator.applies_if, q, lang))
            mark, points = Text("—"), "—"
        elif detail["status"] == "na":
            why = label_text("na_excluded", lang)
            mark, points, read = Text("—"), "—", answer_read(matcher, detail, lang) or ""
        else:
            points = f"{detail['points']:g}/{detail['max_points']:g}"
            read = answer_read(matcher, detail, lang) or ""
            if detail["missing"]:
                why = label_text("blank_fails", lang)
            else:
                key = "passes" if detail["compliant"] else "fails_points"
                why = label_text(key, lang).format(points=f"{matcher.pass_points:g}")
            mark = Text("✓", style="green") if detail["compliant"] else Text("✗", style="red")
            if indicator.critical and not detail["compliant"]:
                why += " · " + label("critical", lang)
        rows.append((Text(indicator.id), Text(indicator.title.get(lang)), Text(typed), Text(read),
                     Text(points), mark, Text(why)))
    kinds: list[tuple[str, Kind, str, int]] = [
        ("indicator", "key", "left", 0), ("title", "text", "left", 0), ("answer", "text", "left", 0),
        ("read_as", "text", "left", 2), ("points", "number", "right", 0),
        ("compliant", "key", "left", 0), ("why", "text", "left", 0)]
    # the reason stays on one line; titles and answers wrap instead
    columns = [Column(label(key, lang), [r[k] for r in rows], kind, justify=justify,  # type: ignore[arg-type]
                      drop=drop, lines=key == "why") for k, (key, kind, justify, drop) in enumerate(kinds)]
    return fit_table(columns, width, title=f"{title}\n{overall}")


_OPS = {"==": "=", "!=": "≠", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def condition_words(condition: Any, q: Questionnaire, lang: str) -> str:
    """`applies_if` in the reader's words: profile titles for field ids (`상시근로자 수 ≥ 50`)."""
    from esgcli.questionnaire.models import AllOf, AnyOf, Leaf, NotOf

    if isinstance(condition, (AllOf, AnyOf)):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        joiner = label_text("cond_and" if isinstance(condition, AllOf) else "cond_or", lang)
        return f" {joiner} ".join(f"({condition_words(c, q, lang)})" for c in parts)
    if isinstance(condition, NotOf):
        return label_text("cond_not", lang).format(condition=condition_words(condition.not_, q, lang))
    assert isinstance(condition, Leaf)
    fields = {p.id: p for p in q.model.profile}
    field = fields.get(condition.field)
    name = field.title.get(lang) if field is not None and field.title else condition.field
    # a declared value in the reader's words: its label (`제조업`), not the stored `manufacturing`
    labels = {v.value: v.label.get(lang) for v in (field.values or []) if v.label} \
        if field is not None else {}
    value = condition.value
    if isinstance(value, list):
        key = "cond_in" if condition.op == "in" else "cond_not_in"
        return label_text(key, lang).format(
            field=name, values=", ".join(str(labels.get(str(v)) or v) for v in value))
    return f"{name} {_OPS.get(condition.op, condition.op)} {labels.get(str(value)) or value}"


def make_console(stderr: bool = False) -> Console:
    """Rich console; piped output (no terminal, no COLUMNS) gets room for whole tables."""
    import os
    import sys

    stream = sys.stderr if stderr else sys.stdout
    piped = not (hasattr(stream, "isatty") and stream.isatty())
    width = 160 if piped and "COLUMNS" not in os.environ else None
    # markup and emoji codes off: every string printed may hold input text (`[/]`, `:x:`)
    console = Console(stderr=stderr, highlight=False, soft_wrap=False, width=width, markup=False,
                      emoji=False)
    console.push_render_hook(VisibleHook())  # control characters from input: shown, not obeyed
    return console


def questionnaire_tree(q: Questionnaire, lang: str) -> Tree:
    """Areas, then indicators with their answers, points, pass rule and flags."""
    def word(key: str) -> str:
        return label_text(f"cli.tree.{key}", lang)

    title = Text(f"{q.title(lang)} — {q.id} {q.version}", style="bold")
    tree = Tree(title)
    if q.model.based_on:
        tree.add(Text(f"{word('based_on')}: {q.model.based_on.get(lang)}", style="dim"))
    if q.model.profile:
        label = word("profile")
        fields = [f"{p.id}{' ' + p.title.get(lang) if p.title else ''} ({word('type.' + p.type)})"
                  for p in q.model.profile]  # the id the workbook's header takes, and its title
        if not q.profile_values:
            tree.add(Text(f"{label}: {', '.join(fields)}"))
        else:  # one line per field, with its declared values as `value (label)` in `lang`
            branch = tree.add(Text(label))
            for p, text in zip(q.model.profile, fields, strict=True):
                values = q.profile_values.get(p.id)
                branch.add(Text(text + (f": {values.expected_values(lang)}" if values else "")))
    for area in q.areas:
        items = [i for i in q.indicators if i.area == area.id]
        weight = f", {word('weight')} {area.weight:g}" if area.weight else ""
        branch = tree.add(Text(f"{area.id} {area.title.get(lang)} ({len(items)}{weight})",
                               style="bold"))
        for ind in items:
            matcher = q.matchers[ind.id]
            flags = []
            if ind.weight != 1:
                flags.append(f"{word('weight')} {ind.weight:g}")
            if ind.critical:
                flags.append(word("critical"))
            if ind.na_allowed:
                flags.append(word("na_allowed"))
            if ind.applies_if is not None:
                flags.append(f"{word('applies_if')} {condition_words(ind.applies_if, q, lang)}")
            head = Text(f"{ind.id} {ind.title.get(lang)}")
            if flags:
                head.append(f"  [{'; '.join(flags)}]", style="yellow")
            node = branch.add(head)
            rule = (f"{word('kind.' + matcher.kind)} · {word('max')} {matcher.max_points:g} · "
                    f"{word('pass')} ≥ {matcher.pass_points:g}")
            node.add(Text(rule, style="dim"))
            node.add(Text(matcher.points_text(lang)))
    return tree


def diff_table(delta: QuestionnaireDiff, lang: str) -> Table:
    def word(key: str) -> str:
        return label_text(f"cli.diff.{key}", lang)

    old, new = delta.old, delta.new
    table = Table(title=f"{old.id} {old.version} → {new.id} {new.version}", title_justify="left")
    for key in ("indicator", "change", "details"):
        table.add_column(word(key))
    for ident in delta.added:
        table.add_row(ident, Text(word("added"), style="green"),
                      Text(new.indicator_by_id[ident].title.get(lang)))
    for ident in delta.removed:
        table.add_row(ident, Text(word("removed"), style="red"),
                      Text(old.indicator_by_id[ident].title.get(lang)))
    for change in delta.changed:
        table.add_row(change["indicator"], Text(word("changed"), style="yellow"),
                      Text("\n".join(change_lines(change, lang))))
    for change in delta.area_changes:
        detail = change["change"]
        if detail == "weight":
            detail = f"{label_text('diff_weight', lang)}: {plain_value(change['old'], lang)} → " \
                     f"{plain_value(change['new'], lang)}"
        else:
            detail = label_text(f"diff_{detail}", lang)
        table.add_row(change["area"], Text(word("area"), style="yellow"), Text(detail))
    if delta.identical:
        table.add_row("—", word("identical"), "")
    return table


def short_path(path: str) -> str:
    """A path relative to the current folder when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path
