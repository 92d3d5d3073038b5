"""Timeouts and cancellation: which calls take a timeout, which context
managers time out, which exceptions carry cancellation."""

from __future__ import annotations

from asynclint.knowledge.http_verbs import HTTP_VERBS

# requests waits forever without `timeout=`.
REQUESTS_CALLS: frozenset[str] = frozenset(
    {*(f"requests.{v}" for v in HTTP_VERBS), *(f"requests.Session.{v}" for v in HTTP_VERBS)}
)

# Calls where an explicit `timeout=None` switches a default timeout off.
TIMEOUT_NONE_DISABLES: frozenset[str] = frozenset(
    {
        *REQUESTS_CALLS,
        *(f"httpx.{v}" for v in (*HTTP_VERBS, "stream")),
        "httpx.Client", "httpx.AsyncClient",
        *(f"httpx.Client.{v}" for v in (*HTTP_VERBS, "stream", "send")),
        *(f"httpx.AsyncClient.{v}" for v in (*HTTP_VERBS, "stream", "send")),
    }
)

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
