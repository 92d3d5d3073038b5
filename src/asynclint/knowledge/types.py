"""What type a call returns, so that `client = httpx.Client()` makes
`client.get` resolve to `httpx.Client.get`.

Keys are qualified callables; values are the qualified type of the result.
A class maps to itself. Names are canonical (see `canonical`).
"""

from __future__ import annotations

from asynclint.knowledge.web import APP_CLASSES

RESULT_TYPES: dict[str, str] = {
    # web apps and routers
    **{app: app for app in APP_CLASSES},
    # HTTP clients
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "httpx.Client": "httpx.Client",
    "httpx.AsyncClient": "httpx.AsyncClient",
    "httpx.AsyncClient.get": "httpx.Response",
    "httpx.AsyncClient.post": "httpx.Response",
    "urllib3.PoolManager": "urllib3.PoolManager",
    "urllib3.HTTPConnectionPool": "urllib3.HTTPConnectionPool",
    "urllib3.HTTPSConnectionPool": "urllib3.HTTPSConnectionPool",
    "urllib3.connection_from_url": "urllib3.HTTPConnectionPool",
    "http.client.HTTPConnection": "http.client.HTTPConnection",
    "http.client.HTTPSConnection": "http.client.HTTPConnection",
    "aiohttp.ClientSession": "aiohttp.ClientSession",
    # aiohttp request methods return a response (awaited or used with async with)
    "aiohttp.ClientSession.get": "aiohttp.ClientResponse",
    "aiohttp.ClientSession.post": "aiohttp.ClientResponse",
    "aiohttp.ClientSession.put": "aiohttp.ClientResponse",
    "aiohttp.ClientSession.patch": "aiohttp.ClientResponse",
    "aiohttp.ClientSession.delete": "aiohttp.ClientResponse",
    "aiohttp.ClientSession.head": "aiohttp.ClientResponse",
    "aiohttp.ClientSession.options": "aiohttp.ClientResponse",
    "aiohttp.ClientSession.request": "aiohttp.ClientResponse",
    # files
    "builtins.open": "io.TextIOWrapper",
    "io.open": "io.TextIOWrapper",
    "os.fdopen": "io.TextIOWrapper",
    "pathlib.Path": "pathlib.Path",
    "pathlib.PurePath": "pathlib.PurePath",
    "pathlib.Path.open": "io.TextIOWrapper",
    "pathlib.Path.cwd": "pathlib.Path",
    "pathlib.Path.home": "pathlib.Path",
    "pathlib.Path.resolve": "pathlib.Path",
    "pathlib.Path.absolute": "pathlib.Path",
    "pathlib.Path.with_name": "pathlib.Path",
    "pathlib.Path.with_suffix": "pathlib.Path",
    "pathlib.Path.joinpath": "pathlib.Path",
    "pathlib.Path.expanduser": "pathlib.Path",
    "zipfile.ZipFile": "zipfile.ZipFile",
    "tarfile.open": "tarfile.TarFile",
    "tarfile.TarFile": "tarfile.TarFile",
    # processes
    "subprocess.Popen": "subprocess.Popen",
    # databases
    "sqlite3.connect": "sqlite3.Connection",
    "sqlite3.Connection.cursor": "sqlite3.Cursor",
    "psycopg2.connect": "psycopg2.connection",
    "psycopg2.connection.cursor": "psycopg2.cursor",
    "psycopg.connect": "psycopg.Connection",
    "psycopg.Connection.connect": "psycopg.Connection",
    "psycopg.Connection.cursor": "psycopg.Cursor",
    "pymysql.connect": "pymysql.Connection",
    "pymysql.Connection.cursor": "pymysql.Cursor",
    "pymongo.MongoClient": "pymongo.MongoClient",
    "redis.Redis": "redis.Redis",
    "redis.StrictRedis": "redis.Redis",
    "redis.Redis.from_url": "redis.Redis",
    "redis.from_url": "redis.Redis",
    "sqlalchemy.create_engine": "sqlalchemy.Engine",
    "sqlalchemy.Engine.connect": "sqlalchemy.Connection",
    "sqlalchemy.Engine.begin": "sqlalchemy.Connection",
    "sqlalchemy.orm.Session": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.sessionmaker": "sqlalchemy.orm.sessionmaker",
    "sqlalchemy.orm.sessionmaker.__call__": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.Session.query": "sqlalchemy.orm.Query",
    "sqlalchemy.ext.asyncio.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.create_async_engine": "sqlalchemy.ext.asyncio.AsyncEngine",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "sqlalchemy.ext.asyncio.async_sessionmaker",
    "sqlalchemy.ext.asyncio.async_sessionmaker.__call__": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.AsyncEngine.connect": "sqlalchemy.ext.asyncio.AsyncConnection",
    "sqlalchemy.ext.asyncio.AsyncEngine.begin": "sqlalchemy.ext.asyncio.AsyncConnection",
    "asyncpg.connect": "asyncpg.Connection",
    "asyncpg.create_pool": "asyncpg.Pool",
    "asyncpg.Pool.acquire": "asyncpg.Connection",
    # network
    "socket.socket": "socket.socket",
    "socket.create_connection": "socket.socket",
    "smtplib.SMTP": "smtplib.SMTP",
    "smtplib.SMTP_SSL": "smtplib.SMTP",
    "ftplib.FTP": "ftplib.FTP",
    "ftplib.FTP_TLS": "ftplib.FTP",
    "ssl.SSLContext.wrap_socket": "ssl.SSLSocket",
    "boto3.client": "boto3.Client",
    "boto3.resource": "boto3.Resource",
    "boto3.session.Session.client": "boto3.Client",
    "boto3.session.Session.resource": "boto3.Resource",
    "boto3.Session": "boto3.session.Session",
    # event loops
    "asyncio.get_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.get_running_loop": "asyncio.AbstractEventLoop",
    "asyncio.new_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.Runner": "asyncio.Runner",
    "asyncio.Lock": "asyncio.Lock",
    "asyncio.Event": "asyncio.Event",
    "asyncio.Condition": "asyncio.Condition",
    "asyncio.Semaphore": "asyncio.Semaphore",
    "asyncio.BoundedSemaphore": "asyncio.Semaphore",
    "asyncio.Queue": "asyncio.Queue",
    "asyncio.PriorityQueue": "asyncio.Queue",
    "asyncio.LifoQueue": "asyncio.Queue",
    "asyncio.TaskGroup": "asyncio.TaskGroup",
    "anyio.create_task_group": "anyio.abc.TaskGroup",
    "trio.open_nursery": "trio.Nursery",
    "fastapi.BackgroundTasks": "fastapi.BackgroundTasks",
    # threads and futures
    "concurrent.futures.ThreadPoolExecutor": "concurrent.futures.Executor",
    "concurrent.futures.ProcessPoolExecutor": "concurrent.futures.Executor",
    "concurrent.futures.Executor.submit": "concurrent.futures.Future",
    "asyncio.run_coroutine_threadsafe": "concurrent.futures.Future",
    "threading.Lock": "threading.Lock",
    "threading.RLock": "threading.Lock",
    "threading.Event": "threading.Event",
    "threading.Condition": "threading.Condition",
    "threading.Semaphore": "threading.Semaphore",
    "threading.BoundedSemaphore": "threading.Semaphore",
    "threading.Thread": "threading.Thread",
    "threading.Barrier": "threading.Barrier",
    "queue.Queue": "queue.Queue",
    "queue.LifoQueue": "queue.Queue",
    "queue.PriorityQueue": "queue.Queue",
    "queue.SimpleQueue": "queue.SimpleQueue",
    # password hashing
    "passlib.context.CryptContext": "passlib.context.CryptContext",
    "argon2.PasswordHasher": "argon2.PasswordHasher",
    "pwdlib.PasswordHash": "pwdlib.PasswordHash",
    "pwdlib.PasswordHash.recommended": "pwdlib.PasswordHash",
}

