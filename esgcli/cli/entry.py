"""The `esg` executable: start opening the replies (or reading the big workbook) before the
heavy imports, and leave
without tearing down the interpreter (freeing a big result object by object takes ~0.1 s)."""

from __future__ import annotations

import contextlib
import os
import sys


def main() -> None:
    from esgcli.cli.early import open_early

    if not open_early(sys.argv):  # a folder of replies: opened while the command loads
        from esgcli.answers.fastread.prefetch import maybe_start

        maybe_start(sys.argv, _read_ahead)  # one big workbook: its sheet read while it loads
    from esgcli.cli.app import main as cli_main

    try:
        cli_main()
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    # Every output file is complete and closed (atomic writes, committed registry) by now;
    # only the standard streams may hold buffered text.
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # a closed pipe (`esg … | head`)
        pass
    except (OSError, ValueError) as exc:  # a full disk: the result is incomplete
        from esgcli.base.problems import Problem
        from esgcli.cli.lang import language_in_args

        detail = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
        text = Problem(code="OUT-008", params={"detail": detail}).text(
            language_in_args(sys.argv[1:]) or "ko")
        with contextlib.suppress(OSError, ValueError):
            print(f"OUT-008 {text}", file=sys.stderr)
        code = code or 2
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def _read_ahead(path: object, box: dict[str, object]) -> None:
    """On the prefetch's thread: the fast-read modules load there, not before the command."""
    from esgcli.answers.fastread.route import read_ahead

    read_ahead(path, box)  # type: ignore[arg-type]


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
