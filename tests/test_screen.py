"""The first look: that it skips libcst where no rule can fire, and that it
never hides a finding."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from asynclint import engine
from asynclint.config import Settings
from asynclint.engine import Checker
from asynclint.model.build import build_model
from asynclint.screen import FirstLook
from tests.helpers import EVERY_RULE, FIXTURES, expected_findings

ALL_FIXTURES = sorted(FIXTURES.rglob("*.py"))


def test_a_file_no_rule_can_fire_on_is_not_parsed_by_libcst(monkeypatch) -> None:
    parsed = []
    real = cst.parse_module
    monkeypatch.setattr(engine.cst, "parse_module", lambda source: parsed.append(source) or real(source))
    checker = Checker(EVERY_RULE)
    quiet = b"import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n    return [x async for x in stream()]\n"
    assert checker.check_source(quiet, "quiet.py").diagnostics == []
    assert parsed == [], "an async file with nothing to find needs no libcst parse"
    loud = b"import time\n\nasync def main():\n    time.sleep(1)\n"
    assert [d.code for d in checker.check_source(loud, "loud.py").diagnostics] == ["AL102"]
    assert parsed == [loud]


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_screening_never_hides_a_finding(path: Path) -> None:
    screened = Checker(EVERY_RULE).check_file(str(path))
    unscreened = Checker(EVERY_RULE, screening=False).check_file(str(path))
    assert screened.diagnostics == unscreened.diagnostics
    assert screened.errors == unscreened.errors


def _one_case_each(path: Path) -> list[str]:
    """The fixture once per flagged top-level statement, without the other
    flagged statements (imports and helpers stay): a screen that misses one
    case is caught even when another case of the file would keep it open."""
    import ast

    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    flagged_lines = {line for line, _ in expected_findings(path)}
    statements = ast.parse(source).body
    spans = []
    for statement in statements:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))])
        spans.append((first, statement.end_lineno))
    flagged = [span for span in spans if any(span[0] <= line <= span[1] for line in flagged_lines)]
    variants = []
    for keep in flagged:
        dropped = [span for span in flagged if span != keep]
        variants.append(
            "".join(
                text if not any(a <= number <= b for a, b in dropped) else "\n"
                for number, text in enumerate(lines, start=1)
            )
        )
    return variants


POSITIVE_FIXTURES = sorted(p for p in ALL_FIXTURES if expected_findings(p))


@pytest.mark.parametrize("path", POSITIVE_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_screening_misses_no_single_case(path: Path) -> None:
    screened, unscreened = Checker(EVERY_RULE), Checker(EVERY_RULE, screening=False)
    for variant in _one_case_each(path):
        data = variant.encode()
        assert screened.check_source(data, str(path)).diagnostics == unscreened.check_source(data, str(path)).diagnostics


def test_triggers_are_tested_as_substrings_first_then_as_written() -> None:
    from asynclint.engine import needles_of

    assert needles_of(rb"requests|httpx") == [b"requests", b"httpx"]
    assert needles_of(rb"\bawait\b") == [b"await"]
    assert needles_of(rb"gather|asyncio\.wait") == [b"gather", b"asyncio.wait"]
    assert needles_of(rb"[nN][oO][qQ][aA][^\n]*AL[0-9]") is None  # only the regex can say
    checker = Checker(EVERY_RULE)

    def codes(source: bytes) -> set[str]:
        return {rule.code for rule in checker.triggered(checker.rules, source)}

    assert "AL201" not in codes(b"x = awaited\n")  # the substring is there, the word is not
    assert "AL201" in codes(b"async def f():\n    await g()\n")


def test_the_trivia_table_is_whole_even_when_built_first() -> None:
    import subprocess
    import sys

    # In a fresh process, before anything else has looked into libcst.
    script = "from asynclint.rule import trivia\nimport libcst\nprint(libcst.SimpleWhitespace in trivia(), len(trivia()) > 20)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "True"], done.stderr




def test_a_configured_call_below_a_typed_name_passes_the_first_look() -> None:
    """The first look and the rules ask one resolver: a user's entry for a
    call under an instance's namespace is found with the first look too."""
    from asynclint.config import ExtraBlockingCall, Settings

    settings = Settings(
        extend_blocking_calls=(ExtraBlockingCall("openai.OpenAI.chat.completions.create", "use openai.AsyncOpenAI"),)
    )
    source = (
        b"import openai\n\nasync def answer(q: str):\n"
        b"    client: openai.OpenAI = openai.OpenAI()\n"
        b"    return client.chat.completions.create(model='m', messages=[])\n"
    )
    for checker in (Checker(settings), Checker(settings, screening=False)):
        found = checker.check_source(source, "app.py").diagnostics
        assert [(d.start.line, d.code) for d in found] == [(5, "AL106")]


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_no_first_look_raises(path: Path, monkeypatch) -> None:
    """A screen that raises is taken to say yes (a bug must not hide a
    finding), which also hides the bug: the fixtures must raise none."""
    def strict(rule, look, lookups) -> bool:
        return rule.screen(look, lookups)

    monkeypatch.setattr(engine, "_could_fire", strict)
    assert Checker(EVERY_RULE).check_file(str(path)).errors == []