# What iterating over a call's result gives: `for item in path.iterdir()` makes `item` a path.
ELEMENT_TYPES: dict[str, str] = {
    "pathlib.Path.iterdir": "pathlib.Path",
    "pathlib.Path.glob": "pathlib.Path",
    "pathlib.Path.rglob": "pathlib.Path",
}

# What reading an attribute of a known type gives (`path.parent` is a path).
ATTRIBUTE_TYPES: dict[str, str] = {
    "pathlib.Path.parent": "pathlib.Path",
    "pathlib.PurePath.parent": "pathlib.PurePath",
    "anyio.Path.parent": "anyio.Path",
}

# The generic types a FastAPI dependency that yields is annotated with: the first argument is what it gives.
YIELDING_TYPES = frozenset({
    f"{module}.{name}"
    for module in ("typing", "collections.abc", "typing_extensions")
    for name in ("Generator", "Iterator", "Iterable", "AsyncGenerator", "AsyncIterator", "AsyncIterable")
})

# The spellings of FastAPI's `Depends` and `Security`: a parameter defaulting to one gets its provider's value.
DEPENDS_FUNCTIONS = frozenset({
    "fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security",
    "fastapi.param_functions.Depends", "fastapi.param_functions.Security",
})

# Decorators that make a generator a context manager: `with f() as x` binds what it yields.
CONTEXT_MANAGER_DECORATORS = frozenset({"contextlib.contextmanager", "contextlib.asynccontextmanager"})

