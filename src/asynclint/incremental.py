"""Running the rules again over only what an edit touched (the language server).

A keystroke changes one top-level statement of a document; the rest of its
libcst tree is kept, node for node (`asynclint.reparse`). So the language
server keeps, for each statement of a document's last check, the reports
the rules made in it and the `# noqa` comments read there, and for the next
version walks again only:

- the statements whose nodes are new (changed, or parsed again beside a change);
- what depends on a changed statement, following the module-level names it
  binds: a statement that mentions one of them (the endpoint calling a
  helper that now blocks, and what mentions that endpoint in turn);
- what a changed statement relies on, following the names it mentions:
  the helper an endpoint calls or names in `Depends(...)`, the app it is
  routed on, and what those mention in turn (a route or a dependency makes
  the functions it reaches run on every request: their own findings change);
- a statement with a finding that quotes a line of the document (a chain
  through its own helpers: `app.py:12`) when that line moved.

A statement "mentions" every word of its text (comments and strings too: a
string annotation names a class), so this errs towards walking more.
Statements that share a scope's name in the model (two `def f`, the lambdas
of module level) are walked together, in order. A statement walked again
only because a changed one relies on it keeps its piece of the web app
model (what it registers rests on its own code and the names it
mentions). The module node itself (what rules do on entering and leaving
it, and `finish`) is run every time.
Anything else (other rules, other settings, another view of the project,
a crash) walks the whole module. The tests replay random edits and compare
the findings with a check from scratch.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from asynclint.app_model import AppPieces
from asynclint.context import FileContext
from asynclint.engine import finish_rules
from asynclint.lazy import cst
from asynclint.positions import statement_of
from asynclint.rule import DESCEND_ALL, Report, Rule, Traversal, walk

_WORD = re.compile(r"\w+")
_FIRST = -1  # where reports made before the first statement (entering the module) go
_LAST = 1 << 30  # and those made after the last (leaving it)


@dataclass(frozen=True)
class _Names:
    """The module-level names a top-level statement binds, and every word it mentions."""

    binds: frozenset[str]
    mentions: frozenset[str]


@dataclass
class _Statement:
    node: cst.CSTNode
    code: str
    names: _Names
    # What the rules found in it: (rule's index, phase: 0 walking, 1 finishing, report)
    reports: list[tuple[int, int, Report]] = field(default_factory=list)
    comments: list = field(default_factory=list)  # AL002's `# noqa` comments in it
    checked: bool = False  # walked by a check whose findings are kept


@dataclass
class _Checked:
    """A document's last check: the rules run, the project asked, each statement's findings."""

    rules: tuple[str, ...]
    project: object
    first_line: int  # where the first statement starts (after the module's leading comments)
    statements: list[_Statement]
    by_node: dict[int, _Statement] = field(init=False)

    def __post_init__(self) -> None:
        self.by_node = {id(stmt.node): stmt for stmt in self.statements}


class StatementRunner:
    """`Checker.run_rules` for documents checked again and again: what each
    top-level statement gave is kept, by path, for the next version."""

    def __init__(self, statement_code: Callable[[cst.Module, cst.CSTNode], str] | None = None) -> None:
        self.statement_code = statement_code
        self._known: dict[str, _Checked] = {}
        self._names: dict[str, _Names] = {}  # statement code -> its names
        self._app_pieces: dict[str, AppPieces] = {}  # by path: the web app model's pieces of the statements kept
        self.walked = self.statements = 0  # statements walked by the last run, and in all (for the tests)

    def forget(self, path: str | None = None) -> None:
        """Walk the whole module next time (one path's, or every one's)."""
        if path is None:
            self._known.clear()
            self._app_pieces.clear()
        else:
            self._known.pop(path, None)
            self._app_pieces.pop(path, None)

    def __call__(self, module: cst.Module, ctx: FileContext, rules: list[type[Rule]], errors: list[str]):
        known = self._known.pop(ctx.path, None)
        codes = tuple(rule.code for rule in rules)
        statements = [self._statement(module, node, known) for node in module.body]
        first_line = 1 + len(module.header)
        chosen = None
        if known is not None and known.rules == codes and known.project is ctx.project:
            cited = _citing(ctx)
            chosen = to_walk(known, statements, first_line, cited)
        walked, rebuilt = chosen if chosen is not None else (set(range(len(statements))),) * 2
        pieces = ctx.app_pieces = self._app_pieces.setdefault(ctx.path, AppPieces())
        pieces.keep_only([stmt.node for index, stmt in enumerate(statements) if index not in rebuilt])
        errors_before = len(errors)
        outcome = self._walk(module, ctx, rules, errors, statements, walked)
        if outcome is None and len(walked) < len(statements):  # only a whole walk is sure then
            for stmt in statements:
                stmt.checked = False
            walked = set(range(len(statements)))
            pieces.keep_only(())
            ctx.reset_app()
            outcome = self._walk(module, ctx, rules, errors, statements, walked)
        self.walked, self.statements = len(walked), len(statements)
        if len(errors) == errors_before:
            self._known[ctx.path] = _Checked(codes, ctx.project, first_line, statements)
        return outcome

    def _statement(self, module: cst.Module, node: cst.CSTNode, known: _Checked | None) -> _Statement:
        if known is not None:
            old = known.by_node.get(id(node))
            if old is not None and old.node is node:  # a node kept from the last version
                return old
        code = self.statement_code(module, node) if self.statement_code is not None else module.code_for_node(node)
        names = self._names.get(code)
        if names is None:
            names = self._names[code] = names_of(code)
        return _Statement(node, code, names)

    def _walk(self, module, ctx, rules, errors, statements, walked):
        """Walk the module and the statements in `walked`; every rule's reports
        in the order a whole walk gives them, kept statements' included."""
        instances = [rule(ctx) for rule in rules]
        traversal = Traversal(ctx, instances)
        ctx.counts.clear()  # a walk given up on may have counted bindings
        traversal.on_visit(module)
        if traversal.descend is DESCEND_ALL:  # the module's leading comments (AL002 reads them)
            for empty in module.header:
                walk(empty, traversal, DESCEND_ALL)
        entered = [len(i.reports) for i in instances]
        line = 1 + len(module.header)
        for index, stmt in enumerate(statements):
            if index in walked:
                ctx.resume_at(line)
                walk(stmt.node, traversal)
            line += stmt.code.count("\n")
        if traversal.descend is DESCEND_ALL:
            for empty in module.footer:
                walk(empty, traversal, DESCEND_ALL)
        traversal.on_leave(module)
        left = [len(i.reports) for i in instances]
        finish_rules(instances, ctx.path, errors)
        where = {id(s.node): index for index, s in enumerate(statements)}
        fresh: dict[int, list[tuple[int, int, Report]]] = {index: [] for index in walked}
        ordered: list[tuple[int, int, int, int, Report]] = []  # (rule, phase, statement, order, report)
        for number, instance in enumerate(instances):
            for at, report in enumerate(instance.reports):
                phase = 0 if at < left[number] else 1
                index = where.get(id(report.statement)) if report.statement is not None else None
                if index is None:  # made on entering or leaving the module, or finishing
                    ordered.append((number, phase, _FIRST if at < entered[number] else _LAST, at, report))
                elif index not in fresh:
                    return None
                else:
                    fresh[index].append((number, phase, report))
        noqa = next((i for i in instances if i.code == "AL002"), None)
        comments: dict[int, list] = {index: [] for index in walked}
        module_comments = []
        for comment in noqa.comments if noqa is not None else ():
            index = where.get(id(comment.statement))
            if index is None:
                module_comments.append(comment)
            elif index not in comments:
                return None
            else:
                comments[index].append(comment)
        for index in walked:
            statements[index].reports = fresh[index]
            statements[index].comments = comments[index]
            statements[index].checked = True
        for index, stmt in enumerate(statements):
            if index not in walked and any(r.related is not None and statement_of(module, r.related) is None for _, _, r in stmt.reports):
                return None  # a kept finding refers to a statement gone
            ordered += [(number, phase, index, at, report) for at, (number, phase, report) in enumerate(stmt.reports)]
        ordered.sort(key=lambda entry: entry[:4])
        if noqa is not None:  # the module's leading comments, the statements', its trailing ones
            header = {id(empty.comment) for empty in module.header if empty.comment is not None}
            noqa.comments = [
                *(c for c in module_comments if id(c.node) in header),
                *(c for stmt in statements for c in stmt.comments),
                *(c for c in module_comments if id(c.node) not in header),
            ]
        return [entry[4] for entry in ordered], noqa


