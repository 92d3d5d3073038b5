"""Shared logic of the blocking-call rules (AL101-AL108, AL110, AL111) and
of the rules that follow chains of sync project helpers (AL109, AL111).

Each rule only names its code; which callables block lives in
`asynclint.knowledge.blocking`. A call is reported when it is made in async
context, resolves to a table entry of the rule's code, and is not directly
awaited (an awaited sync call is AL202's finding, which says more): the
rule's call pattern, from which its first look comes too.

A chain (`verify_password -> bcrypt.checkpw`) is found once, by the project
(`Project.blocking_chain`), and reported by one rule: the one that owns the
code of the blocking call it ends at (`ChainRule.reports_chain_to`), so a
call is never reported twice.
"""

from __future__ import annotations

from asynclint.analysis.blocking import display_name
from asynclint.analysis.search import contains, is_checkpoint
from asynclint.knowledge import blocking
from asynclint.knowledge.frameworks import LOOP_FRAMEWORK_TRIGGER
from asynclint.knowledge.libraries import BLOCKS_WHEN
from asynclint.knowledge.library import Arguments
from asynclint.lazy import cst
from asynclint.model.facts import CallSite
from asynclint.rule import CallPattern, Report, Rule


def in_async_not_awaited(call: CallSite) -> bool:
    return call.in_async and not call.awaited and not call.unblocked


def not_unblocked(call: CallSite) -> bool:
    """A call in a plain def the framework runs on the loop: it blocks, unless told not to wait."""
    return not call.unblocked


def on_the_loop(ctx, function) -> str:
    """Why a plain def's code runs on the event loop, for messages."""
    return f"{ctx.on_loop.name} calls the plain `def {function.name.value}` directly on the event loop"


class BlockingCallRule(Rule):
    """Base class; subclasses set code, name, summary and the docstring."""

    verb = "blocks the event loop"
    # async code, or plain def handlers that a framework calls on the loop
    triggers = (rb"\basync\b", LOOP_FRAMEWORK_TRIGGER)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.calls = CallPattern(blocking=frozenset({cls.code}), where=in_async_not_awaited, on_loop=not_unblocked)

    def on_call(self, node: cst.Call, call: CallSite, callee: str) -> None:
        ctx = self.ctx
        when = BLOCKS_WHEN.get(callee)
        if when is not None and not blocks_with(ctx, node, when):
            return
        entry = blocking.lookup(callee, ctx.settings.blocking_extras() if ctx.settings is not None else None)
        advice = ctx.advice(entry.advice)
        if call.in_async:
            self.report(node, f"{display_name(ctx, node, callee)} {self.verb}; {advice}", self.fix_for(node))
        else:  # a plain def handler the framework calls on the loop: no fix, the def is not async
            function = ctx.function
            self.report(
                node,
                f"{display_name(ctx, node, callee)} {self.verb}: {on_the_loop(ctx, function)}; "
                f"make `{function.name.value}` an `async def` and {advice}",
            )

    def fix_for(self, node: cst.Call):
        """A fix for the call, for rules that have one."""
        return

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # or a plain `with` in async code whose exit may block (`with ThreadPoolExecutor():`)
        if super().screen(look, lookups):
            return True
        test = lookups.blocking(frozenset({cls.code}))
        return any(test(f"{typ}.__exit__") for typ in look.entered_types())

    def visit_With(self, node: cst.With) -> None:
        """A plain `with` whose `__exit__` blocks (an executor's waits for its
        workers), around a block that awaits nothing: whatever the block
        started is waited for on the loop. A block that awaits its work
        leaves the exit little or nothing to wait for."""
        ctx = self.ctx
        if node.asynchronous is not None or not ctx.in_async or contains(node.body, is_checkpoint):
            return
        extras = ctx.settings.blocking_extras() if ctx.settings is not None else None
        for item in node.items:
            typ = ctx.value_type(item.item)
            entry = blocking.lookup(f"{typ}.__exit__", extras) if typ is not None else None
            if entry is not None and entry.code == self.code:
                written = ctx.code_for(item.item)
                shown = f"`with {written}`" if len(written) <= 40 and "\n" not in written else "the `with` block"
                self.report(
                    item.item, f"leaving {shown} runs `{typ}.__exit__`, which {self.verb}; {ctx.advice(entry.advice)}"
                )


