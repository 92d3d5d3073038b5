"""The HTTP methods a client offers under their own names (`client.get`),
with the generic `request`: one list for the blocking, coroutine and
timeout tables."""

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
