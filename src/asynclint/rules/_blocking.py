"""Shared logic of the blocking-call rules (AL101-AL108, AL110).

Each rule only names its code; which callables block lives in
`asynclint.knowledge.blocking`. A call is reported when it is made in async
context, resolves to a table entry of the rule's code, and is not directly
awaited (an awaited sync call is AL202's finding, which says more).
"""

from __future__ import annotations

from asynclint.knowledge import blocking
from asynclint.lazy import cst
from asynclint.rule import Rule

# Every code the blocking tables report under (the opt-in AL110 included).
BLOCKING_CODES = frozenset({"AL101", "AL102", "AL103", "AL104", "AL105", "AL106", "AL107", "AL108", "AL110"})


def display_name(ctx, call: cst.Call, qualname: str) -> str:
    """How a message names the call: the qualified name, plus the source
    spelling when it differs (`client.get` is `httpx.Client.get`)."""
    shown = qualname.removeprefix("builtins.")
    written = ctx.code_for(call.func)
    if written != shown and len(written) <= 40 and "\n" not in written:
        return f"`{written}` (`{shown}`)"
    return f"`{shown}`"


def blocking_entry(ctx, call: cst.Call) -> tuple[str, blocking.BlockingCall] | None:
    """The qualified name and table entry of a blocking call, if it is one."""
    qualname = ctx.callee(call)
    if qualname is None:
        return None
    extras = ctx.settings.blocking_extras() if ctx.settings is not None else None
    entry = blocking.lookup(qualname, extras)
    return (qualname, entry) if entry is not None else None


class BlockingCallRule(Rule):
    """Base class; subclasses set code, name, summary and the docstring."""

    verb = "blocks the event loop"

    @classmethod
    def screen(cls, facts, lookups) -> bool:
        wanted = lookups.blocking(frozenset({cls.code}))
        return facts.has_async and facts.may_call(wanted, lambda call: call.in_async and not call.awaited)

    def visit_Call(self, node: cst.Call) -> None:
        ctx = self.ctx
        if not ctx.in_async:
            return
        found = blocking_entry(ctx, node)
        if found is None or found[1].code != self.code or ctx.is_awaited(node):
            return
        qualname, entry = found
        message = f"{display_name(ctx, node, qualname)} {self.verb}; {entry.advice_for(ctx.library)}"
        self.report(node, message, self.fix_for(node))

    def fix_for(self, node: cst.Call):
        """A fix for the call, for rules that have one."""
        return None
