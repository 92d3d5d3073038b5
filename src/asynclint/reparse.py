"""Parsing a new version of an open document, again only where it changed.

libcst's parse is most of a check's time on a large file, Python's own
parse (for the model) a quarter of the rest, and a keystroke changes one
top-level statement. So the language server keeps each
document's last tree with where each top-level statement's code lies in its
text, and for the next version parses only the statement the change lies
within (with the lines before the next one), or the statements the changed
text touches (with their neighbours: a change may join them, or move the
comments between them from one to the other), then
puts the tree together from the kept statements and the new ones. A
neighbour parsed again whose code is what it was, where it was, keeps its
old node: the rules and the models then need not look at it again.

That tree is the one a whole parse gives: a top-level statement starts at
column 0, so where one ends and the next begins (which blank lines and
comments belong to which) depends on the text around the boundary only,
and the text on both sides of the parsed part did not change; a line
continuation (a backslash at the end of a line) could join lines across a
boundary, so a changed part holding one is parsed as part of the whole. What the
whole file decides is left to a whole parse: the module's header and first
statements (the encoding, the newline and the indentation the module
infers), and any part that does not parse alone.

Python's tree is put together the same way, by lines: its top-level
statements' nodes are kept (moved to their new lines when lines were added
or removed above them), and the changed lines are parsed again: alone when
they lie from a statement's first line to before the next one's, else from
the first kept statement before them to the first after them (those of its
statements whose lines did not change keep their old nodes, moved).
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass, field

from asynclint.guard import python_tree
from asynclint.lazy import cst

# A declaration of the source's encoding (PEP 263) decides how Python reads it.
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)
# Python's lines, with their line breaks (str.splitlines also breaks at form feeds).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclass
class _Parsed:
    """A document's text, its tree, and where each top-level statement's code lies."""

    text: str
    module: cst.Module
    starts: list[int]
    ends: list[int]
    # Changes before this offset are left to a whole parse (see the module docstring).
    settled: int
    _index: dict[int, int] | None = field(default=None, repr=False)  # statement id -> its place, made when asked

    def code_of(self, stmt: cst.CSTNode) -> str | None:
        """A top-level statement's code, cut from the text (None for one not in the tree)."""
        index = self.index.get(id(stmt))
        if index is None or (index == len(self.starts) - 1 and not self.module.has_trailing_newline):
            return None  # the text leaves out the last statement's newline
        return self.text[self.starts[index] : self.ends[index]]

    @property
    def index(self) -> dict[int, int]:
        if self._index is None:
            self._index = {id(stmt): i for i, stmt in enumerate(self.module.body)}
        return self._index


@dataclass
class _PythonParsed:
    """A document's lines, Python's tree of them, and each top-level statement's lines."""

    lines: list[str]
    tree: ast.Module
    firsts: list[int]  # 1-based, decorators included
    lasts: list[int]
    settled: int  # changes up to this line are left to a whole parse


class Reparser:
    """Parses sources by path, reusing what was parsed of the path's previous source."""

    def __init__(self) -> None:
        self._known: dict[str, _Parsed] = {}
        self._trees: dict[str, _PythonParsed] = {}

    def forget(self, path: str) -> None:
        self._known.pop(path, None)
        self._trees.pop(path, None)

    def statement_code(self, module: cst.Module, stmt: cst.CSTNode) -> str:
        """A top-level statement's code: from the text of a document parsed here, else generated."""
        for parsed in self._known.values():
            if parsed.module is module:
                code = parsed.code_of(stmt)
                if code is not None:
                    return code
        return module.code_for_node(stmt)

    def python_tree(self, source: bytes, path: str) -> ast.Module | SyntaxError | None:
        """What `guard.python_tree` gives for the source."""
        old = self._trees.pop(path, None)
        try:
            text = None if _CODING.search(source, 0, _second_line_end(source)) else source.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        lines = _LINE.findall(text) if text is not None else None
        parsed = _python_spliced(old, lines) if old is not None and lines is not None else None
        if parsed is None:
            tree = python_tree(source)
            if not isinstance(tree, ast.Module) or lines is None or "\ufeff" in text[:1]:
                return tree
            parsed = _python_spans(tree, lines)
        self._trees[path] = parsed
        return parsed.tree

    def parse(self, source: bytes, path: str) -> cst.Module:
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        old = self._known.pop(path, None)
        parsed = _spliced(old, text) if old is not None and text is not None else None
        if parsed is None:
            module = cst.parse_module(source)
            parsed = statement_spans(module, text) if text is not None and module.encoding == "utf-8" else None
        if parsed is not None:
            self._known[path] = parsed
            return parsed.module
        return module


