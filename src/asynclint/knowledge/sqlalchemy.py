"""Async SQLAlchemy: session factories, the drivers an async engine accepts, and how\nrelationships load (AL704)."""

from __future__ import annotations

SESSIONMAKER = "sqlalchemy.orm.sessionmaker"
ASYNC_SESSIONMAKER = "sqlalchemy.ext.asyncio.async_sessionmaker"
ASYNC_SESSION = "sqlalchemy.ext.asyncio.AsyncSession"
CREATE_ASYNC_ENGINE = "sqlalchemy.ext.asyncio.create_async_engine"

# URL scheme -> an async driver for the same database. Only drivers that
# cannot run under asyncio are listed: bare `postgresql://` is fine on
# SQLAlchemy 2.1+, which picks psycopg 3 and its async mode.
SYNC_ONLY_DRIVERS: dict[str, str] = {
    "postgresql+psycopg2": "postgresql+asyncpg",
    "postgresql+pg8000": "postgresql+asyncpg",
    "postgresql+psycopg2cffi": "postgresql+asyncpg",
    "mysql": "mysql+aiomysql",
    "mysql+pymysql": "mysql+aiomysql",
    "mysql+mysqldb": "mysql+aiomysql",
    "mysql+mysqlconnector": "mysql+aiomysql",
    "mariadb": "mariadb+aiomysql",
    "mariadb+pymysql": "mariadb+aiomysql",
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "mssql+pyodbc": "mssql+aioodbc",
    "mssql+pymssql": "mssql+aioodbc",
    "oracle+cx_oracle": "oracle+oracledb",
}

# ---------------------------------------------------------------- lazy loads (AL704)
# The calls whose literal keywords the model keeps when they are assigned to a
# module-level name or a class attribute, by the name written (the model does
# not resolve): a relationship's `lazy=`, a factory's `expire_on_commit=`.
KEYWORDS_KEPT_FOR = frozenset({"relationship", "relation", "async_sessionmaker", "sessionmaker"})

RELATIONSHIP_FUNCTIONS = frozenset({"sqlalchemy.orm.relationship", "sqlalchemy.orm.relation"})
# `lazy=` values that load the attribute with a query when it is first read
# (the default is "select"): under an AsyncSession that query cannot run.
# "joined", "selectin", "subquery" and "immediate" load with the parent;
# "raise" / "raise_on_sql" raise an error of their own; "noload" never loads;
# "dynamic" and "write_only" are queried through their own API.
LOADS_WHEN_READ: frozenset[object] = frozenset({"select", True})
DEFAULT_LAZY = "select"

SELECT_FUNCTIONS = frozenset(
    {"sqlalchemy.select", "sqlalchemy.future.select", "sqlalchemy.sql.select", "sqlalchemy.sql.expression.select"}
)
# Methods of a `select(...)` that keep what it selects (`.options(...)` also says what it loads).
STATEMENT_METHODS = frozenset(
    {"where", "filter", "filter_by", "order_by", "limit", "offset", "join", "outerjoin", "join_from",
     "outerjoin_from", "distinct", "group_by", "having", "options", "execution_options", "with_for_update",
     "params", "fetch", "slice", "correlate", "select_from", "prefix_with", "suffix_with"}
)
LOADER_OPTIONS_METHOD = "options"

# What an AsyncSession's query methods give, awaited: "result" (rows),
# "scalars" (the first entity of each row), "object" (one instance, or None).
SESSION_QUERIES: dict[str, str] = {
    "sqlalchemy.ext.asyncio.AsyncSession.execute": "result",
    "sqlalchemy.ext.asyncio.AsyncSession.scalars": "scalars",
    "sqlalchemy.ext.asyncio.AsyncSession.scalar": "object",
    "sqlalchemy.ext.asyncio.AsyncSession.get": "object",
    "sqlalchemy.ext.asyncio.AsyncSession.get_one": "object",
}
# Calls given the mapped class first, the instance's primary key next (and loader options as `options=`).
SESSION_GETS = frozenset({"sqlalchemy.ext.asyncio.AsyncSession.get", "sqlalchemy.ext.asyncio.AsyncSession.get_one"})
# (what a value is, a method called on it) -> what the method gives: "list" is a list of instances.
RESULT_STEPS: dict[tuple[str, str], str] = {
    ("result", "scalars"): "scalars",
    ("result", "unique"): "result",
    ("result", "scalar"): "object",
    ("result", "scalar_one"): "object",
    ("result", "scalar_one_or_none"): "object",
    ("scalars", "unique"): "scalars",
    ("scalars", "first"): "object",
    ("scalars", "one"): "object",
    ("scalars", "one_or_none"): "object",
    ("scalars", "all"): "list",
    ("scalars", "fetchall"): "list",
}
# What iterating over a value gives.
ITERATED: dict[str, str] = {"scalars": "object", "list": "object"}
# The `AsyncAttrs` mixin's accessor: `await obj.awaitable_attrs.children` loads the attribute.
AWAITABLE_ATTRS = "awaitable_attrs"

# What maps a class attribute to a column or relationship: reading one after a
# commit that expired its object reloads it (also `x: Mapped[int]` alone).
MAPPED_ATTRIBUTE_FUNCTIONS = RELATIONSHIP_FUNCTIONS | frozenset(
    {"sqlalchemy.orm.mapped_column", "sqlalchemy.Column", "sqlalchemy.schema.Column", "sqlalchemy.orm.column_property",
     "sqlalchemy.orm.deferred", "sqlalchemy.orm.composite"}
)
MAPPED_ANNOTATION = "sqlalchemy.orm.Mapped"
# Calling one of these gives an AsyncSession that expires its objects on commit
# unless `expire_on_commit=False` is given (to it, or to the factory).
EXPIRING_SESSION_MAKERS = frozenset({ASYNC_SESSION, f"{ASYNC_SESSIONMAKER}.__call__"})
EXPIRE_ON_COMMIT = "expire_on_commit"
SESSION_COMMIT = "sqlalchemy.ext.asyncio.AsyncSession.commit"
# `session.add(obj)`: the object is the session's from then on (and expired by its commit).
SESSION_ADDS = frozenset({"sqlalchemy.ext.asyncio.AsyncSession.add"})
