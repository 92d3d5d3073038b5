"""Shared logic of the blocking-call rules (AL101-AL108, AL110).

Each rule only names its code; which callables block lives in
`asynclint.knowledge.blocking`. A call is reported when it is made in async
context, resolves to a table entry of the rule's code, and is not directly
awaited (an awaited sync call is AL202's finding, which says more): the
rule's call pattern, from which its first look comes too.
"""

from __future__ import annotations

from asynclint.analysis.blocking import display_name
from asynclint.knowledge import blocking
from asynclint.lazy import cst
from asynclint.model.facts import CallSite
from asynclint.rule import CallPattern, Rule


def in_async_not_awaited(call: CallSite) -> bool:
    return call.in_async and not call.awaited and not call.unblocked


class BlockingCallRule(Rule):
    """Base class; subclasses set code, name, summary and the docstring."""

    verb = "blocks the event loop"

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.calls = CallPattern(blocking=frozenset({cls.code}), where=in_async_not_awaited)

    def on_call(self, node: cst.Call, call: CallSite, callee: str) -> None:
        ctx = self.ctx
        entry = blocking.lookup(callee, ctx.settings.blocking_extras() if ctx.settings is not None else None)
        message = f"{display_name(ctx, node, callee)} {self.verb}; {entry.advice_for(ctx.library)}"
        self.report(node, message, self.fix_for(node))

    def fix_for(self, node: cst.Call):
        """A fix for the call, for rules that have one."""
        return None