# Decorators that make a method's value an attribute read.
PROPERTY_DECORATORS = frozenset({"builtins.property", "functools.cached_property"})

# `-> Self` names the class the method is called on.
SELF_TYPES = frozenset({"typing.Self", "typing_extensions.Self"})

# Types whose `/` operator builds another path of the same type.
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "anyio.Path", "trio.Path"})

# Different spellings of one thing, mapped to the name the tables use.
ALIASES: dict[str, str] = {
    "requests.sessions.Session": "requests.Session",
    "requests.api.get": "requests.get",
    "sqlalchemy.engine.Engine": "sqlalchemy.Engine",
    "sqlalchemy.engine.Connection": "sqlalchemy.Connection",
    "sqlalchemy.engine.create_engine": "sqlalchemy.create_engine",
    "sqlalchemy.orm.session.Session": "sqlalchemy.orm.Session",
    "sqlmodel.Session": "sqlalchemy.orm.Session",
    "sqlmodel.create_engine": "sqlalchemy.create_engine",
    "sqlmodel.ext.asyncio.session.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.session.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.engine.AsyncConnection": "sqlalchemy.ext.asyncio.AsyncConnection",
    "sqlalchemy.ext.asyncio.engine.AsyncEngine": "sqlalchemy.ext.asyncio.AsyncEngine",
    "asyncpg.connection.Connection": "asyncpg.Connection",
    "asyncpg.pool.PoolConnectionProxy": "asyncpg.Connection",
    "asyncpg.pool.Pool": "asyncpg.Pool",
    "aiohttp.client.ClientSession": "aiohttp.ClientSession",
    "asyncio.events.AbstractEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.BaseEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.base_events.BaseEventLoop": "asyncio.AbstractEventLoop",
    "starlette.background.BackgroundTasks": "fastapi.BackgroundTasks",
    "fastapi.background.BackgroundTasks": "fastapi.BackgroundTasks",
    "starlette.requests.Request": "starlette.requests.Request",
    "fastapi.Request": "starlette.requests.Request",
    "fastapi.requests.Request": "starlette.requests.Request",
    "aiohttp.ClientResponse": "aiohttp.ClientResponse",
    "http.client.HTTPSConnection": "http.client.HTTPSConnection",
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "anyio.Path": "anyio.Path",
    "redis.client.Redis": "redis.Redis",
    "pymysql.connections.Connection": "pymysql.Connection",
}

# Libraries with the same API, treated alike everywhere (httpx2 continues httpx).
SAME_API_PREFIXES: dict[str, str] = {"httpx2.": "httpx."}


def canonical(qualname: str) -> str:
    """The spelling the knowledge tables use for a qualified name."""
    for prefix, target in SAME_API_PREFIXES.items():
        if qualname.startswith(prefix):
            qualname = target + qualname[len(prefix):]
            break
    return ALIASES.get(qualname, qualname)
