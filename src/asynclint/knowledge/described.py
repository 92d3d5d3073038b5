"""The library names the knowledge tables describe.

When asynclint lints a library's own repository, the library's public names
(`aiohttp.ClientSession`, `httpx.Client`) would otherwise resolve into its
source, and its tests and examples would no longer be read the way a user's
code is. A name described here, or a name under one, stays the table's name.
"""

from __future__ import annotations

from functools import cache

from asynclint.knowledge import coroutines, locks, timeouts, types, web
from asynclint.knowledge.blocking import builtin_table


@cache
def described_names() -> frozenset[str]:
    """Every qualified name a table gives a meaning to."""
    names: set[str] = set(builtin_table())
    names.update(types.RESULT_TYPES)
    names.update(types.RESULT_TYPES.values())
    names.update(types.ATTRIBUTE_TYPES)
    names.update(types.ATTRIBUTE_TYPES.values())
    names.update(types.ELEMENT_TYPES)
    names.update(types.ALIASES.values())
    names.update(coroutines.COROUTINE_FUNCTIONS)
    names.update(coroutines.TASK_FACTORIES)
    names.update(coroutines.EVENT_LOOP_RUNNERS)
    names.update(coroutines.THREAD_RUNNERS)
    names.update(locks.THREAD_LOCKS)
    names.update(locks.ASYNC_ONLY_CONTEXT_MANAGERS)
    names.update(timeouts.TIMEOUT_CONTEXT_MANAGERS)
    names.update(web.APP_CLASSES)
    names.update(web.CLIENT_CLASSES)
    return frozenset(name for name in names if "." in name)


@cache
def is_described(qualname: str) -> bool:
    """Whether a table describes this name or a name it lies under
    (`aiohttp.ClientSession.get` under `aiohttp.ClientSession`)."""
    described = described_names()
    name = qualname
    while "." in name:
        if types.canonical(name) in described:
            return True
        name = name.rpartition(".")[0]
    return False
