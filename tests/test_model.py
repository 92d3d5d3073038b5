"""The one model of a module and its resolver: what names hold, what calls
call, and the facts single rules' first looks read."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from asynclint.context import FileContext
from asynclint.model.build import build_model
from asynclint.model.facts import ModuleModel
from asynclint.model.resolve import Resolver, known, one
from asynclint.rule import Rule, Traversal, walk
from asynclint.screen import FirstLook, blocking_test
from tests.helpers import FIXTURES


def look(source: str, module: str = "app") -> FirstLook:
    model = build_model(textwrap.dedent(source).encode(), module, False)
    assert model is not None
    return FirstLook(model)


AT_THE_END = 10**9  # a state where every binding of the module is in effect


def certain(found: FirstLook, scope: str, name: str) -> str | None:
    """What a name holds for sure once every binding is made (what a rule takes)."""
    return one(found.resolver.resolve(scope, ("name", name), AT_THE_END))


def targets(found: FirstLook, name: str) -> set[str]:
    return set().union(*(found.targets(call) for call in found.calls if call.name == name))


def test_names_resolve_through_imports_aliases_and_relative_imports() -> None:
    found = look(
        """
        import requests as r
        from time import sleep as nap
        from ..db import session

        async def f():
            r.get("u")
            nap(1)
            session.query()
        """,
        module="pkg.api.app",
    )
    called = {target for call in found.calls for target in found.targets(call)}
    assert {"requests.get", "time.sleep", "pkg.db.session.query"} <= called


def test_calls_know_whether_they_are_awaited_passed_or_left_alone() -> None:
    found = look(
        """
        import asyncio

        async def work(): ...

        async def main(self):
            await work()
            asyncio.create_task(work())
            work()
            pending = work()
            self.pending = work()
            return [work()]
        """
    )
    uses = [call.use for call in found.calls if call.name == "work"]
    assert uses == ["awaited", "consumed", "dropped", "stored", "kept", "other"]
    assert {key: f.is_async for key, f in found.model.functions.items()} == {"work": True, "main": True}


def test_calls_know_their_scope_loops_and_async_context() -> None:
    found = look(
        """
        class Client:
            def fetch(self):
                def inner():
                    helper()
                inner()

        async def poll():
            while True:
                await tick()
        """
    )
    helper = next(call for call in found.calls if call.name == "helper")
    assert helper.scope == "Client.fetch.inner" and not helper.in_async and helper.in_function
    tick = next(call for call in found.calls if call.name == "tick")
    assert tick.in_while and not tick.in_for and tick.in_async and tick.awaited


def test_a_file_python_cannot_parse_has_no_model() -> None:
    assert build_model(b"def f(:\n", "app", False) is None


def test_what_names_hold_comes_from_annotations_constructors_and_aliases() -> None:
    found = look(
        """
        import httpx
        from typing import Annotated

        ClientDep = Annotated[httpx.AsyncClient, "dependency"]

        async def fetch(client: ClientDep):
            resp = await client.get("https://example.org")
            return resp
        """
    )
    resolver = found.resolver
    assert certain(found, "fetch", "client") == "httpx.AsyncClient"
    assert certain(found, "fetch", "resp") == "httpx.Response"
    assert resolver.binding("", "client") is None  # a parameter is its function's


def test_a_name_is_local_to_the_function_that_binds_it() -> None:
    found = look(
        """
        import httpx
        import requests
        from fastapi.testclient import TestClient

        async def talk():
            client = httpx.AsyncClient()
            resp = await client.get("u")

        def test_sync(client: TestClient):
            client.post("/")

        async def shadow():
            requests = Other()
            requests.get("u")

        def configure():
            global shared
            shared = httpx.AsyncClient()
        """
    )
    resolver = found.resolver
    assert certain(found, "talk", "client") == "httpx.AsyncClient"
    assert targets(found, "post") == {"fastapi.testclient.TestClient.post"}
    assert certain(found, "shadow", "requests") is None
    # before its binding a name is looked up further out, as Python's own lookups would fail on
    assert known(resolver.resolve("shadow", ("name", "requests"))) == {"requests"}
    assert resolver.binding("configure", "shared") is None  # declared global: bound in no scope the model sees


def test_module_names_bound_twice_are_certain_only_when_the_bindings_agree() -> None:
    found = look(
        """
        import httpx

        client = None
        client = httpx.Client()
        other = httpx.Client()
        other = make()
        """
    )
    assert certain(found, "", "client") == "httpx.Client"  # `None` says nothing
    assert certain(found, "", "other") is None


def test_in_a_def_the_latest_binding_counts() -> None:
    found = look(
        """
        import httpx

        async def f():
            client = httpx.Client()
            client = make()
        """
    )
    resolver = found.resolver
    assert certain(found, "f", "client") is None  # `make()` is the latest
    assert one(resolver.resolve("f", ("name", "client"), {("f", "client"): 1})) == "httpx.Client"
    # what the first look takes: any binding of the def, or the module's before them
    assert known(resolver.resolve("f", ("name", "client"))) == {"httpx.Client"}


def test_calls_results_and_instances_are_followed() -> None:
    found = look(
        """
        import httpx
        from concurrent.futures import ThreadPoolExecutor
        from sqlalchemy.orm import sessionmaker

        executor = ThreadPoolExecutor()
        SessionLocal = sessionmaker()

        class Repo:
            def __init__(self):
                self.http = httpx.Client()

            async def go(self, url):
                httpx.AsyncClient().get(url)
                executor.submit(print).result()
                SessionLocal().commit()
                self.http.delete(url)
                self.helper()
                self.missing()

            def helper(self):
                pass
        """
    )
    assert targets(found, "get") == {"httpx.AsyncClient.get"}
    assert targets(found, "result") == {"concurrent.futures.Future.result"}
    assert targets(found, "commit") == {"sqlalchemy.orm.Session.commit"}
    assert targets(found, "delete") == {"httpx.Client.delete"}
    assert targets(found, "helper") == {"app.Repo.helper"}
    assert targets(found, "missing") == set()  # no such member: nothing is known of it


def test_attribute_chains_on_an_instance_resolve_below_its_type() -> None:
    found = look(
        """
        import openai

        async def answer(q: str):
            client: openai.OpenAI = openai.OpenAI()
            return client.chat.completions.create(model="m", messages=[])
        """
    )
    assert targets(found, "create") == {"openai.OpenAI.chat.completions.create"}


def test_async_generators_and_decorated_defs_are_no_coroutine_functions() -> None:
    found = look(
        """
        import functools

        class Stream:
            async def chunks(self):
                yield b""

            async def read(self):
                return b""

        async def pump():
            def inner():
                yield 1
            return 1

        @functools.lru_cache
        async def cached():
            return 1

        @app.get("/")
        async def endpoint():
            return 1
        """
    )
    resolver, functions = found.resolver, found.model.functions
    gives = {key for key, function in functions.items() if resolver.returns_coroutine(function)}
    assert gives == {"Stream.read", "pump", "endpoint"}  # a nested generator does not make `pump` one


def test_registrations_on_an_app_are_seen_in_the_scope_that_builds_it() -> None:
    found = look(
        """
        from fastapi import FastAPI
        from fastapi import APIRouter as Router

        app = FastAPI()
        router = Router()

        @router.get("/")
        def index(): ...

        def build():
            inner = FastAPI()
            inner.add_event_handler("startup", index)
        """
    )
    assert found.calls_on_app(frozenset({"get"}))
    assert found.calls_on_app(frozenset({"add_event_handler"}))  # on an app built in a factory function
    assert not found.calls_on_app(frozenset({"post"}))
    assert not look("import requests\nrequests.get('u')\n").calls_on_app(frozenset({"get"}))


@pytest.mark.parametrize(
    "source",
    [
        "from starlette.routing import Route\nroutes = [Route('/', index)]\n",
        "from starlette.endpoints import HTTPEndpoint\nclass Users(HTTPEndpoint):\n    def get(self, request): ...\n",
        "import socketio\nsio = socketio.AsyncServer()\n@sio.event\ndef connect(sid, environ): ...\n",
        "from aiohttp import web\napp = web.Application()\napp.router.add_get('/', index)\n",
        "from litestar import get\n@get('/')\ndef index() -> str: ...\n",
    ],
)
def test_handlers_registered_in_any_framework_form_are_seen(source: str) -> None:
    assert look(source).may_register_handlers(per_request=False)


def test_middleware_counts_only_for_code_run_per_request() -> None:
    source = (
        "from starlette.middleware.base import BaseHTTPMiddleware\n"
        "class Timing(BaseHTTPMiddleware):\n    async def dispatch(self, request, call_next): ...\n"
    )
    assert look(source).may_register_handlers(per_request=True)
    assert not look(source).may_register_handlers(per_request=False)
    assert not look("import fastapi\nfrom fastapi import HTTPException\n").may_register_handlers(per_request=True)


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.py"))[::5], ids=lambda p: str(p.relative_to(FIXTURES)))
def test_a_model_survives_a_round_trip_through_json(path: Path) -> None:
    model = build_model(path.read_bytes(), "pkg.mod", False)
    if model is not None:
        again = ModuleModel.from_json(json.loads(json.dumps(model.to_json())))
        assert json.dumps(again.to_json(), sort_keys=True) == json.dumps(model.to_json(), sort_keys=True)
        resolver, other = Resolver(model), Resolver(again)
        assert [resolver.call_targets(c) for c in model.calls] == [other.call_targets(c) for c in again.calls]


def test_a_chain_answer_records_every_module_it_read_even_through_cycles(tmp_path: Path) -> None:
    """`x.X` is explored while answering for `r.R`, reaching `e.E` only as a
    function already explored (in the `a.A` / `e.E` cycle): a later question
    about `x.X` must still name `a.py` among the files its answer rests on."""
    from asynclint.knowledge.blocking import chain_codes
    from asynclint.project import Project

    modules = {
        "r": "import a, x\n\ndef R():\n    a.A()\n    x.X()\n",
        "a": "import e\n\ndef A():\n    e.E()\n",
        "e": "import a\n\ndef E():\n    a.A()\n",
        "x": "import e\n\ndef X():\n    e.E()\n",
    }
    for name, text in modules.items():
        (tmp_path / f"{name}.py").write_text(text)
    project = Project(tmp_path, blocking_test(chain_codes(frozenset()), None))
    caller = str(tmp_path / "caller.py")
    for certain in (True, False):
        assert not project.reaches_blocking("r.R", caller, certain)
        project.consulted.clear()
        assert not project.reaches_blocking("x.X", caller, certain)
    assert {str(tmp_path / "e.py"), str(tmp_path / "a.py")} <= set(project.consulted)


class _Callees(Rule):
    """Records what the context says each call calls, by the call's position."""

    code = "AL999"
    name = "callees"
    summary = "test helper"

    def visit_Call(self, node: cst.Call) -> None:
        self.seen.append((node, self.ctx.callee(node), self.ctx.call_site(node)))


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.py")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_a_rule_and_the_model_say_the_same_of_every_call(path: Path) -> None:
    """The context counts the bindings a rule has passed; the model numbers
    the same ones: what a call calls for sure is one answer, asked from
    either tree. And the context finds the model's record of each call."""
    source = path.read_bytes()
    module = cst.parse_module(source)
    model = build_model(source, "pkg.mod", False)
    ctx = FileContext(module, str(path), "pkg.mod", model)
    recorder = _Callees(ctx)
    recorder.seen = []
    walk(module, Traversal(ctx, [recorder]))
    positions = cst.MetadataWrapper(module, unsafe_skip_copy=True).resolve(cst.metadata.PositionProvider)
    text = source.decode("utf-8").splitlines()
    by_place, sites = {}, []
    for node, callee, site in recorder.seen:
        start = positions[node].start
        place = (start.line, len(text[start.line - 1][: start.column].encode("utf-8")))  # Python's parser counts bytes
        by_place[place] = callee
        sites.append((place, (site.line, site.column) if site is not None else None))
    resolver = Resolver(model)
    from_model = {(call.line, call.column): resolver.call_target(call) for call in model.calls}
    assert from_model == by_place
    assert [place for place, _ in sites] == [(call.line, call.column) for call in model.calls]  # the same order
    assert all(place == found for place, found in sites)


