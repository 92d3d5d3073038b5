"""AL110: disk metadata queries in async context."""

from asynclint.rules._blocking import BlockingCallRule


class BlockingPathQuery(BlockingCallRule):
    """
    ## What it does
    Flags disk metadata queries inside an `async def`: `os.path.exists`,
    `isfile`, `isdir`, `getsize`, `getmtime`, `realpath`, ..., `os.stat`,
    and `pathlib.Path.exists`, `is_file`, `is_dir`, `stat`, `resolve`.
    Code handed to a thread (`asyncio.to_thread(os.path.exists, p)`, a lambda
    or def given to `run_in_executor` or `hass.async_add_executor_job`) is
    not on the event loop and is not flagged.

    ## Why is this bad?
    Each query is a system call: fast on a local disk with a warm cache, but
    on a network mount (NFS, SMB, FUSE) or a busy disk it can take seconds,
    and the event loop waits meanwhile. Large asyncio projects (Home
    Assistant's own checks) fix these as bugs. A codebase that only ever
    touches a local disk may turn it off (`ignore = ["AL110"]`).

    ## Example
    ```python
    import os

    async def serve(path: str):
        if not os.path.exists(path):
            raise FileNotFoundError(path)
    ```

    ## Use instead
    ```python
    import anyio

    async def serve(path: str):
        if not await anyio.Path(path).exists():
            raise FileNotFoundError(path)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL110"
    name = "blocking-path-query"
    summary = "disk metadata query in async context"
