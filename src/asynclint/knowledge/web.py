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

# What builds a client that owns a connection pool (HTTP clients, SDK clients on one):
# build one per process, not per request.
CLIENT_CLASSES: frozenset[str] = frozenset(libraries.POOL_BUILDERS)
# ... the ones AL303 asks to close (the others close their pool when dropped).
CLIENTS_TO_CLOSE: frozenset[str] = frozenset(
    call for call, typ in libraries.POOL_BUILDERS.items() if typ not in libraries.POOLS_CLOSED_WHEN_DROPPED
)
# The bytes a file building one of them contains (a rule's trigger): their top-level modules.
CLIENT_TRIGGER: bytes = "|".join(sorted({call.partition(".")[0] for call in CLIENT_CLASSES})).encode()
# Keywords that give a client a pool built elsewhere (`httpx.AsyncClient(transport=shared)`,
# `aiohttp.ClientSession(connector=shared)`, `openai.OpenAI(http_client=shared)`,
# `cohere.Client(httpx_client=shared)`): a client built per request then reuses its connections.
SHARED_POOL_KEYWORDS: frozenset[str] = frozenset({"transport", "connector", "http_client", "httpx_client"})
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
