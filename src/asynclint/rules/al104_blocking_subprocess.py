"""AL104: child processes started or awaited synchronously in async context."""

from asynclint.rules._blocking import BlockingCallRule


class BlockingSubprocess(BlockingCallRule):
    """
    ## What it does
    Flags `subprocess.*` (`run`, `check_output`, `Popen`, ...), `os.system`,
    `os.popen`, `os.spawn*`, `os.exec*`, `os.wait*`, and waits on a `Popen`
    object (`.wait()`, `.communicate()`) inside an `async def`.

    ## Why is this bad?
    The event loop stops until the child process exits: a command that takes
    two seconds freezes every request in the service for two seconds.

    ## Example
    ```python
    import subprocess

    async def thumbnail(path: str) -> None:
        subprocess.run(["convert", path, "-resize", "64x64", path + ".png"], check=True)
    ```

    ## Use instead
    ```python
    import asyncio

    async def thumbnail(path: str) -> None:
        process = await asyncio.create_subprocess_exec("convert", path, "-resize", "64x64", path + ".png")
        await process.wait()
    ```

    ## Fix safety
    No fix.
    """

    code = "AL104"
    name = "blocking-subprocess"
    summary = "synchronous subprocess call in async context"
