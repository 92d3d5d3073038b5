"""Event loops, threads, futures and queues: the async libraries' own
coroutines and primitives, and the thread ones that block the loop (AL108)."""

from __future__ import annotations

from asynclint.knowledge.library import Calls, Library

_FUTURE = "`await asyncio.wrap_future(future)` instead"
_THREADING = "use the `asyncio` equivalent (`asyncio.Lock`, `asyncio.Event`, `asyncio.Queue`) or `await {to_thread}(...)`"
_QUEUE = "use `asyncio.Queue` (or `janus` between threads and the loop)"

LIBRARIES = (
    Library(
        "asyncio",
        builds={
            "asyncio.get_event_loop": "asyncio.AbstractEventLoop",
            "asyncio.get_running_loop": "asyncio.AbstractEventLoop",
            "asyncio.new_event_loop": "asyncio.AbstractEventLoop",
            "asyncio.Runner": "asyncio.Runner",
            "asyncio.Lock": "asyncio.Lock",
            "asyncio.Event": "asyncio.Event",
            "asyncio.Condition": "asyncio.Condition",
            "asyncio.Semaphore": "asyncio.Semaphore",
            "asyncio.BoundedSemaphore": "asyncio.Semaphore",
            "asyncio.Queue": "asyncio.Queue",
            "asyncio.PriorityQueue": "asyncio.Queue",
            "asyncio.LifoQueue": "asyncio.Queue",
            "asyncio.TaskGroup": "asyncio.TaskGroup",
            "asyncio.run_coroutine_threadsafe": "concurrent.futures.Future",
        },
        coroutines=(
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
        ),
        aliases={
            "asyncio.events.AbstractEventLoop": "asyncio.AbstractEventLoop",
            "asyncio.BaseEventLoop": "asyncio.AbstractEventLoop",
            "asyncio.base_events.BaseEventLoop": "asyncio.AbstractEventLoop",
        },
        async_only=("asyncio.Lock", "asyncio.Semaphore", "asyncio.BoundedSemaphore", "asyncio.Condition", "asyncio.TaskGroup"),
    ),
    Library(
        "anyio",
        builds={"anyio.create_task_group": "anyio.abc.TaskGroup"},
        coroutines=(
            "anyio.sleep", "anyio.sleep_forever", "anyio.sleep_until", "anyio.to_thread.run_sync",
            "anyio.run_process", "anyio.open_process", "anyio.connect_tcp", "anyio.open_file",
        ),
    ),
    Library(
        "trio",
        builds={"trio.open_nursery": "trio.Nursery"},
        coroutines=(
            "trio.sleep", "trio.sleep_forever", "trio.sleep_until", "trio.to_thread.run_sync",
            "trio.run_process", "trio.open_tcp_stream", "trio.open_file",
        ),
    ),
    Library(
        "concurrent.futures",
        builds={
            "concurrent.futures.ThreadPoolExecutor": "concurrent.futures.Executor",
            "concurrent.futures.ProcessPoolExecutor": "concurrent.futures.Executor",
            "concurrent.futures.Executor.submit": "concurrent.futures.Future",
        },
        blocking=(
            Calls("AL108", _FUTURE, ("concurrent.futures.Future.result", "concurrent.futures.Future.exception")),
            Calls("AL108", "use `asyncio.wait` on wrapped futures", ("concurrent.futures.wait",)),
            Calls("AL108", "use `asyncio.as_completed` on wrapped futures", ("concurrent.futures.as_completed",)),
            Calls("AL108", "call it with `wait=False`, or `await {to_thread}(executor.shutdown)`",
                  ("concurrent.futures.Executor.shutdown",)),
            # leaving `with ThreadPoolExecutor():` calls `shutdown(wait=True)`
            Calls("AL108", "it waits for the workers: `await` the work inside the block "
                           "(`loop.run_in_executor(executor, ...)`), or keep one executor for the app",
                  ("concurrent.futures.Executor.__exit__",)),
        ),
    ),
    Library(
        "threading",
        builds={
            "threading.Lock": "threading.Lock",
            "threading.RLock": "threading.Lock",
            "threading.Event": "threading.Event",
            "threading.Condition": "threading.Condition",
            "threading.Semaphore": "threading.Semaphore",
            "threading.BoundedSemaphore": "threading.Semaphore",
            "threading.Thread": "threading.Thread",
            "threading.Barrier": "threading.Barrier",
        },
        blocking=(
            Calls("AL108", _THREADING, (
                "threading.Lock.acquire", "threading.Event.wait", "threading.Condition.wait",
                "threading.Condition.wait_for", "threading.Condition.acquire", "threading.Semaphore.acquire",
                "threading.Barrier.wait",
            )),
            Calls("AL108", "`await {to_thread}(thread.join)`", ("threading.Thread.join",)),
        ),
        # Not `threading.Lock.__enter__`: a `with lock:` in async code is most often a short
        # critical section over state shared with threads, held for microseconds; which ones
        # wait long cannot be told from the code. A lock held across an `await` is AL207's.
        thread_locks=("threading.Lock", "threading.RLock", "threading.Condition", "threading.Semaphore",
                      "threading.BoundedSemaphore"),
    ),
    Library(
        "contextvars",
        builds={"contextvars.ContextVar": "contextvars.ContextVar"},
    ),
    Library(
        "multiprocessing",
        builds={
            "multiprocessing.Pool": "multiprocessing.pool.Pool",
            "multiprocessing.pool.Pool": "multiprocessing.pool.Pool",
            "multiprocessing.pool.ThreadPool": "multiprocessing.pool.Pool",
            "multiprocessing.Process": "multiprocessing.Process",
            "multiprocessing.Queue": "multiprocessing.Queue",
            "multiprocessing.JoinableQueue": "multiprocessing.Queue",
            "multiprocessing.pool.Pool.apply_async": "multiprocessing.pool.AsyncResult",
            "multiprocessing.pool.Pool.map_async": "multiprocessing.pool.AsyncResult",
        },
        blocking=(
            Calls("AL108", "`await loop.run_in_executor(...)` with a `ProcessPoolExecutor`, or `await {to_thread}(...)`", (
                *(f"multiprocessing.pool.Pool.{m}" for m in ("map", "apply", "starmap", "join")),
                "multiprocessing.pool.AsyncResult.get", "multiprocessing.pool.AsyncResult.wait",
                "multiprocessing.Process.join", "multiprocessing.Queue.get", "multiprocessing.Queue.join",
            )),
        ),
        aliases={"multiprocessing.context.Process": "multiprocessing.Process"},
    ),
    Library(
        "queue",
        builds={
            "queue.Queue": "queue.Queue",
            "queue.LifoQueue": "queue.Queue",
            "queue.PriorityQueue": "queue.Queue",
            "queue.SimpleQueue": "queue.SimpleQueue",
        },
        # No `put`: a queue built without `maxsize` (and every `SimpleQueue`) never waits to
        # take an item, and the model cannot tell a bounded one. `get` waits for one.
        blocking=(Calls("AL108", _QUEUE, ("queue.Queue.get", "queue.Queue.join", "queue.SimpleQueue.get")),),
    ),
)
