"""AL101: synchronous HTTP in async context."""

from asynclint.rules._blocking import BlockingCallRule


class BlockingHttpCall(BlockingCallRule):
    """
    ## What it does
    Flags synchronous HTTP calls inside an `async def`: `requests.get/post/...`
    and `requests.Session` methods, httpx's top-level functions
    (`httpx.get`, ...) and `httpx.Client` methods (also `httpx2`),
    `urllib.request.urlopen`, `urllib3` requests and `http.client`
    connections.

    ## Why is this bad?
    The call holds the event loop for the whole round trip. While it waits for
    the remote server, no other request, task or timeout in the process makes
    progress: one slow upstream stalls the entire service.

    ## Example
    ```python
    import requests

    async def get_user(user_id: int):
        response = requests.get(f"https://api.example.com/users/{user_id}", timeout=5)
        return response.json()
    ```

    ## Use instead
    ```python
    import httpx

    async def get_user(client: httpx.AsyncClient, user_id: int):
        response = await client.get(f"https://api.example.com/users/{user_id}")
        return response.json()
    ```
    Create the `httpx.AsyncClient` once (in the app's lifespan) and share it.

    ## Fix safety
    No fix: the async client has to be created and passed in by the program.
    """

    code = "AL101"
    name = "blocking-http-call"
    summary = "synchronous HTTP call in async context"
