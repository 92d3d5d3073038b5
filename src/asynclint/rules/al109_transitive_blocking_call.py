"""AL109: a call to a sync project function that reaches a blocking call."""

from __future__ import annotations

from asynclint.knowledge.blocking import CHAINS_OF_THEIR_OWN
from asynclint.rules._blocking import ChainRule


class TransitiveBlockingCall(ChainRule):
    """
    ## What it does
    Flags a call, in async context, to a sync function of the project (this
    file or any other module under the project root) that reaches a blocking
    call of the AL101-AL108 tables through its own sync calls, across
    modules. The project's own classes count: a method reached through an
    attribute chain (`self.services.settings.persist()`), inherited from a
    base in another module, or called on an object the function builds or
    receives (`UserRepo(session).get_one(1)`), a constructor whose
    `__init__` blocks on every path (one that blocks only in a branch, such
    as `if log_config is not None:`, depends on optional arguments and is
    left alone), a property whose getter blocks, read in async code
    (`if export.disk_left < 10:`), or whose setter blocks, assigned there
    (`self.throttle.delay = 0.5`), and a plain `with` on a project object
    whose `__enter__` blocks (`with FileLock(path):`). Names come in
    through imports of every kind, star imports of project modules
    included. The message shows the chain down to the blocking call. A
    disk metadata query (`os.path.exists`, AL110's) ends a chain only while
    AL110 is on (it is by default). A function handed uncalled to `asyncio.to_thread` or
    `run_in_executor` is not a call, and so not a chain. A chain that ends
    at CPU-bound work (password hashing) is AL111's finding, not this rule's.

    ## Why is this bad?
    The blocking call runs on the event loop just as if it were written in
    the `async def`: hiding it in a helper (often in another module, written
    for sync code) does not make it asynchronous. This is how most blocking
    calls reach production: the endpoint looks clean, the helper looks
    clean, together they stall the server.

    ## Example
    ```python
    import requests

    def fetch_rates():
        return requests.get("https://rates.example.com", timeout=5).json()

    async def rates():
        return fetch_rates()
    ```

    ## Use instead
    ```python
    import asyncio

    import requests

    def fetch_rates():
        return requests.get("https://rates.example.com", timeout=5).json()

    async def rates():
        return await asyncio.to_thread(fetch_rates)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL109"
    name = "transitive-blocking-call"
    summary = "call to a sync project function that reaches a blocking call"

    def reports_chain_to(self, code: str | None) -> bool:
        return code not in CHAINS_OF_THEIR_OWN
