"""AL102: `time.sleep` in async context."""

from asynclint.diagnostics import FixClass
from asynclint.rules._blocking import BlockingCallRule


class BlockingSleep(BlockingCallRule):
    """
    ## What it does
    Flags `time.sleep(...)` inside an `async def`.

    ## Why is this bad?
    `time.sleep` suspends the whole thread, and with it the event loop: no
    other request, task or timeout makes progress until it returns. One
    `time.sleep(1)` in a handler caps the whole server at one request per
    second.

    ## Example
    ```python
    import time

    async def poll():
        time.sleep(1)
    ```

    ## Use instead
    ```python
    import asyncio

    async def poll():
        await asyncio.sleep(1)
    ```
    In files that use anyio or trio the advice is `anyio.sleep` / `trio.sleep`.

    ## Fix safety
    Not yet offered.
    """

    code = "AL102"
    name = "blocking-sleep"
    summary = "`time.sleep` in async context"
    fix_class = FixClass.NONE
