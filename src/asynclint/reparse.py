"""Parsing a new version of an open document, again only where it changed.

libcst's parse is most of a check's time on a large file, and a keystroke
changes one top-level statement. So the language server keeps each
document's last tree with where each top-level statement's code lies in its
text, and for the next version parses only the statements the changed text
touches (with their neighbours: a change may join them, or move the
comments between them from one to the other), then
puts the tree together from the kept statements and the new ones.

That tree is the one a whole parse gives: a top-level statement starts at
column 0, so where one ends and the next begins (which blank lines and
comments belong to which) depends on the text around the boundary only,
and the text on both sides of the parsed part did not change; a line
continuation (a backslash at the end of a line) could join lines across a
boundary, so a changed part holding one is parsed as part of the whole. What the
whole file decides is left to a whole parse: the module's header and first
statements (the encoding, the newline and the indentation the module
infers), and any part that does not parse alone.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from asynclint.lazy import cst


@dataclass
class _Parsed:
    """A document's text, its tree, and where each top-level statement's code lies."""

    text: str
    module: cst.Module
    starts: list[int]
    ends: list[int]
    # Changes before this offset are left to a whole parse (see the module docstring).
    settled: int


class Reparser:
    """Parses sources by path, reusing what was parsed of the path's previous source."""

    def __init__(self) -> None:
        self._known: dict[str, _Parsed] = {}

    def forget(self, path: str) -> None:
        self._known.pop(path, None)

    def parse(self, source: bytes, path: str) -> cst.Module:
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        old = self._known.pop(path, None)
        parsed = _spliced(old, text) if old is not None and text is not None else None
        if parsed is None:
            module = cst.parse_module(source)
            parsed = _spans(module, text) if text is not None and module.encoding == "utf-8" else None
        if parsed is not None:
            self._known[path] = parsed
            return parsed.module
        return module


def _spans(module: cst.Module, text: str) -> _Parsed | None:
    """Where each statement's code lies in the text (None when they do not add up to it)."""
    offset = _length(module, module.header)
    starts, ends = [], []
    for stmt in module.body:
        starts.append(offset)
        offset += len(module.code_for_node(stmt))
        ends.append(offset)
    total = offset + _length(module, module.footer) - (0 if module.has_trailing_newline else 1)
    if total != len(text) or text.startswith("\ufeff") or not module.body:
        return None
    return _Parsed(text, module, starts, ends, _settled(module, starts, ends, text))


def _length(module: cst.Module, lines) -> int:
    """The length of the code of the module's header or footer lines."""
    return sum(len(module.code_for_node(line)) for line in lines)


def _settled(module: cst.Module, starts: list[int], ends: list[int], text: str) -> int:
    """Where changes stop touching what the whole file decides: past the
    first two lines (an encoding declaration), the first statement and the
    first statement with an indented block (the module's indentation)."""
    second_line = text.find("\n", text.find("\n") + 1) + 1 or len(text)
    settled = max(second_line, ends[0] if ends else len(text))
    for index, stmt in enumerate(module.body):
        if isinstance(stmt, cst.BaseCompoundStatement):
            settled = max(settled, ends[index])
            if isinstance(stmt.body, cst.IndentedBlock):
                return settled
    return len(text)  # no indented block yet: the first one would set the indentation


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # binary search over slice comparisons (done in C)
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


def _spliced(old: _Parsed, text: str) -> _Parsed | None:
    """The new text's tree from the old one and a parse of the part that
    changed, or None when a whole parse must decide."""
    if text == old.text:
        return old
    prefix = _common_prefix(old.text, text)
    suffix = _common_suffix(old.text, text, min(len(old.text), len(text)) - prefix)
    if prefix < old.settled:
        return None
    shift = len(text) - len(old.text)
    # The statements the change touches, a boundary touched counting for both
    # sides, and one more on each side: which blank lines and comments between
    # two statements end the first one's block depends on both.
    first = max(bisect.bisect_left(old.ends, prefix) - 1, 0)
    last = min(bisect.bisect_right(old.starts, len(old.text) - suffix), len(old.starts) - 1)
    if first >= len(old.starts) or last < first:
        return None
    to_end = last == len(old.starts) - 1
    start = old.starts[first]
    end = len(text) if to_end else old.ends[last] + shift
    changed = text[start:end]
    if "\\\n" in changed or "\\\r" in changed:
        return None  # a line continuation may join a line of the part to one outside it
    try:
        part = cst.parse_module(changed)
    except (cst.ParserSyntaxError, RecursionError):
        return None  # a whole parse reports it
    if (part.default_indent, part.default_newline) != (old.module.default_indent, old.module.default_newline):
        return None  # its nodes leave out what equals its own defaults
    if not part.body or (part.footer and not to_end) or (not part.has_trailing_newline and not to_end):
        return None
    new_body = list(part.body)
    new_body[0] = new_body[0].with_changes(leading_lines=(*part.header, *new_body[0].leading_lines))
    body = (*old.module.body[:first], *new_body, *old.module.body[last + 1 :])
    changes = {"body": body}
    if to_end:
        changes |= {"footer": part.footer, "has_trailing_newline": part.has_trailing_newline}
    module = old.module.with_changes(**changes)
    starts, ends = old.starts[:first], old.ends[:first]
    offset = start
    for stmt in new_body:
        starts.append(offset)
        offset += len(module.code_for_node(stmt))
        ends.append(offset)
    starts += [s + shift for s in old.starts[last + 1 :]]
    ends += [e + shift for e in old.ends[last + 1 :]]
    return _Parsed(text, module, starts, ends, old.settled)
