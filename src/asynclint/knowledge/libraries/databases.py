"""Database drivers and ORMs: the sync ones block (AL105), their async
twins give coroutines."""

from __future__ import annotations

from asynclint.knowledge.library import Arguments, Calls, Library, Namespace


def _driver(alternative: str) -> str:
    return f"use an async driver ({alternative}) and `await` it"


_SQLITE = _driver("`aiosqlite`")
_PG = _driver("`asyncpg`, or psycopg 3's `AsyncConnection`")
_MYSQL = _driver("`aiomysql` or `asyncmy`")
_MONGO = _driver("`motor` or pymongo's `AsyncMongoClient`")
_REDIS = _driver("`redis.asyncio.Redis`")
_SESSION = "use SQLAlchemy's `AsyncSession` and `await` it (or make the endpoint a plain `def`)"
_CURSOR_METHODS = ("execute", "executemany", "fetchone", "fetchmany", "fetchall", "callproc")
# Members of a redis client that build something locally (a pipeline, a lock,
# a pub/sub object) or read its own state, rather than send a command.
_REDIS_LOCAL = frozenset(
    {"pipeline", "pubsub", "lock", "register_script", "monitor", "get_connection_kwargs", "get_encoder",
     "set_response_callback", "get_retry", "set_retry", "connection_pool", "response_callbacks", "client",
     "scan_iter", "hscan_iter", "sscan_iter", "zscan_iter", "close", "transaction", "from_pool", "from_url",
     # the modules' command groups: `r.json().get(...)` sends on `get`
     "json", "ft", "ts", "bf", "cf", "cms", "topk", "tdigest", "graph"}
)
# pymongo's collection and database methods that talk to the server:
# `client.db.users.find_one(...)` however the database and collection are reached.
_MONGO_METHODS = frozenset(
    {"find_one", "insert_one", "insert_many", "update_one", "update_many", "replace_one", "delete_one",
     "delete_many", "count_documents", "estimated_document_count", "aggregate", "distinct", "find_one_and_update",
     "find_one_and_delete", "find_one_and_replace", "bulk_write", "create_index", "create_indexes", "drop_index",
     "drop", "list_collection_names", "list_database_names", "command", "server_info", "drop_database",
     "create_collection", "drop_collection", "list_indexes", "index_information", "watch"}
)
# peewee query methods that return another query: `User.select().where(...).first()`.
_PEEWEE_BUILDERS = ("where", "order_by", "limit", "offset", "join", "switch", "group_by", "having", "distinct",
                    "paginate", "objects")
# Query methods that return another query: `db.query(User).filter(...).first()`.
_QUERY_BUILDERS = (
    "filter", "filter_by", "where", "order_by", "join", "outerjoin", "limit", "offset", "options", "group_by",
    "having", "distinct", "with_entities", "select_from", "params", "execution_options",
)

