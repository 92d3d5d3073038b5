"""AL110 (opt-in): disk metadata queries in async context."""

from asynclint.diagnostics import Default
from asynclint.rules._blocking import BlockingCallRule


class BlockingPathQuery(BlockingCallRule):
    """
    ## What it does
    Flags disk metadata queries inside an `async def`: `os.path.exists`,
    `isfile`, `isdir`, `getsize`, `getmtime`, `realpath`, ..., `os.stat`,
    and `pathlib.Path.exists`, `is_file`, `is_dir`, `stat`, `resolve`.
    Opt-in: enable it with `extend-select = ["AL110"]`.

    ## Why is this bad?
    Each query is a system call that is fast on a local disk with a warm cache
    but can take a long time on a network mount (NFS, SMB, FUSE), blocking
    the event loop meanwhile. Codebases that only touch local disks can leave
    this rule off.

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
    default = Default.OPT_IN
