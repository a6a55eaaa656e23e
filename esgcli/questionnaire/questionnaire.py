"""Loading, checking and finding questionnaires (SPEC §2, §9 `-q`)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pydantic

from esgcli.base.labels import both
from esgcli.base.problems import InputError, Problem, did_you_mean
from esgcli.base.tokens import is_na, normalise
from esgcli.questionnaire.models import (
    AllOf,
    AnyOf,
    Area,
    ChecklistItem,
    ChecklistScale,
    ChoiceOption,
    Condition,
    Indicator,
    Leaf,
    NotOf,
    NumberScale,
    QuestionnaireModel,
    Scale,
    all_field_names,
)
from esgcli.questionnaire.scales import BUILTIN_SCALES, Matcher, ProfileValues, make_matcher
from esgcli.questionnaire.yamlsource import YamlDocument, load_yaml, pydantic_problems

DEFAULT_QUESTIONNAIRE = "supplier-esg"
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # esgcli/


@dataclass(frozen=True)
class Questionnaire:
    """A validated questionnaire with a compiled matcher per indicator."""

    model: QuestionnaireModel
    path: Path | None
    sha256: str
    matchers: dict[str, Matcher]

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def version(self) -> str:
        return self.model.version

    @property
    def language(self) -> str:
        return self.model.language

    @property
    def indicators(self) -> list[Indicator]:
        return self.model.indicators

    @property
    def areas(self) -> list[Area]:
        return self.model.areas

    @cached_property
    def area_ids(self) -> list[str]:
        return [a.id for a in self.model.areas]

    @cached_property
    def indicator_ids(self) -> list[str]:
        return [i.id for i in self.model.indicators]

    @cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.model.indicators}

    @cached_property
    def weights(self) -> np.ndarray:
        """Indicator weights, in indicator order."""
        return np.array([i.weight for i in self.model.indicators], dtype=np.float64)

    @cached_property
    def area_positions(self) -> np.ndarray:
        """For each indicator, the position of its area in `area_ids`."""
        position = {a: n for n, a in enumerate(self.area_ids)}
        return np.array([position[i.area] for i in self.model.indicators], dtype=np.int64)

    @cached_property
    def profile_values(self) -> dict[str, ProfileValues]:
        """Profile field id -> its declared values, for the fields that declare them."""
        return {p.id: ProfileValues(p) for p in self.model.profile if p.values}

    @property
    def area_weighted(self) -> bool:
        return any(a.weight is not None for a in self.model.areas)

    def title(self, lang: str) -> str:
        return self.model.title.get(lang)

    def to_ref(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "sha256": self.sha256}


def scale_of(model: QuestionnaireModel, indicator: Indicator) -> Scale | None:
    if indicator.answer is not None:
        return indicator.answer
    if indicator.scale is None:
        return None
    return model.scales.get(indicator.scale) or BUILTIN_SCALES.get(indicator.scale)


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load and check a questionnaire file; raise :class:`InputError` with every problem."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(code="WB-001", file=str(path))])
    doc, problems = load_yaml(path)
    if doc is None:
        raise InputError(problems)
    try:
        model = QuestionnaireModel.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        raise InputError(pydantic_problems(doc, exc, all_field_names())) from None
    problems = check_rules(doc, model)
    if problems:
        raise InputError(problems)
    matchers = {}
    for indicator in model.indicators:
        scale = scale_of(model, indicator)
        assert scale is not None  # check_rules guarantees it
        matchers[indicator.id] = make_matcher(scale)
    problems = _total_problems(doc, model, matchers)
    if problems:
        raise InputError(problems)
    return Questionnaire(model=model, path=path, sha256=doc.sha256, matchers=matchers)


def _total_problems(doc: YamlDocument, model: QuestionnaireModel,
                    matchers: dict[str, Any]) -> list[Problem]:
    """Weights × points must add up to finite numbers (rates are sums over them × 100):
    values near 1e308 would give infinite sums and null or zero rates."""
    problems: list[Problem] = []
    for area in model.areas:
        items = [(i, ind) for i, ind in enumerate(model.indicators) if ind.area == area.id]
        total = sum(ind.weight * matchers[ind.id].max_points for _, ind in items)
        weights = sum(ind.weight for _, ind in items) * (area.weight or 1.0)
        if items and not (math.isfinite(total * 100 * (area.weight or 1.0))
                          and math.isfinite(weights * 100)):
            problems.append(doc.problem("QST-023", ("indicators", items[0][0]), area=area.id,
                                        total=f"{total:.3g}"))
    area_total = sum(a.weight or 0.0 for a in model.areas)
    if not math.isfinite(area_total * 100):
        problems.append(doc.problem("QST-023", ("areas",), area="*", total=f"{area_total:.3g}"))
    return problems


def check_rules(doc: YamlDocument, model: QuestionnaireModel) -> list[Problem]:
    """The rules of SPEC §2 that span keys, each problem at its YAML line and key path."""
    problems: list[Problem] = []
    _unique(doc, problems, [(("areas", i, "id"), a.id) for i, a in enumerate(model.areas)])
    _unique(doc, problems, [(("profile", i, "id"), p.id) for i, p in enumerate(model.profile)])
    _unique(doc, problems,
            [(("indicators", i, "id"), ind.id) for i, ind in enumerate(model.indicators)])
    if model.grades is not None:
        seen: set[str] = set()
        for i, band in enumerate(model.grades.bands):
            if band.grade in seen:
                problems.append(doc.problem("QST-017", ("grades", "bands", i, "grade"),
                                            grade=band.grade))
            seen.add(band.grade)

    weights = [a.weight is not None for a in model.areas]
    if any(weights) and not all(weights):
        problems.append(doc.problem("QST-012", ("areas",)))

    for name, scale in model.scales.items():
        problems += _scale_problems(doc, scale, ("scales", name))
    declared = _profile_values(doc, model, problems)

    area_ids = [a.id for a in model.areas]
    profile = {p.id: p for p in model.profile}
    used_areas: set[str] = set()
    for i, indicator in enumerate(model.indicators):
        base: tuple[str | int, ...] = ("indicators", i)
        if indicator.area not in area_ids:
            problems.append(doc.problem("QST-003", (*base, "area"), name=indicator.area,
                                        hint=did_you_mean(indicator.area, area_ids)))
        used_areas.add(indicator.area)
        if (indicator.scale is None) == (indicator.answer is None):
            problems.append(doc.problem("QST-009", base))
        elif indicator.scale is not None:
            known = [*model.scales, *BUILTIN_SCALES]
            if indicator.scale not in known:
                problems.append(doc.problem("QST-002", (*base, "scale"), name=indicator.scale,
                                            hint=did_you_mean(indicator.scale, known)))
        else:
            assert indicator.answer is not None
            problems += _scale_problems(doc, indicator.answer, (*base, "answer"))
        if indicator.applies_if is not None:
            problems += _condition_problems(doc, indicator.applies_if, profile, declared,
                                            (*base, "applies_if"))
    for i, area in enumerate(model.areas):
        if area.id not in used_areas:
            problems.append(doc.problem("QST-005", ("areas", i), area=area.id))
    return problems


def _unique(doc: YamlDocument, problems: list[Problem],
            entries: list[tuple[tuple[str | int, ...], str]]) -> None:
    first: dict[str, tuple[str | int, ...]] = {}
    for path, value in entries:
        if value in first:
            line, _ = doc.locate(first[value])
            problems.append(doc.problem("QST-001", path, id=value, first=f"line {line}"))
        else:
            first[value] = path


def _scale_problems(doc: YamlDocument, scale: Scale,
                    path: tuple[str | int, ...]) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(scale, NumberScale):
        for j, rule in enumerate(scale.points):
            if rule.min is None and rule.max is None:
                problems.append(doc.problem("QST-014", (*path, "points", j)))
        if scale.range is not None and scale.range[0] > scale.range[1]:
            problems.append(doc.problem("QST-015", (*path, "range")))
    else:
        entries: Sequence[ChecklistItem | ChoiceOption] = (
            scale.items if isinstance(scale, ChecklistScale) else scale.options)
        key = "items" if isinstance(scale, ChecklistScale) else "options"
        for j, entry in enumerate(entries):
            if is_na(normalise(entry.value)):
                problems.append(doc.problem("QST-018", (*path, key, j, "value"),
                                            value=entry.value))
    matcher = make_matcher(scale)
    for token, _value, other in matcher.duplicates:
        problems.append(doc.problem("QST-008", path, value=token, other=other))
    if matcher.max_points <= 0:
        problems.append(doc.problem("QST-006", path))
    elif matcher.pass_points > matcher.max_points:
        problems.append(doc.problem("QST-007", (*path, "pass_points"),
                                    pass_points=matcher.pass_points,
                                    max_points=matcher.max_points))
    return problems


def _profile_values(doc: YamlDocument, model: QuestionnaireModel,
                    problems: list[Problem]) -> dict[str, ProfileValues]:
    """Check the declared values of profile fields; the usable ones by field id."""
    declared: dict[str, ProfileValues] = {}
    for i, field in enumerate(model.profile):
        if field.values is None:
            continue
        if field.type != "string":
            problems.append(doc.problem("QST-020", ("profile", i, "values"), name=field.id,
                                        type=field.type))
            continue
        values = ProfileValues(field)
        for token, value, other in values.duplicates:
            j = next(n for n, v in enumerate(field.values) if v.value == value)
            problems.append(doc.problem("QST-021", ("profile", i, "values", j), value=token,
                                        other=other))
        declared[field.id] = values
    return declared


def _condition_problems(doc: YamlDocument, condition: Condition, profile: dict[str, Any],
                        declared: dict[str, ProfileValues],
                        path: tuple[str | int, ...]) -> list[Problem]:
    if isinstance(condition, AllOf):
        return [p for j, c in enumerate(condition.all)
                for p in _condition_problems(doc, c, profile, declared, (*path, "all", j))]
    if isinstance(condition, AnyOf):
        return [p for j, c in enumerate(condition.any)
                for p in _condition_problems(doc, c, profile, declared, (*path, "any", j))]
    if isinstance(condition, NotOf):
        return _condition_problems(doc, condition.not_, profile, declared, (*path, "not"))
    assert isinstance(condition, Leaf)
    field = profile.get(condition.field)
    if field is None:
        return [doc.problem("QST-004", (*path, "field"), name=condition.field,
                            hint=did_you_mean(condition.field, profile))]
    is_list = isinstance(condition.value, list)
    if condition.op in ("in", "not_in") and not is_list:
        return [doc.problem("QST-010", (*path, "value"), op=condition.op)]
    if condition.op not in ("in", "not_in") and is_list:
        return [doc.problem("QST-011", (*path, "value"), op=condition.op)]
    values = condition.value if isinstance(condition.value, list) else [condition.value]
    for value in values:
        if not _fits(value, field.type):
            return [doc.problem("QST-013", (*path, "value"), value=value, name=field.id,
                                type=field.type)]
    known = declared.get(field.id)
    if known is None:
        return []
    problems = []
    for j, value in enumerate(values):
        if known.canonical(value) is None:
            where = (*path, "value", j) if is_list else (*path, "value")
            declared_values = [v.value for v in known.values]
            problems.append(doc.problem("QST-022", where, value=value, name=field.id,
                                        hint=did_you_mean(str(value), declared_values),
                                        allowed=", ".join(declared_values)))
    return problems


def _fits(value: Any, kind: str) -> bool:
    if kind in ("integer", "number"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str)


# ---------------------------------------------------------------- finding questionnaires


def search_dirs() -> list[Path]:
    """`./questionnaires/`, then the ones installed with the package (or the source tree)."""
    dirs = [Path.cwd() / "questionnaires", PACKAGE_DIR / "questionnaires",
            PACKAGE_DIR.parent / "questionnaires"]
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def declared(path: Path) -> tuple[str | None, str | None]:
    """(format, id) declared by a YAML file, without full validation."""
    doc, _ = load_yaml(path)
    if doc is None:
        return None, None
    fmt, ident = doc.data.get("format"), doc.data.get("id")
    return (fmt if isinstance(fmt, str) else None, ident if isinstance(ident, str) else None)


def iter_catalogue(fmt: str = "esg-questionnaire/1") -> Iterator[tuple[str, Path]]:
    """(id, path) of every file of format ``fmt`` in the search folders, first one wins."""
    seen: set[str] = set()
    for folder in search_dirs():
        for path in sorted(folder.glob("*.y*ml")):
            declared_fmt, ident = declared(path)
            if declared_fmt == fmt and ident and ident not in seen:
                seen.add(ident)
                yield ident, path


def looks_like_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref or Path(ref).is_file()


def find_file(ref: str, fmt: str = "esg-questionnaire/1") -> Path:
    """A path for an id or a path; InputError naming the ids available."""
    if looks_like_path(ref):
        return Path(ref)
    catalogue = dict(iter_catalogue(fmt))
    if ref in catalogue:
        return catalogue[ref]
    kind = both("kind.questionnaire" if fmt.startswith("esg-questionnaire") else "kind.policy")
    raise InputError([Problem(code="QST-016", params={
        "name": ref, "kind": kind, "available": ", ".join(sorted(catalogue)) or "-"})])


def resolve_questionnaire(ref: str | None) -> Questionnaire:
    """Load a questionnaire from a path or id (the bundled default when ``ref`` is None)."""
    return load_questionnaire(find_file(ref or DEFAULT_QUESTIONNAIRE))