def test_every_rule_has_a_first_look() -> None:
    """A rule declares the calls it is about (its first look comes from
    them), has a first look of its own, or says why its triggers are enough:
    otherwise libcst would silently parse every file it is triggered on."""
    from asynclint.registry import all_rules
    from asynclint.rule import Rule

    for code, rule in all_rules().items():
        own_look = rule.screen.__func__ is not Rule.screen.__func__
        assert rule.calls is not None or own_look or rule.triggered_is_enough, f"{code} has no first look"


def first_look(source: str, *rules) -> FirstLook:
    """The first look at a snippet, with the syntax nodes the rules ask for."""
    gather = frozenset(kind for rule in rules for kind in rule.first_look_nodes)
    model = build_model(textwrap.dedent(source).encode(), "app", False, gather)
    assert model is not None
    return FirstLook(model)


def test_a_loop_that_could_be_gathered_awaits_once_and_collects() -> None:
    from asynclint.rules.al401_await_in_loop import _gathered

    def gathers(body: str) -> bool:
        source = "async def f(items, out):\n    for item in items:\n" + textwrap.indent(textwrap.dedent(body), "        ")
        loop = ast.parse(source).body[0].body[0]
        return _gathered(loop.body) is not None

    assert gathers("out.append(await g(item))\n")
    assert gathers("out[item] = await g(item)\n")
    assert not gathers("await g(item)\n")  # collects nothing
    assert not gathers("out.append(await g(item))\nawait h()\n")  # two awaits
    assert not gathers("out.append(await g(item))\nif item:\n    break\n")
    assert gathers("out.append(await g(item))\ndef later():\n    return 1\n")  # a nested def's return is its own


def test_an_async_def_that_never_awaits_but_works_is_seen() -> None:
    from asynclint.rules.al502_async_endpoint_without_await import (
        AsyncEndpointWithoutAwait,
        idle_async_work,
    )

    def idle(source: str) -> bool:
        return idle_async_work(first_look(source, AsyncEndpointWithoutAwait))

    assert idle("async def f(rows):\n    for r in rows:\n        print(r)\n")
    assert idle("def build(rows):\n    while rows:\n        rows.pop()\n\nasync def f(rows):\n    return build(rows)\n")
    assert not idle("async def f(rows):\n    for r in rows:\n        await g(r)\n")
    assert not idle("async def f(rows):\n    return len(rows)\n")
    assert not idle("def build(rows):\n    return rows\n\nasync def f(rows):\n    return build(rows)\n")
    # the loop is in a nested def: the endpoint itself does no work
    assert not idle("async def f(rows):\n    def later():\n        for r in rows:\n            print(r)\n    return later\n")


