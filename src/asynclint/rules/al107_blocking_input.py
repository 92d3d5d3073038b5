"""AL107: `input()` in async context."""

from asynclint.rules._blocking import BlockingCallRule


class BlockingInput(BlockingCallRule):
    """
    ## What it does
    Flags `input()` and `getpass.getpass()` inside an `async def`.

    ## Why is this bad?
    The event loop stops until someone types a line: every task, connection
    and timeout in the process waits for the keyboard.

    ## Example
    ```python
    async def confirm(question: str) -> bool:
        return input(question).lower() == "y"
    ```

    ## Use instead
    ```python
    import asyncio

    async def confirm(question: str) -> bool:
        answer = await asyncio.to_thread(input, question)
        return answer.lower() == "y"
    ```

    ## Fix safety
    No fix.
    """

    code = "AL107"
    name = "blocking-input"
    summary = "`input()` in async context"
