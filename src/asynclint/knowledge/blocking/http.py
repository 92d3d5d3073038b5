"""Synchronous HTTP clients (AL101)."""

from asynclint.knowledge.http_verbs import HTTP_VERBS

CODE = "AL101"

_SHARED = "use a shared `httpx.AsyncClient` (created in the app's lifespan) and `await` it"
_ASYNC_CLIENT = "use `httpx.AsyncClient` and `await` it"

BLOCKING = {
    **{f"requests.{verb}": _SHARED for verb in HTTP_VERBS},
    **{f"requests.Session.{verb}": _SHARED for verb in (*HTTP_VERBS, "send")},
    **{f"httpx.{verb}": _SHARED for verb in (*HTTP_VERBS, "stream")},
    **{f"httpx.Client.{verb}": _ASYNC_CLIENT for verb in (*HTTP_VERBS, "send", "stream")},
    "urllib.request.urlopen": _SHARED,
    "urllib.request.urlretrieve": _SHARED,
    "urllib.request.OpenerDirector.open": _SHARED,
    "urllib3.request": _SHARED,
    **{f"urllib3.PoolManager.{m}": _SHARED for m in ("request", "urlopen", "request_encode_url", "request_encode_body")},
    **{f"urllib3.HTTPConnectionPool.{m}": _SHARED for m in ("request", "urlopen")},
    **{f"urllib3.HTTPSConnectionPool.{m}": _SHARED for m in ("request", "urlopen")},
    **{f"http.client.HTTPConnection.{m}": _SHARED for m in ("request", "getresponse", "connect", "endheaders", "send")},
}