def test_a_timeout_block_that_never_suspends_is_seen() -> None:
    from asynclint.rules.al603_timeout_without_await import TimeoutWithoutAwait as rule

    def idle(body: str) -> bool:
        source = "import asyncio\nfrom anyio import fail_after\n\nasync def f():\n" + textwrap.indent(body, "    ")
        return rule.screen(first_look(source, rule), None)

    assert idle("async with asyncio.timeout(1):\n    compute()\n")
    assert not idle("async with fail_after(1):\n    await asyncio.sleep(0)\n")
    assert idle("async with asyncio.timeout(2):\n    async def later():\n        await asyncio.sleep(1)\n")
    assert not idle("async with other(1):\n    compute()\n")


def test_an_except_that_may_swallow_cancellation_is_seen() -> None:
    from asynclint.rules.al602_swallowed_cancellation import (
        SwallowedCancellation as rule,
    )

    def may_swallow(handler: str) -> bool:
        source = "import asyncio\n\nasync def f():\n    try:\n        await g()\n" + textwrap.indent(handler, "    ")
        return rule.screen(first_look(source, rule), None)

    assert may_swallow("except asyncio.CancelledError:\n    pass\n")
    assert may_swallow("except:\n    return None\n")  # catches everything
    assert may_swallow("except (ValueError, asyncio.CancelledError):\n    pass\n")
    assert not may_swallow("except (ValueError, unknown.Error):\n    pass\n")  # the rule needs to know it is cancellation
    assert not may_swallow("except asyncio.CancelledError:\n    raise\n")  # raises before it could end


def test_syntax_newer_than_pythons_parser_still_gets_a_model() -> None:
    """Type parameters and `type` statements (3.12), read by libcst, are
    written the older way for the model, so names still resolve."""
    source = (
        b"import time\n\ntype Payload = dict[str, int]\n\n"
        b"class Box[T]:\n    pass\n\n"
        b"async def handler[T](box: Box[T]) -> T:\n    time.sleep(1)\n"
    )
    found = Checker(EVERY_RULE).check_source(source, "app.py").diagnostics
    assert [(d.start.line, d.code) for d in found] == [(9, "AL102")]


def test_a_dependency_is_parsed_for_only_when_its_provider_may_build_a_client(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "deps.py").write_text("import httpx\n\ndef get_client():\n    return httpx.AsyncClient()\n")
    endpoint = "from fastapi import Depends, FastAPI\n{imports}\napp = FastAPI()\n\n@app.get('/')\nasync def home(client=Depends({provider})):\n    return {{}}\n"
    (tmp_path / "remote.py").write_text(endpoint.format(imports="from deps import get_client", provider="get_client"))
    (tmp_path / "local.py").write_text(endpoint.format(imports="def get_user():\n    return 'me'\n", provider="get_user"))
    parsed = []
    real = cst.parse_module
    monkeypatch.setattr(engine.cst, "parse_module", lambda source: parsed.append(source) or real(source))
    checker = Checker(Settings(select=("AL301",)))
    assert [d.code for d in checker.check_file(str(tmp_path / "remote.py")).diagnostics] == ["AL301"]
    assert checker.check_file(str(tmp_path / "local.py")).diagnostics == []
    assert len(parsed) == 1, "a provider of this module that builds no client needs no libcst parse"
    # Providers the model cannot follow, which the rule cannot follow either.
    unfollowable = {
        "bare.py": endpoint.format(imports="", provider=""),
        "lambda.py": endpoint.format(imports="", provider="lambda: 1"),
        "local_def.py": (
            "from fastapi import Depends, FastAPI\n\ndef make_app():\n    app = FastAPI()\n\n"
            "    def get_user():\n        return 'me'\n\n"
            "    @app.get('/')\n    async def home(user=Depends(get_user)):\n        return {}\n    return app\n"
        ),
    }
    unscreened = Checker(Settings(select=("AL301",)), screening=False)
    for name, source in unfollowable.items():
        (tmp_path / name).write_text(source)
        assert unscreened.check_file(str(tmp_path / name)).diagnostics == []
        parsed.clear()
        assert checker.check_file(str(tmp_path / name)).diagnostics == []
        assert parsed == [], f"{name}: a provider no rule can follow needs no libcst parse"


