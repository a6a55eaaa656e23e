"""Independent work on forked processes, started now and collected later.

:class:`Forked` forks its processes the moment it is made, so work can start before the
command has loaded what it needs to use the results: `esg score FOLDER` starts opening the
replies before pandas is imported (`answers.opening.start_early`), and the processes inherit
only what was loaded when they were forked. Each process takes chunks of items from a shared
pipe as it becomes free and sends each chunk's results back through its own pipe; a thread per
process drains that pipe, so a process never waits for the command to be ready. A process that
dies (a native reader aborting on a hostile file) costs only the chunk it held: its chunk is
run again alone, then item by item, and an item that still kills its process gets
``crashed(item)`` as its result. Linux only (fork); callers check :func:`forks` first.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["Forked", "forks"]

_HEAD = 12  # a frame: chunk index (4 bytes), payload length (8), payload (pickled)
_END = -1


def forks() -> bool:
    """True where processes start by fork (Linux): they inherit what is loaded, at no cost."""
    import sys

    return sys.platform == "linux" and hasattr(os, "fork")


class Forked:
    """``[work(item) for item in items]`` (``work(shared, item)`` when ``shared`` is given) on
    ``workers`` processes forked now, in chunks of ``chunk`` items; :meth:`results` collects
    them in order. ``shared`` and ``work`` reach the processes by inheritance, never pickled;
    items and results are pickled. An exception raised by ``work`` is raised by
    :meth:`results`."""

    def __init__(self, work: Callable[..., Any], items: Sequence[Any], chunk: int, workers: int,
                 shared: Any = None, crashed: Callable[[Any], Any] | None = None) -> None:  # noqa: ANN401
        self.work, self.shared, self.crashed = work, shared, crashed
        self.chunk = max(1, chunk)
        self.chunks = [list(items[i: i + self.chunk]) for i in range(0, len(items), self.chunk)]
        self.total = len(items)
        self.arrived: queue.Queue[tuple[int, bytes]] = queue.Queue()
        self.pids: list[int] = []
        self.workers = min(workers, len(self.chunks))
        if self.workers:
            self._start(self.workers)

    def _start(self, workers: int) -> None:
        tasks_read, tasks_write = os.pipe()
        pipes = [os.pipe() for _ in range(workers)]
        try:
            for k, (_, write) in enumerate(pipes):
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child; tested through results()
                    os.close(tasks_write)
                    for j, (r, w) in enumerate(pipes):
                        os.close(r)
                        if j != k:
                            os.close(w)
                    self._serve(tasks_read, write)
                self.pids.append(pid)
        except OSError:  # no more processes: those started do the work
            if not self.pids:
                for fd in (tasks_read, tasks_write, *(fd for pair in pipes for fd in pair)):
                    os.close(fd)
                raise
            for read, write in pipes[len(self.pids):]:
                os.close(read)
                os.close(write)
            pipes = pipes[:len(self.pids)]
            self.workers = len(self.pids)
        os.close(tasks_read)
        for read, write in pipes:
            os.close(write)
            threading.Thread(target=self._drain, args=(read,), daemon=True).start()
        # the indexes, written once the processes read them: a pipe may hold only 8 KiB
        threading.Thread(target=_hand_out, args=(tasks_write, len(self.chunks)),
                         daemon=True).start()

    def _serve(self, tasks: int, out: int) -> None:  # pragma: no cover - runs in the child
        try:
            # what the parent made is set aside: collections here look only at this process's
            # own objects, and never write to (and so copy) the pages shared with the parent
            gc.freeze()
            gc.enable()
            null = os.open(os.devnull, os.O_WRONLY)  # a native reader's backtrace stays quiet
            os.dup2(null, 2)
            while True:
                raw = os.read(tasks, 4)  # 4-byte writes and reads: one index each, atomic
                if len(raw) < 4:
                    break
                k = int.from_bytes(raw, "little")
                try:
                    result: tuple[bool, Any] = (True, [self._call(item) for item in self.chunks[k]])
                    payload = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # noqa: BLE001 - raised again in the parent
                    payload = _pickled_error(exc)  # (Ctrl-C, or an exit, ends the process)
                frame = k.to_bytes(4, "little") + len(payload).to_bytes(8, "little") + payload
                view = memoryview(frame)
                while view:
                    view = view[os.write(out, view):]
        finally:
            os._exit(0)

    def _call(self, item: Any) -> Any:  # noqa: ANN401
        return self.work(item) if self.shared is None else self.work(self.shared, item)

    def _drain(self, fd: int) -> None:
        """Read one process's frames as they come (its pipe never fills); then reap it."""
        buffer = bytearray()
        try:
            while True:
                data = os.read(fd, 1 << 20)
                if not data:
                    break
                buffer += data
                while len(buffer) >= _HEAD:
                    size = int.from_bytes(buffer[4:_HEAD], "little")
                    if len(buffer) < _HEAD + size:
                        break
                    k = int.from_bytes(buffer[:4], "little")
                    self.arrived.put((k, bytes(buffer[_HEAD:_HEAD + size])))
                    del buffer[:_HEAD + size]
        finally:
            os.close(fd)
            self.arrived.put((_END, b""))  # a frame cut short is dropped: its chunk runs again

    def results(self, progress: Callable[[int, int], None] | None = None) -> list[Any]:
        """Every result, in the order of the items; ``progress(done, total)`` as they arrive."""
        got = dict(self._arrivals(progress))
        return [r for k in range(len(self.chunks)) for r in got[k]]

    def in_order(self, progress: Callable[[int, int], None] | None = None,
                 batch: int = 1) -> Iterator[list[Any]]:
        """The results in the order of the items, as they arrive: lists of consecutive results,
        each handed over once at least ``batch`` are ready and no more are waiting (the last
        one whatever its size), so a caller slower than the processes gets fewer, bigger
        lists. A caller that stops early stops the processes."""
        got: dict[int, list[Any]] = {}
        ready: list[Any] = []
        following = 0
        try:
            for k, value in self._arrivals(progress):
                got[k] = value
                while following in got:
                    ready += got.pop(following)
                    following += 1
                if len(ready) >= batch and self.arrived.empty():
                    yield ready
                    ready = []
            if ready:
                yield ready
        except GeneratorExit:
            self.stop()
            raise

    def _arrivals(self, progress: Callable[[int, int], None] | None
                  ) -> Iterator[tuple[int, list[Any]]]:
        """(chunk index, its results) as each chunk arrives; then the chunks of a process that
        died, run again (:meth:`_again`)."""
        seen: set[int] = set()
        done, ended = 0, 0
        while ended < self.workers:
            k, payload = self.arrived.get()
            if k == _END:
                ended += 1
                continue
            ok, value = _loaded(payload)
            if not ok:
                self.stop()
                raise value
            seen.add(k)
            done += len(value)
            if progress is not None:
                progress(done, self.total)
            yield k, value
        self._reap()
        for k, items in enumerate(self.chunks):  # chunks of a process that died: alone
            if k not in seen:
                again = self._again(items)
                done += len(items)
                if progress is not None:
                    progress(done, self.total)
                yield k, again

    def _again(self, items: list[Any]) -> list[Any]:
        part = _alone(self, items)
        if part is not None:
            return part
        out: list[Any] = []
        for item in items:
            one = _alone(self, [item])
            if one is None:
                if self.crashed is None:
                    raise RuntimeError("a worker process died") from None
                one = [self.crashed(item)]
            out += one
        return out

    def _reap(self) -> None:
        for pid in self.pids:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.pids = []

    def stop(self) -> None:
        """Stop every process now (their results are not wanted)."""
        import signal

        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._reap()


