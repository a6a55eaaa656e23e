"""The `esg` executable: start opening the replies (or reading the big workbook) before the
heavy imports, and leave
without tearing down the interpreter (freeing a big result object by object takes ~0.1 s)."""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def main() -> None:
    try:
        code = _run()
    except KeyboardInterrupt:  # Ctrl-C while Python loads the command: no traceback
        code = 130
    # Every output file is complete and closed (atomic writes, committed registry) by now;
    # only the standard streams may hold buffered text.
    _leave(code)


def _run() -> int:
    tune_runtime()
    gc.disable()  # loading makes objects that live as long as the process: see loaded()
    from esgcli.cli.early import open_early

    if not open_early(sys.argv):  # a folder of replies: opened while the command loads
        from esgcli.answers.fastread.prefetch import maybe_start

        maybe_start(sys.argv, _read_ahead)  # one big workbook: its sheet read while it loads
    from esgcli.cli.app import main as cli_main

    loaded()
    try:
        cli_main()
    except SystemExit as exc:
        return _exit_code(exc.code)
    return 0


def _leave(code: int) -> None:
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


def loaded() -> None:
    """The garbage collector, off while Python loads the command (modules, classes, pydantic's
    validators: ~0.1 s of the ~0.9 s of loading went to collections that found nothing to
    free), on again with what was loaded set aside for good (`gc.freeze`): later collections
    look only at the objects the command makes."""
    gc.freeze()
    gc.enable()


def tune_runtime() -> None:
    """Three settings of the C runtime, made before numpy and pyarrow are loaded (measured on a
    100,000-row sheet read in parts on two cores):

    - OpenBLAS on one thread: the matrix products of scoring already run on a thread per block
      of rows, and OpenBLAS's own threads spun while they waited (~4% of the samples).
    - glibc's malloc keeps freed memory for reuse instead of returning every big buffer to the
      OS (the XML pieces, the parts and the numpy temporaries of the checks were mapped and
      unmapped again and again): system time 2.3 -> 1.5 s, for ~50 MB more at the peak.
      Environment settings of the user (MALLOC_*_) win: mallopt is then not called.
    - Arrow allocates with that malloc too (its default, mimalloc, gave the pages of the read's
      columns back and faulted them in again, zeroed): system time 2.0 -> 1.4 s and ~90 MB
      less at the peak, alternated four times on the pandas twin. A user's
      ARROW_DEFAULT_MEMORY_POOL wins."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    if not sys.platform.startswith("linux") or any(k.startswith("MALLOC_") for k in os.environ):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 1 << 30)
        libc.mallopt(M_TRIM_THRESHOLD, 1 << 30)
    except (OSError, AttributeError):  # not glibc: its own defaults
        pass


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


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
