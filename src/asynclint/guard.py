"""The parse guard: what libcst is never given.

libcst's native parser overflows its stack or slows down steeply on shapes
CPython reads fine: a long operator chain (`a and a and ...`), a tall
expression (`1 + 1 + ...`, `a.m().m()...`, deep nesting) and a long
implicit string concatenation, which it even rejects as a syntax error.
Before a file goes to libcst, Python's own tree of it is measured here, and
each expression past a limit is masked: its text becomes `(...)` with the
same line breaks, so libcst parses the rest, every other finding is still
reported at its true line, and the masked expression is named in a warning.

The limits sit below where libcst breaks, with room (measured with
`python scripts/parse_limits.py`: a 10,000-term `and` chain crashes it,
5,000 concatenated strings are rejected, and a sum's parse time grows about
sevenfold each time it doubles: 0.24 s for 1,000 terms, 1.6 s for 2,000).
"""

from __future__ import annotations

import ast
import io
import sys
import threading
import tokenize
from dataclasses import dataclass

MAX_HEIGHT = 500  # nested expression nodes, outermost to innermost (the smallest limit)
MAX_TERMS = 4000  # operands of one `and`/`or` chain or comparison
MAX_PIECES = 2000  # strings in one implicit concatenation

_STRINGS = (ast.Constant, ast.JoinedStr)

# For a tree too tall for the default limits, CPython's parser runs again on
# a thread with this much stack and a recursion limit to match.
_BIG_STACK = 512 * 1024 * 1024
_BIG_RECURSION_LIMIT = 200_000


def python_tree(source: bytes) -> ast.Module | SyntaxError | None:
    """Python's own tree of the source, or the syntax error it reports, or
    None when it cannot say (a null byte, a tree too tall even so)."""
    try:
        return ast.parse(source)
    except SyntaxError as error:
        return error
    except (ValueError, MemoryError):
        return None
    except RecursionError:
        pass
    out: list = [None]

    def parse() -> None:
        try:
            out[0] = ast.parse(source)
        except SyntaxError as error:
            out[0] = error
        except (ValueError, MemoryError, RecursionError):
            pass

    limit, size = sys.getrecursionlimit(), threading.stack_size()
    try:
        sys.setrecursionlimit(_BIG_RECURSION_LIMIT)
        threading.stack_size(_BIG_STACK)
        worker = threading.Thread(target=parse, name="asynclint-ast")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(size)
        sys.setrecursionlimit(limit)
    return out[0]


@dataclass(frozen=True)
class Oversized:
    """An expression too big for libcst, with where it is (ast's 1-based
    lines, UTF-8 byte columns) and why."""

    line: int
    column: int
    end_line: int
    end_column: int
    reason: str


def oversized(tree: ast.Module, source: bytes) -> list[Oversized]:
    """The outermost expressions past a limit, in source order. Only spans
    long enough to hold one are walked (each limit takes at least a byte a
    level, term or piece), so most statements cost one look."""
    starts = [0]  # where each line starts in the source
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    found: dict[int, Oversized] = {}
    # (node, the outermost expression holding it or None, its height below that one)
    stack: list[tuple[ast.AST, ast.expr | None, int]] = [(tree, None, 0)]
    while stack:
        node, outer, height = stack.pop()
        if outer is None:
            end_line = getattr(node, "end_lineno", None)
            if end_line is not None and _length(_span(starts, node)) < MAX_HEIGHT:
                continue  # too short to hold anything too big
            if isinstance(node, ast.expr):
                outer = node
        elif id(outer) in found:
            continue
        reason = _too_big(node, height, source, starts) if outer is not None else None
        if reason is not None:
            found[id(outer)] = Oversized(outer.lineno, outer.col_offset, outer.end_lineno, outer.end_col_offset, reason)
            continue
        stack.extend((child, outer, height + 1) for child in ast.iter_child_nodes(node))
    return sorted(found.values(), key=lambda part: (part.line, part.column))


def _span(starts: list[int], node: ast.AST) -> tuple[int, int]:
    """Where a node starts and ends in the source, in bytes."""
    return starts[node.lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset


def _length(span: tuple[int, int]) -> int:
    return span[1] - span[0]


def _too_big(node: ast.AST, height: int, source: bytes, starts: list[int]) -> str | None:
    if height >= MAX_HEIGHT:
        return f"an expression nested more than {MAX_HEIGHT:,} deep"
    if isinstance(node, ast.BoolOp) and len(node.values) > MAX_TERMS:
        return f"an expression {len(node.values):,} terms long"
    if isinstance(node, ast.Compare) and len(node.comparators) + 1 > MAX_TERMS:
        return f"a comparison {len(node.comparators) + 1:,} terms long"
    if isinstance(node, _STRINGS) and node.end_lineno is not None:
        pieces = _string_pieces(source, _span(starts, node))
        if pieces > MAX_PIECES:
            return f"a string of {pieces:,} implicitly concatenated pieces"
    return None


def _string_pieces(source: bytes, span: tuple[int, int]) -> int:
    """How many string literals spell a string (a piece is at least two bytes,
    so a short one is not tokenized)."""
    if _length(span) <= 2 * MAX_PIECES:
        return 1
    try:
        tokens = tokenize.tokenize(io.BytesIO(b"(" + source[span[0] : span[1]] + b")").readline)
        return sum(1 for token in tokens if token.type == tokenize.STRING)
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        return 1


def masked(source: bytes, parts: list[Oversized]) -> bytes:
    """The source with each part's text replaced by `(...)`, keeping its line breaks."""
    lines = source.splitlines(keepends=True)
    for part in reversed(parts):  # from the end: the columns of earlier parts stay true
        spanned = lines[part.line - 1 : part.end_line]
        breaks = b"".join(line[len(line.rstrip(b"\r\n")) :] for line in spanned[:-1])
        lines[part.line - 1 : part.end_line] = [spanned[0][: part.column] + b"(..." + breaks + b")" + spanned[-1][part.end_column :]]
    return b"".join(lines)
