"""Problems found in input files: one catalogue of codes, Korean and English messages.

Loaders never raise on the first problem: they collect :class:`Problem` objects and the
caller raises one :class:`InputError` holding all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from esgcli.base.catalogue import CATALOGUE
from esgcli.base.labels import in_lang, label

Lang = Literal["ko", "en"]
Severity = Literal["error", "warning"]

def template_of(code: str, lang: str) -> str:
    """The catalogue's text of ``code`` in ``lang``, its ``{fields}`` not yet filled in."""
    return in_lang(CATALOGUE[code], lang)


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    code: str
    severity: Severity = "error"
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None  # Excel reference such as "D7"
    row: int | None = None  # Excel row number (1-based) or YAML line
    column: int | None = None  # 1-based column (Excel) or YAML column
    path: str | None = None  # YAML key path such as "indicators[3].scale"
    supplier_id: str | None = None
    indicator: str | None = None
    value: Any = None
    params: Mapping[str, Any] = field(default_factory=dict)
    record: int | None = None  # position of the answer row the problem belongs to
    # further answer rows it stands for: a problem counting a column's cells past those listed
    # one by one covers their rows, each of which is as invalid as a row with its own problem
    covers: tuple[int, ...] = ()

    def records(self) -> tuple[int, ...]:
        """Every answer row this problem belongs to (none: it is of the file or a header)."""
        return () if self.record is None else (self.record, *self.covers)

    def renumbered(self, position: Mapping[int, int]) -> Problem | None:
        """This problem with its rows renumbered by ``position`` (rows not in it dropped);
        None when none of its rows is left. A problem of no row is kept as it is."""
        if self.record is None:
            return self
        kept = tuple(position[r] for r in self.records() if r in position)
        if not kept:
            return None
        if kept == self.records():
            return self
        return replace(self, record=kept[0], covers=kept[1:])

    def shifted(self, offset: int) -> Problem:
        """This problem with its rows moved down by ``offset`` (files read one after another)."""
        if self.record is None or not offset:
            return self
        return replace(self, record=self.record + offset,
                       covers=tuple(r + offset for r in self.covers))

    def placed(self, file: str | None, sheet: str | None) -> Problem:
        """This problem named by another file and sheet: ``replace(self, file=..., sheet=...)``
        without dataclasses.replace's work per field (a campaign moves thousands of problems
        from the stacked sheet to the file each came from)."""
        moved = object.__new__(Problem)
        moved.__dict__.update(self.__dict__)
        moved.__dict__["file"], moved.__dict__["sheet"] = file, sheet
        return moved

    def text(self, lang: str = "ko") -> str:
        """The message without its location."""
        template = template_of(self.code, lang)
        params = {k: (v.get(lang, "") if isinstance(v, dict) and "en" in v else v)
                  for k, v in self.params.items()}
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return f"{template} {dict(self.params)}"

    def location(self, lang: str = "ko") -> str:
        """`file › sheet › D7 (E-1-1)` for workbooks, `file:41:7 path` for YAML."""
        if self.sheet is not None or self.cell is not None:
            place = self.cell
            if place is None and self.row is not None:
                place = label("place.row", lang, row=self.row)
            parts = [p for p in (self.file, self.sheet, place) if p]
            loc = " › ".join(parts)
            extra = [x for x in (self.supplier_id, self.indicator) if x]
            return f"{loc} ({', '.join(extra)})" if extra else loc
        loc = self.file or ""
        if self.row is not None:
            loc += f":{self.row}"
            if self.column is not None:
                loc += f":{self.column}"
        if self.path:
            loc = f"{loc} {self.path}" if loc else self.path
        return loc

    def message(self, lang: str = "ko") -> str:
        loc = self.location(lang)
        return f"{loc}: {self.text(lang)}" if loc else self.text(lang)

    def to_dict(self, lang: str = "ko") -> dict[str, Any]:
        value = self.value
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "path": self.path,
            "supplier_id": self.supplier_id,
            "indicator": self.indicator,
            "value": value,
            "message": self.message(lang),
        }


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


class EsgError(Exception):
    """Base of the errors the command line turns into exit codes."""

    exit_code = 1


class InputError(EsgError):
    """Invalid input (questionnaire, policy or answers): exit 3, every problem listed."""

    exit_code = 3

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = errors_of(problems)
        first = errors[0].message("en") if errors else "invalid input"
        super().__init__(f"{len(errors)} error(s); first: {first}")

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a worker process, again in the command
        return (type(self), (self.problems,))


class RegistryError(EsgError):
    """The certificate registry cannot be used: exit 4. ``code`` is a REG-* catalogue code
    (with its params); any other text is shown as it is."""

    exit_code = 4

    def __init__(self, code: str, **params: Any):
        self.code, self.params = code, params
        super().__init__(self.text("en"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_registry_error, (type(self), self.code, self.params))

    def text(self, lang: str) -> str:
        if self.code not in CATALOGUE:
            return self.code
        return template_of(self.code, lang).format(**self.params)


class UsageError(EsgError):
    """A command was asked for something it cannot do with these arguments: exit 2."""

    exit_code = 2

    def __init__(self, ko: str, en: str, code: str | None = None):
        self.ko, self.en, self.code = ko, en, code
        super().__init__(en)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.ko, self.en, self.code))

    @classmethod
    def of(cls, code: str, **params: Any) -> UsageError:
        """The catalogue's message ``code`` (USE-…) with ``params``."""
        ko, en = CATALOGUE[code]
        return cls(ko.format(**params), en.format(**params), code)

    def text(self, lang: str) -> str:
        return in_lang((self.ko, self.en), lang)


def usage_problem(code: str, **params: Any) -> UsageError:
    """A usage error (exit 2) whose text comes from the catalogue, code first."""
    problem = Problem(code=code, params=params)
    return UsageError(f"{code} {problem.text('ko')}", f"{code} {problem.text('en')}", code)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` hint, or an empty string."""
    import difflib

    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (→ '{match[0]}'?)" if match else ""


def _registry_error(cls: type[RegistryError], code: str, params: dict[str, Any]) -> RegistryError:
    """A RegistryError made again from its code and params (unpickling)."""
    return cls(code, **params)