def statement_spans(module: cst.Module, text: str) -> _Parsed | None:
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
    alone = _spliced_within(old, text, prefix, len(old.text) - suffix, shift)
    if alone is not None:
        return alone
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
    codes = [part.code_for_node(stmt) for stmt in new_body]
    _keep_unchanged(new_body, codes, old, first, last, start, shift)
    body = (*old.module.body[:first], *new_body, *old.module.body[last + 1 :])
    changes = {"body": body}
    if to_end:
        changes |= {"footer": part.footer, "has_trailing_newline": part.has_trailing_newline}
    module = old.module.with_changes(**changes)
    starts, ends = old.starts[:first], old.ends[:first]
    offset = start
    for code in codes:
        starts.append(offset)
        offset += len(code)
        ends.append(offset)
    starts += [s + shift for s in old.starts[last + 1 :]]
    ends += [e + shift for e in old.ends[last + 1 :]]
    return _Parsed(text, module, starts, ends, old.settled)


def _spliced_within(old: _Parsed, text: str, change_start: int, change_end: int, shift: int) -> _Parsed | None:
    """The new tree when the change (old offsets `change_start` to
    `change_end`) lies within one statement, after the start of its code and
    before that of the next one; None when it does not, or the neighbours'
    parse must decide.

    The text up to the change did not change: where the statement before
    ends and this one starts stays (this one's code starts at column 0
    before the change). Where this one ends depends on the text from it to
    the next statement's code and on that code starting at column 0: so
    that text is parsed with a `pass` in place of the next statement, and
    the next statement is kept only if the `pass` gets the leading lines it had."""
    index = bisect.bisect_right(old.starts, change_start) - 1
    if index < 0 or index + 1 >= len(old.starts):
        return None  # the last statement: what ends the module is the neighbours' parse's
    statement, following = old.module.body[index], old.module.body[index + 1]
    code_start = old.starts[index] + _length(old.module, statement.leading_lines)
    following_leading = "".join(old.module.code_for_node(line) for line in following.leading_lines)
    next_code = old.starts[index + 1] + len(following_leading)
    if not code_start < change_start <= change_end < next_code:
        return None
    newline = old.module.default_newline
    source = text[old.starts[index] : next_code + shift] + "pass" + newline
    if "\\\n" in source or "\\\r" in source:
        return None  # a line continuation may join a line of the part to one outside it
    try:
        part = cst.parse_module(source)
    except (cst.ParserSyntaxError, RecursionError):
        return None
    if (part.default_indent, part.default_newline) != (old.module.default_indent, old.module.default_newline):
        return None
    if len(part.body) < 2 or part.footer or not part.has_trailing_newline:
        return None
    *new_body, placeholder = part.body
    if part.code_for_node(placeholder) != following_leading + "pass" + newline:
        return None  # the lines before the next statement are not all its own now
    new_body[0] = new_body[0].with_changes(leading_lines=(*part.header, *new_body[0].leading_lines))
    starts, ends = old.starts[:index], old.ends[:index]
    offset = old.starts[index]
    for stmt in new_body[:-1]:
        starts.append(offset)
        offset += len(part.code_for_node(stmt))
        ends.append(offset)
    starts.append(offset)
    ends.append(old.starts[index + 1] + shift)
    starts += [s + shift for s in old.starts[index + 1 :]]
    ends += [e + shift for e in old.ends[index + 1 :]]
    module = old.module.with_changes(body=(*old.module.body[:index], *new_body, *old.module.body[index + 1 :]))
    return _Parsed(text, module, starts, ends, old.settled)


