"""Source positions of the few nodes that have findings.

libcst's PositionProvider generates code for the whole module with position
bookkeeping, which costs several parses on a large file. Findings sit in a
handful of top-level statements, so we run the provider on the reported
statements alone and shift their lines by where each statement starts:
found in the file's text when its code occurs there only once past the
previous one, else counted from the plain code of the statements before it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from asynclint.lazy import cst

if TYPE_CHECKING:
    from libcst.metadata import CodeRange

_NEWLINE = re.compile(r"\r\n|\r|\n")


def source_text(source: bytes, module: cst.Module) -> str:
    """The file's text, decoded as the parser decoded it (cheaper than regenerating it)."""
    try:
        return source.decode(module.encoding).removeprefix("\ufeff")
    except (UnicodeDecodeError, LookupError):
        return module.code


def codes_cut_from_text(
    module: cst.Module, text: str, statements: list[ast.stmt]
) -> Callable[[cst.Module, cst.CSTNode], str] | None:
    """How each top-level statement's code is cut from the text instead of
    generated: it runs from its leading blank and comment lines (libcst's
    `leading_lines`) to the next statement's, and Python's tree (`statements`,
    of the same text) tells on which line each one's first token stands.
    None when the two trees cannot be matched so (statements sharing a line,
    a decorator whose `@` stands on another line than its expression)."""
    if "\r" in text or "\f" in text or not module.body:
        return None
    starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]
    total = len(starts) - 1 if text.endswith("\n") else len(starts)
    lines = []  # each libcst statement's first line and Python's last line of it
    for stmt in statements:
        first = min((d.lineno for d in getattr(stmt, "decorator_list", ())), default=stmt.lineno)
        if lines and first <= lines[-1][1]:  # `a = 1; b = 2`: one libcst statement
            lines[-1][1] = stmt.end_lineno
        else:
            lines.append([first, stmt.end_lineno])
    if len(lines) != len(module.body):
        return None
    bounds = []
    for stmt, (first, _) in zip(module.body, lines):
        if getattr(stmt, "decorators", ()) and not text.startswith("@", starts[first - 1]):
            return None
        bounds.append(first - len(stmt.leading_lines))
    bounds.append(total - len(module.footer) + 1)
    if any(bounds[i] <= lines[i - 1][1] for i in range(1, len(lines))) or bounds[-1] <= lines[-1][1]:
        return None
    codes = {}
    for index, stmt in enumerate(module.body):
        end = starts[bounds[index + 1] - 1] if bounds[index + 1] - 1 < len(starts) else len(text)
        codes[id(stmt)] = text[starts[bounds[index] - 1] : end]
    if not module.has_trailing_newline:
        codes.pop(id(module.body[-1]), None)  # the text leaves out the newline its code has

    def code_of(module: cst.Module, stmt: cst.CSTNode) -> str:
        found = codes.get(id(stmt))
        return found if found is not None else module.code_for_node(stmt)

    return code_of


def statement_of(module: cst.Module, node: cst.CSTNode) -> cst.CSTNode | None:
    """The top-level statement that is `node` or holds it as a class member."""
    for stmt in module.body:
        if stmt is node:
            return stmt
        if isinstance(stmt, cst.ClassDef) and isinstance(stmt.body, cst.IndentedBlock):
            if any(member is node for member in stmt.body.body):
                return stmt
    return None


