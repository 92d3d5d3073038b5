"""Which call blocks, and how a message names it (the blocking rules, AL202, AL501)."""

from __future__ import annotations

from collections.abc import Callable

from asynclint.knowledge import blocking
from asynclint.knowledge.libraries import BLOCKS_WHEN
from asynclint.lazy import cst

# Every code the blocking tables report under.
BLOCKING_CODES = blocking.codes()


def display_name(ctx, call: cst.Call, qualname: str) -> str:
    """How a message names the call: the qualified name, plus the source
    spelling when it differs (`client.get` is `httpx.Client.get`)."""
    shown = qualname.removeprefix("builtins.")
    written = ctx.code_for(call.func)
    if written != shown and len(written) <= 40 and "\n" not in written:
        return f"`{written}` (`{shown}`)"
    return f"`{shown}`"


def blocking_test(
    codes: frozenset[str], settings, known_codes: dict[str, str | None] | None = None,
    whatever_the_arguments: bool = False,
) -> Callable[[str], bool]:
    """Whether a qualified name is a blocking call the tables (or the user's
    `extend-blocking-calls`) report under one of these codes; `known_codes`
    keeps the tables' answers (qualified name -> code) between tests. With
    `whatever_the_arguments` (a chain's end, whose arguments no one looks
    at), not a call that blocks only with some (`BLOCKS_WHEN`)."""
    extras = settings.blocking_extras() if settings is not None else None
    found = {} if known_codes is None else known_codes

    def test(qualname: str) -> bool:
        if whatever_the_arguments and qualname in BLOCKS_WHEN:
            return False
        if qualname not in found:
            entry = blocking.lookup(qualname, extras)
            found[qualname] = entry.code if entry is not None else None
        return found[qualname] in codes

    return test
