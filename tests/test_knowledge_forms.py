"""Every entry of the knowledge tables, written in each form a user writes
it, is reported, and reported alike with and without the first look (the
screen, which must never hide a finding). The cases are generated from the
libraries' entries (the tables are derived from them), so a new library is
tested in every form it can take: each named call, and methods of each
namespace."""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass
from functools import cache

import pytest
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from asynclint.analysis.blocking import BLOCKING_CODES
from asynclint.config import RawConfig, Settings, build_settings
from asynclint.engine import Checker
from asynclint.knowledge import blocking
from asynclint.knowledge.coroutines import COROUTINE_FUNCTIONS
from asynclint.knowledge.libraries import (
    BLOCKING_NAMESPACES,
    BLOCKS_WHEN,
    COROUTINE_NAMESPACES,
    POOL_BUILDERS,
)
from asynclint.knowledge.timeouts import TIMEOUT_REQUIRED
from asynclint.knowledge.types import RESULT_TYPES
from tests.helpers import EVERY_RULE

# ------------------------------------------------------------ facts the tables leave implicit
# Methods called on the class itself (`redis.Redis.from_url(...)`), not on an instance.
CALLED_ON_THE_CLASS = frozenset(
    {"redis.Redis.from_url", "psycopg.Connection.connect", "pathlib.Path.cwd", "pathlib.Path.home"}
)
# Types whose `with X() as x` binds the instance (a lock's `__enter__` returns a bool).
CONTEXT_MANAGERS = frozenset(
    {"requests.Session", "httpx.Client", "urllib3.PoolManager", "urllib3.HTTPConnectionPool",
     "urllib3.HTTPSConnectionPool", "io.TextIOWrapper", "io.BufferedReader", "io.BufferedWriter",
     "io.BufferedRandom", "io.FileIO", "zipfile.ZipFile", "tarfile.TarFile", "subprocess.Popen",
     "sqlite3.Connection", "psycopg2.connection", "psycopg2.cursor", "psycopg.Connection", "psycopg.Cursor",
     "pymysql.Connection", "pymysql.Cursor", "pymongo.MongoClient", "redis.Redis", "sqlalchemy.orm.Session",
     "sqlalchemy.Connection", "socket.socket", "smtplib.SMTP", "ftplib.FTP", "ssl.SSLSocket",
     "concurrent.futures.Executor", "openai.OpenAI", "openai.AzureOpenAI", "anthropic.Anthropic"}
)
ASYNC_CONTEXT_MANAGERS = frozenset(
    {"httpx.AsyncClient", "aiohttp.ClientSession", "aiohttp.ClientResponse", "sqlalchemy.ext.asyncio.AsyncSession",
     "openai.AsyncOpenAI", "openai.AsyncAzureOpenAI", "anthropic.AsyncAnthropic"}
)
# Types the tables name that no import spells, so no annotation can name them.
NAMELESS_TYPES = frozenset({"boto3.Client", "boto3.Resource"})
# Methods of namespaces (every method an API call), which the entries do not list: a
# namespace with `methods` is sampled from those.
NAMESPACE_METHODS = ("get_object", "put_item", "list_buckets", "send_message", "invoke", "chat.completions.create")


def namespace_samples(namespace) -> list[str]:
    """Qualified names of methods a namespace covers."""
    chains = sorted(namespace.methods)[:2] if namespace.methods else NAMESPACE_METHODS
    names = [f"{namespace.type}.{chain}" for chain in chains]
    return [name for name in names if namespace.covers(name)]
KNOWN_TYPES = frozenset(RESULT_TYPES.values())


def split_module(qualname: str) -> tuple[str, str]:
    """(module, rest): the module ends before the first capitalised name, else at the last dot."""
    parts = qualname.split(".")
    cut = next((i for i in range(1, len(parts)) if parts[i][:1].isupper()), len(parts) - 1)
    return ".".join(parts[:cut]), ".".join(parts[cut:])


