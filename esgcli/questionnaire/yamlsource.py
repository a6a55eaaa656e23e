"""Safe YAML loading that remembers where every key came from.

PyYAML composes the node graph (no object construction, no tags beyond the standard scalars);
we build plain Python data from it ourselves, recording ``key path -> (line, column)``, refusing
duplicate keys and bounding alias expansion.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from esgcli.base.labels import both
from esgcli.base.problems import Problem, did_you_mean

MAX_NODES = 200_000
MAX_BYTES = 5_000_000
MAX_DEPTH = 50  # nesting of lists and mappings (a questionnaire needs about 10)
_SAFE_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

Path_ = tuple[str | int, ...]


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class YamlDocument:
    """Plain data of a YAML file with the position of every node."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]]
    sha256: str

    def locate(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column of the longest prefix of ``path`` that exists."""
        for end in range(len(path), -1, -1):
            mark = self.marks.get(tuple(path[:end]))
            if mark:
                return mark
        return None, None

    def problem(self, code: str, path: Path_, value: Any = None, **params: Any) -> Problem:
        line, column = self.locate(path)
        if value is not None:  # the message templates name it too (`{value!r}`)
            params = {"value": value, **params}
        return Problem(code=code, file=self.file, row=line, column=column,
                       path=format_path(path) or None, value=value, params=params)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.loader = yaml.SafeLoader("")
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def _problem(self, code: str, node: yaml.Node, path: Path_, **params: Any) -> None:
        self.problems.append(Problem(
            code=code, file=self.file, row=node.start_mark.line + 1,
            column=node.start_mark.column + 1, path=format_path(path) or None, params=params))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                self._problem("YML-003", node, path, tag=node.tag)
                return None
            result: dict[Any, Any] = {}
            first_lines: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._problem("YML-003", key_node, path, tag="<<")
                    continue
                key = self.build(key_node, path)
                if isinstance(key, (list, dict)) or key is None:
                    self._problem("SCH-013", key_node, path)
                    continue
                if key in result:
                    self._problem("YML-002", key_node, (*path, key), key=key,
                                  first_line=first_lines[key])
                    continue
                first_lines[key] = key_node.start_mark.line + 1
                self.marks[(*path, key)] = (key_node.start_mark.line + 1,
                                            key_node.start_mark.column + 1)
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._problem("YML-003", node, path, tag=node.tag)
                return None
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag not in _SAFE_SCALAR_TAGS:
            self._problem("YML-003", node, path, tag=node.tag)
            return None
        return self.loader.construct_object(node, deep=True)


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        self.mark = mark


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than MAX_DEPTH while it composes (PyYAML
    composes recursively: a deep file would otherwise end in RecursionError)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _compose(text: str) -> Any:
    """The node graph of ``text``: by libyaml when PyYAML has it and the nesting is within
    MAX_DEPTH (about ten times faster, the same nodes and marks: tested), else by the
    pure-Python loader, which also composes every text libyaml refuses, so that errors are
    worded and located as always."""
    if getattr(yaml, "__with_libyaml__", False) and _within_depth(text):
        try:
            return yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_BoundedLoader)


def _within_depth(text: str) -> bool:
    """True when no list or mapping of ``text`` is nested deeper than MAX_DEPTH (libyaml's
    events, no recursion); False too when libyaml cannot parse it."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return False
    return True


def load_yaml(path: Path) -> tuple[YamlDocument | None, list[Problem]]:
    """Read and parse a YAML file; problems instead of exceptions."""
    file = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(code="YML-006", file=file, params={"detail": exc.strerror or exc})]
    if len(raw) > MAX_BYTES:
        return None, [Problem(code="YML-004", file=file, params={"limit": MAX_BYTES})]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(code="YML-006", file=file,
                              params={"detail": f"not UTF-8 at byte {exc.start}"})]
    try:
        node = _compose(text)
    except _TooDeep as exc:
        return None, [Problem(code="YML-007", file=file, row=exc.mark.line + 1,
                              column=exc.mark.column + 1, params={"limit": MAX_DEPTH})]
    except RecursionError:  # belt and braces: the scanner's own recursion
        return None, [Problem(code="YML-007", file=file, params={"limit": MAX_DEPTH})]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        detail = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        return None, [Problem(code="YML-001", file=file,
                              row=mark.line + 1 if mark else None,
                              column=mark.column + 1 if mark else None,
                              params={"detail": parser_words(detail)})]
    except yaml.YAMLError as exc:
        return None, [Problem(code="YML-001", file=file, params={"detail": parser_words(str(exc))})]
    if node is None:
        return None, [Problem(code="YML-005", file=file)]
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    except _TooLarge:
        return None, [Problem(code="YML-004", file=file, params={"limit": MAX_NODES})]
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        return None, [Problem(code="YML-001", file=file, params={"detail": str(exc)})]
    if builder.problems:
        return None, builder.problems
    if not isinstance(data, dict):
        return None, [Problem(code="YML-005", file=file, row=1, column=1)]
    doc = YamlDocument(file=file, data=data, marks=builder.marks,
                       sha256=hashlib.sha256(raw).hexdigest())
    return doc, []


