"""Timeouts and cancellation: which calls take a timeout, which context
managers time out, which exceptions carry cancellation."""

from __future__ import annotations

from asynclint.knowledge import libraries

# Calls that wait forever without `timeout=` (requests).
TIMEOUT_REQUIRED: frozenset[str] = libraries.TIMEOUT_REQUIRED

# Calls where an explicit `timeout=None` switches a default timeout off.
TIMEOUT_NONE_DISABLES: frozenset[str] = libraries.TIMEOUT_CALLS

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
