"""AL103: file-system I/O in async context."""

from asynclint.rules._blocking import BlockingCallRule


class BlockingFileIo(BlockingCallRule):
    """
    ## What it does
    Flags file I/O inside an `async def`: `open()`, `io.open`, `os.fdopen`,
    `pathlib.Path` I/O methods (`read_text`, `write_bytes`, `iterdir`, `glob`,
    ...), reads and writes on a file object from `open()`, `shutil` copies,
    moves and deletes, `zipfile`/`tarfile` archives, and `os` file operations
    (`remove`, `rename`, `listdir`, `walk`, ...).

    ## Why is this bad?
    Disk I/O blocks the thread, and so the event loop. A read that takes
    microseconds on a warm local disk takes milliseconds or seconds on a cold
    cache, a container overlay or a network mount, and every other request
    waits that long.

    ## Example
    ```python
    async def load_template(path: str) -> str:
        with open(path) as handle:
            return handle.read()
    ```

    ## Use instead
    ```python
    import anyio

    async def load_template(path: str) -> str:
        return await anyio.Path(path).read_text()
    ```
    Or `aiofiles.open(...)`, or `await asyncio.to_thread(read_file, path)`.

    ## Fix safety
    No fix.
    """

    code = "AL103"
    name = "blocking-file-io"
    summary = "file-system I/O in async context"