def owner_of(qualname: str) -> str | None:
    """The type a table name is a method of (`httpx.Client` for `httpx.Client.get`), if any."""
    parent = qualname.rpartition(".")[0]
    if qualname in CALLED_ON_THE_CLASS or "." not in parent:
        return None
    return parent if parent in KNOWN_TYPES or split_module(parent)[1][:1].isupper() else None


# ------------------------------------------------------------ entries
@dataclass(frozen=True)
class Entry:
    """What to call, and the code it must get: a method `chain` written after
    an instance of `owner`, or a name in `module` (`owner` None)."""

    code: str
    owner: str | None
    module: str
    chain: str
    user: bool = False  # from `extend-blocking-calls`

    @property
    def qualname(self) -> str:
        return f"{self.owner or self.module}.{self.chain}"

    def __str__(self) -> str:
        """`httpx.Client().get:AL101`, `requests.get:AL101`, `acme.Client().fetch:AL106 (user, new type)`."""
        written = f"{self.owner}().{self.chain}" if self.owner else self.qualname
        user = ", new type" if self.owner and self.owner not in KNOWN_TYPES else ""
        return f"{written}:{self.code}" + (f" (user{user})" if self.user else "")


def table_entry(qualname: str, code: str) -> Entry:
    owner = owner_of(qualname)
    if owner:
        return Entry(code, owner, "", qualname[len(owner) + 1 :])
    return Entry(code, None, *split_module(qualname))


TABLE_ENTRIES = (
    [table_entry(name, entry.code) for name, entry in blocking.builtin_table().items()]
    + [table_entry(name, code) for n, code, _ in BLOCKING_NAMESPACES for name in namespace_samples(n)]
    + [table_entry(name, "AL201") for n in COROUTINE_NAMESPACES for name in namespace_samples(n)]
    + [table_entry(name, "AL201") for name in sorted(COROUTINE_FUNCTIONS)]  # a dropped coroutine
)
USER_ENTRIES = [
    Entry("AL106", "openai.OpenAI", "", "chat.completions.create", user=True),  # the bug report's example
    Entry("AL105", "acme.Client", "", "chat.completions.create", user=True),
    Entry("AL110", "acme.Client", "", "fetch", user=True),
    Entry("AL107", "acme.client", "", "fetch", user=True),  # a type whose name is lowercase
    Entry("AL103", "httpx.Client", "", "stream_lines", user=True),  # a new method of a type the tables know
    Entry("AL101", "httpx.Client", "", "transport.handle", user=True),
    Entry("AL108", None, "acme", "api.chat.completions.create", user=True),  # a lowercase chain from a module
    Entry("AL104", None, "acme.tools", "fetch_report", user=True),
]


@cache
def settings_for(entry: Entry) -> Settings:
    """Every rule; a user entry comes from `extend-blocking-calls` as the TOML table reads it."""
    if not entry.user:
        return EVERY_RULE
    spec = "do it in a thread" if entry.code == "AL106" else {"advice": "do it in a thread", "code": entry.code}
    values = {"select": ["AL"], "preview": True, "extend-blocking-calls": {entry.qualname: spec}}
    return build_settings(RawConfig(values), {})


# ------------------------------------------------------------ writing a snippet
@dataclass(frozen=True)
class Names:
    """The names a snippet binds."""

    var: str = "client"
    alias: str = "lib"
    glob: str = "CLIENT"
    cls: str = "Service"


class Imports(set):
    """The import lines a snippet needs; with `spelled_from`, types and builders come `from` their module."""

    def __init__(self, spelled_from: bool = False) -> None:
        super().__init__()
        self.spelled_from = spelled_from


def reference(qualname: str, imports: Imports) -> str:
    """How a module-level name is written (`module.rest`, or `rest` imported from the module), noting the import."""
    module, rest = split_module(qualname)
    if module == "builtins":
        return rest
    if imports.spelled_from:
        imports.add(f"from {module} import {rest.partition('.')[0]}")
        return rest
    imports.add(f"import {module}")
    return f"{module}.{rest}"


@cache
def builders(typ: str) -> tuple[str, ...]:
    """The RESULT_TYPES keys that build a `typ`: constructors and factories, then methods of other built types."""
    keys = [k for k, v in RESULT_TYPES.items() if v == typ and owner_of(k) != typ and buildable(owner_of(k))]
    return tuple(sorted(keys, key=lambda k: owner_of(k) is not None))