def _alone(parent: Forked, items: list[Any]) -> list[Any] | None:
    """``items`` in one fresh process; None when that process dies."""
    one = Forked(parent.work, items, len(items), 1, parent.shared)
    arrived: list[Any] | None = None
    try:
        while True:
            k, payload = one.arrived.get()
            if k == _END:
                break
            ok, value = _loaded(payload)
            if not ok:
                raise value
            arrived = value
    finally:
        one.stop()
    return arrived


def _hand_out(fd: int, count: int) -> None:
    """Write the chunk indexes (4 bytes each) to the task pipe, then close it: the processes
    read until it is empty. A pipe that nobody reads any more (all died) ends the writing."""
    data = memoryview(b"".join(k.to_bytes(4, "little") for k in range(count)))
    try:
        while data:
            data = data[os.write(fd, data[:4096]):]
    except OSError:
        pass
    finally:
        os.close(fd)


def _loaded(payload: bytes) -> tuple[bool, Any]:
    """A frame's (ok, value); an exception that cannot be made again here becomes a
    RuntimeError saying what it was (never an error of unpickling in its place)."""
    try:
        loaded: tuple[bool, Any] = pickle.loads(payload)
    except Exception as exc:  # noqa: BLE001
        return False, RuntimeError(f"a worker's result could not be read: {exc}")
    return loaded


def _pickled_error(exc: BaseException) -> bytes:  # pragma: no cover - runs in the child
    try:
        return pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception that does not pickle
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
