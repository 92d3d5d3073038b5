"""Sockets, DNS, mail, FTP and TLS from the standard library (AL106)."""

from __future__ import annotations

from asynclint.knowledge.library import Arguments, Calls, Library

_SOCKET = "use `asyncio.open_connection` / `loop.sock_*` or `await {to_thread}(...)`"
_DNS = "use `await loop.getaddrinfo(...)` (or `anyio.getaddrinfo`)"
_SMTP = "use `aiosmtplib`, or send it with `await {to_thread}(...)`"
_THREAD = "run it with `await {to_thread}(...)`"

LIBRARIES = (
    Library(
        "socket",
        builds={"socket.socket": "socket.socket", "socket.create_connection": "socket.socket"},
        blocking=(
            Calls("AL106", _SOCKET, (
                "socket.create_connection",
                *(f"socket.socket.{m}" for m in ("connect", "connect_ex", "accept", "recv", "recv_into", "recvfrom",
                                                 "recvmsg", "send", "sendall", "sendto", "sendfile", "makefile")),
            )),
            Calls("AL106", _DNS, tuple(
                f"socket.{f}"
                for f in ("gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getaddrinfo", "getnameinfo", "getfqdn")
            )),
        ),
    ),
    Library(
        "smtplib",
        builds={"smtplib.SMTP": "smtplib.SMTP", "smtplib.SMTP_SSL": "smtplib.SMTP"},
        blocking=(
            Calls("AL106", _SMTP, (
                "smtplib.SMTP",
                *(f"smtplib.SMTP.{m}" for m in ("connect", "login", "sendmail", "send_message", "starttls", "ehlo",
                                                "helo", "quit", "noop")),
            )),
        ),
    ),
    Library(
        "ftplib",
        builds={"ftplib.FTP": "ftplib.FTP", "ftplib.FTP_TLS": "ftplib.FTP"},
        blocking=(
            Calls("AL106", _THREAD, (
                "ftplib.FTP",
                *(f"ftplib.FTP.{m}" for m in ("connect", "login", "retrbinary", "retrlines", "storbinary", "storlines",
                                              "nlst", "dir", "cwd", "delete", "rename", "quit", "mlsd")),
            )),
        ),
    ),
    Library(
        "ssl",
        builds={
            "ssl.SSLContext.wrap_socket": "ssl.SSLSocket",
            "ssl.create_default_context": "ssl.SSLContext",
            "ssl.SSLContext": "ssl.SSLContext",
        },
        blocking=(
            Calls("AL106", _THREAD, ("ssl.SSLSocket.do_handshake", "ssl.SSLContext.wrap_socket",
                                     "ssl.get_server_certificate")),
            # Loading certificates reads (and parses) files: the system store, hundreds of them.
            Calls("AL106", "build the context once (at startup or in the app's lifespan), or `await {to_thread}(...)`", (
                "ssl.create_default_context",
                *(f"ssl.SSLContext.{m}" for m in ("load_cert_chain", "load_default_certs", "set_default_verify_paths",
                                                  "load_verify_locations")),
            )),
        ),
        # certificates given as `cadata=` text are parsed in memory: only `cafile`/`capath` read files
        blocks_when={"ssl.SSLContext.load_verify_locations": Arguments(keywords=frozenset({"cafile", "capath"}))},
    ),
    Library(
        "grpc",
        # A sync channel's futures block on `result()`; `grpc.aio` channels give awaitables instead.
        builds={
            "grpc.insecure_channel": "grpc.Channel",
            "grpc.secure_channel": "grpc.Channel",
            "grpc.channel_ready_future": "grpc.Future",
            **{f"grpc.Channel.{m}": f"grpc.{cls}MultiCallable"
               for m, cls in (("unary_unary", "UnaryUnary"), ("unary_stream", "UnaryStream"),
                              ("stream_unary", "StreamUnary"), ("stream_stream", "StreamStream"))},
            "grpc.aio.insecure_channel": "grpc.aio.Channel",
            "grpc.aio.secure_channel": "grpc.aio.Channel",
        },
        blocking=(
            Calls("AL106", "use a `grpc.aio` channel and `await` its calls", (
                "grpc.Future.result", "grpc.Future.exception",
                "grpc.UnaryUnaryMultiCallable.__call__", "grpc.StreamUnaryMultiCallable.__call__",
                "grpc.UnaryUnaryMultiCallable.with_call", "grpc.StreamUnaryMultiCallable.with_call",
            )),
        ),
        coroutines=("grpc.aio.Channel.channel_ready", "grpc.aio.Channel.close"),
    ),
    Library(
        "imaplib",
        builds={"imaplib.IMAP4": "imaplib.IMAP4", "imaplib.IMAP4_SSL": "imaplib.IMAP4"},
        blocking=(
            Calls("AL106", "use `aioimaplib`, or run it with `await {to_thread}(...)`", (
                "imaplib.IMAP4", "imaplib.IMAP4_SSL",
                *(f"imaplib.IMAP4.{m}" for m in ("login", "select", "search", "fetch", "store", "copy", "expunge",
                                                 "list", "logout", "append", "uid", "noop", "idle", "starttls")),
            )),
        ),
    ),
    Library(
        "poplib",
        builds={"poplib.POP3": "poplib.POP3", "poplib.POP3_SSL": "poplib.POP3"},
        blocking=(
            Calls("AL106", _THREAD, (
                "poplib.POP3", "poplib.POP3_SSL",
                *(f"poplib.POP3.{m}" for m in ("user", "pass_", "stat", "list", "retr", "dele", "top", "uidl", "quit",
                                               "stls")),
            )),
        ),
    ),
)