def _keep_unchanged(new_body: list, codes: list[str], old: _Parsed, first: int, last: int, start: int, shift: int) -> None:
    """Put back the old nodes of the statements parsed again whose code and
    place did not change (the neighbours of a change, mostly): the same code
    where it was parses to the same tree, and a kept node is one the rules
    and the models need not look at again."""
    before = 0  # from the front: at the same offsets
    offset = start
    while before < len(new_body) and first + before <= last:
        index = first + before
        if offset != old.starts[index] or codes[before] != old.text[old.starts[index] : old.ends[index]]:
            break
        new_body[before] = old.module.body[index]
        offset += len(codes[before])
        before += 1
    after = 0  # from the back: `shift` further on
    offset = start + sum(len(code) for code in codes)
    while before + after < len(new_body) and last - after >= first + before:
        index, at = last - after, len(new_body) - 1 - after
        if offset - len(codes[at]) != old.starts[index] + shift or codes[at] != old.text[old.starts[index] : old.ends[index]]:
            break
        new_body[at] = old.module.body[index]
        offset -= len(codes[at])
        after += 1


def _second_line_end(source: bytes) -> int:
    first = source.find(b"\n")
    second = source.find(b"\n", first + 1) if first >= 0 else -1
    return len(source) if second < 0 else second


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None)
    return min([stmt.lineno, *(d.lineno for d in decorators)]) if decorators else stmt.lineno