_BEING_BUILT: set[str] = set()  # types whose builders are being found: a cycle (a manager <-> its queryset) builds none


def buildable(typ: str | None) -> bool:
    if typ is None:
        return True
    if typ in _BEING_BUILT:
        return False
    _BEING_BUILT.add(typ)
    try:
        return bool(builders(typ))
    finally:
        _BEING_BUILT.discard(typ)


def build(typ: str, imports: Imports, choice: int = 0, awaited: bool = True) -> str:
    """An expression that builds a `typ` (`httpx.Client()`, `sqlalchemy.create_engine().connect()`);
    `choice` picks among the ways the tables know."""
    made = builders(typ)
    key, choice = made[choice % len(made)], choice // len(made)
    owner = owner_of(key)
    if owner is None:
        expr = reference(key, imports) + "()"
    else:
        base = build(owner, imports, choice)
        method = key.rpartition(".")[2]
        expr = f"{base}()" if method == "__call__" else f'{base}["x"]' if method == "__getitem__" else f"{base}.{method}()"
    return f"(await {expr})" if awaited and key in COROUTINE_FUNCTIONS else expr


FORMS = ("call", "import-as", "from-import", "from-import-as", "local", "inline", "global", "self", "param",
         "annotated-local", "with")


def instance(entry: Entry, form: str, names: Names, choice: int, imports: Imports):
    """(module lines, parameters, body lines, expression) giving an instance of the entry's owner, or None."""
    owner, var = entry.owner, names.var
    if form in ("param", "annotated-local"):
        if owner in NAMELESS_TYPES:
            return None
        typ = reference(owner, imports)
        if form == "param":
            return [], f"{var}: {typ}", [], var
        return [], "", [f"{var}: {typ} = {typ}()"], var
    if not buildable(owner) or form not in ("local", "inline", "global", "self", "with"):
        return None
    if form == "with":
        opener = "async with" if owner in ASYNC_CONTEXT_MANAGERS else "with" if owner in CONTEXT_MANAGERS else None
        return opener and ([], "", [f"{opener} {build(owner, imports, choice, awaited=False)} as {var}:"], var)
    built = build(owner, imports, choice)
    if form == "local":
        return [], "", [f"{var} = {built}"], var
    if form == "inline":
        return [], "", [], built
    if "await" in built:  # neither module level nor `__init__` can await
        return None
    if form == "global":
        return [f"{names.glob} = {built}"], "", [], names.glob
    init = [f"class {names.cls}:", "    def __init__(self):", f"        self.{var} = {built}"]
    return init, "self", [], f"self.{var}"


def function(entry: Entry, form: str, names: Names, imports: Imports) -> str | None:
    """The callable a module-level entry is written as, in the import form `form`, or None."""
    head, _, rest = entry.chain.partition(".")
    if entry.module == "builtins":
        return entry.chain if form == "call" else None
    if form == "call":
        imports.add(f"import {entry.module}")
        return entry.qualname
    if form == "import-as":
        imports.add(f"import {entry.module} as {names.alias}")
        return f"{names.alias}.{entry.chain}"
    if form == "from-import":
        imports.add(f"from {entry.module} import {head}")
        return entry.chain
    if form == "from-import-as":
        imports.add(f"from {entry.module} import {head} as {names.alias}")
        return ".".join(filter(None, (names.alias, rest)))
    return None


def arguments(qualname: str, imports: Imports, blocking: bool = True) -> str:
    """The arguments that make a call block when they decide it (`BLOCKS_WHEN`):
    a value of the first type it names (`inspect(create_engine())`), or the first
    keyword; not `blocking`, a string (`yaml.safe_load("a: 1")`) or another keyword."""
    when = BLOCKS_WHEN.get(qualname)
    if when is None:
        return ""
    if when.keywords:
        return f'{min(when.keywords) if blocking else "other"}="x"'
    value = build(min(when.types, key=lambda typ: not builders(typ)), imports) if blocking else '"text"'
    return ", ".join(["None"] * when.position + [value])


