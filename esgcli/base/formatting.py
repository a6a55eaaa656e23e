"""How rates and changes are shown everywhere (terminal, HTML, Markdown): one decimal, units."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from esgcli.base.labels import label


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(value: float | None) -> str:
    """`72.5%`, or `—` for a null rate."""
    return "—" if _missing(value) else f"{value:.1f}%"


def num(value: float | None) -> str:
    return "—" if _missing(value) else f"{value:.1f}"


def pp(value: float | None, lang: str) -> str:
    """A change in percentage points: `+43.9%p` in Korean, `+43.9 pp` in English."""
    if _missing(value):
        return "—"
    return f"{value:+.1f}{label('unit.pp', lang)}"


def rel(value: float | None) -> str:
    """A relative change: `+99.8%`."""
    return "—" if _missing(value) else f"{value:+.1f}%"


def failure_text(f: dict[str, Any], lang: str) -> str:
    """A failed certification criterion with required and actual value: `E 준수율 30.0% < 40%`."""
    name = label(f"criterion.{f['criterion']}", lang)
    if f["area"]:
        name = f"{f['area']} {name}"
    actual, required = f["actual"], f["required"]
    if f["criterion"] in ("compliance_min", "score_min"):
        return f"{name} {pct(actual)} < {required:g}%"
    if f["criterion"] == "improvement_min_pp":
        return f"{name} {pp(actual, lang)} < {required:+g}{label('unit.pp', lang)}"
    if f["criterion"] == "no_critical_failures":
        return f"{name}: {', '.join(actual)}"
    if f["criterion"] == "max_missing":
        return f"{name} {actual} > {required}"
    return f"{name} {actual} ∉ {', '.join(required)}"


def few_names(names: Sequence[str], limit: int = 3) -> str:
    """The first ``limit`` of ``names`` joined, and how many more: `a, b, c … (+4)`."""
    shown = ", ".join(names[:limit])
    return shown + (f" … (+{len(names) - limit})" if len(names) > limit else "")
