"""Web frameworks and HTTP clients: what builds an app, what registers an
endpoint (from the framework entries, `asynclint.knowledge.frameworks`),
what is an HTTP client with a connection pool."""

from __future__ import annotations

from asynclint.knowledge import libraries
from asynclint.knowledge.frameworks import FASTAPI, FRAMEWORKS

# Classes whose instances register handlers, of every framework (apps, routers, blueprints).
APP_CLASSES: frozenset[str] = frozenset().union(*(framework.apps for framework in FRAMEWORKS))

# What FastAPI's (and so Starlette's) app methods register (see `knowledge.frameworks`).
ENDPOINT_DECORATORS: frozenset[str] = FASTAPI.route_decorators
PER_REQUEST_DECORATORS: frozenset[str] = FASTAPI.per_request_decorators

# HTTP clients that own a connection pool: build one per process, not per request.
CLIENT_CLASSES: frozenset[str] = libraries.POOLS
# Keywords that give a client a pool built elsewhere (`httpx.AsyncClient(transport=shared)`,
# `aiohttp.ClientSession(connector=shared)`): a client built per request then reuses its connections.
SHARED_POOL_KEYWORDS: frozenset[str] = frozenset({"transport", "connector"})
# Decorators that leave a function building its client on every call (any other,
# `functools.cache` say, may keep what the first call built).
TRANSPARENT_DECORATORS: frozenset[str] = frozenset(
    {
        "contextlib.asynccontextmanager", "contextlib.contextmanager", "builtins.staticmethod",
        "builtins.classmethod",
    }
)
CLOSE_METHODS: frozenset[str] = frozenset({"aclose", "close"})

ASYNC_PRIMITIVES: frozenset[str] = frozenset(
    {
        "asyncio.Lock", "asyncio.Semaphore", "asyncio.BoundedSemaphore", "asyncio.Event", "asyncio.Condition",
        "asyncio.Queue", "asyncio.PriorityQueue", "asyncio.LifoQueue", "asyncio.Barrier",
    }
)
