"""Waiting on threads and futures from the event loop (AL108)."""

CODE = "AL108"

_FUTURE = "`await asyncio.wrap_future(future)` instead"
_THREADING = "use the `asyncio` equivalent (`asyncio.Lock`, `asyncio.Event`, `asyncio.Queue`) or `await {to_thread}(...)`"

BLOCKING = {
    "concurrent.futures.Future.result": _FUTURE,
    "concurrent.futures.Future.exception": _FUTURE,
    "concurrent.futures.wait": "use `asyncio.wait` on wrapped futures",
    "concurrent.futures.as_completed": "use `asyncio.as_completed` on wrapped futures",
    "concurrent.futures.Executor.shutdown": "call it with `wait=False`, or `await {to_thread}(executor.shutdown)`",
    "threading.Lock.acquire": _THREADING,
    "threading.Event.wait": _THREADING,
    "threading.Condition.wait": _THREADING,
    "threading.Condition.wait_for": _THREADING,
    "threading.Condition.acquire": _THREADING,
    "threading.Semaphore.acquire": _THREADING,
    "threading.Thread.join": "`await {to_thread}(thread.join)`",
    "threading.Barrier.wait": _THREADING,
    "queue.Queue.get": "use `asyncio.Queue` (or `janus` between threads and the loop)",
    "queue.Queue.join": "use `asyncio.Queue` (or `janus` between threads and the loop)",
    # No `put`: a queue built without `maxsize` (and every `SimpleQueue`) never waits to
    # take an item, and the model cannot tell a bounded one. `get` waits for one.
    "queue.SimpleQueue.get": "use `asyncio.Queue` (or `janus` between threads and the loop)",
}
