"""Answer scales compiled into matchers: one distinct cell value -> status, points, answer.

A matcher is built once per scale; the answer reader calls it once per *distinct* spelling in
a column (SPEC §3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from esgcli.base import labels
from esgcli.base.tokens import (
    NO_TOKENS,
    NONE_TOKENS,
    YES_TOKENS,
    format_number,
    normalise,
    parse_number,
    split_checklist,
)
from esgcli.questionnaire.models import (
    ChecklistScale,
    ChoiceOption,
    ChoiceScale,
    LocalText,
    NumberScale,
    ProfileField,
    Scale,
)

MISSING, NA, ANSWERED, INVALID = 0, 1, 2, 3

YES_NO = ChoiceScale(
    type="choice",
    options=[
        ChoiceOption(value="yes", label=LocalText(ko="예", en="Yes"), points=1, aliases=list(YES_TOKENS)),
        ChoiceOption(value="no", label=LocalText(ko="아니오", en="No"), points=0, aliases=list(NO_TOKENS)),
    ],
    pass_points=1,
)
BUILTIN_SCALES: dict[str, Scale] = {"yes_no": YES_NO}


@dataclass(frozen=True)
class Parsed:
    """What one distinct cell value means for one indicator."""

    status: int
    points: float = 0.0
    answer: str | None = None
    code: str | None = None  # problem code when status is INVALID
    params: dict[str, Any] = field(default_factory=dict)


def _value_text(value: Any) -> str:
    return format_number(float(value)) if isinstance(value, (int, float)) else str(value)


def label(label: LocalText | None, value: Any, lang: str) -> str:
    text = _value_text(value)
    if label is None:
        return text
    shown = label.get(lang)
    return shown if normalise(shown) == normalise(text) else f"{text} ({shown})"


# Characters typed for a yes/no mark that look like an accepted one (suggested, never accepted)
# (keyed as normalised: NFKC turns the jamo `ㅇ` into U+110B)
LOOKALIKES = {normalise(k): v for k, v in
              {"ㅇ": "o", "✓": "o", "✔": "o", "✗": "x", "✕": "x"}.items()}
_NUMBER_IN_TEXT = re.compile(r"[+-]?\d+(?:\.\d+)?")


def squeeze(token: str) -> str:
    """A token without white space: `전담 조직` and `전담조직` meet here."""
    return "".join(token.split())


def spaced_lookup(lookup: dict[str, int]) -> dict[str, int]:
    """Tokens keyed without white space, kept only where exactly one option has that key."""
    found: dict[str, set[int]] = {}
    for token, index in lookup.items():
        found.setdefault(squeeze(token), set()).add(index)
    return {key: next(iter(indexes)) for key, indexes in found.items() if len(indexes) == 1}


def suggestion(token: str, shown: dict[str, str]) -> str:
    """` (→ 'O'?)` for an unknown answer close to an accepted spelling, else ``""``.

    ``shown`` maps every accepted (normalised) token to the spelling to show. Tried in order:
    a look-alike mark (`ㅇ` for `O`), the one number inside the text (`3단계` → `3`), a close
    spelling."""
    import difflib

    candidates: list[str] = []
    if token in LOOKALIKES:
        candidates.append(LOOKALIKES[token])
    numbers = _NUMBER_IN_TEXT.findall(token)
    if len(numbers) == 1:
        candidates.append(normalise(numbers[0]))
    candidates += difflib.get_close_matches(token, list(shown), n=1, cutoff=0.75)
    for candidate in candidates:
        if candidate in shown and candidate != token:
            return f" (→ '{shown[candidate]}'?)"
    return ""


def _shown(written: Any) -> str:
    text = _value_text(written)
    return text.upper() if len(text) == 1 and text.isascii() and text.isalpha() else text


class Matcher:
    """Base: max points, pass points and what a valid answer looks like."""

    kind: str
    max_points: float
    pass_points: float
    duplicates: list[tuple[str, str, str]]  # (token, option, other option)

    def parse(self, raw: Any) -> Parsed:  # pragma: no cover - abstract
        raise NotImplementedError

    def expected(self, lang: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def choices(self, lang: str) -> list[str]:
        """Answers offered in a dropdown (empty for free input)."""
        return []

    def points_text(self, lang: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def answer_text(self, answer: str, lang: str) -> str:
        """A parsed answer (`yes`, `manager, ppe`, `3`) in the reader's words (`예`, `책임자, ppe`)."""
        return answer


