"""Locks and context managers, by how a `with` statement may use them.

Keys are the value types the resolver gives (`threading.RLock()` is a
`threading.Lock`, see `RESULT_TYPES`; an annotation may name either).
"""

from __future__ import annotations

from asynclint.knowledge import libraries

# A plain `with` on one of these blocks the thread until the lock is free.
THREAD_LOCKS: frozenset[str] = libraries.THREAD_LOCKS

# Context managers with only `__aenter__`/`__aexit__` (or an `__enter__` that
# raises): a plain `with` on one is a TypeError when it runs.
ASYNC_ONLY_CONTEXT_MANAGERS: frozenset[str] = libraries.ASYNC_ONLY
