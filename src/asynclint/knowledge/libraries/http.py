"""HTTP clients: the sync ones block (AL101), the async ones give coroutines,
and a client with a connection pool is built once per process."""

from __future__ import annotations

from asynclint.knowledge.http_verbs import HTTP_VERBS
from asynclint.knowledge.library import Calls, Library, Timeout

_SHARED = "use a shared `httpx.AsyncClient` (created in the app's lifespan) and `await` it"
_ASYNC_CLIENT = "use `httpx.AsyncClient` and `await` it"

LIBRARIES = (
    Library(
        "requests",
        builds={"requests.Session": "requests.Session", "requests.session": "requests.Session"},
        blocking=(
            Calls("AL101", _SHARED, tuple(f"requests.{verb}" for verb in HTTP_VERBS)),
            Calls("AL101", _SHARED, tuple(f"requests.Session.{verb}" for verb in (*HTTP_VERBS, "send"))),
        ),
        pools=("requests.Session",),
        # requests waits forever without `timeout=`.
        timeout=Timeout(
            (*(f"requests.{verb}" for verb in HTTP_VERBS), *(f"requests.Session.{verb}" for verb in HTTP_VERBS)),
            required=True,
        ),
        aliases={"requests.sessions.Session": "requests.Session", "requests.api.get": "requests.get"},
    ),
    Library(
        "httpx",
        builds={
            "httpx.Client": "httpx.Client",
            "httpx.AsyncClient": "httpx.AsyncClient",
            "httpx.AsyncClient.get": "httpx.Response",
            "httpx.AsyncClient.post": "httpx.Response",
        },
        blocking=(
            Calls("AL101", _SHARED, tuple(f"httpx.{verb}" for verb in (*HTTP_VERBS, "stream"))),
            Calls("AL101", _ASYNC_CLIENT, tuple(f"httpx.Client.{verb}" for verb in (*HTTP_VERBS, "send", "stream"))),
        ),
        coroutines=(
            *(f"httpx.AsyncClient.{verb}" for verb in (*HTTP_VERBS, "send", "aclose")),
            "httpx.Response.aread", "httpx.Response.aclose",
        ),
        pools=("httpx.AsyncClient", "httpx.Client"),
        # httpx has a default timeout, which `timeout=None` switches off.
        timeout=Timeout((
            *(f"httpx.{verb}" for verb in (*HTTP_VERBS, "stream")),
            "httpx.Client", "httpx.AsyncClient",
            *(f"httpx.Client.{verb}" for verb in (*HTTP_VERBS, "stream", "send")),
            *(f"httpx.AsyncClient.{verb}" for verb in (*HTTP_VERBS, "stream", "send")),
        )),
        # httpx2 continues httpx.
        same_api={"httpx2.": "httpx."},
        async_only=("httpx.AsyncClient",),
    ),
    Library(
        "aiohttp",
        builds={
            "aiohttp.ClientSession": "aiohttp.ClientSession",
            # request methods return a response (awaited or used with `async with`)
            **{
                f"aiohttp.ClientSession.{verb}": "aiohttp.ClientResponse" for verb in HTTP_VERBS
            },
        },
        coroutines=(
            *(f"aiohttp.ClientSession.{verb}" for verb in (*HTTP_VERBS, "ws_connect", "close")),
            # (`release()` is a plain method that returns an optional awaitable.)
            *(f"aiohttp.ClientResponse.{m}" for m in ("json", "text", "read")),
        ),
        pools=("aiohttp.ClientSession",),
        aliases={"aiohttp.client.ClientSession": "aiohttp.ClientSession"},
        async_only=("aiohttp.ClientSession",),
    ),
    Library(
        "urllib.request",
        blocking=(
            Calls("AL101", _SHARED, ("urllib.request.urlopen", "urllib.request.urlretrieve", "urllib.request.OpenerDirector.open")),
        ),
    ),
    Library(
        "urllib3",
        builds={
            "urllib3.PoolManager": "urllib3.PoolManager",
            "urllib3.HTTPConnectionPool": "urllib3.HTTPConnectionPool",
            "urllib3.HTTPSConnectionPool": "urllib3.HTTPSConnectionPool",
            "urllib3.connection_from_url": "urllib3.HTTPConnectionPool",
        },
        blocking=(
            Calls("AL101", _SHARED, (
                "urllib3.request",
                *(f"urllib3.PoolManager.{m}" for m in ("request", "urlopen", "request_encode_url", "request_encode_body")),
                *(f"urllib3.HTTPConnectionPool.{m}" for m in ("request", "urlopen")),
                *(f"urllib3.HTTPSConnectionPool.{m}" for m in ("request", "urlopen")),
            )),
        ),
    ),
    Library(
        "http.client",
        builds={
            "http.client.HTTPConnection": "http.client.HTTPConnection",
            "http.client.HTTPSConnection": "http.client.HTTPConnection",
        },
        blocking=(
            Calls("AL101", _SHARED, tuple(
                f"http.client.HTTPConnection.{m}" for m in ("request", "getresponse", "connect", "endheaders", "send")
            )),
        ),
    ),
)
