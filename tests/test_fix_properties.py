"""Property: for any program built from async snippets, `--fix` (unsafe
included) produces code that parses, and fixing again changes nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asynclint.engine import Checker
from asynclint.fixes import fix_source, parses
from tests.helpers import EVERY_RULE

HEADER = [
    "import asyncio",
    "import time",
    "from time import sleep",
    "from fastapi import BackgroundTasks",
    "from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine",
    "from sqlalchemy.orm import sessionmaker",
]
TOP_LEVEL = [
    "engine = create_async_engine('sqlite:///app.db')",
    "Factory = sessionmaker(engine, class_=AsyncSession)",
    "Other = async_sessionmaker(engine)",
    "async def save(x=None):\n    return x",
    "def job(x):\n    return x",
]
BODY = [
    "time.sleep(1)",
    "sleep(0.1)  # noqa: AL101",
    "loop = asyncio.get_event_loop()",
    "save()",
    "save(1)  # trailing comment",
    "value = save()",
    "tasks.add_task(job(1))",
    "tasks.add_task(save(2))",
    "async with asyncio.timeout(1):\n        total = 1",
    "async with asyncio.timeout(1):\n        await save()",
    "if flag:\n        time.sleep(0)\n    else:\n        save()",
    "x = [save() for _ in range(2)]",
    "return save()",
]


@st.composite
def programs(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(HEADER), unique=True))
    top = draw(st.lists(st.sampled_from(TOP_LEVEL), unique=True))
    body = draw(st.lists(st.sampled_from(BODY), min_size=1, max_size=6))
    indent = draw(st.sampled_from(["    ", "\t"]))
    lines = [*header, *top, "async def handler(tasks: BackgroundTasks, flag):"]
    lines += [indent + line.replace("\n    ", "\n" + indent) for line in body]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return (newline.join(lines) + newline).replace("\n", newline).replace("\r\r\n", "\r\n").encode()


@settings(max_examples=60, deadline=None)
@given(programs())
def test_fix_output_parses_and_is_idempotent(source: bytes) -> None:
    checker = Checker(EVERY_RULE)
    outcome = fix_source(checker, source, "generated.py", unsafe=True)
    assert parses(outcome.source)
    assert not [d for d in outcome.dropped if "converge" in d]
    again = fix_source(checker, outcome.source, "generated.py", unsafe=True)
    assert again.source == outcome.source
