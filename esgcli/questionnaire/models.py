"""pydantic models of the questionnaire file, `format: esg-questionnaire/1` (SPEC §2).

The models check the shape of each key; rules that span keys (references, uniqueness,
reachability) live in :mod:`esgcli.questionnaire.questionnaire` so that all of them are reported at once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

Points = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Number = Annotated[float, Field(allow_inf_nan=False)]
OptionValue = StrictStr | StrictInt | StrictFloat


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Strict):
    """A text in Korean and English; a plain string stands for both."""

    ko: StrictStr | None = None
    en: StrictStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"ko": value, "en": value}
        return value

    @model_validator(mode="after")
    def _one_language(self) -> LocalText:
        if not (self.ko or self.en):
            # coded, so the problem is said in the catalogue's words (yamlsource.TEXT_EMPTY, SCH-011)
            raise PydanticCustomError("esg_text_empty", "give the text in ko or en")
        return self

    def get(self, lang: str) -> str:
        text = self.ko if lang == "ko" else self.en
        return text or self.ko or self.en or ""

    def texts(self) -> list[str]:
        return [t for t in dict.fromkeys((self.ko, self.en)) if t]


class ProfileValue(Strict):
    """A value a `string` profile field may take, matched like a choice option (SPEC §2)."""

    value: StrictStr
    label: LocalText | None = None
    aliases: list[StrictStr | StrictInt | StrictFloat] = []


class ProfileField(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    type: Literal["integer", "number", "string", "boolean"] = "string"
    title: LocalText | None = None
    values: Annotated[list[ProfileValue], Field(min_length=1)] | None = None


class Area(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]
    title: LocalText
    weight: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None


class ChoiceOption(Strict):
    value: OptionValue
    label: LocalText | None = None
    points: Points
    aliases: list[StrictStr | StrictInt | StrictFloat] = []


class ChoiceScale(Strict):
    type: Literal["choice"]
    options: Annotated[list[ChoiceOption], Field(min_length=1)]
    pass_points: Points | None = None


class ChecklistItem(Strict):
    value: OptionValue
    label: LocalText | None = None
    points: Points = 1
    aliases: list[StrictStr | StrictInt | StrictFloat] = []


class ChecklistScale(Strict):
    type: Literal["checklist"]
    items: Annotated[list[ChecklistItem], Field(min_length=1)]
    pass_points: Points | None = None


class NumberRule(Strict):
    min: Number | None = None
    max: Number | None = None
    points: Points


class NumberScale(Strict):
    type: Literal["number"]
    unit: StrictStr | None = None
    range: tuple[Number, Number] | None = None
    points: Annotated[list[NumberRule], Field(min_length=1)]
    pass_points: Points | None = None


Scale = Annotated[ChoiceScale | ChecklistScale | NumberScale, Field(discriminator="type")]

Op = Literal["==", "!=", ">", ">=", "<", "<=", "in", "not_in"]


class Leaf(Strict):
    field: StrictStr
    op: Op
    value: StrictStr | StrictInt | StrictFloat | bool | list[StrictStr | StrictInt | StrictFloat]


class AllOf(Strict):
    all: Annotated[list[Condition], Field(min_length=1)]


class AnyOf(Strict):
    any: Annotated[list[Condition], Field(min_length=1)]


class NotOf(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    not_: Condition = Field(alias="not")


def _condition_kind(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "leaf"
    if isinstance(value, BaseModel):
        return {AllOf: "all", AnyOf: "any", NotOf: "not"}.get(type(value), "leaf")
    return "leaf"


Condition = Annotated[
    Annotated[Leaf, Tag("leaf")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")],
    Discriminator(_condition_kind),
]
AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()


class Indicator(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9_.-]*$")]
    area: StrictStr
    title: LocalText
    category: LocalText | None = None
    question: LocalText | None = None
    scale: StrictStr | None = None
    answer: Scale | None = None
    weight: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 1.0
    critical: bool = False
    na_allowed: bool = False
    applies_if: Condition | None = None


class GradeBand(Strict):
    grade: Annotated[str, Field(min_length=1)]
    min: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class Grades(Strict):
    metric: Literal["compliance", "score"] = "compliance"
    bands: Annotated[list[GradeBand], Field(min_length=1)]


class QuestionnaireModel(Strict):
    format: Literal["esg-questionnaire/1"]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: StrictStr
    title: LocalText
    description: LocalText | None = None
    based_on: LocalText | None = None
    language: Literal["ko", "en"] = "ko"
    missing: Literal["non_compliant", "error"] = "non_compliant"
    profile: list[ProfileField] = []
    areas: Annotated[list[Area], Field(min_length=1)]
    scales: dict[StrictStr, Scale] = {}
    indicators: Annotated[list[Indicator], Field(min_length=1)]
    grades: Grades | None = None


def all_field_names() -> set[str]:
    """Every key any model accepts (for 'did you mean' hints)."""
    names: set[str] = {"not"}
    for model in (LocalText, ProfileValue, ProfileField, Area, ChoiceOption, ChoiceScale, ChecklistItem,
                  ChecklistScale, NumberRule, NumberScale, Leaf, AllOf, AnyOf, Indicator,
                  GradeBand, Grades, QuestionnaireModel):
        names.update(model.model_fields)
    names.discard("not_")
    return names