def pydantic_problems(doc: YamlDocument, exc: Any, known_keys: Iterable[str] = ()) -> list[Problem]:
    """Turn a pydantic ValidationError into located problems, each in the catalogue's words
    (Korean and English) with its line, key path and the value found; a kind of error we do
    not know yet is SCH-001, which still names the path and the value (never pydantic's text)."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    wrong_type: dict[str, tuple[int, list[dict[str, str]]]] = {}  # a union: one line for all
    for err in exc.errors(include_url=False):
        path = _data_path(doc.data, err["loc"])
        problem = schema_problem(doc, path, err, known_keys)
        key = (problem.path or "", problem.text("en"))
        if key in seen:
            continue
        seen.add(key)
        if problem.code == "SCH-004":
            if key[0] in wrong_type:
                wrong_type[key[0]][1].append(problem.params["expected"])
                continue
            wrong_type[key[0]] = (len(problems), [problem.params["expected"]])
        problems.append(problem)
    for k, kinds in wrong_type.values():
        if len(kinds) > 1:  # `text, a whole number, or a list` / `텍스트, 정수, 목록`
            expected = {"ko": ", ".join(t["ko"] for t in kinds),
                        "en": ", ".join(t["en"] for t in kinds[:-1]) + ", or " + kinds[-1]["en"]}
            problems[k] = replace(problems[k], params={**problems[k].params, "expected": expected})
    return problems


_TYPES = {  # pydantic error type -> what the value should have been (labels schema.*)
    "string_type": "text", "string_unicode": "text",
    "int_type": "integer", "int_parsing": "integer", "int_from_float": "integer",
    "float_type": "number", "float_parsing": "number", "decimal_type": "number",
    "finite_number": "finite",
    "bool_type": "boolean", "bool_parsing": "boolean",
    "list_type": "list", "tuple_type": "list", "set_type": "list",
    "dict_type": "mapping", "model_type": "mapping", "model_attributes_type": "mapping",
    "dataclass_type": "mapping",
}
_BOUNDS = {"greater_than": ("gt", ">"), "greater_than_equal": ("ge", "≥"),
           "less_than": ("lt", "<"), "less_than_equal": ("le", "≤")}


def schema_problem(doc: YamlDocument, path: Path_, err: Mapping[str, Any],
                   known_keys: Iterable[str] = ()) -> Problem:
    """One pydantic error (``err`` of ``ValidationError.errors()``) as a catalogue problem."""
    kind, ctx, value = str(err["type"]), err.get("ctx") or {}, err.get("input")
    shown = shown_value(value)
    if kind == "extra_forbidden":
        name = str(path[-1]) if path else "?"
        return doc.problem("SCH-002", path, key=name, hint=did_you_mean(name, known_keys))
    if kind == "missing":
        return doc.problem("SCH-003", path)
    if kind in _TYPES:
        return doc.problem("SCH-004", path, value, shown=shown, expected=both(f"schema.{_TYPES[kind]}"))
    if kind in _BOUNDS:
        name, sign = _BOUNDS[kind]
        return doc.problem("SCH-005", path, value, shown=shown, bound=f"{sign} {_number(ctx.get(name))}")
    if kind == "multiple_of":
        return doc.problem("SCH-005", path, value, shown=shown,
                           bound=f"× {_number(ctx.get('multiple_of'))}")
    if kind in ("literal_error", "enum"):
        return doc.problem("SCH-006", path, value, shown=shown, allowed=_choices(ctx.get("expected")))
    if kind == "union_tag_invalid":  # `type: slider` of an answer: point at the key itself
        key = str(ctx.get("discriminator", "")).strip("'")
        tag = ctx.get("tag")
        return doc.problem("SCH-006", (*path, key) if key else path, tag, shown=shown_value(tag),
                           allowed=_choices(ctx.get("expected_tags")))
    if kind == "union_tag_not_found":
        key = str(ctx.get("discriminator", "")).strip("'")
        return doc.problem("SCH-012", path, key=key)
    if kind == "string_pattern_mismatch":
        return doc.problem("SCH-007", path, value, shown=shown, pattern=ctx.get("pattern", "?"))
    if kind == "too_short":
        return doc.problem("SCH-008", path, value, count=ctx.get("actual_length", 0),
                           min=ctx.get("min_length", 1))
    if kind == "string_too_short":
        return doc.problem("SCH-009", path, value, shown=shown, min=ctx.get("min_length", 1))
    if kind in ("too_long", "string_too_long"):
        return doc.problem("SCH-010", path, value, max=ctx.get("max_length", "?"))
    if kind == TEXT_EMPTY:
        return doc.problem("SCH-011", path, value)
    return doc.problem("SCH-001", path, value, shown=shown, kind=kind)


TEXT_EMPTY = "esg_text_empty"  # models.LocalText: neither ko nor en given (a PydanticCustomError)
SHOWN_MAX = 60


def shown_value(value: Any) -> str:
    """A value as the YAML had it, short: `'heavy'`, `-1`, `true`, `null`, `{E: Env}`."""
    if isinstance(value, str):
        text = repr(value)
    elif value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = {float("inf"): ".inf", float("-inf"): "-.inf"}.get(value, _number(value))
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {shown_value(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(shown_value(v) for v in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX - 1] + "…"


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _choices(expected: Any) -> str:
    """pydantic's `'a', 'b' or 'c'` as `a, b, c`."""
    parts = re.split(r", | or ", str(expected or ""))
    return ", ".join(p.strip().strip("'") for p in parts if p.strip()) or "-"


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """Map pydantic's loc (with union tags and validator names) onto a real data path."""
    path: list[str | int] = []
    current = data
    for part in loc:
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and not _looks_like_tag(part):
            path.append(part)  # a missing or extra key named in the error
            current = None
    return tuple(path)


