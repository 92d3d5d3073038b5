"""AL105: synchronous database drivers and ORM sessions in async context."""

from __future__ import annotations

from asynclint.rules._blocking import BlockingCallRule


class BlockingDatabaseCall(BlockingCallRule):
    """
    ## What it does
    Flags synchronous database work inside an `async def`: `sqlite3`,
    `psycopg2` and psycopg 3's sync `connect` and calls on their connections
    and cursors, `pymysql`, `pymongo.MongoClient`, the sync `redis.Redis`
    client, and I/O on a SQLAlchemy/SQLModel sync `Session` or `Engine`
    (`execute`, `scalars`, `get`, `commit`, `flush`, `refresh`,
    `query(...).all()`, `inspect(engine)`), including a `Session` received as
    a parameter (`session: Session = Depends(get_session)`). `add`,
    `add_all` and `expunge` do no I/O and are not flagged, nor is anything on
    an `AsyncSession`.

    ## Why is this bad?
    Every query holds the event loop until the database answers; under load
    the whole service runs one query at a time.

    ## Example
    ```python
    from fastapi import Depends
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    async def list_users(session: Session = Depends(get_session)):
        return session.execute(select(User)).scalars().all()
    ```

    ## Use instead
    ```python
    from fastapi import Depends
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession

    async def list_users(session: AsyncSession = Depends(get_session)):
        result = await session.execute(select(User))
        return result.scalars().all()
    ```
    Or keep the sync session and make the endpoint a plain `def`: FastAPI
    then runs it in its threadpool.

    ## Fix safety
    No fix.
    """

    code = "AL105"
    name = "blocking-database-call"
    summary = "synchronous database call in async context"
