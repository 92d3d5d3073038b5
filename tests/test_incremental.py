"""Checking an edited document again statement by statement (the language
server's way) finds exactly what a check from scratch of the same text finds."""

from __future__ import annotations

import ast
import importlib.util
import random
import re

from asynclint.app_model import build_app_model
from asynclint.config import Settings
from asynclint.engine import Checker
from asynclint.incremental import StatementRunner, names_of
from asynclint.lazy import cst
from asynclint.model.build import ModelPieces, build_model
from asynclint.reparse import Reparser
from tests.helpers import CHECKED_FIXTURES, EVERY_RULE, REPO, fixture_settings

_IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*\b")


def _server_checker(settings: Settings) -> tuple[Checker, StatementRunner]:
    """A checker wired as the language server wires its own."""
    checker = Checker(settings)
    reparser = Reparser()
    runner = StatementRunner(reparser.statement_code)
    checker.parse, checker.parse_python, checker.statement_code = reparser.parse, reparser.python_tree, reparser.statement_code
    checker.run_rules = runner
    checker.build_model = ModelPieces().build_model
    checker.positions_memo = {}
    checker.defs_memo = {}
    return checker, runner


def _findings(checker: Checker, text: str, path: str) -> list[tuple]:
    result = checker.analyze(text.encode("utf-8"), path).result
    return [
        (d.code, d.message, d.start, d.end, d.fix.applicability if d.fix else None, d.fix.message if d.fix else None)
        for d in result.diagnostics
    ] + sorted(result.errors) + sorted(result.warnings)


def _edit(rng: random.Random, text: str) -> str:
    """An edit that Python still parses, mostly (a keystroke often breaks the syntax)."""
    for _ in range(10):
        edited = _any_edit(rng, text)
        try:
            ast.parse(edited)
        except SyntaxError:
            if rng.random() < 0.1:
                return edited
            continue
        return edited
    return edited


def _any_edit(rng: random.Random, text: str) -> str:
    """One edit of the kinds typing makes, and of those that move meaning
    between statements: a name replaced by another of the file's, a line
    dropped, emptied, copied or moved, a call made to block or awaited."""
    lines = text.splitlines(keepends=True) or [""]
    kind = rng.randrange(8)
    at = rng.randrange(len(lines))
    if kind == 0:
        names = _IDENTIFIER.findall(text)
        spots = list(_IDENTIFIER.finditer(lines[at]))
        if names and spots:
            spot = rng.choice(spots)
            lines[at] = lines[at][: spot.start()] + rng.choice(names) + lines[at][spot.end() :]
    elif kind == 1:
        del lines[at]
    elif kind == 2:
        lines.insert(rng.randrange(len(lines) + 1), lines[at])
    elif kind == 3:
        line = lines.pop(at)
        lines.insert(rng.randrange(len(lines) + 1), line)
    elif kind == 4:
        indent = re.match(r"[ \t]*", lines[at]).group()
        lines.insert(at, rng.choice([f"{indent}time.sleep(1)\n", f"{indent}requests.get(url)\n", f"{indent}await asyncio.sleep(0)\n"]))
    elif kind == 5:
        column = rng.randrange(len(lines[at]) + 1)
        lines[at] = lines[at][:column] + rng.choice(["x", " ", "(", ")", ":", "#", "'", "async ", "await "]) + lines[at][column:]
    elif kind == 6:
        lines[at] = re.match(r"[ \t]*", lines[at]).group() + "pass\n"
    else:
        lines[at] = re.sub(r"\basync def\b", "def", lines[at]) if "async def" in lines[at] else re.sub(r"\bdef\b", "async def", lines[at])
    return "".join(lines)


def _replay(text: str, path: str, settings: Settings, rng: random.Random, edits: int) -> tuple[int, int]:
    """Edits one after the other: (versions compared, statements not walked again)."""
    checker, runner = _server_checker(settings)
    kept = 0
    assert _findings(checker, text, path) == _findings(Checker(settings), text, path)
    for _ in range(edits):
        text = _edit(rng, text)
        found = _findings(checker, text, path)
        assert found == _findings(Checker(settings), text, path), (path, text)
        kept += runner.statements - runner.walked
    return edits, kept


def test_random_edits_of_the_fixtures_find_what_a_check_from_scratch_finds() -> None:
    rng = random.Random(1919)
    kept = 0
    for path in CHECKED_FIXTURES:
        _, skipped = _replay(path.read_text(encoding="utf-8"), str(path), fixture_settings(path), rng, 3)
        kept += skipped
    assert kept > 0  # statements were kept, not every one walked again


