"""Callables that return a coroutine (or another awaitable that does nothing
until awaited), and the decorators that keep an `async def` one.

Keys are canonical qualified names; methods are keyed by their type, which
the context infers (`client = httpx.AsyncClient()` -> `client.get` is
`httpx.AsyncClient.get`).
"""

from __future__ import annotations

from asynclint.knowledge import libraries
from asynclint.knowledge.web import ENDPOINT_DECORATORS, PER_REQUEST_DECORATORS


class _CoroutineFunctions(frozenset):
    """The named coroutine functions; `in` also holds for every method of an
    async twin's namespaces (`client.chat.completions.create` of an `AsyncOpenAI`)."""

    def __contains__(self, qualname: object) -> bool:
        return frozenset.__contains__(self, qualname) or (
            isinstance(qualname, str)
            and qualname.startswith(libraries.COROUTINE_NAMESPACE_PREFIXES)
            and any(namespace.covers(qualname) for namespace in libraries.COROUTINE_NAMESPACES)
        )


COROUTINE_FUNCTIONS: frozenset[str] = _CoroutineFunctions(
    {
        # starlette / fastapi
        "starlette.concurrency.run_in_threadpool", "fastapi.concurrency.run_in_threadpool",
        "starlette.requests.Request.json", "starlette.requests.Request.body", "starlette.requests.Request.form",
        # the libraries' async APIs
        *libraries.COROUTINES,
    }
)

# Decorators that return the decorated `async def` (or an equivalent async
# callable): calling the result still returns a coroutine.
PRESERVING_DECORATORS: frozenset[str] = frozenset(
    {
        "builtins.staticmethod", "builtins.classmethod", "abc.abstractmethod", "typing.override",
        "typing_extensions.override", "functools.wraps",
    }
)

# Decorators that make a plain `def` a coroutine function, bare or called (`@sync_to_async(thread_sensitive=False)`):
# calling the result returns a coroutine that runs the def in a worker thread.
COROUTINE_MAKING_DECORATORS: frozenset[str] = frozenset({"asgiref.sync.sync_to_async", "channels.db.database_sync_to_async"})


def defined_as(is_async: bool, where: str) -> str:
    """How a message names a project function whose call gives a coroutine, defined at `where`."""
    return f"async def at {where}" if is_async else f"def at {where}, made a coroutine function by its decorator"

# `@app.get(...)`-style decorators register the function and return it unchanged.
ROUTE_DECORATOR_METHODS: frozenset[str] = ENDPOINT_DECORATORS | PER_REQUEST_DECORATORS | {"on_event"}

# What a coroutine object offers: using these on an unawaited call is deliberate.
COROUTINE_ATTRIBUTES: frozenset[str] = frozenset(
    {"send", "throw", "close", "__await__", "cr_await", "cr_frame", "cr_running", "cr_code", "cr_origin"}
)

TASK_FACTORIES: frozenset[str] = frozenset(
    {"asyncio.create_task", "asyncio.ensure_future", "asyncio.AbstractEventLoop.create_task"}
)

# Calls that run the awaitables they are given at once, each in a task of its own.
CONCURRENT_RUNNERS: frozenset[str] = frozenset({"asyncio.gather"})

# Calls that start a task running beside the caller: those given a coroutine
# (at this position), and those given a function and its arguments (`tg.start_soon(f, *args)`).
TASK_STARTERS: dict[str, int] = {
    **{factory: 0 for factory in TASK_FACTORIES}, "asyncio.TaskGroup.create_task": 0,
}
FUNCTION_TASK_STARTERS: frozenset[str] = frozenset({"anyio.abc.TaskGroup.start_soon", "trio.Nursery.start_soon"})

# Calls that wrap the coroutine they are given (at this position) and run it when awaited.
COROUTINE_WRAPPERS: dict[str, int] = {**TASK_STARTERS, "asyncio.wait_for": 0, "asyncio.shield": 0}

EVENT_LOOP_RUNNERS: frozenset[str] = frozenset(
    {"asyncio.run", "anyio.run", "trio.run", "asyncio.AbstractEventLoop.run_until_complete",
     "asyncio.AbstractEventLoop.run_forever", "asyncio.Runner.run"}
)

# Calls that run a sync callable in a worker thread, with the position of the
# callable among their arguments (`loop.run_in_executor(executor, func, *args)`).
THREAD_RUNNERS: dict[str, int] = {
    "asyncio.to_thread": 0,
    "asyncio.AbstractEventLoop.run_in_executor": 1,
    "anyio.to_thread.run_sync": 0,
    "trio.to_thread.run_sync": 0,
    "starlette.concurrency.run_in_threadpool": 0,
    "fastapi.concurrency.run_in_threadpool": 0,
    "concurrent.futures.Executor.submit": 0,
}

# Calls that run a sync callable in a worker thread without the caller's
# `contextvars` context, with the position of the callable (`asyncio.to_thread`
# copies the context; `run_in_executor` does not, as a process pool could not
# take it: CPython issue 78195, closed as won't fix).
CONTEXT_LOSING_RUNNERS: dict[str, int] = {"asyncio.AbstractEventLoop.run_in_executor": 1}
# Reading a context variable, and setting one (a function that sets the variables it reads needs no caller's context).
CONTEXT_READS: frozenset[str] = frozenset({"contextvars.ContextVar.get"})
CONTEXT_WRITES: frozenset[str] = frozenset({"contextvars.ContextVar.set"})

# Among COROUTINE_FUNCTIONS, those that return a future (already scheduled), not a coroutine.
FUTURE_FUNCTIONS: frozenset[str] = frozenset(
    {"asyncio.gather", "asyncio.shield", "asyncio.AbstractEventLoop.run_in_executor"}
)

# Calls that take awaitables that must already be tasks or futures (`asyncio.wait`
# rejects coroutines since Python 3.11), with the position of that argument.
TASKS_ONLY: dict[str, int] = {"asyncio.wait": 0}
