"""Text from input, escaped for HTML (never interpreted: SPEC §10)."""

from __future__ import annotations

import html
from typing import Any


def e(value: Any) -> str:
    """``value`` as HTML text, quotes included (safe in attributes too)."""
    return html.escape("" if value is None else str(value), quote=True)
