"""Callables that return a coroutine (or another awaitable that does nothing
until awaited), and the decorators that keep an `async def` one.

Keys are canonical qualified names; methods are keyed by their type, which
the context infers (`client = httpx.AsyncClient()` -> `client.get` is
`httpx.AsyncClient.get`).
"""

from __future__ import annotations

from asynclint.knowledge.http_verbs import HTTP_VERBS
from asynclint.knowledge.web import ENDPOINT_DECORATORS, PER_REQUEST_DECORATORS

COROUTINE_FUNCTIONS: frozenset[str] = frozenset(
    {
        # asyncio
        "asyncio.sleep", "asyncio.wait_for", "asyncio.wait", "asyncio.gather", "asyncio.shield",
        "asyncio.to_thread", "asyncio.open_connection", "asyncio.open_unix_connection",
        "asyncio.start_server", "asyncio.start_unix_server", "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
        "asyncio.AbstractEventLoop.run_in_executor", "asyncio.AbstractEventLoop.getaddrinfo",
        "asyncio.AbstractEventLoop.sock_connect", "asyncio.AbstractEventLoop.sock_recv",
        "asyncio.AbstractEventLoop.sock_sendall", "asyncio.AbstractEventLoop.create_connection",
        "asyncio.AbstractEventLoop.shutdown_asyncgens", "asyncio.AbstractEventLoop.shutdown_default_executor",
        "asyncio.Lock.acquire", "asyncio.Event.wait", "asyncio.Condition.wait", "asyncio.Semaphore.acquire",
        "asyncio.Queue.get", "asyncio.Queue.put", "asyncio.Queue.join",
        "asyncio.StreamReader.read", "asyncio.StreamReader.readline", "asyncio.StreamReader.readexactly",
        "asyncio.StreamWriter.drain", "asyncio.StreamWriter.wait_closed",
        # anyio and trio
        "anyio.sleep", "anyio.sleep_forever", "anyio.sleep_until", "anyio.to_thread.run_sync",
        "anyio.run_process", "anyio.open_process", "anyio.connect_tcp", "anyio.open_file",
        "trio.sleep", "trio.sleep_forever", "trio.sleep_until", "trio.to_thread.run_sync",
        "trio.run_process", "trio.open_tcp_stream", "trio.open_file",
        # starlette / fastapi
        "starlette.concurrency.run_in_threadpool", "fastapi.concurrency.run_in_threadpool",
        "starlette.requests.Request.json", "starlette.requests.Request.body", "starlette.requests.Request.form",
        # HTTP clients
        *(f"httpx.AsyncClient.{verb}" for verb in (*HTTP_VERBS, "send", "aclose")),
        "httpx.Response.aread", "httpx.Response.aclose",
        *(f"aiohttp.ClientSession.{verb}" for verb in (*HTTP_VERBS, "ws_connect", "close")),
        # (`release()` is a plain method that returns an optional awaitable.)
        *(f"aiohttp.ClientResponse.{m}" for m in ("json", "text", "read")),
        # SQLAlchemy asyncio
        *(
            f"sqlalchemy.ext.asyncio.AsyncSession.{m}"
            for m in ("execute", "scalars", "scalar", "get", "get_one", "commit", "rollback", "flush", "refresh",
                      "close", "delete", "merge", "stream", "stream_scalars", "run_sync", "connection", "invalidate")
        ),
        "sqlalchemy.ext.asyncio.AsyncEngine.dispose",
        # files
        "aiofiles.os.remove", "aiofiles.os.rename", "aiofiles.os.stat", "aiofiles.os.makedirs",
        "anyio.Path.read_text", "anyio.Path.read_bytes", "anyio.Path.write_text", "anyio.Path.write_bytes",
        "anyio.Path.exists", "anyio.Path.unlink", "anyio.Path.mkdir",
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

# Among COROUTINE_FUNCTIONS, those that return a future (already scheduled), not a coroutine.
FUTURE_FUNCTIONS: frozenset[str] = frozenset(
    {"asyncio.gather", "asyncio.shield", "asyncio.AbstractEventLoop.run_in_executor"}
)

# Calls that take awaitables that must already be tasks or futures (`asyncio.wait`
# rejects coroutines since Python 3.11), with the position of that argument.
TASKS_ONLY: dict[str, int] = {"asyncio.wait": 0}