def blocks_with(ctx, node: cst.Call, when: Arguments) -> bool:
    """Whether a call's arguments are those that make it block (see `Arguments`)."""
    if any(arg.star == "**" for arg in node.args):
        return False
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
    if when.keywords:
        return bool(positional) or not when.keywords.isdisjoint(keywords)
    if len(positional) > when.position:
        argument = positional[when.position].value
    elif when.keyword in keywords:
        argument = keywords[when.keyword]
    else:
        return False
    return ctx.value_type(argument) in when.types


def may_reach_blocking(facts, lookups) -> bool:
    """The first look of a chain rule: a call from async code into a sync
    function, here or in another module, that may block, or an attribute
    read or assignment there that may run a property getter or setter that
    may block, or a plain `with` whose `__enter__` may block."""
    loop = facts.loop_scopes()
    candidates = [call for call in facts.calls if (call.in_async or call.scope in loop) and not call.awaited]
    if any(lookups.reaches_blocking(target) for call in candidates for target in facts.targets(call)):
        return True
    run = facts.getters() | facts.setters() | facts.entered()
    return any(lookups.reaches_blocking(function) for function in run)


def shown_chain(ctx, written: cst.CSTNode, chain) -> str:
    """A chain for a message: what the code wrote (when it says more than the
    first step), the functions on the way, and the call at the end, with its place."""
    steps, end = chain
    code = ctx.code_for(written)
    shown = [code] if code != steps[0] and len(code) <= 60 and "\n" not in code else []
    names = " -> ".join([*shown, *(step.replace(":", ".") for step in steps), end.name])
    return f"{names} ({end.path}:{end.line})"


class ChainRule(Rule):
    """Reports calls, in async context, of sync project functions that reach
    a blocking call whose code `reports_chain_to` accepts (see `finish`)."""

    triggers = (rb"\basync\b", LOOP_FRAMEWORK_TRIGGER)
    # What the message says of the blocking call at the end, and what to do (advice: see `FileContext.advice`).
    consequence = "which blocks the event loop; run it with `await {to_thread}(...)` or make the chain async"

    @classmethod
    def screen(cls, facts, lookups) -> bool:
        return may_reach_blocking(facts, lookups)

    def reports_chain_to(self, code: str | None) -> bool:
        """Whether a chain ending at a blocking call of this code is this rule's."""
        raise NotImplementedError

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # (the call, attribute read or assignment, what it does, the function it runs, its statement,
        # and why a plain def runs on the loop when it does)
        self.candidates: list[tuple[cst.Call | cst.Attribute, str, str, cst.CSTNode | None, str]] = []

    def _loop_context(self) -> str | None:
        """Empty in async code; in a plain def handler the framework runs on the loop, why it runs there."""
        ctx = self.ctx
        if ctx.in_async:
            return ""
        return on_the_loop(ctx, ctx.function) if ctx.on_loop is not None else None

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.is_awaited(node):
            return
        why = self._loop_context()
        if why is not None:
            callee = self.ctx.callee(node)
            if callee is not None and not callee.startswith("builtins."):
                self.candidates.append((node, "calls", callee, self.ctx.statement, why))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self.ctx.model.enters and not self.ctx.parent().asynchronous and (why := self._loop_context()) is not None:
            enter = self.ctx.entered(node.item)
            if enter is not None:
                self.candidates.append((node.item, "enters", enter, self.ctx.statement, why))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self.ctx.may_run_accessors:
            return
        why = self._loop_context()
        if why is None:
            return
        parent = self.ctx.parent()
        if type(parent) is cst.Call and parent.func is node:
            return  # a call: visit_Call's
        if type(parent) in (cst.AssignTarget, cst.AnnAssign, cst.AugAssign) and parent.target is node:
            accessor, does = self.ctx.setter(node), "sets"
        else:
            accessor, does = self.ctx.getter(node), "reads"
        if accessor is not None:
            self.candidates.append((node, does, accessor, self.ctx.statement, why))

    def finish(self) -> None:
        project = self.ctx.project
        if project is None:
            return
        extras = self.ctx.settings.blocking_extras() if self.ctx.settings is not None else None
        for node, does, callee, statement, why in self.candidates:
            chain = project.blocking_chain(callee, self.ctx.path)
            if not chain:
                continue
            entry = blocking.lookup(chain[1].qualname, extras)
            if not self.reports_chain_to(entry.code if entry is not None else None):
                continue
            written = node.func if does == "calls" else node
            message = f"{does} {shown_chain(self.ctx, written, chain)}, {self.ctx.advice(self.consequence)}"
            if why:
                message += f" ({why}: make it an `async def` first)"
            self.reports.append(Report(self.code, node, message, None, None, statement))
