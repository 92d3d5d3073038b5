"""Output formats. Each reporter turns the run's diagnostics into text."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from asynclint.diagnostics import Diagnostic


@dataclass
class Run:
    """What a reporter may use: the diagnostics, sorted, and how to show paths."""

    diagnostics: list[Diagnostic]
    files_checked: int = 0
    cwd: str = field(default_factory=os.getcwd)
    fixed: int = 0  # findings fixed by --fix in this run
    sources: dict[str, bytes] = field(default_factory=dict)  # sources not on disk (stdin)
    _lines: dict[str, list[str]] = field(default_factory=dict, repr=False)
    unsafe_fixes: bool = False  # whether unsafe fixes count as fixable

    def source_line(self, path: str, line: int) -> str | None:
        """A line of a checked file, for snippets and fingerprints."""
        if path not in self._lines:
            data = self.sources.get(path)
            if data is None:
                try:
                    with open(path, "rb") as handle:
                        data = handle.read()
                except OSError:
                    data = b""
            self._lines[path] = data.decode("utf-8", errors="replace").splitlines()
        lines = self._lines[path]
        return lines[line - 1] if 0 < line <= len(lines) else None

    def fixable(self, diagnostic: Diagnostic) -> bool:
        """Whether `--fix` (with this run's `--unsafe-fixes`) would fix it."""
        fix = diagnostic.fix
        return fix is not None and (fix.applicability.value == "safe" or self.unsafe_fixes)

    def display_path(self, path: str) -> str:
        """A path relative to the working directory when it is below it."""
        if path in ("stdin", "-"):
            return path
        absolute = os.path.abspath(path)
        try:
            relative = os.path.relpath(absolute, self.cwd)
        except ValueError:
            return path
        return absolute if relative.startswith("..") else relative


Reporter = Callable[[Run], str]


def reporters() -> dict[str, Reporter]:
    from asynclint.reporters import github, gitlab, json_format, junit, sarif, text

    return {
        "full": text.full,
        "concise": text.concise,
        "json": json_format.json_array,
        "json-lines": json_format.json_lines,
        "sarif": sarif.sarif,
        "github": github.github,
        "gitlab": gitlab.gitlab,
        "junit": junit.junit,
        "pylint": text.pylint,
    }


FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit", "pylint")
