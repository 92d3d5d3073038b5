"""Running a per-file task in worker processes, surviving a worker that dies.

A worker can die outright, not by an exception the engine catches: a crash
in native code (libcst's parser is native), the kernel's out-of-memory
killer, `os._exit` in a library. `concurrent.futures` then breaks the whole
pool and every file not finished yet is lost. Here each worker notes in
shared memory which file it is on; when the pool breaks, the files the
workers were on are run again each in a process of its own (the one that
dies again is reported as lost, with how its process ended), and the other
unfinished files go to a new pool.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

# The file (its index + 1, 0 for none) each worker is on, by worker slot.
_on: object = None
_slot = -1


def run_in_pool(
    task: Callable[[str], object],
    files: list[str],
    workers: int,
    chunk: int,
    initializer: Callable[..., None],
    initargs: tuple,
    lost: Callable[[str, str], object],
    on_done: Callable[[], None] | None = None,
) -> list:
    """`task(path)` for each file, in this order; `lost(path, how)` for a
    file whose process died twice while on it; `on_done` told of each file
    done (a progress line)."""
    context = multiprocessing.get_context()
    results: dict[int, object] = {}
    todo = list(range(len(files)))
    while todo:
        on = context.Array("q", workers, lock=False)
        slots = context.Value("i", 0)
        parts = [todo[start : start + chunk] for start in range(0, len(todo), chunk)]
        broken = False
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(on, slots, initializer, initargs)
        ) as pool:
            futures = [pool.submit(_run_part, task, [(index, files[index]) for index in part]) for part in parts]
            for part, future in zip(parts, futures):
                try:
                    results.update(zip(part, future.result()))
                except BrokenProcessPool:
                    broken = True
                else:
                    for _ in part if on_done is not None else ():
                        on_done()
        if not broken:
            break
        suspects = sorted({index - 1 for index in on if index and index - 1 not in results})
        if not suspects:  # a worker died before starting on a file: finish here
            initializer(*initargs)
            results.update((index, task(files[index])) for index in todo if index not in results)
            break
        for index in suspects:
            results[index] = _alone(task, files[index], initializer, initargs, lost)
        todo = [index for index in todo if index not in results]
    return [results[index] for index in range(len(files))]


def _start_worker(on, slots, initializer: Callable[..., None], initargs: tuple) -> None:
    global _on, _slot
    with slots.get_lock():
        _slot = slots.value
        slots.value += 1
    _on = on
    initializer(*initargs)


def _run_part(task: Callable[[str], object], part: list[tuple[int, str]]) -> list:
    out = []
    for index, path in part:
        if 0 <= _slot < len(_on):
            _on[_slot] = index + 1
        out.append(task(path))
    if 0 <= _slot < len(_on):
        _on[_slot] = 0
    return out


def _alone(task, path: str, initializer, initargs: tuple, lost: Callable[[str, str], object]) -> object:
    """The task for one file in a process of its own: its result, or `lost`
    with how the process ended when it died."""
    context = multiprocessing.get_context()
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_run_alone, args=(sending, task, path, initializer, initargs), daemon=True)
    process.start()
    sending.close()
    try:
        result = receiving.recv()
    except EOFError:  # the process ended without sending its result
        result = None
    process.join()
    receiving.close()
    if process.exitcode == 0 and result is not None:
        return result
    return lost(path, _ending(process.exitcode))


def _run_alone(sending, task, path: str, initializer, initargs: tuple) -> None:
    initializer(*initargs)
    sending.send(task(path))
    sending.close()


def _ending(exitcode: int | None) -> str:
    """How a process ended, in words."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"
