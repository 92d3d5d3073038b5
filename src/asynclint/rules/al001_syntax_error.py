"""AL001: the file does not parse."""

from asynclint.diagnostics import Default
from asynclint.rule import Rule


class SyntaxErrorRule(Rule):
    """
    ## What it does
    Reports a file that cannot be parsed (or decoded), at the position of
    the error. The engine produces this finding itself; the other files of
    the run are still checked. Python's parser reads `await`, `async with`,
    `async for` and async comprehensions anywhere, but compiling the file
    rejects them outside an `async def` ("'await' outside async function"):
    they are reported too, with CPython's message and position.

    ## Why is this bad?
    A file that does not parse cannot be checked at all, so every other
    rule is silent about it.

    ## Example
    ```python
    async def handler(:
        ...

    def notify_all(clients):
        for client in clients:
            await client.send("bye")
    ```

    ## Use instead
    Fix the syntax error; for a file in a non-UTF-8 encoding, declare it with
    a PEP 263 coding comment (`# -*- coding: latin-1 -*-`).

    ## Fix safety
    No fix.
    """

    code = "AL001"
    name = "syntax-error"
    summary = "file does not parse"
    default = Default.ON
    triggers = ()
    triggered_is_enough = "the engine reports a file that does not parse; no rule runs on it"
