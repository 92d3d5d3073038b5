"""Synchronous HTTP clients (AL101)."""

CODE = "AL101"

_SHARED = "use a shared `httpx.AsyncClient` (created in the app's lifespan) and `await` it"

BLOCKING = {
    **{f"requests.{m}": _SHARED for m in ("get", "post", "put", "patch", "delete", "head", "options", "request")},
    **{f"requests.Session.{m}": _SHARED for m in ("get", "post", "put", "patch", "delete", "head", "options", "request", "send")},
    **{f"httpx.{m}": _SHARED for m in ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")},
    **{f"httpx.Client.{m}": "use `httpx.AsyncClient` and `await` it" for m in ("get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream")},
    "urllib.request.urlopen": _SHARED,
}