def snippet(
    entry: Entry, form: str, names: Names = Names(), choice: int = 0, spelled_from: bool = False,
    blocking: bool = True,
) -> str | None:
    """A module whose `async def` makes the entry's call, unawaited, as its last
    line; None where the form does not apply to the entry."""
    imports = Imports(spelled_from)
    top, params, body = [], "", []
    if entry.owner is None:
        target = function(entry, form, names, imports)
    else:
        found = instance(entry, form, names, choice, imports)
        if found is None:
            return None
        top, params, body, receiver = found
        target = f"{receiver}.{entry.chain}"
    if target is None:
        return None
    call = f"{target}({arguments(entry.qualname, imports, blocking)})"
    indent = "        " if body and body[-1].endswith(":") else "    "
    lines = [f"async def handler({params}):", *(f"    {line}" for line in body), indent + call]
    if form == "self":
        lines = [*top, "", *(f"    {line}" for line in lines)]
    else:
        lines = [*top, "", *lines] if top else lines
    return "\n".join([*sorted(imports), "", "", *lines]) + "\n"


class Missed(AssertionError):
    """Not reported, with or without the first look: a gap of the model."""


class Hidden(AssertionError):
    """Reported by libcst, hidden by the first look: a screen bug."""


# ------------------------------------------------------------ checking
@cache
def checker(settings: Settings, screening: bool) -> Checker:
    return Checker(settings, screening=screening)


def check(entry: Entry, source: str, path: str) -> None:
    """The entry's code for the call on the last line, and the same findings with the first look."""
    settings, data = settings_for(entry), source.encode()
    unscreened = checker(settings, False).check_source(data, path)
    screened = checker(settings, True).check_source(data, path)
    assert not unscreened.errors and not screened.errors
    last = source.splitlines()[-1]
    call = (entry.code, source.count("\n"), len(last) + 1)  # the last line, ending where the call ends
    if call not in {(d.code, d.start.line, d.end.column) for d in unscreened.diagnostics}:
        raise Missed(f"{entry} is not reported:\n{source}")
    if screened.diagnostics != unscreened.diagnostics:
        raise Hidden(f"the first look hides a finding of {entry}:\n{source}")


@pytest.fixture(scope="module")
def path(tmp_path_factory) -> str:
    """A file of a project of its own, so no module of this repository is imported by a snippet."""
    root = tmp_path_factory.mktemp("forms")
    (root / "pyproject.toml").write_text("")
    return str(root / "snippet.py")


# ------------------------------------------------------------ every entry, every form
def sweep() -> list:
    """Every entry in its basic form (a call, or a method on a built or annotated instance);
    the first entry of each type or module and code in every form, built every way."""
    cases, groups, seen = [], set(), set()
    for entry in TABLE_ENTRIES + USER_ENTRIES:
        group = (entry.owner or entry.module, entry.code, entry.user)
        basic = "call" if entry.owner is None else "local" if buildable(entry.owner) else "param"
        ways = [(form, choice) for form in FORMS for choice in range(12)] if group not in groups else [(basic, 0)]
        groups.add(group)
        for form, choice in ways:
            source = snippet(entry, form, choice=choice)
            if source is None or source in seen:
                continue
            seen.add(source)
            cases.append(pytest.param(entry, source, id=f"{entry}-{form}-{choice}"))
    return cases


@pytest.mark.parametrize(("entry", "source"), sweep())
def test_every_entry_in_its_forms(entry: Entry, source: str, path: str) -> None:
    check(entry, source, path)


def test_every_entry_has_forms_and_every_code_is_swept() -> None:
    """A table entry no form applies to would go untested."""
    swept = {(case.values[0].qualname, case.values[0].code) for case in sweep()}
    assert {(e.qualname, e.code) for e in TABLE_ENTRIES} <= swept
    assert {code for _, code in swept} == {*BLOCKING_CODES, "AL201"}