LIBRARIES = (
    Library(
        "sqlite3",
        builds={"sqlite3.connect": "sqlite3.Connection", "sqlite3.Connection.cursor": "sqlite3.Cursor"},
        blocking=(
            Calls("AL105", _SQLITE, (
                "sqlite3.connect",
                *(f"sqlite3.Connection.{m}"
                  for m in ("execute", "executemany", "executescript", "commit", "rollback", "close", "backup")),
                *(f"sqlite3.Cursor.{m}" for m in (*_CURSOR_METHODS, "executescript")),
            )),
        ),
    ),
    Library(
        "psycopg2",
        builds={"psycopg2.connect": "psycopg2.connection", "psycopg2.connection.cursor": "psycopg2.cursor"},
        blocking=(
            Calls("AL105", _PG, (
                "psycopg2.connect",
                *(f"psycopg2.connection.{m}" for m in ("commit", "rollback", "close")),
                *(f"psycopg2.cursor.{m}" for m in (*_CURSOR_METHODS, "copy_expert", "copy_from", "copy_to")),
            )),
        ),
    ),
    Library(
        "psycopg",
        builds={
            "psycopg.connect": "psycopg.Connection",
            "psycopg.Connection.connect": "psycopg.Connection",
            "psycopg.Connection.cursor": "psycopg.Cursor",
        },
        blocking=(
            Calls("AL105", _PG, (
                "psycopg.connect",
                "psycopg.Connection.connect",
                *(f"psycopg.Connection.{m}" for m in ("execute", "commit", "rollback", "close")),
                *(f"psycopg.Cursor.{m}" for m in (*_CURSOR_METHODS, "copy")),
            )),
        ),
    ),
    Library(
        "psycopg_pool",
        builds={
            "psycopg_pool.ConnectionPool": "psycopg_pool.ConnectionPool",
            "psycopg_pool.ConnectionPool.getconn": "psycopg.Connection",
            "psycopg_pool.ConnectionPool.connection": "psycopg.Connection",
            "psycopg_pool.AsyncConnectionPool": "psycopg_pool.AsyncConnectionPool",
        },
        # taking a connection waits for a free one (or opens one); `with pool.connection()` takes one
        blocking=(
            Calls("AL105", "use `psycopg_pool.AsyncConnectionPool` and `await` it", tuple(
                f"psycopg_pool.ConnectionPool.{m}" for m in ("getconn", "connection", "putconn", "open", "close", "wait",
                                                             "check", "resize")
            )),
        ),
        coroutines=tuple(
            f"psycopg_pool.AsyncConnectionPool.{m}" for m in ("getconn", "putconn", "open", "close", "wait", "check",
                                                              "resize")
        ),
        aliases={"psycopg_pool.pool.ConnectionPool": "psycopg_pool.ConnectionPool",
                 "psycopg_pool.pool_async.AsyncConnectionPool": "psycopg_pool.AsyncConnectionPool"},
    ),
    Library(
        "psycopg2.pool",
        builds={
            **{f"psycopg2.pool.{cls}": "psycopg2.pool.AbstractConnectionPool"
               for cls in ("SimpleConnectionPool", "ThreadedConnectionPool")},
            "psycopg2.pool.AbstractConnectionPool.getconn": "psycopg2.connection",
        },
        # building one opens `minconn` connections; `getconn` may open another
        blocking=(
            Calls("AL105", _PG, (
                "psycopg2.pool.SimpleConnectionPool", "psycopg2.pool.ThreadedConnectionPool",
                *(f"psycopg2.pool.AbstractConnectionPool.{m}" for m in ("getconn", "putconn", "closeall")),
            )),
        ),
    ),
    Library(
        "peewee",
        # A model's class methods run queries at once; `select()` and friends build a query
        # that runs when executed, iterated or asked for a row.
        builds={
            "peewee.Model": "peewee.Model",
            **{f"peewee.Model.{m}": "peewee.ModelSelect" for m in ("select", "filter")},
            **{f"peewee.ModelSelect.{m}": "peewee.ModelSelect" for m in _PEEWEE_BUILDERS},
        },
        blocking=(
            Calls("AL105", "use an async ORM (`peewee-async`, Tortoise ORM, SQLAlchemy's `AsyncSession`) or "
                           "`await {to_thread}(...)`", (
                *(f"peewee.Model.{m}" for m in ("get", "get_or_none", "get_by_id", "create", "get_or_create",
                                                 "insert_many", "bulk_create", "bulk_update", "save", "delete_instance",
                                                 "delete_by_id", "create_table", "drop_table", "table_exists")),
                *(f"peewee.ModelSelect.{m}" for m in ("get", "get_or_none", "first", "count", "exists", "execute",
                                                       "scalar", "dicts", "tuples")),
            )),
        ),
        elements={"peewee.Model.select": "peewee.Model"},
    ),
    Library(
        "pymysql",
        builds={"pymysql.connect": "pymysql.Connection", "pymysql.Connection.cursor": "pymysql.Cursor"},
        blocking=(
            Calls("AL105", _MYSQL, (
                "pymysql.connect",
                *(f"pymysql.Connection.{m}" for m in ("commit", "rollback", "close", "ping", "query")),
                *(f"pymysql.Cursor.{m}" for m in _CURSOR_METHODS),
            )),
        ),
        aliases={"pymysql.connections.Connection": "pymysql.Connection"},
    ),
    Library(
        "MySQLdb",
        builds={"MySQLdb.connect": "MySQLdb.Connection", "MySQLdb.Connection.cursor": "MySQLdb.Cursor"},
        blocking=(
            Calls("AL105", _MYSQL, (
                "MySQLdb.connect",
                *(f"MySQLdb.Connection.{m}" for m in ("commit", "rollback", "close", "ping", "query")),
                *(f"MySQLdb.Cursor.{m}" for m in _CURSOR_METHODS),
            )),
        ),
    ),
    Library(
        "mysql.connector",
        builds={
            "mysql.connector.connect": "mysql.connector.MySQLConnection",
            "mysql.connector.MySQLConnection.cursor": "mysql.connector.MySQLCursor",
        },
        blocking=(
            Calls("AL105", _MYSQL, (
                "mysql.connector.connect",
                *(f"mysql.connector.MySQLConnection.{m}" for m in ("commit", "rollback", "close", "ping", "reconnect")),
                *(f"mysql.connector.MySQLCursor.{m}" for m in _CURSOR_METHODS),
            )),
        ),
    ),
    Library(
        "pymongo",
        builds={
            "pymongo.MongoClient": "pymongo.MongoClient",
            "pymongo.MongoClient.get_database": "pymongo.database.Database",
            "pymongo.MongoClient.get_default_database": "pymongo.database.Database",
            "pymongo.database.Database.get_collection": "pymongo.collection.Collection",
            # `client["db"]["users"]`
            "pymongo.MongoClient.__getitem__": "pymongo.database.Database",
            "pymongo.database.Database.__getitem__": "pymongo.collection.Collection",
        },
        blocking=(
            Calls("AL105", _MONGO, ("pymongo.MongoClient",), namespaces=tuple(
                Namespace(typ, methods=_MONGO_METHODS)
                for typ in ("pymongo.MongoClient", "pymongo.database.Database", "pymongo.collection.Collection")
            )),
        ),
        aliases={
            "pymongo.mongo_client.MongoClient": "pymongo.MongoClient",
            "pymongo.synchronous.mongo_client.MongoClient": "pymongo.MongoClient",
            "pymongo.synchronous.database.Database": "pymongo.database.Database",
            "pymongo.synchronous.collection.Collection": "pymongo.collection.Collection",
        },
    ),
    Library(
        "redis",
        builds={
            "redis.Redis": "redis.Redis",
            "redis.StrictRedis": "redis.Redis",
            "redis.Redis.from_url": "redis.Redis",
            "redis.from_url": "redis.Redis",
            "redis.Redis.pipeline": "redis.client.Pipeline",
            "redis.asyncio.Redis": "redis.asyncio.Redis",
            "redis.asyncio.from_url": "redis.asyncio.Redis",
            "redis.asyncio.Redis.from_url": "redis.asyncio.Redis",
            "redis.asyncio.Redis.pipeline": "redis.asyncio.client.Pipeline",
        },
        blocking=(
            Calls("AL105", _REDIS, (
                "redis.Redis", "redis.from_url", "redis.Redis.from_url",
                *(f"redis.Redis.{m}"
                  for m in ("get", "set", "delete", "exists", "expire", "incr", "decr", "hget", "hset", "hgetall",
                            "hdel", "lpush", "rpush", "lpop", "rpop", "lrange", "sadd", "srem", "smembers", "zadd",
                            "zrange", "publish", "ping", "keys", "scan", "mget", "mset", "setex", "execute_command",
                            "flushdb", "ttl")),
            ), namespaces=(
                # every other command of a sync client; a pipeline sends its commands on `execute`
                Namespace("redis.Redis", pure=_REDIS_LOCAL, depth=1),
                Namespace("redis.client.Pipeline", methods=frozenset({"execute"})),
            )),
        ),
        coroutine_namespaces=(
            Namespace("redis.asyncio.Redis", pure=_REDIS_LOCAL - {"close"}, depth=1),
            Namespace("redis.asyncio.client.Pipeline", methods=frozenset({"execute"})),
        ),
        aliases={"redis.client.Redis": "redis.Redis", "redis.asyncio.client.Redis": "redis.asyncio.Redis",
                 "redis.asyncio.StrictRedis": "redis.asyncio.Redis"},
    ),
    Library(
        "sqlalchemy",
        builds={
            "sqlalchemy.create_engine": "sqlalchemy.Engine",
            "sqlalchemy.Engine.connect": "sqlalchemy.Connection",
            "sqlalchemy.Engine.begin": "sqlalchemy.Connection",
            "sqlalchemy.orm.Session": "sqlalchemy.orm.Session",
            "sqlalchemy.orm.sessionmaker": "sqlalchemy.orm.sessionmaker",
            "sqlalchemy.orm.sessionmaker.__call__": "sqlalchemy.orm.Session",
            "sqlalchemy.orm.Session.query": "sqlalchemy.orm.Query",
            **{f"sqlalchemy.orm.Query.{m}": "sqlalchemy.orm.Query" for m in _QUERY_BUILDERS},
            # a thread-local registry of sessions that passes every call on to its session
            "sqlalchemy.orm.scoped_session": "sqlalchemy.orm.Session",
            "sqlalchemy.ext.asyncio.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
            "sqlalchemy.ext.asyncio.create_async_engine": "sqlalchemy.ext.asyncio.AsyncEngine",
            "sqlalchemy.ext.asyncio.async_sessionmaker": "sqlalchemy.ext.asyncio.async_sessionmaker",
            "sqlalchemy.ext.asyncio.async_sessionmaker.__call__": "sqlalchemy.ext.asyncio.AsyncSession",
            "sqlalchemy.ext.asyncio.AsyncEngine.connect": "sqlalchemy.ext.asyncio.AsyncConnection",
            "sqlalchemy.ext.asyncio.AsyncEngine.begin": "sqlalchemy.ext.asyncio.AsyncConnection",
        },
        blocking=(
            Calls("AL105", _SESSION, (
                *(f"sqlalchemy.orm.Session.{m}"
                  for m in ("execute", "scalars", "scalar", "get", "commit", "flush", "refresh", "rollback", "exec",
                            "merge", "delete", "close", "connection", "get_one")),
                *(f"sqlalchemy.orm.Query.{m}"
                  for m in ("all", "first", "one", "one_or_none", "scalar", "count", "delete", "update")),
                *(f"sqlalchemy.Engine.{m}" for m in ("connect", "begin")),
                *(f"sqlalchemy.Connection.{m}"
                  for m in ("execute", "scalar", "scalars", "commit", "rollback", "exec_driver_sql")),
                "sqlalchemy.inspect",
            )),
        ),
        # inspecting an ORM object or a class does no I/O; an engine or connection is asked
        blocks_when={"sqlalchemy.inspect": Arguments(frozenset({"sqlalchemy.Engine", "sqlalchemy.Connection"}))},
        coroutines=(
            *(f"sqlalchemy.ext.asyncio.AsyncSession.{m}"
              for m in ("execute", "scalars", "scalar", "get", "get_one", "commit", "rollback", "flush", "refresh",
                        "close", "delete", "merge", "stream", "stream_scalars", "run_sync", "connection", "invalidate")),
            "sqlalchemy.ext.asyncio.AsyncEngine.dispose",
        ),
        aliases={
            "sqlalchemy.engine.Engine": "sqlalchemy.Engine",
            "sqlalchemy.engine.Connection": "sqlalchemy.Connection",
            "sqlalchemy.engine.create_engine": "sqlalchemy.create_engine",
            "sqlalchemy.orm.session.Session": "sqlalchemy.orm.Session",
            "sqlalchemy.ext.asyncio.session.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
            "sqlalchemy.ext.asyncio.engine.AsyncConnection": "sqlalchemy.ext.asyncio.AsyncConnection",
            "sqlalchemy.ext.asyncio.engine.AsyncEngine": "sqlalchemy.ext.asyncio.AsyncEngine",
            # SQLModel's are SQLAlchemy's
            "sqlmodel.Session": "sqlalchemy.orm.Session",
            "sqlmodel.create_engine": "sqlalchemy.create_engine",
            "sqlmodel.ext.asyncio.session.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
        },
        async_only=("sqlalchemy.ext.asyncio.AsyncSession",),
    ),
    Library(
        "asyncpg",
        builds={
            "asyncpg.connect": "asyncpg.Connection",
            "asyncpg.create_pool": "asyncpg.Pool",
            "asyncpg.Pool.acquire": "asyncpg.Connection",
        },
        aliases={
            "asyncpg.connection.Connection": "asyncpg.Connection",
            "asyncpg.pool.PoolConnectionProxy": "asyncpg.Connection",
            "asyncpg.pool.Pool": "asyncpg.Pool",
        },
    ),
)
