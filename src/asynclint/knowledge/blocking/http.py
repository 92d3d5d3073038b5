"""Synchronous HTTP clients (AL101)."""

CODE = "AL101"

_SHARED = "use a shared `httpx.AsyncClient` (created in the app's lifespan) and `await` it"
_ASYNC_CLIENT = "use `httpx.AsyncClient` and `await` it"
_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

BLOCKING = {
    **{f"requests.{verb}": _SHARED for verb in _VERBS},
    **{f"requests.Session.{verb}": _SHARED for verb in (*_VERBS, "send")},
    **{f"httpx.{verb}": _SHARED for verb in (*_VERBS, "stream")},
    **{f"httpx.Client.{verb}": _ASYNC_CLIENT for verb in (*_VERBS, "send", "stream")},
    "urllib.request.urlopen": _SHARED,
    "urllib.request.urlretrieve": _SHARED,
    "urllib.request.OpenerDirector.open": _SHARED,
    "urllib3.request": _SHARED,
    **{f"urllib3.PoolManager.{m}": _SHARED for m in ("request", "urlopen", "request_encode_url", "request_encode_body")},
    **{f"urllib3.HTTPConnectionPool.{m}": _SHARED for m in ("request", "urlopen")},
    **{f"urllib3.HTTPSConnectionPool.{m}": _SHARED for m in ("request", "urlopen")},
    **{f"http.client.HTTPConnection.{m}": _SHARED for m in ("request", "getresponse", "connect", "endheaders", "send")},
}
