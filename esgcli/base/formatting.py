"""How rates and changes are shown everywhere (terminal, HTML, Markdown): one decimal, units."""

from __future__ import annotations

import math
from typing import Any


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(value: float | None) -> str:
    """`72.5%`, or `—` for a null rate."""
    return "—" if _missing(value) else f"{value:.1f}%"


def num(value: float | None) -> str:
    return "—" if _missing(value) else f"{value:.1f}"


def pp(value: float | None, lang: str = "ko") -> str:
    """A change in percentage points: `+43.9%p` in Korean, `+43.9 pp` in English."""
    if _missing(value):
        return "—"
    return f"{value:+.1f}%p" if lang == "ko" else f"{value:+.1f} pp"


def rel(value: float | None) -> str:
    """A relative change: `+99.8%`."""
    return "—" if _missing(value) else f"{value:+.1f}%"


CRITERION = {
    "compliance_min": ("준수율", "compliance"), "score_min": ("점수", "score"),
    "no_critical_failures": ("중대 미준수", "critical failures"),
    "max_missing": ("미응답", "missing answers"), "grades": ("등급", "grade"),
    "improvement_min_pp": ("향상도", "improvement"),
}


def failure_text(f: dict[str, Any], lang: str) -> str:
    """A failed certification criterion with required and actual value: `E 준수율 30.0% < 40%`."""
    ko, en = CRITERION[f["criterion"]]
    name = ko if lang == "ko" else en
    if f["area"]:
        name = f"{f['area']} {name}"
    actual, required = f["actual"], f["required"]
    if f["criterion"] in ("compliance_min", "score_min"):
        return f"{name} {pct(actual)} < {required:g}%"
    if f["criterion"] == "improvement_min_pp":
        unit = "%p" if lang == "ko" else " pp"
        return f"{name} {pp(actual, lang)} < {required:+g}{unit}"
    if f["criterion"] == "no_critical_failures":
        return f"{name}: {', '.join(actual)}"
    if f["criterion"] == "max_missing":
        return f"{name} {actual} > {required}"
    return f"{name} {actual} ∉ {', '.join(required)}"
