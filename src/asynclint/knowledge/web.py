"""Web frameworks and HTTP clients: what builds an app, what registers an
endpoint, what is an HTTP client with a connection pool."""

from __future__ import annotations

from asynclint.knowledge import libraries

APP_CLASSES: frozenset[str] = frozenset(
    {
        "fastapi.FastAPI", "fastapi.applications.FastAPI", "fastapi.APIRouter", "fastapi.routing.APIRouter",
        "starlette.applications.Starlette", "starlette.routing.Router",
    }
)

# `@app.<method>(...)` registers an endpoint.
ENDPOINT_DECORATORS: frozenset[str] = frozenset(
    {"get", "post", "put", "patch", "delete", "options", "head", "trace", "api_route", "route", "websocket",
     "websocket_route"}
)
# Registers a function that runs on every request, though it is not an endpoint.
PER_REQUEST_DECORATORS: frozenset[str] = frozenset({"middleware", "exception_handler"})
# Register a function given as their second argument as an endpoint: `app.add_api_route("/", f)`.
ROUTE_ADDERS: frozenset[str] = frozenset({"add_api_route", "add_route", "add_websocket_route"})
# App methods that register endpoints, and everything that registers code running per request.
ENDPOINT_METHODS: frozenset[str] = ENDPOINT_DECORATORS | ROUTE_ADDERS
PER_REQUEST_METHODS: frozenset[str] = ENDPOINT_METHODS | PER_REQUEST_DECORATORS

DEPENDS: frozenset[str] = frozenset(
    {"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security"}
)

# HTTP clients that own a connection pool: build one per process, not per request.
CLIENT_CLASSES: frozenset[str] = libraries.POOLS
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
