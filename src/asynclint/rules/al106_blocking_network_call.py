"""AL106: sockets, DNS, mail, FTP, TLS and sync cloud, LLM and SaaS SDK calls in async context."""

from asynclint.rules._blocking import BlockingCallRule


class BlockingNetworkCall(BlockingCallRule):
    """
    ## What it does
    Flags blocking network calls inside an `async def`: `socket` connects,
    sends and receives, DNS look-ups (`socket.gethostbyname`,
    `socket.getaddrinfo`), `smtplib`, `ftplib`, `ssl` handshakes and
    contexts that load certificates, and calls on sync SDK clients that reach
    the network: `boto3` clients and resources, `openai.OpenAI` and
    `anthropic.Anthropic` (`client.chat.completions.create`), `slack_sdk`,
    `stripe`, `docker` and the others listed below (local members such as
    `generate_presigned_url` or `with_options` are not flagged). Callables
    listed in `extend-blocking-calls`, and libraries declared in
    `[tool.asynclint.libraries.NAME]`, are reported here unless their entry
    names another code.

    ## Why is this bad?
    Each call holds the event loop for a network round trip (a DNS look-up
    can take seconds when a resolver is slow), stalling every other request.

    ## Example
    ```python
    import boto3

    async def upload(data: bytes, key: str) -> None:
        s3 = boto3.client("s3")
        s3.put_object(Bucket="uploads", Key=key, Body=data)
    ```

    ## Use instead
    ```python
    import asyncio

    import boto3

    async def upload(data: bytes, key: str) -> None:
        s3 = boto3.client("s3")
        await asyncio.to_thread(s3.put_object, Bucket="uploads", Key=key, Body=data)
    ```
    Or an async SDK (`aioboto3`, `aiosmtplib`), or `asyncio.open_connection`.

    ## Fix safety
    No fix.
    """

    code = "AL106"
    name = "blocking-network-call"
    summary = "blocking network call in async context"