def test_classes_know_their_bases_and_functions_their_return_annotations() -> None:
    found = look(
        """
        from sqlalchemy.orm import Session
        from app.base import HasServices

        class Scheduler(HasServices):
            def session(self) -> Session: ...
        """
    )
    resolver, model = found.resolver, found.model
    assert [known(resolver.resolve("", base)) for base in model.classes["Scheduler"].bases] == [{"app.base.HasServices"}]
    returns = model.functions["Scheduler.session"].returns
    assert known(resolver.annotation_type("", returns)) == {"sqlalchemy.orm.Session"}


def test_attributes_that_need_themselves_and_attributes_of_several_types_are_unknown() -> None:
    found = look(
        """
        import httpx

        class Base:
            async def send(self): ...

        class Sync(Base):
            def send(self): ...

        class Holder:
            client: Base

            def __init__(self, sync: bool):
                self.loop = self.loop.child
                if sync:
                    self.client = Sync()
                else:
                    self.client = Base()
                self.http = httpx.Client()

            async def go(self):
                self.loop.run()
                self.client.send()
                self.http.get("u")
        """
    )
    assert targets(found, "run") == set()  # `self.loop` is made of itself: no answer, and no endless search
    assert targets(found, "send") == set()  # declared `Base`, but another type may be assigned
    assert targets(found, "get") == {"httpx.Client.get"}