def _python_spans(tree: ast.Module, lines: list[str]) -> _PythonParsed:
    firsts = [_first_line(stmt) for stmt in tree.body]
    lasts = [stmt.end_lineno or stmt.lineno for stmt in tree.body]
    settled = 2
    for index, stmt in enumerate(tree.body):
        settled = max(settled, lasts[index])  # the first statement, and the __future__ imports
        if index > 0 and not (isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"):
            break
    return _PythonParsed(lines, tree, firsts, lasts, settled)


def _python_spliced(old: _PythonParsed, lines: list[str]) -> _PythonParsed | None:
    """Python's tree of the new lines from the old one and a parse of the
    lines that changed, or None when a whole parse must decide."""
    if lines == old.lines:
        return old
    top = min(len(lines), len(old.lines))
    prefix = 0
    while prefix < top and lines[prefix] == old.lines[prefix]:
        prefix += 1
    suffix = 0
    while suffix < top - prefix and lines[-1 - suffix] == old.lines[-1 - suffix]:
        suffix += 1
    if prefix < old.settled or not old.tree.body:
        return None
    shift = len(lines) - len(old.lines)
    alone = _python_spliced_within(old, lines, prefix + 1, len(old.lines) - suffix, shift)
    if alone is not None:
        return alone
    # Statements touching the changed lines (old lines prefix+1 .. len-suffix), one more each side.
    first = max(bisect.bisect_left(old.lasts, prefix + 1) - 1, 0)
    last = min(bisect.bisect_right(old.firsts, len(old.lines) - suffix), len(old.firsts) - 1)
    while first > 0 and old.firsts[first] <= old.lasts[first - 1]:
        first -= 1  # statements sharing a line (`a; b`) go together
    while last + 1 < len(old.firsts) and old.firsts[last + 1] <= old.lasts[last]:
        last += 1
    to_end = last == len(old.firsts) - 1
    start = old.firsts[first]  # 1-based, unchanged: it lies before the change
    end = len(lines) if to_end else old.firsts[last + 1] - 1 + shift
    if end < start:
        return None
    part = _python_part(lines, start, end)
    if part is None:
        return None
    firsts = [_first_line(stmt) for stmt in part.body]
    lasts = [stmt.end_lineno or stmt.lineno for stmt in part.body]
    body = list(part.body)
    shifted = _python_keep_unchanged(body, firsts, lasts, old, lines, first, last, shift)
    kept_after = old.tree.body[last + 1 :]
    if shift:
        for stmt in [*shifted, *kept_after]:
            ast.increment_lineno(stmt, shift)
    tree = ast.Module(body=[*old.tree.body[:first], *body, *kept_after], type_ignores=[])
    return _PythonParsed(
        lines,
        tree,
        [*old.firsts[:first], *firsts, *(line + shift for line in old.firsts[last + 1 :])],
        [*old.lasts[:first], *lasts, *(line + shift for line in old.lasts[last + 1 :])],
        old.settled,
    )


def _python_spliced_within(old: _PythonParsed, lines: list[str], first_changed: int, last_changed: int, shift: int) -> _PythonParsed | None:
    """Python's tree when the changed lines (old lines `first_changed` to
    `last_changed`) lie from a statement's first line to before the next
    statement's, none shared with another statement: those lines alone are
    parsed again (the statement before ends before them, the next one
    starts at column 0 after them). None when they do not, or a parse of
    them fails (the neighbours' parse decides)."""
    index = bisect.bisect_right(old.firsts, first_changed) - 1
    if index < 0 or index + 1 >= len(old.firsts) or last_changed >= old.firsts[index + 1]:
        return None
    if (index > 0 and old.firsts[index] <= old.lasts[index - 1]) or old.firsts[index + 1] <= old.lasts[index]:
        return None  # a line shared with another statement (`a; b`)
    start, end = old.firsts[index], old.firsts[index + 1] - 1 + shift
    part = _python_part(lines, start, end)
    if part is None:
        return None
    kept_after = old.tree.body[index + 1 :]
    if shift:
        for stmt in kept_after:
            ast.increment_lineno(stmt, shift)
    return _PythonParsed(
        lines,
        ast.Module(body=[*old.tree.body[:index], *part.body, *kept_after], type_ignores=[]),
        [*old.firsts[:index], *(_first_line(stmt) for stmt in part.body), *(line + shift for line in old.firsts[index + 1 :])],
        [*old.lasts[:index], *(stmt.end_lineno or stmt.lineno for stmt in part.body), *(line + shift for line in old.lasts[index + 1 :])],
        old.settled,
    )


def _python_keep_unchanged(
    body: list[ast.stmt], firsts: list[int], lasts: list[int], old: _PythonParsed, lines: list[str], first: int, last: int, shift: int
) -> list[ast.stmt]:
    """Put back the old nodes of the statements parsed again whose lines and
    their text did not change (the neighbours of a change, mostly), as
    `_keep_unchanged` does for libcst's; those after the change, to move by `shift`."""

    def same(at: int, index: int, moved: int) -> bool:
        return (
            (firsts[at], lasts[at]) == (old.firsts[index] + moved, old.lasts[index] + moved)
            and lines[firsts[at] - 1 : lasts[at]] == old.lines[old.firsts[index] - 1 : old.lasts[index]]
        )

    before = 0
    while before < len(body) and first + before <= last and same(before, first + before, 0):
        body[before] = old.tree.body[first + before]
        before += 1
    shifted = []
    after = 0
    while before + after < len(body) and last - after >= first + before and same(len(body) - 1 - after, last - after, shift):
        body[len(body) - 1 - after] = old.tree.body[last - after]
        shifted.append(old.tree.body[last - after])
        after += 1
    return shifted


def _python_part(lines: list[str], start: int, end: int) -> ast.Module | None:
    """Python's tree of lines `start` to `end` (from 1) alone, numbered as in
    the whole text; None when a line continuation may join one of them to a
    line outside, or they do not parse alone (a whole parse reports it)."""
    changed = "".join(lines[start - 1 : end])
    if "\\\n" in changed or "\\\r" in changed:
        return None
    try:
        part = ast.parse(changed)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    ast.increment_lineno(part, start - 1)
    return part
