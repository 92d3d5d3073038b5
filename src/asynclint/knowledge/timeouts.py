"""Timeouts and cancellation: which calls take a timeout, which context
managers time out, which exceptions carry cancellation."""

from __future__ import annotations

from asynclint.knowledge import libraries

# Calls that wait forever without a timeout (requests, google-genai) -> (library, its timeout).
TIMEOUT_REQUIRED = libraries.TIMEOUT_REQUIRED

# Calls where an explicit `timeout=None` switches a default timeout off.
TIMEOUT_NONE_DISABLES: frozenset[str] = libraries.TIMEOUT_CALLS
# ... and those of them whose timeout is given as another keyword (`request_timeout=`).
TIMEOUT_KEYWORDS: dict[str, str] = libraries.TIMEOUT_KEYWORDS
# The bytes a file making one of these calls contains (a rule's trigger): their top-level modules.
TIMEOUT_TRIGGER: bytes = "|".join(sorted({call.partition(".")[0] for call in TIMEOUT_NONE_DISABLES})).encode()

# `async with <one of these>(...)`: a deadline that can only fire at an await.
TIMEOUT_CONTEXT_MANAGERS: frozenset[str] = frozenset(
    {"asyncio.timeout", "asyncio.timeout_at", "anyio.fail_after", "anyio.move_on_after", "trio.fail_after",
     "trio.move_on_after", "trio.fail_at", "trio.move_on_at"}
)

# Catching one of these catches cancellation.
CANCELLATION_CATCHERS: frozenset[str] = frozenset(
    {"builtins.BaseException", "asyncio.CancelledError", "asyncio.exceptions.CancelledError",
     "concurrent.futures.CancelledError", "trio.Cancelled"}
)

# `asyncio.wait_for(<awaitable>, timeout)`: a timeout around the awaitable given first.
TIMEOUT_WRAPPERS: frozenset[str] = frozenset({"asyncio.wait_for"})

# What a timeout does to an await of work in a worker thread: a thread cannot be
# cancelled, so either the await is given up and the thread runs on, or the
# await (anyio's and trio's default) does not end before the thread does.
THREAD_ABANDONED = (
    "the timeout ends the wait, not the thread: the work runs on to the end, holding its worker (and whatever "
    "it holds), and its result is dropped"
)
THREAD_WAITED_FOR = "a worker thread cannot be cancelled, so the timeout cannot fire before the thread finishes"

THREAD_AWAITS: dict[str, str] = {
    "asyncio.to_thread": THREAD_ABANDONED,
    "asyncio.AbstractEventLoop.run_in_executor": THREAD_ABANDONED,
    "anyio.to_thread.run_sync": THREAD_WAITED_FOR,
    "trio.to_thread.run_sync": THREAD_WAITED_FOR,
    "starlette.concurrency.run_in_threadpool": THREAD_WAITED_FOR,
    "fastapi.concurrency.run_in_threadpool": THREAD_WAITED_FOR,
}
# The keywords (set true) that make anyio and trio give up the wait instead: the thread runs on.
ABANDON_KEYWORDS: frozenset[str] = frozenset({"abandon_on_cancel", "cancellable"})