# Helpers far from the endpoints that call them, dependencies, routes added
# after the fact, a client closed in another function: meaning that crosses statements.
SERVICE = '''import asyncio
import time

import httpx
import requests
from fastapi import Depends, FastAPI


def fetch(url):
    return requests.get(url, timeout=5)


def slow():
    time.sleep(1)


def twice(url):
    fetch(url)
    return fetch(url)


class Store:
    def load(self):
        slow()
        return {}

    async def save(self):
        await asyncio.sleep(0)


def get_store():
    client = httpx.Client()
    return Store()


async def get_client():
    return httpx.AsyncClient()


app = FastAPI()


@app.get("/a")
async def read_a(store: Store = Depends(get_store)):
    note = "a"
    return twice("https://a")


@app.get("/b")
async def read_b(client=Depends(get_client)):
    store = Store()
    store.load()
    asyncio.create_task(store.save())
    return await client.get("https://b")


async def read_c():
    loop = asyncio.get_event_loop()
    return slow()


def sync_endpoint():
    return fetch("https://d")


app.add_api_route("/c", read_c)
app.add_api_route("/d", sync_endpoint)
'''


def test_random_edits_of_a_service_and_of_fixtures_put_together() -> None:
    """Many statements that call, route and depend on each other, and every rule."""
    rng = random.Random(2019)
    together = "\n\n".join(p.read_text(encoding="utf-8") for p in rng.sample(CHECKED_FIXTURES, 6))
    for text, edits in ((SERVICE, 120), (together, 20)):
        _replay(text, str(REPO / "service.py"), EVERY_RULE, rng, edits)


class _Capturing(StatementRunner):
    """A runner that keeps the context of the last check."""

    def __call__(self, module, ctx, rules, errors):
        self.ctx = ctx
        return super().__call__(module, ctx, rules, errors)


def _app_facts(app) -> dict:
    """What a web app model says, functions by identity, in its order."""
    fields = ("endpoints", "handled_by", "dependencies", "lifespans", "per_request", "on_loop")
    facts = {name: [(key, id(value) if isinstance(value, cst.CSTNode) else value) for key, value in getattr(app, name).items()] for name in fields}
    facts["event_handlers"] = [(id(where), event, id(function)) for where, event, function in app.event_handlers]
    return facts


def test_random_edits_keep_the_web_app_model_a_whole_build_gives() -> None:
    """The app model put together from the statements' pieces kept equals one
    built from the whole module, over edits of every fixture that uses a framework."""
    rng = random.Random(4242)
    framework = re.compile(r"^(from|import) (fastapi|starlette|aiohttp|sanic|litestar|quart|django|celery)\b", re.MULTILINE)
    texts = [p.read_text(encoding="utf-8") for p in CHECKED_FIXTURES if framework.search(p.read_text(encoding="utf-8"))]
    assert len(texts) > 20
    text = SERVICE + "\n\n" + "\n\n".join(rng.sample(texts, 8))
    checker, _ = _server_checker(EVERY_RULE)
    runner = checker.run_rules = _Capturing(checker.statement_code)
    path = str(REPO / "service.py")
    replayed = 0
    # the app's meaning changes elsewhere first (what the routes on it are), then random edits
    edits = [lambda t: t.replace("app = FastAPI()", "app = dict()", 1), lambda t: t.replace("app = dict()", "app = FastAPI()", 1)]
    for number in range(24):
        _findings(checker, text, path)
        ctx = runner.ctx
        kept = ctx.app_pieces
        built = _app_facts(ctx.app)
        ctx.app_pieces = None
        assert built == _app_facts(build_app_model(ctx)), text
        ctx.app_pieces = kept
        replayed += runner.statements - runner.walked
        text = edits[number](text) if number < len(edits) else _edit(rng, text)
    assert replayed > 0


# What the model records across top-level statements: names bound twice,
# `__all__`, a module-level `global`.
MODEL_EDGES = '''import socket
from os import *

__all__ = ["f"]
__all__ += ["g"]


def f():
    global counter
    counter = 1


def f():
    return 2


class A:
    x: int = 1

    def m(self):
        self.y = 2


class A:
    z = 3


if socket:
    def g():
        pass
else:
    def g():
        yield


async def h(a=lambda: 1):
    with open("x") as fh:
        fh.read()
    await sock.attr.get()
    return sock.other


__all__ = ["f", "g", "h"]
global counter
counter = 2
'''
# A socket made non-blocking at module level: its calls below raise rather than wait.
NON_BLOCKING = "import socket\nsock = socket.socket()\nsock.setblocking(False)\nsock.recv(1)\n"


EVERY_FACT = ("AL105/positive.py", "AL704/models.py", "AL704/database.py")


def test_random_edits_give_the_model_a_whole_build_gives() -> None:
    """The model put together from the statements' models kept equals one built from the whole text."""
    rng = random.Random(77)
    gather = frozenset({ast.Call, ast.AsyncFunctionDef, ast.With})
    fixtures = "\n\n".join(p.read_text(encoding="utf-8") for p in rng.sample(CHECKED_FIXTURES, 6))
    # and the model's every kind of fact: Django relations, the keywords of `relationship()`
    every_fact = "\n\n".join((REPO / "fixtures" / "rules" / path).read_text(encoding="utf-8") for path in EVERY_FACT)
    merged = 0
    for text in (MODEL_EDGES, NON_BLOCKING, SERVICE + "\n\n" + fixtures, every_fact):
        reparser, pieces = Reparser(), ModelPieces()
        for _ in range(40):
            tree = reparser.python_tree(text.encode("utf-8"), "doc.py")
            if isinstance(tree, ast.Module):
                model = pieces.build_model(text.encode("utf-8"), "pkg.doc", False, gather, tree, "doc.py")
                whole = build_model(b"", "pkg.doc", False, gather, tree)
                assert model == whole, text
                assert _gathered(model) == _gathered(whole)
                merged += 1
                previous = text
            text = _edit(rng, previous)  # from the last version Python reads
    assert merged > 90