def positions_for(
    module: cst.Module,
    wanted: list[tuple[cst.CSTNode, cst.CSTNode | None]],
    text: str | None = None,
    code_of: Callable[[cst.Module, cst.CSTNode], str] | None = None,
    memo: dict[int, tuple] | None = None,
) -> dict[cst.CSTNode, CodeRange]:
    """Code ranges of nodes, each given with its top-level statement (or None
    when unknown: it is searched for). `text` is the module's source, if at
    hand (it spares generating code), `code_of` what gives a top-level
    statement's code when it is known already (an editor's document).
    `memo` keeps each node's range within its statement, for the next
    version of a document (a statement kept, node for node, may only move)."""
    from libcst.metadata import CodeRange  # see asynclint.lazy

    if any(statement is None for _, statement in wanted):
        wanted = [(node, statement or _holder(module, node)) for node, statement in wanted]
        if any(statement is None for _, statement in wanted):
            return _whole_module(module, wanted)
    edges = _edge_lines(module, text)
    statements = {id(statement) for _, statement in wanted if id(statement) not in edges}
    found = _found_in(text, module, statements, code_of) if text is not None and "\r" not in text else None
    first_lines = {key: line for key, (line, _, _) in found.items()} if found else _counted(module, statements)
    first_lines.update(edges)
    out: dict[cst.CSTNode, CodeRange] = {}
    by_statement: dict[int, dict] = {}
    if memo is not None and len(memo) > _MEMO_KEPT:
        memo.clear()
    for node, statement in wanted:
        key = id(statement)
        shift = first_lines[key]
        remembered = memo is not None and key not in edges
        known = memo.get(id(node)) if remembered else None
        if known is not None and known[0] is node and known[1] is statement:
            (start, start_column), (end, end_column) = known[2]
            out[node] = CodeRange((start + shift, start_column), (end + shift, end_column))
            continue
        span = _range_of(module, node, statement, found, edges, by_statement, shift)
        if span is None:  # not inside the statement it was reported with
            return _whole_module(module, wanted)
        out[node] = span
        if remembered:  # kept with the nodes: an id is not reused while they live
            memo[id(node)] = (node, statement, ((span.start.line - shift, span.start.column), (span.end.line - shift, span.end.column)))
    return out


_MEMO_KEPT = 20000  # ranges a memo holds at most


def _range_of(module, node, statement, found, edges, by_statement, first_line):
    """A node's range, from the text when it is spelled there as it is, else
    from libcst's positions in its statement alone (None: not inside it)."""
    from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

    key = id(statement)
    if found and key in found and type(node) in _spelled_as_is() and not node.lpar:
        span = _spelled_in(module, statement, found[key], node)
        if span is not None:
            return span
    if key not in by_statement:
        if key in edges:
            alone = module.with_changes(header=(statement,), body=(), footer=())
        else:
            alone = module.with_changes(header=(), body=(statement,), footer=())
        by_statement[key] = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
    span = by_statement[key].get(node)
    if span is None:
        return None
    shift = first_line - 1
    return CodeRange((span.start.line + shift, span.start.column), (span.end.line + shift, span.end.column))


@cache
def _spelled_as_is() -> frozenset[type]:
    """Nodes whose range is exactly their code when they have no parentheses of their own."""
    return frozenset({cst.Call, cst.Name, cst.Attribute, cst.Await, cst.Subscript})


def _found_in(
    text: str, module: cst.Module, statements: set[int], code_of: Callable[[cst.Module, cst.CSTNode], str] | None = None
) -> dict[int, tuple[int, int, str]] | None:
    """For each statement, its first line, offset and code, from where its
    code occurs in the text; None when one occurs twice past the previous
    one (ambiguous)."""
    out: dict[int, tuple[int, int, str]] = {}
    offset = 0
    line = 1
    for stmt in module.body:
        if id(stmt) not in statements:
            continue
        code = code_of(module, stmt) if code_of is not None else module.code_for_node(stmt)
        found = text.find(code, offset)
        if found < 0 or text.find(code, found + 1) >= 0:
            return None
        line += len(_NEWLINE.findall(text, offset, found))
        out[id(stmt)] = (line, found, code)
        line += len(_NEWLINE.findall(code))
        offset = found + len(code)
        if len(out) == len(statements):
            break
    return out