def _looks_like_tag(part: str) -> bool:
    return "[" in part or part in {"choice", "checklist", "number", "leaf", "all", "any", "not",
                                   "str", "int", "float", "bool", "LocalText", "dict[str,str]"}


# The YAML parser's own words (PyYAML says them in English), in Korean where we know them
_PARSER_WORDS = [
    (r"while parsing a flow sequence", "흐름 목록 [ … ]을 읽는 중에"),
    (r"while parsing a flow mapping", "흐름 매핑 { … }을 읽는 중에"),
    (r"while parsing a block mapping", "블록 매핑을 읽는 중에"),
    (r"while parsing a block collection", "블록 목록을 읽는 중에"),
    (r"while scanning a simple key", "키를 읽는 중에"),
    (r"while scanning a quoted scalar", "따옴표 문자열을 읽는 중에"),
    (r"while scanning a block scalar", "여러 줄 문자열을 읽는 중에"),
    (r"while scanning an? (alias|anchor)", "별칭·앵커를 읽는 중에"),
    (r"while parsing a block node", "블록 값을 읽는 중에"),
    (r"while scanning for the next token", "다음 토큰을 읽는 중에"),
    (r"expected ',' or '\]', but got (.+)", r"',' 또는 ']'이(가) 와야 하는데 \1이(가) 있습니다"),
    (r"expected ',' or '\}', but got (.+)", r"',' 또는 '}'이(가) 와야 하는데 \1이(가) 있습니다"),
    (r"expected <block end>, but found (.+)", r"블록이 끝나야 하는데 \1이(가) 있습니다"),
    (r"expected <block mapping start>, but found (.+)", r"매핑이 와야 하는데 \1이(가) 있습니다"),
    (r"mapping values are not allowed here", "여기에는 '키: 값'을 쓸 수 없습니다"),
    (r"could not find expected ':'", "':'이(가) 없습니다"),
    (r"found character (.+?) that cannot start any token", r"토큰을 시작할 수 없는 문자 \1이(가) 있습니다"),
    (r"found unexpected end of stream", "파일이 중간에 끝났습니다"),
    (r"found unknown escape character (.+)", r"알 수 없는 이스케이프 문자 \1"),
    (r"found undefined alias (.+)", r"정의되지 않은 별칭 \1"),
]


def parser_words(detail: str) -> dict[str, str]:
    """The YAML parser's message for both languages (a Problem param): English as it said
    it, Korean with the phrases known here put in Korean."""
    import re

    korean = detail
    for english, words in _PARSER_WORDS:
        korean = re.sub(english, words, korean)
    return {"ko": korean, "en": detail}
