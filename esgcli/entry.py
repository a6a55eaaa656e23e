"""The `esg` executable: start prefetching the workbook before the heavy imports."""

from __future__ import annotations

import sys


def main() -> None:
    from .prefetch import maybe_start

    maybe_start(sys.argv)
    from .cli import main as cli_main

    cli_main()
