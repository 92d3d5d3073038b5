"""Syntax errors Python's compiler reports that its parser accepts.

`ast.parse` (and libcst) read `await`, `async with`, `async for` and async
comprehensions anywhere; only compiling rejects them outside an `async def`
("'await' outside async function"). Compiling every file would cost more
than parsing it, so a walk of the tree already parsed looks first for such
a construct outside an `async def`, visiting only the nodes that span a line
with `await` or `async` on it, and inside an `async def` only statements
and what spans a `lambda` (the one expression there that is not async);
only a file it finds one in is compiled, and CPython's own error, if it
raises one, is the finding.
"""

from __future__ import annotations

import ast
import bisect
import re

# No leading `\b`: the search is five times faster, and a word that only ends so costs a look.
_WORDS = re.compile(rb"a(?:wait|sync)\b")
_LAMBDA = re.compile(rb"lambda\b")
_SUSPENDS = (ast.Await, ast.AsyncFor, ast.AsyncWith)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def compile_error(tree: ast.Module, source: bytes, path: str) -> SyntaxError | None:
    """The error compiling the source raises, if a construct that needs an
    `async def` may stand outside one."""
    lines = _lines_of(_WORDS, source)
    if not lines or not _may_suspend_outside_async(tree, lines, _lines_of(_LAMBDA, source)):
        return None
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError):
        pass
    return None


def _lines_of(pattern: re.Pattern, source: bytes) -> list[int]:
    """The lines a pattern matches on, in order."""
    lines, line, at = [], 1, 0
    for match in pattern.finditer(source):
        line += source.count(b"\n", at, match.start())
        at = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _spans(node: ast.AST, lines: list[int]) -> bool:
    """Whether a node (one with a position) spans one of the lines."""
    at = bisect.bisect_left(lines, node.lineno)
    return at < len(lines) and lines[at] <= node.end_lineno


def _may_suspend_outside_async(tree: ast.Module, lines: list[int], lambdas: list[int]) -> bool:
    """Whether an `await`, `async for`, `async with` or async comprehension
    stands where no `async def` (or generator expression, which becomes an
    async generator) allows it."""
    return any(_statement_may_suspend(statement, lines, lambdas) for statement in tree.body)


def _statement_may_suspend(statement: ast.stmt, lines: list[int], lambdas: list[int]) -> bool:
    """The answer for one top-level statement, remembered for its node: an
    editor checks a file again and again, and the statements a change did not
    touch keep their nodes (`asynclint.reparse`; moved to other lines, they
    hold the same words on them)."""
    known = _ANSWERS.get(id(statement))
    if known is not None and known[0] is statement:
        return known[1]
    answer = _suspends_outside_async(statement, lines, lambdas)
    if len(_ANSWERS) >= _ANSWERS_KEPT:
        _ANSWERS.clear()
    _ANSWERS[id(statement)] = (statement, answer)  # the node is kept too: its id stays its own
    return answer


_ANSWERS: dict[int, tuple[ast.stmt, bool]] = {}
_ANSWERS_KEPT = 4096


def _suspends_outside_async(statement: ast.stmt, lines: list[int], lambdas: list[int]) -> bool:
    # (node, whether the code it is in may suspend)
    stack: list[tuple[ast.AST, bool]] = [(statement, False)]
    while stack:
        node, allowed = stack.pop()
        if hasattr(node, "lineno"):
            if not _spans(node, lines):
                continue  # no `await` or `async` on its lines
            if allowed and not isinstance(node, ast.stmt) and not _spans(node, lambdas):
                continue  # an expression of async code: all of it may suspend
        kind = type(node)
        if kind in _SUSPENDS and not allowed:
            return True
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
            # decorators, defaults and annotations run where the def is
            stack.extend((part, allowed) for part in getattr(node, "decorator_list", ()))
            stack.append((node.args, allowed))
            body = node.body if isinstance(node.body, list) else [node.body]
            stack.extend((part, kind is ast.AsyncFunctionDef) for part in body)
        elif kind is ast.ClassDef:
            stack.extend((part, allowed) for part in (*node.decorator_list, *node.bases, *node.keywords))
            stack.extend((part, False) for part in node.body)
        elif kind in _COMPREHENSIONS:
            if not allowed and kind is not ast.GeneratorExp and any(g.is_async for g in node.generators):
                return True
            inside = allowed or kind is ast.GeneratorExp
            first, *rest = node.generators
            stack.append((first.iter, allowed))  # evaluated where the comprehension is
            stack.append((first.target, inside))
            stack.extend((part, inside) for part in first.ifs)
            stack.extend((part, inside) for part in rest)
            stack.extend((part, inside) for part in (getattr(node, "elt", None), getattr(node, "key", None), getattr(node, "value", None)) if part is not None)
        else:
            stack.extend((child, allowed) for child in ast.iter_child_nodes(node))
    return False