def _citing(ctx: FileContext) -> re.Pattern[str] | None:
    """How a finding quotes a line of this file (`app.py:12`, a chain through its own helpers)."""
    if ctx.project is None:
        return None
    return re.compile(re.escape(f"{ctx.project.display(ctx.path)}:") + r"(\d+)")


def _starts(first_line: int, statements: list[_Statement]) -> list[int]:
    """The line each statement starts on."""
    starts, line = [], first_line
    for stmt in statements:
        starts.append(line)
        line += stmt.code.count("\n")
    return starts


def _moved_citations(known: _Checked, statements: list[_Statement], first_line: int, cited: re.Pattern[str]) -> set[int]:
    """The kept statements with a finding quoting a line of the file that is
    not where it was: its statement changed, or lines were added or removed above it."""
    old_starts = _starts(known.first_line, known.statements)
    new_start = {id(stmt): line for stmt, line in zip(statements, _starts(first_line, statements))}

    def moved(line: int) -> bool:
        at = bisect.bisect_right(old_starts, line) - 1
        return at < 0 or new_start.get(id(known.statements[at])) != old_starts[at]

    return {
        index
        for index, stmt in enumerate(statements)
        if stmt.checked
        and any(moved(int(found)) for _, _, report in stmt.reports for found in cited.findall(report.message))
    }