def _gathered(model) -> dict:
    return {kind: [(id(node), *rest) for node, *rest in found] for kind, found in model.nodes.items()}


def _bench():
    """bench/lsp.py, for the service it generates."""
    spec = importlib.util.spec_from_file_location("bench_lsp", REPO / "bench" / "lsp.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_an_edit_inside_an_endpoint_walks_it_and_what_it_relies_on_only() -> None:
    text = _bench().generate(400)
    checker, runner = _server_checker(EVERY_RULE)
    path = str(REPO / "service.py")
    _findings(checker, text, path)
    edited = text.replace('note = "item 9"', 'note = "item 9x"')
    assert _findings(checker, edited, path) == _findings(Checker(EVERY_RULE), edited, path)
    assert 0 < runner.walked <= 12 < runner.statements


def test_an_edit_inside_an_endpoint_leaves_the_unchanged_statements_beside_it_unwalked() -> None:
    """`read_item_10` calls no helper: it is walked with what it names (the
    app, `Store`, `get_store`, and the imports of `Depends` and of `asyncio`,
    which `Store` names), not the helpers above and below it, which are
    parsed again beside the change but have the same code."""
    text = _bench().generate(400)
    checker, runner = _server_checker(EVERY_RULE)
    path = str(REPO / "service.py")
    _findings(checker, text, path)
    edited = text.replace('note = "item 10"', 'note = "item 10x"')
    assert _findings(checker, edited, path) == _findings(Checker(EVERY_RULE), edited, path)
    assert runner.walked == 6


_DEPENDENCY = """import httpx
from fastapi import Depends, FastAPI

app = FastAPI()


async def get_client():
    return httpx.AsyncClient()


@app.get("/")
async def read(client=None):
    return client
"""


def test_an_edit_that_makes_a_helper_a_dependency_finds_what_the_helper_now_does(monkeypatch) -> None:
    """`get_client` is relied on by the endpoint edited: walked again, its
    piece of the web app model replayed, and the endpoint's found again
    (it now makes `get_client` run on every request: AL301 in it)."""
    import asynclint.app_model as app_model

    checker, runner = _server_checker(EVERY_RULE)
    path = str(REPO / "service.py")
    assert _findings(checker, _DEPENDENCY, path) == _findings(Checker(EVERY_RULE), _DEPENDENCY, path) == []
    edited = _DEPENDENCY.replace("client=None", "client=Depends(get_client)")
    from_scratch = _findings(Checker(EVERY_RULE), edited, path)
    found_again = []
    keep = app_model.AppPieces.keep
    monkeypatch.setattr(app_model.AppPieces, "keep", lambda self, piece: (found_again.append(piece.node), keep(self, piece)))
    assert _findings(checker, edited, path) == from_scratch
    assert [code for code, *_ in from_scratch] == ["AL301"]
    assert runner.walked == runner.statements  # the endpoint relies on every other statement
    assert len(found_again) == 1 and found_again[0].name.value == "read"


def test_a_line_added_above_a_chain_walks_the_endpoints_quoting_lines_below_it() -> None:
    """`read_item_3` quotes the line of `requests.get` in `refresh_3`: a blank
    line added above `refresh_1` moves it, and only the findings quoting moved lines are made again."""
    text = _bench().generate(400)
    checker, runner = _server_checker(EVERY_RULE)
    path = str(REPO / "service.py")
    _findings(checker, text, path)
    edited = text.replace("\n\ndef refresh_1(", "\n\n\ndef refresh_1(", 1)
    assert _findings(checker, edited, path) == _findings(Checker(EVERY_RULE), edited, path)
    assert runner.walked < runner.statements
    touched = edited.replace('note = "item 1"', 'note = "item 1x"')  # no line moves: the chains are kept
    assert _findings(checker, touched, path) == _findings(Checker(EVERY_RULE), touched, path)
    assert runner.walked <= 12


def test_the_names_a_statement_binds_and_mentions() -> None:
    names = names_of("@app.get('/')\nasync def read(x=(y := 1)):\n    global counter\n    z = [i for i in x]\n    return helper(z)\n")
    assert names.binds == {"read", "y", "counter"}
    assert {"app", "helper", "read", "z"} <= names.mentions
    assert "*" in names_of("from os import *\n").binds
    assert names_of("import a.b as c, d.e\n").binds == {"c", "d"}
    assert names_of("if X:\n    import y\nelse:\n    class Z: pass\n").binds == {"y", "Z"}