def test_a_project_generator_made_a_context_manager_gives_what_it_yields() -> None:
    found = look(
        """
        from collections.abc import AsyncIterator, Iterator
        from contextlib import asynccontextmanager, contextmanager

        import httpx
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

        SessionLocal = async_sessionmaker()

        @asynccontextmanager
        async def session_scope() -> AsyncIterator[AsyncSession]:
            yield SessionLocal()

        @contextmanager
        def client():
            with httpx.Client() as http:
                yield http

        def plain_generator():
            yield httpx.Client()

        async def use():
            async with session_scope() as session:
                await session.commit()
            with client() as http:
                http.get("https://example.com")
            with plain_generator() as other:
                other.get("https://example.com")
        """
    )
    assert targets(found, "commit") == {"sqlalchemy.ext.asyncio.AsyncSession.commit"}
    assert targets(found, "get") == {"httpx.Client.get"}  # the plain generator's value stays unknown


def test_literal_keywords_of_relationships_and_session_factories_are_kept() -> None:
    model = look(
        """
        from sqlalchemy.ext.asyncio import async_sessionmaker
        from sqlalchemy.orm import relationship

        SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
        Other = async_sessionmaker(**options)
        logger = get_logger(level="info")

        class Parent(Base):
            children = relationship("Child", lazy="selectin", order_by=Child.id)

            def load(self):
                local = relationship(lazy="joined")
        """
    ).model
    assert model.keywords == {
        "SessionLocal": [{"expire_on_commit": False}],
        "Other": [{"**": None}],
        "Parent.children": [{"lazy": "selectin", "order_by": None}],
    }
