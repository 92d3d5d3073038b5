"""Which call blocks, and how a message names it (the blocking rules, AL202, AL501)."""

from __future__ import annotations

from collections.abc import Callable

from asynclint.knowledge import blocking
from asynclint.knowledge.libraries import NO_CHAIN_ENDS
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
    chain_end: bool = False,
) -> Callable[[str], bool]:
    """Whether a qualified name is a blocking call the tables (or the user's
    `extend-blocking-calls`) report under one of these codes; `known_codes`
    keeps the tables' answers (qualified name -> code) between tests. With
    `chain_end` (where a chain through sync helpers ends), not a call whose
    arguments decide or whose first call only blocks (`NO_CHAIN_ENDS`)."""
    extras = settings.blocking_extras() if settings is not None else None
    found = {} if known_codes is None else known_codes

    def test(qualname: str) -> bool:
        if chain_end and qualname in NO_CHAIN_ENDS:
            return False
        if qualname not in found:
            entry = blocking.lookup(qualname, extras)
            found[qualname] = entry.code if entry is not None else None
        return found[qualname] in codes

    return test
