"""`# noqa` comments: per line (`# noqa`, `# noqa: AL101, AL102`) and per
file (`# asynclint: noqa`, `# asynclint: noqa: AL101` on a line of its own)."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

# `# noqa`, `# noqa: AL101,AL102`, `# NOQA:AL101 AL102`; other tools' codes may follow.
NOQA = re.compile(r"#\s*noqa(?P<sep>\s*:\s*|\s+)?(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)?", re.IGNORECASE)
FILE_NOQA = re.compile(
    r"^\s*#\s*asynclint\s*:\s*noqa(?:\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?\s*$",
    re.IGNORECASE,
)
ALL = None  # a blanket suppression


@dataclass
class Suppressions:
    """Line -> suppressed codes (None = all), and file-level codes."""

    lines: dict[int, frozenset[str] | None] = field(default_factory=dict)
    file_codes: frozenset[str] | None = frozenset()  # empty: nothing suppressed file-wide
    used: set[tuple[int, str]] = field(default_factory=set)  # (line, code) a line comment silenced

    def suppresses(self, line: int, code: str) -> bool:
        if self.file_codes is None or code in self.file_codes:
            return True
        if line not in self.lines:
            return False
        codes = self.lines[line]
        if codes is None or code in codes:
            self.used.add((line, code))
            return True
        return False


def _codes(text: str | None) -> frozenset[str] | None:
    if not text:
        return ALL
    return frozenset(c.upper() for c in re.split(r"[\s,]+", text) if c)


def parse_suppressions(source: str) -> Suppressions:
    """Read the comments of a file (with tokenize, so strings never count)."""
    result = Suppressions()
    if "noqa" not in source.lower():
        return result  # the common case: no need to tokenize (a case-blind regex search costs 20 times more)
    file_codes: set[str] = set()
    blanket_file = False
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        tokens = []
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        text = token.string
        line = token.start[0]
        file_match = FILE_NOQA.match(text) if token.line.strip() == text.strip() else None
        if file_match:
            codes = _codes(file_match.group("codes"))
            if codes is None:
                blanket_file = True
            else:
                file_codes |= codes
            continue
        match = NOQA.search(text)
        if match:
            codes = _codes(match.group("codes"))
            previous = result.lines.get(line, frozenset())
            result.lines[line] = None if codes is None or previous is None else previous | codes
    result.file_codes = None if blanket_file else frozenset(file_codes)
    return result
