"""Sockets, mail, FTP, TLS and sync cloud SDK clients (AL106)."""

CODE = "AL106"

_SOCKET = "use `asyncio.open_connection` / `loop.sock_*` or `await {to_thread}(...)`"
_DNS = "use `await loop.getaddrinfo(...)` (or `anyio.getaddrinfo`)"
_SMTP = "use `aiosmtplib`, or send it with `await {to_thread}(...)`"
_THREAD = "run it with `await {to_thread}(...)`"
_BOTO = "use `aioboto3`/`aiobotocore`, or run it with `await {to_thread}(...)`"

# boto3 client/resource methods that never touch the network.
BOTO3_LOCAL_METHODS = frozenset(
    {"generate_presigned_url", "generate_presigned_post", "get_paginator", "get_waiter", "can_paginate",
     "close", "meta", "exceptions"}
)

BLOCKING = {
    "socket.create_connection": _SOCKET,
    **{f"socket.socket.{m}": _SOCKET for m in ("connect", "connect_ex", "accept", "recv", "recv_into", "recvfrom",
                                               "recvmsg", "send", "sendall", "sendto", "sendfile", "makefile")},
    **{f"socket.{f}": _DNS for f in ("gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getaddrinfo", "getnameinfo", "getfqdn")},
    "smtplib.SMTP": _SMTP,
    **{f"smtplib.SMTP.{m}": _SMTP for m in ("connect", "login", "sendmail", "send_message", "starttls", "ehlo", "helo", "quit", "noop")},
    "ftplib.FTP": _THREAD,
    **{f"ftplib.FTP.{m}": _THREAD for m in ("connect", "login", "retrbinary", "retrlines", "storbinary", "storlines",
                                           "nlst", "dir", "cwd", "delete", "rename", "quit", "mlsd")},
    "ssl.SSLSocket.do_handshake": _THREAD,
    "ssl.SSLContext.wrap_socket": _THREAD,
}

# Every other method of a boto3 client or resource reaches the network:
# matched by `matches` rather than by listing hundreds of API names.
PATTERN_ADVICE = _BOTO
# The types whose methods `matches` judges.
PATTERN_TYPES = ("boto3.Client", "boto3.Resource")


def matches(qualname: str) -> bool:
    """Whether a name not in BLOCKING is a network call of a boto3 client or resource."""
    for owner in PATTERN_TYPES:
        prefix = owner + "."
        if qualname.startswith(prefix):
            method = qualname[len(prefix):]
            # Capitalised names (`Table`, `Bucket`) build sub-resources locally.
            return (
                "." not in method
                and method not in BOTO3_LOCAL_METHODS
                and not method.startswith("_")
                and not method[:1].isupper()
            )
    return False
