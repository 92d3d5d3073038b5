"""The shape of a library's entry: everything asynclint knows of one library,
as data. The entries live in `asynclint.knowledge.libraries` (one module per
family of libraries); every table the rules and the first look read is
derived from them there, so one fact has one place.

Names are canonical qualified names (see `asynclint.knowledge.types.canonical`);
methods are named after their type (`httpx.Client.get`), which the resolver
gives a value built by one of the library's `builds`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Namespace:
    """Every method reached from an instance of `type` is an API call
    (`client.chat.completions.create`, `s3.get_object`), except those whose
    path names a `pure` member (`generate_presigned_url`, `with_options`) or
    a private one: an SDK's API is too large, and grows too fast, to list.
    With `methods`, only paths ending in one of them are (`.fetch()` of
    `client.messages(sid).fetch()`, where `messages(sid)` picks a record)."""

    type: str
    pure: frozenset[str] = frozenset()
    depth: int | None = None  # how many attributes deep an API method may be (None: any)
    capitalised_are_local: bool = False  # `s3.Bucket(...)` builds a sub-resource without I/O
    methods: frozenset[str] = frozenset()

    def covers(self, qualname: str) -> bool:
        """Whether a qualified name is an API method of this namespace."""
        prefix = self.type + "."
        if not qualname.startswith(prefix):
            return False
        path = qualname[len(prefix):].split(".")
        if (self.depth is not None and len(path) > self.depth) or (self.methods and path[-1] not in self.methods):
            return False
        return not any(
            part.startswith("_") or part in self.pure or (self.capitalised_are_local and part[:1].isupper())
            for part in path
        )


@dataclass(frozen=True)
class Calls:
    """Calls that block the event loop, named or as whole namespaces, the
    rule that reports them (AL101-AL108, AL110, AL111) and what to do
    instead. Advice may use the placeholders of
    `asynclint.knowledge.blocking.LIBRARY_ADVICE`."""

    code: str
    advice: str
    names: tuple[str, ...] = ()
    namespaces: tuple[Namespace, ...] = ()
    # Only a first call (per argument) does the I/O, later ones hit a cache (`pytz.timezone`):
    # reported where written, but no chain through sync helpers ends at one (each of a
    # helper's many callers would be reported for one cached lookup).
    cached: bool = False
    # Types whose plain iteration does the I/O (`for x in qs`, `list(qs)`, `len(qs)`, `bool(qs)`).
    iterated: tuple[str, ...] = ()
    # A chain of sync project helpers that ends at one of these calls (AL109) is reported only with
    # `--preview`, and only where the last helper makes the call on every path: the helpers are often
    # guarded where the chain cannot tell (`if commit:`, an argument that skips the query).
    chains_in_preview: bool = False


@dataclass(frozen=True)
class Arguments:
    """What makes a listed blocking call block, when its arguments decide
    (`yaml.safe_load(f)` reads a file, `yaml.safe_load(text)` does not): with
    `types`, an argument of one of them, given at `position` or as
    `keyword=`; with `keywords`, any positional argument or one of them
    (`load_verify_locations(cafile=...)` reads files, `cadata=` alone does
    not). Arguments that cannot be told (`**options`, an unknown value) are
    taken not to block; a chain through sync helpers never ends at such a call."""

    types: frozenset[str] = frozenset()
    position: int = 0
    keyword: str | None = None
    keywords: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Timeout:
    """Calls that take `timeout=`: an explicit `timeout=None` waits forever
    (AL601), and, when `required`, so does leaving it out. `keyword` is the
    argument that carries the timeout (google-genai's `http_options=`), and
    `advice` what to pass."""

    calls: tuple[str, ...]
    required: bool = False
    keyword: str = "timeout"
    advice: str = "pass `timeout=`"


@dataclass(frozen=True)
class Generated:
    """Classes a library's code generator writes into its users' code, named
    `<module><module_suffix>.<name><class_suffix>` (`greeter_pb2_grpc.GreeterStub`),
    whose instances are what the first argument they are built on makes them
    (`types`: that argument's type -> the instance's). Built on anything else,
    or on a value that cannot be told, an instance is unknown."""

    module_suffix: str
    class_suffix: str
    types: Mapping[str, str]

    def matches(self, qualname: str) -> bool:
        module, _, name = qualname.rpartition(".")
        return module.rpartition(".")[2].endswith(self.module_suffix) and name.endswith(self.class_suffix)


@dataclass(frozen=True)
class Library:
    """One library: its types and what builds them, which of its calls block,
    its async twin's coroutines, and how its clients are to be kept."""

    name: str
    # Callable -> the type of its result (a class maps to itself; a factory
    # such as `boto3.client` or `engine.connect` to what it builds).
    builds: Mapping[str, str] = field(default_factory=dict)
    blocking: tuple[Calls, ...] = ()
    # Blocking calls that block only with some arguments -> which.
    blocks_when: Mapping[str, Arguments] = field(default_factory=dict)
    # The async twin's calls that return a coroutine (or another awaitable
    # that does nothing until awaited), named or as whole namespaces: AL201, AL202.
    coroutines: tuple[str, ...] = ()
    coroutine_namespaces: tuple[Namespace, ...] = ()
    # Types that own a connection pool: one per process, not one per request (AL301-AL303).
    # What builds one is in `builds`; a pool's own methods (`client.with_options(...)`) share it.
    pools: tuple[str, ...] = ()
    # Of those, the ones whose connections close when the client is dropped (the SDK's
    # `__del__`), or that have no `with` and are kept for the process by convention:
    # built per request they still cost a pool each (AL301, AL302); AL303 leaves them be.
    pools_closed_when_dropped: tuple[str, ...] = ()
    timeout: Timeout | None = None
    generated: tuple[Generated, ...] = ()
    # Other spellings of its names (a re-export, a submodule) -> the canonical one.
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Calls whose result a project class they are given names, when it is one (else `builds` says):
    # "receiver", an instance of the class called on; "argument", the class given first, itself.
    of_given_class: Mapping[str, str] = field(default_factory=dict)
    # Call -> what iterating its result gives; attribute -> the type reading it gives.
    elements: Mapping[str, str] = field(default_factory=dict)
    attributes: Mapping[str, str] = field(default_factory=dict)
    # Module prefixes of libraries with the same API, treated as this one ("httpx2." for "httpx.").
    same_api: Mapping[str, str] = field(default_factory=dict)
    # Context managers with only `__aenter__`/`__aexit__` (a plain `with` is a TypeError): AL208.
    async_only: tuple[str, ...] = ()
    # Locks whose plain `with` blocks the thread until they are free: AL207.
    thread_locks: tuple[str, ...] = ()
