"""Which callables block the event loop, and what to use instead.

The calls come from the libraries' entries (`asynclint.knowledge.libraries`):
each lists its blocking calls with the rule that reports them and advice,
and its namespaces (types every method of which blocks). Methods are keyed
by their type (``httpx.Client.get``): the context resolves ``client.get``
to that when ``client = httpx.Client()``.

Advice may use the placeholders of ``LIBRARY_ADVICE`` (``{sleep}``,
``{to_thread}``, ...), filled in for the async library the file uses and
the Python version it targets (`fill_advice`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from asynclint.knowledge import libraries
from asynclint.knowledge.python_versions import ASYNCIO_BEFORE, target_has

LIBRARY_ADVICE: dict[str, dict[str, str]] = {
    "asyncio": {
        "lib": "asyncio",
        "sleep": "asyncio.sleep",
        "to_thread": "asyncio.to_thread",
        "subprocess": "asyncio.create_subprocess_exec",
        "open_file": "aiofiles.open",
        "path": "anyio.Path",
        "event": "asyncio.Event",
    },
    "anyio": {
        "lib": "anyio",
        "sleep": "anyio.sleep",
        "to_thread": "anyio.to_thread.run_sync",
        "subprocess": "anyio.run_process",
        "open_file": "anyio.open_file",
        "path": "anyio.Path",
        "event": "anyio.Event",
    },
    "trio": {
        "lib": "trio",
        "sleep": "trio.sleep",
        "to_thread": "trio.to_thread.run_sync",
        "subprocess": "trio.run_process",
        "open_file": "trio.open_file",
        "path": "trio.Path",
        "event": "trio.Event",
    },
}


_EXECUTOR_CALL = ASYNCIO_BEFORE["asyncio.to_thread"]


def fill_advice(template: str, library: str, target_version: str) -> str:
    """Advice with the library's words filled in, asyncio's names the target
    version lacks replaced by what it has. `{to_thread}(func, args)` is a
    call: the loop's executor call, before Python 3.9, takes the executor
    first."""
    words = LIBRARY_ADVICE.get(library, LIBRARY_ADVICE["asyncio"])
    older = {key: ASYNCIO_BEFORE[name] for key, name in words.items() if name in ASYNCIO_BEFORE and not target_has(name, target_version)}
    if older:
        words = {**words, **older}
    if words["to_thread"] == _EXECUTOR_CALL:
        template = template.replace("{to_thread}(", "{to_thread}(None, ")
    return template.format_map(words)


@dataclass(frozen=True)
class BlockingCall:
    code: str
    advice: str  # may hold placeholders: see `fill_advice`


@cache
def builtin_table() -> dict[str, BlockingCall]:
    """Qualified name -> BlockingCall, from every library's entry."""
    return {name: BlockingCall(code, advice) for name, (code, advice) in libraries.BLOCKING_CALLS.items()}


# The families a chain through sync helpers (AL109) follows only when their own rule is on, and why.
ONLY_WITH_THEIR_RULE: dict[str, str] = {
    "AL110": "disk metadata queries are AL110's: with it off, a helper that only asks about a path is not taken to block",
    "AL111": "CPU-bound work is its own rule's: with it off, a helper that only hashes is not taken to block",
}

# The families whose chains their own rule reports, with its own advice, instead of AL109.
CHAINS_OF_THEIR_OWN: frozenset[str] = frozenset({"AL111"})


def codes() -> frozenset[str]:
    """Every code a library's call is reported under."""
    return libraries.CODES


@cache
def chain_codes(enabled: frozenset[str]) -> frozenset[str]:
    """The codes through which a sync helper "reaches a blocking call" (AL109),
    with these rules enabled."""
    return codes().difference(code for code in ONLY_WITH_THEIR_RULE if code not in enabled)


def lookup(qualname: str, extras=None) -> BlockingCall | None:
    """The blocking entry for a canonical qualified name, the user's own
    (`Settings.blocking_extras`) first."""
    if extras:
        extra = extras.find(qualname)
        if extra is not None:
            return BlockingCall(extra.code, extra.advice.replace("{", "{{").replace("}", "}}"))
    entry = builtin_table().get(qualname)
    if entry is None and qualname.startswith(libraries.BLOCKING_NAMESPACE_PREFIXES):
        for namespace, code, advice in libraries.BLOCKING_NAMESPACES:
            if namespace.covers(qualname):
                return BlockingCall(code, advice)
    return entry
