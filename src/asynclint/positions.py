"""Source positions of the few nodes that have findings.

libcst's PositionProvider generates code for the whole module with position
bookkeeping, which costs several parses on a large file. Findings sit in a
handful of top-level statements, so we run the provider on the reported
statements alone and shift their lines by where each statement starts:
found in the file's text when its code occurs there only once past the
previous one, else counted from the plain code of the statements before it.
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

_NEWLINE = re.compile(r"\r\n|\r|\n")


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
    module: cst.Module, wanted: list[tuple[cst.CSTNode, cst.CSTNode | None]], text: str | None = None
) -> dict[cst.CSTNode, CodeRange]:
    """Code ranges of nodes, each given with its top-level statement (or None
    when unknown, which falls back to positions for the whole module).
    `text` is the module's source, if at hand (it spares generating code)."""
    if any(statement is None for _, statement in wanted):
        return _whole_module(module, wanted)
    statements = {id(statement) for _, statement in wanted}
    first_lines = (_found_in(text, module, statements) if text is not None else None) or _counted(module, statements)
    out: dict[cst.CSTNode, CodeRange] = {}
    by_statement: dict[int, dict] = {}
    for node, statement in wanted:
        key = id(statement)
        if key not in by_statement:
            alone = module.with_changes(header=(), body=(statement,), footer=())
            by_statement[key] = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
        span = by_statement[key].get(node)
        if span is None:  # not inside the statement it was reported with
            return _whole_module(module, wanted)
        shift = first_lines[key] - 1
        out[node] = CodeRange((span.start.line + shift, span.start.column), (span.end.line + shift, span.end.column))
    return out


def _found_in(text: str, module: cst.Module, statements: set[int]) -> dict[int, int] | None:
    """First lines of the statements from where their code occurs in the
    text; None when one occurs twice past the previous one (ambiguous)."""
    first_lines: dict[int, int] = {}
    offset = 0
    line = 1
    for stmt in module.body:
        if id(stmt) not in statements:
            continue
        code = module.code_for_node(stmt)
        found = text.find(code, offset)
        if found < 0 or text.find(code, found + 1) >= 0:
            return None
        line += len(_NEWLINE.findall(text, offset, found))
        first_lines[id(stmt)] = line
        line += len(_NEWLINE.findall(code))
        offset = found + len(code)
        if len(first_lines) == len(statements):
            break
    return first_lines


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


def _whole_module(module: cst.Module, wanted) -> dict[cst.CSTNode, CodeRange]:
    everything = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {node: everything[node] for node, _ in wanted}