def test_the_reported_example(path: str) -> None:
    """The bug report, verbatim: a user's namespace chain on an annotated client."""
    source = (
        "import openai\n\n"
        "async def answer(q: str):\n"
        "    client: openai.OpenAI = openai.OpenAI()\n"
        '    return client.chat.completions.create(model="m", messages=[])\n'
    )
    check(USER_ENTRIES[0], source, path)


@pytest.mark.parametrize("entry", [e for e in TABLE_ENTRIES if e.qualname in BLOCKS_WHEN], ids=str)
def test_calls_whose_arguments_decide_are_quiet_on_the_others(entry: Entry, path: str) -> None:
    """`yaml.safe_load(text)`, `load_verify_locations(cadata=...)`: the same call, not blocking."""
    for form in FORMS:
        source = snippet(entry, form, blocking=False)
        if source is None:
            continue
        data = source.encode()
        for screening in (False, True):
            found = checker(settings_for(entry), screening).check_source(data, path).diagnostics
            call = (entry.code, source.count("\n"), len(source.splitlines()[-1]) + 1)  # the last line's call
            assert call not in {(d.code, d.start.line, d.end.column) for d in found}, source


# ------------------------------------------------------------ any names, builders and user entries
def identifiers(pattern: str = r"[a-z][a-z0-9_]{0,6}"):
    taken = {name.split(".")[0] for name in [*RESULT_TYPES, *(e.qualname for e in TABLE_ENTRIES)]}
    taken |= {"handler", "self", "snippet"}
    return st.from_regex(pattern, fullmatch=True).filter(
        lambda name: not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
        and name not in taken and not hasattr(builtins, name)
    )


CLASS_NAMES = identifiers(r"[A-Z][a-z]{1,6}")
OWNED_TYPES = sorted({e.owner for e in TABLE_ENTRIES if e.owner and buildable(e.owner)})


@cache
def codes_near(typ: str) -> frozenset[str]:
    """The codes of the table entries on a type, on the types that build it, and of its builders:
    a user entry of another code is the only call of its code in its snippet (none opens its rule)."""
    codes = {e.code for e in TABLE_ENTRIES if e.owner == typ}
    for key in builders(typ):
        found = blocking.lookup(key)
        codes |= {found.code} if found else set()
        codes |= codes_near(owner_of(key)) if owner_of(key) else set()
    return frozenset(codes)


@st.composite
def user_entries(draw) -> Entry:
    """An `extend-blocking-calls` entry of any code: a method chain on a new type or
    one the tables know, a function, or a lowercase chain from a module."""
    code = draw(st.sampled_from(sorted(BLOCKING_CODES)))
    module = ".".join(draw(st.lists(identifiers(), min_size=1, max_size=2)))
    kind = draw(st.sampled_from(("new type", "known type", "function", "module chain")))
    chain = ".".join(draw(st.lists(identifiers(), min_size=1, max_size=1 if kind == "function" else 3)))
    if kind == "new type":
        return Entry(code, f"{module}.{draw(st.one_of(CLASS_NAMES, identifiers()))}", "", chain, user=True)
    if kind == "known type":
        owner = draw(st.sampled_from(OWNED_TYPES))
        code = draw(st.sampled_from(sorted(set(BLOCKING_CODES) - codes_near(owner))))
        return Entry(code, owner, "", chain, user=True)
    if kind == "module chain" and "." not in chain:
        chain += ".call"
    return Entry(code, None, module, chain, user=True)


@st.composite
def cases(draw) -> tuple[Entry, str, str]:
    entry = draw(st.one_of(st.sampled_from(TABLE_ENTRIES + USER_ENTRIES), user_entries()))
    form = draw(st.sampled_from([f for f in FORMS if snippet(entry, f) is not None]))
    choice, spelled_from = draw(st.integers(0, 11)), draw(st.booleans())
    imported = snippet(entry, form, Names(), choice, spelled_from) or ""
    words = set(re.findall(r"\w+", entry.qualname + "".join(re.findall(r"^(?:from|import) .*", imported, re.M))))
    fresh = identifiers().filter(lambda name: name not in words)
    var, alias = draw(st.lists(fresh, min_size=2, max_size=2, unique=True))
    glob = draw(fresh.map(str.upper).filter(lambda name: name not in words))
    names = Names(var, alias, glob, draw(CLASS_NAMES.filter(lambda name: name not in words)))
    source = snippet(entry, form, names, choice, spelled_from)
    assume(source is not None)  # module level and `__init__` cannot await what some builders give
    return entry, form, source


