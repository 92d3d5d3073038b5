"""AL601: HTTP calls that can wait forever."""

from __future__ import annotations

from asynclint.knowledge.timeouts import (
    TIMEOUT_KEYWORDS,
    TIMEOUT_NONE_DISABLES,
    TIMEOUT_REQUIRED,
    TIMEOUT_TRIGGER,
)
from asynclint.lazy import cst
from asynclint.rule import CallPattern, Rule

# The model reads `timeout=` only: a call whose timeout has another keyword (`request_timeout=`)
# may lack it, or give it None, whenever it has no `timeout=`.
_OTHER_KEYWORD = frozenset(
    callee for callee in TIMEOUT_NONE_DISABLES
    if TIMEOUT_KEYWORDS.get(callee, TIMEOUT_REQUIRED[callee][1].keyword if callee in TIMEOUT_REQUIRED else "timeout") != "timeout"
)
_WAITS_FOREVER = (frozenset(TIMEOUT_REQUIRED) & TIMEOUT_NONE_DISABLES) - _OTHER_KEYWORD  # without `timeout=`


class MissingTimeout(Rule):
    """
    ## What it does
    Flags `requests` calls (module functions and `Session` request methods)
    without a `timeout=`, a `google.genai.Client` built without
    `http_options=` (where its timeout goes), and an explicit `timeout=None` passed to requests
    or to httpx (`httpx.get`, `httpx.Client`/`AsyncClient` and their request
    methods) or to the openai and anthropic clients (`OpenAI(...)`,
    `client.with_options(...)`), and `request_timeout=None` passed to an
    elasticsearch client (`Elasticsearch(...)`, `es.options(...)`). A call that forwards `**kwargs` may carry a
    timeout and is not flagged.

    ## Why is this bad?
    requests and google-genai have no default timeout: a server that accepts the connection
    and never answers hangs the caller forever, holding a worker thread (or
    the event loop) and, under load, every worker. httpx defaults to 5
    seconds, openai and anthropic to 10 minutes, elasticsearch to 10
    seconds; `timeout=None` throws that
    protection away. (boto3's clients time out after 60 seconds whatever is
    passed: they are not flagged.)

    ## Example
    ```python
    import requests

    def fetch_rates():
        return requests.get("https://rates.example.com/latest").json()
    ```

    ## Use instead
    ```python
    import requests

    def fetch_rates():
        return requests.get("https://rates.example.com/latest", timeout=10).json()
    ```

    ## Fix safety
    No fix: the right timeout depends on the service.
    """

    code = "AL601"
    name = "missing-timeout"
    summary = "HTTP call without a timeout"
    triggers = (TIMEOUT_TRIGGER,)

    calls = CallPattern(TIMEOUT_NONE_DISABLES, where=lambda call: call.timeout != "set")

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # `timeout=None`, or no timeout where the library's default is to wait forever
        return (
            look.may_call(TIMEOUT_NONE_DISABLES - _OTHER_KEYWORD, lambda call: call.timeout == "none")
            or look.may_call(_WAITS_FOREVER, lambda call: call.timeout == "missing")
            or look.may_call(_OTHER_KEYWORD, lambda call: call.timeout != "set")
        )

    def on_call(self, node: cst.Call, call, callee: str) -> None:
        library, required = TIMEOUT_REQUIRED.get(callee, (None, None))
        keyword = TIMEOUT_KEYWORDS.get(callee, "timeout")
        timeout = next((a for a in node.args if a.keyword is not None and a.keyword.value == keyword), None)
        shown = self.ctx.code_for(node.func)
        if timeout is None:
            if required is not None and not any(a.star == "**" for a in node.args):
                missing = "`timeout=`" if keyword == "timeout" else f"timeout (`{keyword}=`)"
                self.report(node, f"`{shown}()` has no {missing}: {library} waits forever by default; {required.advice}")
        # (the keyword may carry options rather than a timeout: google-genai's `http_options=None` is left be)
        elif (keyword == "timeout" or required is None) and isinstance(timeout.value, cst.Name) \
                and timeout.value.value == "None":
            self.report(node, f"`{shown}({keyword}=None)` can wait forever; pass a finite timeout")