class ChoiceMatcher(Matcher):
    kind = "choice"

    def __init__(self, scale: ChoiceScale):
        self.scale = scale
        self.lookup: dict[str, int] = {}
        self.shown: dict[str, str] = {}
        self.duplicates = []
        for index, option in enumerate(scale.options):
            written = [option.value, *option.aliases, *(option.label.texts() if option.label else [])]
            for raw in written:
                token = normalise(raw)
                other = self.lookup.get(token)
                if other is not None and other != index:
                    self.duplicates.append((token, _value_text(option.value),
                                            _value_text(scale.options[other].value)))
                elif other is None:
                    self.lookup[token] = index
                    self.shown[token] = _shown(raw)
        self.squeezed = spaced_lookup(self.lookup)
        self.max_points = max(o.points for o in scale.options)
        self.pass_points = self.max_points if scale.pass_points is None else scale.pass_points

    def parse(self, raw: Any) -> Parsed:
        token = normalise(raw)
        index = self.lookup.get(token)
        if index is None:
            index = self.squeezed.get(squeeze(token))
        if index is None:
            return Parsed(INVALID, code="ANS-001", params={"hint": suggestion(token, self.shown)})
        option = self.scale.options[index]
        return Parsed(ANSWERED, float(option.points), _value_text(option.value))

    def expected(self, lang: str) -> str:
        if self.scale is YES_NO:
            return labels.label("scale.yes_no", lang)
        return ", ".join(label(o.label, o.value, lang) for o in self.scale.options)

    def points_text(self, lang: str) -> str:
        return ", ".join(f"{label(o.label, o.value, lang)} = {o.points:g}" for o in self.scale.options)

    def answer_text(self, answer: str, lang: str) -> str:
        for option in self.scale.options:
            if _value_text(option.value) == answer:
                return option.label.get(lang) if option.label else answer
        return answer

    def choices(self, lang: str) -> list[str]:
        if self.scale is YES_NO:
            return [labels.label("yes", lang), labels.label("no", lang)]
        return [o.label.get(lang) if o.label else _value_text(o.value) for o in self.scale.options]


class ChecklistMatcher(Matcher):
    kind = "checklist"

    def __init__(self, scale: ChecklistScale):
        self.scale = scale
        self.lookup: dict[str, int] = {}
        self.shown: dict[str, str] = {}
        self.duplicates = []
        for index, item in enumerate(scale.items):
            written = [item.value, *item.aliases, *(item.label.texts() if item.label else [])]
            for raw in written:
                token = normalise(raw)
                other = self.lookup.get(token)
                if other is not None and other != index:
                    self.duplicates.append((token, _value_text(item.value),
                                            _value_text(scale.items[other].value)))
                elif other is None:
                    self.lookup[token] = index
                    self.shown[token] = _shown(raw)
        self.squeezed = spaced_lookup(self.lookup)
        self.max_points = float(sum(i.points for i in scale.items))
        self.pass_points = self.max_points if scale.pass_points is None else scale.pass_points

    def parse(self, raw: Any) -> Parsed:
        token = normalise(raw)
        if token in NONE_TOKENS:
            return Parsed(ANSWERED, 0.0, "none")
        parts = split_checklist(token)
        found: list[int] = []
        for part in parts:
            key = normalise(part)
            if key in NONE_TOKENS:
                return Parsed(INVALID, code="ANS-005", params={"none": part})
            index = self.lookup.get(key)
            if index is None:
                index = self.squeezed.get(squeeze(key))
            if index is None:
                return Parsed(INVALID, code="ANS-001", params={"hint": suggestion(key, self.shown)})
            if index in found:
                return Parsed(INVALID, code="ANS-004", params={"item": part})
            found.append(index)
        if not found:
            return Parsed(INVALID, code="ANS-001", params={"hint": ""})
        found.sort()
        points = float(sum(self.scale.items[i].points for i in found))
        answer = ", ".join(_value_text(self.scale.items[i].value) for i in found)
        return Parsed(ANSWERED, points, answer)

    def points_text(self, lang: str) -> str:
        return ", ".join(f"{label(i.label, i.value, lang)} +{i.points:g}" for i in self.scale.items)

    def answer_text(self, answer: str, lang: str) -> str:
        if answer == "none":
            return labels.label("scale.none", lang)
        names = {_value_text(i.value): i.label.get(lang) if i.label else _value_text(i.value)
                 for i in self.scale.items}
        return ", ".join(names.get(part, part) for part in answer.split(", "))

    def expected(self, lang: str) -> str:
        items = "; ".join(label(i.label, i.value, lang) for i in self.scale.items)
        return labels.label("scale.checklist", lang, items=items)