@hypothesis_settings(max_examples=200, deadline=None)
@given(case=cases())
def test_any_names_builders_and_user_entries(case: tuple[Entry, str, str], path: str) -> None:
    """Names, the way an instance is built, and user entries vary."""
    check(case[0], case[2], path)


# ------------------------------------------------------------ exits that block
def exit_cases() -> list:
    """A plain `with` in async code, awaiting nothing, of each type whose `__exit__` blocks, in each form."""
    cases = []
    for name, entry in sorted(blocking.builtin_table().items()):
        if not name.endswith(".__exit__"):
            continue
        owner = name.removesuffix(".__exit__")
        for form in ("local", "inline", "global", "self", "param", "annotated-local"):
            for spelled_from in (False, True):
                imports = Imports(spelled_from)
                found = instance(Entry(entry.code, owner, "", "__exit__"), form, Names(), 0, imports)
                if found is None:
                    continue
                top, params, body, receiver = found
                lines = [f"async def handler({params}):", *(f"    {line}" for line in body), f"    with {receiver}:",
                         "        pass"]
                if form == "self":
                    lines = [*top, "", *(f"    {line}" for line in lines)]
                elif top:
                    lines = [*top, "", *lines]
                source = "\n".join([*sorted(imports), "", "", *lines]) + "\n"
                cases.append(pytest.param(entry.code, source, id=f"{name}-{form}-{spelled_from}"))
    return cases


@pytest.mark.parametrize(("code", "source"), exit_cases())
def test_every_blocking_exit_in_its_forms(code: str, source: str, path: str) -> None:
    data = source.encode()
    unscreened = checker(EVERY_RULE, False).check_source(data, path)
    screened = checker(EVERY_RULE, True).check_source(data, path)
    line = source.count("\n") - 1  # the `with`
    assert (code, line) in {(d.code, d.start.line) for d in unscreened.diagnostics}, source
    assert screened.diagnostics == unscreened.diagnostics, source


# ------------------------------------------------------------ what builds a connection pool
def pool_cases() -> list:
    """Each call that builds a pool, in each form, made on every iteration of a loop (AL302)."""
    cases = []
    for key in sorted(POOL_BUILDERS):
        owner = owner_of(key)
        entry = Entry("AL302", owner, "", key.rpartition(".")[2]) if owner else Entry("AL302", None, *split_module(key))
        forms = [f for f in FORMS if f != "with"]
        for form in forms:
            source = snippet(entry, form)
            if source is None:
                continue
            *head, last = source.splitlines()
            indent = last[: len(last) - len(last.lstrip())]
            source = "\n".join([*head, f"{indent}for _ in range(2):", "    " + last]) + "\n"
            cases.append(pytest.param(entry, source, id=f"{key}-{form}"))
    return cases


@pytest.mark.parametrize(("entry", "source"), pool_cases())
def test_every_pool_builder_in_its_forms(entry: Entry, source: str, path: str) -> None:
    check(entry, source, path)


def test_every_pool_builder_has_forms() -> None:
    assert {case.values[0].qualname for case in pool_cases()} == set(POOL_BUILDERS)


# ------------------------------------------------------------ calls that wait forever without a timeout
def timeout_cases() -> list:
    cases = []
    for key in sorted(TIMEOUT_REQUIRED):
        owner = owner_of(key)
        entry = Entry("AL601", owner, "", key.rpartition(".")[2]) if owner else Entry("AL601", None, *split_module(key))
        for form in FORMS:
            source = snippet(entry, form)
            if source is not None:
                cases.append(pytest.param(entry, source, id=f"{key}-{form}"))
    return cases


@pytest.mark.parametrize(("entry", "source"), timeout_cases())
def test_every_call_that_needs_a_timeout_in_its_forms(entry: Entry, source: str, path: str) -> None:
    check(entry, source, path)
