"""Database sessions and connections that run one operation at a time.

Each of these holds one connection (or a session bound to one) and keeps
the state of the operation in flight on it: two tasks using it at once
interleave their queries on the wire, which the library refuses. Keys are
canonical types; values say what the object is and what goes wrong.
"""

from __future__ import annotations

ONE_OPERATION_AT_A_TIME: dict[str, str] = {
    "sqlalchemy.ext.asyncio.AsyncSession": (
        "an `AsyncSession`: one operation at a time, else SQLAlchemy raises `InvalidRequestError`"
    ),
    "sqlalchemy.ext.asyncio.AsyncConnection": (
        "an `AsyncConnection`: one statement at a time, else the driver raises"
    ),
    "asyncpg.Connection": (
        "an asyncpg connection: one query at a time, else asyncpg raises `InterfaceError`"
    ),
}