class NumberMatcher(Matcher):
    kind = "number"

    def __init__(self, scale: NumberScale):
        self.scale = scale
        self.duplicates = []
        self.max_points = max(r.points for r in scale.points)
        self.pass_points = self.max_points if scale.pass_points is None else scale.pass_points

    def parse(self, raw: Any) -> Parsed:
        number = parse_number(raw)
        if number is None:
            return Parsed(INVALID, code="ANS-008")
        if self.scale.range is not None:
            low, high = self.scale.range
            if not low <= number <= high:
                return Parsed(INVALID, code="ANS-003",
                              params={"low": format_number(low), "high": format_number(high)})
        return Parsed(ANSWERED, self.points_for(number), format_number(number))

    def answer_text(self, answer: str, lang: str) -> str:
        return f"{answer}{self.scale.unit}" if self.scale.unit == "%" else \
            f"{answer} {self.scale.unit}" if self.scale.unit else answer

    def points_for(self, number: float) -> float:
        for rule in self.scale.points:
            if (rule.min is None or number >= rule.min) and (rule.max is None or number <= rule.max):
                return float(rule.points)
        return 0.0

    def points_text(self, lang: str) -> str:
        unit = self.scale.unit or ""
        parts = []
        for rule in self.scale.points:
            low = f"≥ {format_number(rule.min)}{unit}" if rule.min is not None else ""
            high = f"≤ {format_number(rule.max)}{unit}" if rule.max is not None else ""
            parts.append(f"{' and '.join(p for p in (low, high) if p)} = {rule.points:g}")
        return ", ".join(parts) + labels.label("scale.otherwise_zero", lang)

    def expected(self, lang: str) -> str:
        unit = f" {self.scale.unit}" if self.scale.unit else ""
        if self.scale.range is not None:
            low, high = (format_number(x) for x in self.scale.range)
            return labels.label("scale.number_range", lang, low=low, high=high, unit=unit)
        return labels.label("scale.number", lang, unit=unit)


class ProfileValues:
    """The declared values of a `string` profile field (SPEC §2), matched like choice options:
    the value, any label in any language or any alias, after §3 normalisation. The canonical
    form is the normalised declared value, the form applicability compares."""

    def __init__(self, field: ProfileField):
        self.field = field
        self.values = field.values or []
        self.lookup: dict[str, int] = {}
        self.duplicates: list[tuple[str, str, str]] = []  # (token, value, other value)
        for index, entry in enumerate(self.values):
            spellings = [entry.value, *entry.aliases, *(entry.label.texts() if entry.label else [])]
            for token in dict.fromkeys(normalise(s) for s in spellings):
                other = self.lookup.get(token)
                if other is not None and other != index:
                    self.duplicates.append((token, entry.value, self.values[other].value))
                elif other is None:
                    self.lookup[token] = index

    def canonical(self, raw: Any) -> str | None:
        """The normalised declared value ``raw`` stands for, or None."""
        index = self.lookup.get(normalise(raw))
        return None if index is None else normalise(self.values[index].value)

    def choices(self, lang: str) -> list[str]:
        """One spelling per value, in ``lang`` (the label, else the value): a template's dropdown."""
        return [e.label.get(lang) if e.label else e.value for e in self.values]

    def shown(self, raw: Any, lang: str) -> Any:
        """``raw`` as the dropdown shows its value in ``lang``; unchanged if it matches none."""
        index = self.lookup.get(normalise(raw))
        return raw if index is None else self.choices(lang)[index]

    def expected(self, lang: str) -> str:
        return ", ".join(self.choices(lang))

    def expected_values(self, lang: str) -> str:
        """`value (label)` for each value: what an `applies_if` names, and what a supplier sees."""
        return ", ".join(label(e.label, e.value, lang) for e in self.values)

    def close_matches(self, raw: Any, lang: str, n: int = 3) -> list[str]:
        """The values whose spellings are close to ``raw`` (difflib), shown as in the dropdown."""
        import difflib

        found = difflib.get_close_matches(normalise(raw), list(self.lookup), n=len(self.lookup),
                                          cutoff=0.5)
        shown = self.choices(lang)
        return list(dict.fromkeys(shown[self.lookup[token]] for token in found))[:n]


def make_matcher(scale: Scale) -> Matcher:
    if isinstance(scale, ChoiceScale):
        return ChoiceMatcher(scale)
    if isinstance(scale, ChecklistScale):
        return ChecklistMatcher(scale)
    return NumberMatcher(scale)
