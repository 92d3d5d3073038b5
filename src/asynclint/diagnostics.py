"""What a check produces: diagnostics with positions and optional fixes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Default(enum.Enum):
    """Whether a rule runs without being selected."""

    ON = "on"
    OPT_IN = "opt-in"  # stable, runs only when selected explicitly (or with `AL`)
    PREVIEW = "preview"  # unstable, runs only with --preview


class Applicability(enum.Enum):
    """How safe a fix is, in ruff's sense: safe fixes keep meaning and intent."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class FixClass(enum.Enum):
    """What kind of fix a rule can offer, for its documentation."""

    NONE = "none"
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and 1-based column."""

    line: int
    column: int


@dataclass(frozen=True)
class Edit:
    """Replace the source between two positions (end exclusive) with `content`."""

    start: Position
    end: Position
    content: str


@dataclass(frozen=True)
class Fix:
    """Edits that resolve one diagnostic, with how safe they are."""

    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Diagnostic:
    """One finding in one file."""

    code: str
    name: str
    message: str
    path: str
    start: Position
    end: Position
    fix: Fix | None = None
    noqa_line: int | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.start, self.code)


@dataclass
class FileResult:
    """Everything checking one file produced."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # internal errors, one line each
    warnings: list[str] = field(default_factory=list)  # what was left unchecked and why, one line each
