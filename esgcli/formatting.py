"""How rates and changes are shown everywhere (terminal, HTML, Markdown): one decimal, units."""

from __future__ import annotations

import math


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
