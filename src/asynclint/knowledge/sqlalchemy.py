"""Async SQLAlchemy: session factories and the drivers an async engine accepts."""

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
