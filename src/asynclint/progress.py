"""A progress line on a terminal for runs that take a while.

`asynclint` on a large tree may work for a minute without a word; on a
terminal, once a run has taken `DELAY` seconds, stderr shows one line,
rewritten in place: the files checked so far out of the total, the time
spent, and the slowest phase so far (finding the files, reading the cache,
checking, fixing). It is cleared before anything else is printed, and
never shown when stderr is not a terminal (pipes, files, CI logs), for CI
output formats, or with `-q`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

DELAY = 1.0  # seconds before the line appears: quick runs stay silent
INTERVAL = 0.2  # seconds between updates


class Progress:
    """The run's phases and files (for `-v` too), and the line on `stream`
    when one is given."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.total = 0
        self.done = 0
        self.cached = 0  # of them, results from the cache
        self.phases: dict[str, float] = {}  # phase -> seconds spent in it
        self._current: tuple[str, float] | None = None
        self._shown = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if stream is not None:
            self._thread = threading.Thread(target=self._run, name="asynclint-progress", daemon=True)
            self._thread.start()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time a phase of the run."""
        start = time.monotonic()
        previous = self._current
        self._current = (name, start)
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.monotonic() - start
            self._current = previous

    def add_files(self, count: int) -> None:
        self.total += count

    def file_done(self, cached: bool = False) -> None:
        self.done += 1
        self.cached += cached

    def clear(self) -> None:
        """Clear the line (something else is about to be printed); the next update redraws it."""
        with self._lock:
            if self._shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self._shown = False

    def line(self) -> str:
        """`checked 120/400 files, 3.4 s; slowest: checking (2.9 s)`."""
        spent = dict(self.phases)
        if self._current is not None:
            name, start = self._current
            spent[name] = spent.get(name, 0.0) + time.monotonic() - start
        text = f"asynclint: checked {self.done}/{self.total} files, {time.monotonic() - self.started:.1f} s"
        if spent:
            slowest = max(spent, key=spent.__getitem__)
            text += f"; slowest: {slowest} ({spent[slowest]:.1f} s)"
        return text

    def _run(self) -> None:
        if self._stop.wait(DELAY):
            return
        while True:
            with self._lock:
                if self._stop.is_set():
                    return
                self.stream.write("\r\033[K" + self.line())
                self.stream.flush()
                self._shown = True
            if self._stop.wait(INTERVAL):
                return

    def close(self) -> None:
        """Stop, and clear the line if it was shown."""
        if self._thread is None:
            return
        with self._lock:
            self._stop.set()
            if self._shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
        self._thread.join()
        self._thread = None
