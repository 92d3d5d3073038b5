"""Database drivers and ORMs: the sync ones block (AL105), their async
twins give coroutines."""

from __future__ import annotations

from asynclint.knowledge.library import Calls, Library


def _driver(alternative: str) -> str:
    return f"use an async driver ({alternative}) and `await` it"


_SQLITE = _driver("`aiosqlite`")
_PG = _driver("`asyncpg`, or psycopg 3's `AsyncConnection`")
_MYSQL = _driver("`aiomysql` or `asyncmy`")
_MONGO = _driver("`motor` or pymongo's `AsyncMongoClient`")
_REDIS = _driver("`redis.asyncio.Redis`")
_SESSION = "use SQLAlchemy's `AsyncSession` and `await` it (or make the endpoint a plain `def`)"
_CURSOR_METHODS = ("execute", "executemany", "fetchone", "fetchmany", "fetchall", "callproc")

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
    Library("MySQLdb", blocking=(Calls("AL105", _MYSQL, ("MySQLdb.connect",)),)),
    Library("mysql.connector", blocking=(Calls("AL105", _MYSQL, ("mysql.connector.connect",)),)),
    Library(
        "pymongo",
        builds={"pymongo.MongoClient": "pymongo.MongoClient"},
        blocking=(Calls("AL105", _MONGO, ("pymongo.MongoClient",)),),
    ),
    Library(
        "redis",
        builds={
            "redis.Redis": "redis.Redis",
            "redis.StrictRedis": "redis.Redis",
            "redis.Redis.from_url": "redis.Redis",
            "redis.from_url": "redis.Redis",
        },
        blocking=(
            Calls("AL105", _REDIS, (
                "redis.Redis", "redis.from_url", "redis.Redis.from_url",
                *(f"redis.Redis.{m}"
                  for m in ("get", "set", "delete", "exists", "expire", "incr", "decr", "hget", "hset", "hgetall",
                            "hdel", "lpush", "rpush", "lpop", "rpop", "lrange", "sadd", "srem", "smembers", "zadd",
                            "zrange", "publish", "ping", "keys", "scan", "mget", "mset", "setex", "execute_command",
                            "flushdb", "ttl")),
            )),
        ),
        aliases={"redis.client.Redis": "redis.Redis"},
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
                # Only with an Engine or Connection argument (the rule checks):
                # inspecting an ORM object or a class does no I/O.
                "sqlalchemy.inspect",
            )),
        ),
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