def _spelled_in(module: cst.Module, statement: cst.CSTNode, found: tuple[int, int, str], node: cst.CSTNode) -> CodeRange | None:
    """The range of a node from where its code occurs in its statement's code
    (newlines are `\n`): the one place, or when the same code occurs several
    times, the place whose rank matches the node's among the statement's
    nodes with that code. None when text and tree do not agree."""
    from libcst.metadata import CodeRange

    first_line, _, statement_code = found
    code = module.code_for_node(node)
    if "\n" in code:
        # Lines after the first carry the indentation of the blocks around
        # the node in the text, not in the code generated for it alone.
        pattern = re.compile(r"\n[ \t]*".join(map(re.escape, code.split("\n"))))
        places = [(match.start(), match.end()) for match in pattern.finditer(statement_code)]
    else:
        places = []
        at = statement_code.find(code)
        while at >= 0:
            places.append((at, at + len(code)))
            at = statement_code.find(code, at + 1)
    if len(places) == 1:
        at, end = places[0]
    elif places:
        twins = _same_code(module, statement, node, code)
        if len(twins) != len(places):
            return None  # the code also occurs in a string or a comment
        at, end = places[twins.index(node)]
    else:
        return None
    return CodeRange(_line_column(statement_code, first_line, at), _line_column(statement_code, first_line, end))


def _line_column(statement_code: str, first_line: int, offset: int) -> tuple[int, int]:
    """A position in a top-level statement's code (which starts a line)."""
    return first_line + statement_code.count("\n", 0, offset), offset - (statement_code.rfind("\n", 0, offset) + 1)


class _Twins:
    """Collects, in source order, the nodes of a statement spelled like one node."""

    def __init__(self, module: cst.Module, node: cst.CSTNode, code: str) -> None:
        self.module, self.node, self.code = module, node, code
        self.key = _key(node)
        self.found: list[cst.CSTNode] = []

    def on_visit(self, other: cst.CSTNode) -> bool:
        if other is self.node or (
            type(other) is type(self.node) and _key(other) == self.key and self.module.code_for_node(other) == self.code
        ):
            self.found.append(other)
        return True

    def on_leave(self, other: cst.CSTNode) -> None:
        pass


def _key(node: cst.CSTNode) -> object:
    """A cheap part of a node's spelling, to generate code only for likely twins."""
    if isinstance(node, cst.Call):
        return (_key(node.func), len(node.args))
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Name):
        return node.value
    return None


def _same_code(module: cst.Module, statement: cst.CSTNode, node: cst.CSTNode, code: str) -> list[cst.CSTNode]:
    from asynclint.rule import walk

    twins = _Twins(module, node, code)
    walk(statement, twins)
    return twins.found


def _counted(module: cst.Module, statements: set[int]) -> dict[int, int]:
    """First lines of the statements from the plain code of everything before them."""
    first_lines: dict[int, int] = {}
    line = 1 + sum(1 for _ in module.header)
    remaining = len(statements)
    for stmt in module.body:
        if id(stmt) in statements:
            first_lines[id(stmt)] = line
            remaining -= 1
            if not remaining:
                break
        line += len(_NEWLINE.findall(module.code_for_node(stmt)))
    return first_lines


def _edge_lines(module: cst.Module, text: str | None) -> dict[int, int]:
    """Line numbers of the comment and blank lines before the first statement
    and after the last (the module's header and footer), which a traversal
    gives as the statement of the comments on them."""
    lines = {id(line): number for number, line in enumerate(module.header, 1)}
    if module.footer:
        code = module.code if text is None else text
        total = len(_NEWLINE.findall(code)) + (0 if not code or code.endswith(("\n", "\r")) else 1)
        first = total - len(module.footer) + 1
        lines.update({id(line): number for number, line in enumerate(module.footer, first)})
    return lines


def _holder(module: cst.Module, node: cst.CSTNode) -> cst.CSTNode | None:
    """The top-level statement, or header or footer line, that holds a node."""
    from asynclint.analysis.search import contains

    everything = (*module.header, *module.body, *module.footer)
    return next((stmt for stmt in everything if contains(stmt, lambda other: other is node, into_scopes=True)), None)


def _whole_module(module: cst.Module, wanted) -> dict[cst.CSTNode, CodeRange]:
    from libcst.metadata import MetadataWrapper, PositionProvider

    everything = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {node: everything[node] for node, _ in wanted}