def to_walk(
    known: _Checked, statements: list[_Statement], first_line: int, cited: re.Pattern[str] | None = None
) -> tuple[set[int], set[int]] | None:
    """Which statements to walk again (None: every one): those not kept from
    the last version, what depends on or is relied on by those whose text
    changed, those with a finding quoting a line of the file that moved
    (`cited` finds the line numbers), and what shares a scope's name with any
    of these. And of those, the ones whose piece of the web app model is to
    be found again: all but those walked only because a changed statement
    relies on them (a piece rests on the statement's own code and on what
    the names it mentions are bound to, and the pieces kept are replayed
    only after the same frameworks and views)."""
    kept = {id(stmt) for stmt in statements if stmt.checked}
    new = [index for index, stmt in enumerate(statements) if not stmt.checked]
    gone_codes: dict[str, int] = {}
    changed = []
    for stmt in known.statements:
        if id(stmt) not in kept:
            gone_codes[stmt.code] = gone_codes.get(stmt.code, 0) + 1
            changed.append(stmt.names)
    for index in new:  # a statement parsed again beside a change, its text the same, changes nothing
        code = statements[index].code
        if gone_codes.get(code):
            gone_codes[code] -= 1
        else:
            changed.append(statements[index].names)
    bound = set().union(*(names.binds for names in changed))
    if "*" in bound:
        return None  # a star import changed: a name may be bound elsewhere now
    rebuilt = set(new)
    rebuilt |= _closure(statements, bound, lambda names, seen: not names.mentions.isdisjoint(seen), "binds")
    if cited is not None:
        rebuilt |= _moved_citations(known, statements, first_line, cited)
    mentioned = set().union(*(names.mentions for names in changed))
    relied_on = _closure(statements, mentioned, lambda names, seen: "*" in names.binds or not names.binds.isdisjoint(seen), "mentions")
    return _sharing_scopes(statements, rebuilt | relied_on), _sharing_scopes(statements, rebuilt)


def _sharing_scopes(statements: list[_Statement], found: set[int]) -> set[int]:
    """The statements found and those that share a scope's name with them."""
    scopes = set().union(*(statements[index].names.binds for index in found))
    return found | _closure(statements, scopes, lambda names, seen: not names.binds.isdisjoint(seen), "binds")


def _closure(statements: list[_Statement], names: set[str], reached: Callable[[_Names, set[str]], bool], grows: str) -> set[int]:
    """The statements `reached` from the names, each adding its own names (`grows`) to them, until no more are."""
    found: set[int] = set()
    names = set(names)
    while names:
        more = False
        for index, stmt in enumerate(statements):
            if index not in found and reached(stmt.names, names):
                found.add(index)
                names |= getattr(stmt.names, grows)
                more = True
        if not more:
            break
    return found


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def names_of(code: str) -> _Names:
    """The module-level names a top-level statement's code binds (more, not
    fewer: a comprehension's targets too, `*` for a star import, `<lambda>`
    for a lambda the module's scope holds), and the words it mentions."""
    mentions = frozenset(_WORD.findall(code))
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _Names(mentions | {"*"}, mentions)
    binds: set[str] = set()
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        kind = type(node)
        if kind in _SCOPES:
            binds.add(getattr(node, "name", "<lambda>"))
            # what a def, class or lambda evaluates where it stands (its body is a scope of its own)
            pending += [*getattr(node, "decorator_list", ()), *getattr(node, "bases", ()), *getattr(node, "keywords", ())]
            arguments = getattr(node, "args", None)
            if isinstance(arguments, ast.arguments):
                pending += [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]
            continue
        if kind is ast.Name and type(node.ctx) is not ast.Load:
            binds.add(node.id)
        elif kind is ast.Import or kind is ast.ImportFrom:
            for alias in node.names:
                binds.add(alias.asname or alias.name.split(".")[0])
        elif kind in (ast.ExceptHandler, ast.MatchAs, ast.MatchStar) and node.name:
            binds.add(node.name)
        elif kind is ast.MatchMapping and node.rest:
            binds.add(node.rest)
        pending.extend(ast.iter_child_nodes(node))
    for node in ast.walk(tree):  # `global x` in a def binds the module's x
        if type(node) is ast.Global:
            binds.update(node.names)
    return _Names(frozenset(binds), mentions)
