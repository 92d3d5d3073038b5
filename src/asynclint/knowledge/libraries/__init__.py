"""Every library asynclint knows, one entry each (the schema is
`asynclint.knowledge.library`), and the tables derived from them that the
rules and the first look read: what a call builds, what blocks, what
returns a coroutine, what owns a connection pool, what takes a timeout.

Add a library to the family module it belongs to; nothing else names it.
"""

from __future__ import annotations

from collections.abc import Iterable

from asynclint.knowledge.libraries import (
    cloud,
    concurrency,
    databases,
    django_orm,
    http,
    llm,
    network,
    passwords,
    saas,
    services,
    stdlib_io,
)
from asynclint.knowledge.library import Arguments, Generated, Library, Namespace, Timeout

FAMILIES = (http, stdlib_io, network, databases, django_orm, cloud, llm, saas, services, concurrency, passwords)
LIBRARIES: tuple[Library, ...] = tuple(library for family in FAMILIES for library in family.LIBRARIES)


def merged(libraries: Iterable[Library], field: str) -> dict[str, str]:
    """One of the libraries' name -> name tables (`builds`, `aliases`, ...), merged."""
    return {key: value for library in libraries for key, value in getattr(library, field).items()}


def blocking_calls(libraries: Iterable[Library]) -> dict[str, tuple[str, str]]:
    """Qualified name -> (code, advice) of every blocking call the libraries list."""
    return {name: (calls.code, calls.advice) for library in libraries for calls in library.blocking for name in calls.names}


def gathered(libraries: Iterable[Library], field: str) -> frozenset[str]:
    """One of the libraries' lists of names (`coroutines`, `pools`, ...), gathered."""
    return frozenset(name for library in libraries for name in getattr(library, field))


RESULT_TYPES = merged(LIBRARIES, "builds")
ELEMENT_TYPES = merged(LIBRARIES, "elements")
OF_GIVEN_CLASS = merged(LIBRARIES, "of_given_class")
ATTRIBUTE_TYPES = merged(LIBRARIES, "attributes")
ALIASES = merged(LIBRARIES, "aliases")
SAME_API_PREFIXES = merged(LIBRARIES, "same_api")
BLOCKING_CALLS = blocking_calls(LIBRARIES)
# The blocking calls whose arguments decide whether they block.
BLOCKS_WHEN: dict[str, Arguments] = {name: when for library in LIBRARIES for name, when in library.blocks_when.items()}
# The blocking calls no chain through sync helpers ends at: those whose arguments decide,
# and those whose first call only does the I/O.
NO_CHAIN_ENDS = frozenset(BLOCKS_WHEN) | frozenset(
    name for library in LIBRARIES for calls in library.blocking if calls.cached for name in calls.names
)
# (namespace, code, advice): the types every method of which blocks.
BLOCKING_NAMESPACES: tuple[tuple[Namespace, str, str], ...] = tuple(
    (namespace, calls.code, calls.advice)
    for library in LIBRARIES for calls in library.blocking for namespace in calls.namespaces
)
# Type -> (code, advice): the types whose plain iteration blocks.
BLOCKING_ITERATION: dict[str, tuple[str, str]] = {
    typ: (calls.code, calls.advice) for library in LIBRARIES for calls in library.blocking for typ in calls.iterated
}
# The named blocking calls a chain of sync helpers ends at only in preview.
PREVIEW_CHAIN_ENDS = frozenset(
    name for library in LIBRARIES for calls in library.blocking if calls.chains_in_preview for name in calls.names
)
COROUTINES = gathered(LIBRARIES, "coroutines")
COROUTINE_NAMESPACES = tuple(namespace for library in LIBRARIES for namespace in library.coroutine_namespaces)
# What a name under one of the namespaces starts with: one test before asking each namespace.
BLOCKING_NAMESPACE_PREFIXES = tuple(namespace.type + "." for namespace, _, _ in BLOCKING_NAMESPACES)
COROUTINE_NAMESPACE_PREFIXES = tuple(namespace.type + "." for namespace in COROUTINE_NAMESPACES)
POOLS = gathered(LIBRARIES, "pools")
# Callable -> the pool type it builds: constructors and factories (`boto3.client`), not a
# pool's own methods (`client.with_options(...)` copies the client onto the same pool).
POOL_BUILDERS: dict[str, str] = {
    call: typ for call, typ in RESULT_TYPES.items() if typ in POOLS and call.rpartition(".")[0] != typ
}
POOLS_CLOSED_WHEN_DROPPED = gathered(LIBRARIES, "pools_closed_when_dropped")
GENERATED: tuple[Generated, ...] = tuple(generated for library in LIBRARIES for generated in library.generated)
ASYNC_ONLY = gathered(LIBRARIES, "async_only")
THREAD_LOCKS = gathered(LIBRARIES, "thread_locks")
TIMEOUT_CALLS = frozenset(name for library in LIBRARIES if library.timeout for name in library.timeout.calls)
# Call -> the keyword that carries its timeout, where it is not `timeout=` (elasticsearch's `request_timeout=`).
TIMEOUT_KEYWORDS: dict[str, str] = {
    name: library.timeout.keyword
    for library in LIBRARIES if library.timeout and library.timeout.keyword != "timeout" for name in library.timeout.calls
}
# Call -> (library, its timeout) of the calls that wait forever without one.
TIMEOUT_REQUIRED: dict[str, tuple[str, Timeout]] = {
    name: (library.name, library.timeout)
    for library in LIBRARIES if library.timeout and library.timeout.required for name in library.timeout.calls
}
# Every code a library's call is reported under.
CODES = frozenset(
    {code for code, _ in BLOCKING_CALLS.values()} | {code for _, code, _ in BLOCKING_NAMESPACES}
)


def reported_under(code: str) -> list[str]:
    """The libraries a rule reports calls of: their blocking calls' code, or
    for AL201 (a coroutine never awaited) an async API."""
    return [
        library.name
        for library in LIBRARIES
        if any(calls.code == code for calls in library.blocking)
        or (code == "AL201" and (library.coroutines or library.coroutine_namespaces))
    ]


def libraries_section(code: str) -> str:
    """The "Libraries" part of a rule's documentation ("" for a rule about no library's calls)."""
    names = reported_under(code)
    if not names:
        return ""
    return "## Libraries\n" + ", ".join(f"`{name}`" for name in names) + ".\n"
