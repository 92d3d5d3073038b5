"""Synchronous database drivers and ORMs (AL105)."""

CODE = "AL105"

_DRIVER = "use an async driver ({alternative}) and `await` it"
_SESSION = "use SQLAlchemy's `AsyncSession` and `await` it (or make the endpoint a plain `def`)"


def _driver(alternative: str) -> str:
    return _DRIVER.replace("{alternative}", alternative)


_SQLITE = _driver("`aiosqlite`")
_PG = _driver("`asyncpg`, or psycopg 3's `AsyncConnection`")
_MYSQL = _driver("`aiomysql` or `asyncmy`")
_MONGO = _driver("`motor` or pymongo's `AsyncMongoClient`")
_REDIS = _driver("`redis.asyncio.Redis`")
_CURSOR_METHODS = ("execute", "executemany", "fetchone", "fetchmany", "fetchall", "callproc")

BLOCKING = {
    # sqlite3
    "sqlite3.connect": _SQLITE,
    **{f"sqlite3.Connection.{m}": _SQLITE for m in ("execute", "executemany", "executescript", "commit", "rollback", "close", "backup")},
    **{f"sqlite3.Cursor.{m}": _SQLITE for m in (*_CURSOR_METHODS, "executescript")},
    # psycopg2 and psycopg 3 (sync)
    "psycopg2.connect": _PG,
    **{f"psycopg2.connection.{m}": _PG for m in ("commit", "rollback", "close")},
    **{f"psycopg2.cursor.{m}": _PG for m in (*_CURSOR_METHODS, "copy_expert", "copy_from", "copy_to")},
    "psycopg.connect": _PG,
    "psycopg.Connection.connect": _PG,
    **{f"psycopg.Connection.{m}": _PG for m in ("execute", "commit", "rollback", "close")},
    **{f"psycopg.Cursor.{m}": _PG for m in (*_CURSOR_METHODS, "copy")},
    # MySQL
    "pymysql.connect": _MYSQL,
    **{f"pymysql.Connection.{m}": _MYSQL for m in ("commit", "rollback", "close", "ping", "query")},
    **{f"pymysql.Cursor.{m}": _MYSQL for m in _CURSOR_METHODS},
    "MySQLdb.connect": _MYSQL,
    "mysql.connector.connect": _MYSQL,
    # MongoDB
    "pymongo.MongoClient": _MONGO,
    # Redis (sync client)
    "redis.Redis": _REDIS,
    "redis.from_url": _REDIS,
    "redis.Redis.from_url": _REDIS,
    **{
        f"redis.Redis.{m}": _REDIS
        for m in ("get", "set", "delete", "exists", "expire", "incr", "decr", "hget", "hset", "hgetall", "hdel",
                  "lpush", "rpush", "lpop", "rpop", "lrange", "sadd", "srem", "smembers", "zadd", "zrange",
                  "publish", "ping", "keys", "scan", "mget", "mset", "setex", "execute_command", "flushdb", "ttl")
    },
    # SQLAlchemy / SQLModel sync sessions and engines
    **{
        f"sqlalchemy.orm.Session.{m}": _SESSION
        for m in ("execute", "scalars", "scalar", "get", "commit", "flush", "refresh", "rollback", "exec",
                  "merge", "delete", "close", "connection", "get_one")
    },
    **{f"sqlalchemy.orm.Query.{m}": _SESSION for m in ("all", "first", "one", "one_or_none", "scalar", "count", "delete", "update")},
    **{f"sqlalchemy.Engine.{m}": _SESSION for m in ("connect", "begin")},
    **{f"sqlalchemy.Connection.{m}": _SESSION for m in ("execute", "scalar", "scalars", "commit", "rollback", "exec_driver_sql")},
    # Only with an Engine or Connection argument (the rule checks): inspecting
    # an ORM object or a class does no I/O.
    "sqlalchemy.inspect": _SESSION,
}