def test_a_session_query_is_parsed_for_only_when_the_model_can_name_what_it_loads(monkeypatch) -> None:
    parsed = []
    real = cst.parse_module
    monkeypatch.setattr(engine.cst, "parse_module", lambda source: parsed.append(source) or real(source))
    checker, unscreened = Checker(Settings(select=("AL704",), preview=True)), Checker(Settings(select=("AL704",), preview=True), screening=False)
    query = (
        "from sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n{models}\n"
        "async def first(session: AsyncSession, db):\n"
        "    return (await session.execute(select({selected}))).scalars().first()\n"
    )
    unnamed = query.format(models="", selected="db.Flow").encode()  # a class of an unknown parameter
    named = query.format(models="class Flow:\n    pass\n", selected="Flow").encode()
    assert checker.check_source(unnamed, "unnamed.py").diagnostics == unscreened.check_source(unnamed, "unnamed.py").diagnostics == []
    parsed.clear()
    checker.check_source(unnamed, "unnamed.py")
    assert parsed == [], "a query of a class the model cannot name needs no libcst parse"
    checker.check_source(named, "named.py")
    assert parsed == [named]


# (rule, a file it finds nothing in that its first look once let through, the same file with a finding)
NARROWED = [
    (
        "AL209",
        "import asyncio\n\ndef work():\n    return 1\n\nasync def main(handlers):\n    (handlers or [print])[0]()  # a callee the model cannot follow\n"
        "    return await asyncio.to_thread(work)\n",
        "import asyncio\n\nasync def work():\n    return 1\n\nasync def main():\n    return await asyncio.to_thread(work)\n",
    ),
    (
        "AL209",
        "import asyncio\n\nasync def main(tasks):\n    return await asyncio.wait([asyncio.ensure_future(t) for t in tasks])\n",
        "import asyncio\n\nasync def job():\n    pass\n\nasync def main():\n    return await asyncio.wait([job()])\n",
    ),
    (
        "AL401",  # the loop that could be gathered awaits what the model cannot name; the other one breaks
        "async def fetch(i):\n    return i\n\nasync def main(queue):\n    results = []\n    for i in range(3):\n"
        "        results.append(await queue.get())\n    for i in range(3):\n        if await fetch(i):\n            break\n"
        "    return results\n",
        "async def fetch(i):\n    return i\n\nasync def main(queue):\n    results = []\n    for i in range(3):\n"
        "        results.append(await fetch(i))\n    return results\n",
    ),
    (
        "AL403",  # a loop that sleeps and does other work
        "import asyncio\n\nasync def wait(job):\n    while not job.done:\n        await asyncio.sleep(1)\n        job.beat()\n",
        "import asyncio\n\nasync def wait(job):\n    while not job.done:\n        await asyncio.sleep(1)\n",
    ),
    (
        "AL402",  # what is gathered are a library's coroutines
        "import asyncio\n\nasync def main(client, urls):\n    return await asyncio.gather(*[client.get(u) for u in urls])\n",
        "import asyncio\n\nasync def fetch(url):\n    return url\n\nasync def main(urls):\n"
        "    return await asyncio.gather(*[fetch(u) for u in urls])\n",
    ),
    (
        "AL604",  # no thread under the timeout
        "import asyncio\n\nasync def main():\n    async with asyncio.timeout(1):\n        await asyncio.sleep(1)\n",
        "import asyncio\n\ndef work():\n    pass\n\nasync def main():\n    async with asyncio.timeout(1):\n"
        "        await asyncio.to_thread(work)\n",
    ),
    (
        "AL211",  # what the gathered coroutines use takes many operations at once
        "import asyncio\n\nimport httpx\n\nasync def main(client: httpx.AsyncClient):\n"
        "    return await asyncio.gather(client.get('/a'), client.get('/b'))\n",
        "import asyncio\n\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\nasync def main(session: AsyncSession):\n"
        "    return await asyncio.gather(session.execute('a'), session.execute('b'))\n",
    ),
    (
        "AL213",  # every test is marked, in a set-up without a plugin's auto mode
        "import pytest\n\n@pytest.mark.anyio\nasync def test_one():\n    pass\n",
        "import pytest\n\nasync def test_one():\n    pass\n",
    ),
    (
        "AL201",  # the stored coroutine is awaited later
        "async def fetch():\n    return 1\n\nasync def main():\n    pending = fetch()\n    return await pending\n",
        "async def fetch():\n    return 1\n\nasync def main():\n    pending = fetch()\n    return 2\n",
    ),
    (
        "AL203",  # the stored task is awaited later
        "import asyncio\n\nasync def work():\n    pass\n\nasync def main():\n    task = asyncio.create_task(work())\n"
        "    await task\n",
        "import asyncio\n\nasync def work():\n    pass\n\nasync def main():\n    task = asyncio.create_task(work())\n"
        "    await asyncio.sleep(1)\n",
    ),
    (
        "AL214",  # what the executor runs reads no context variable
        "import asyncio\nimport contextvars\n\nrequest_id = contextvars.ContextVar('request_id')\n\ndef work(*args):\n"
        "    return args\n\nasync def main(args):\n    loop = asyncio.get_running_loop()\n"
        "    return await loop.run_in_executor(None, work, *args)\n",
        "import asyncio\nimport contextvars\n\nrequest_id = contextvars.ContextVar('request_id')\n\ndef work(*args):\n"
        "    return request_id.get()\n\nasync def main(args):\n    loop = asyncio.get_running_loop()\n"
        "    return await loop.run_in_executor(None, work, *args)\n",
    ),
    (
        "AL401",  # a library's coroutine that is no HTTP request
        "import asyncio\n\nasync def main(items):\n    out = []\n    for item in items:\n"
        "        out.append(await asyncio.sleep(0, item))\n    return out\n",
        "import httpx\n\nasync def main(client: httpx.AsyncClient, urls):\n    out = []\n    for url in urls:\n"
        "        out.append(await client.get(url))\n    return out\n",
    ),
    (
        "AL209",  # a starred argument takes a place before what the runner is given
        "import asyncio\n\ndef work():\n    return 1\n\nasync def main(pool):\n"
        "    return await asyncio.get_running_loop().run_in_executor(*pool, work)\n",
        "import asyncio\n\nasync def work():\n    return 1\n\nasync def main(pool):\n"
        "    return await asyncio.get_running_loop().run_in_executor(*pool, work)\n",
    ),
    (
        "AL601",  # httpx has a default timeout: only `timeout=None` takes it away
        "import httpx\n\nasync def main():\n    async with httpx.AsyncClient() as client:\n        return await client.get('/')\n",
        "import httpx\n\nasync def main():\n    async with httpx.AsyncClient(timeout=None) as client:\n        return await client.get('/')\n",
    ),
]


@pytest.mark.parametrize(("code", "quiet", "loud"), NARROWED, ids=[f"{case[0]}-{n}" for n, case in enumerate(NARROWED)])
def test_a_narrowed_first_look_parses_only_what_may_hold_a_finding(code: str, quiet: str, loud: str, tmp_path: Path, monkeypatch) -> None:
    parsed = []
    real = cst.parse_module
    monkeypatch.setattr(engine.cst, "parse_module", lambda source: parsed.append(source) or real(source))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # a pytest set-up without a plugin's auto mode (AL213)
    (tmp_path / "test_quiet.py").write_text(quiet)
    (tmp_path / "test_loud.py").write_text(loud)
    settings = Settings(select=(code,), preview=True)
    checker, unscreened = Checker(settings), Checker(settings, screening=False)
    assert unscreened.check_file(str(tmp_path / "test_quiet.py")).diagnostics == []
    parsed.clear()
    assert checker.check_file(str(tmp_path / "test_quiet.py")).diagnostics == []
    assert parsed == [], "nothing there for the rule: no libcst parse"
    assert [d.code for d in checker.check_file(str(tmp_path / "test_loud.py")).diagnostics] == [code]
