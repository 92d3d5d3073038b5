"""Output formats. Each reporter turns the run's diagnostics into text."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

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
    docs_url: str | None = None  # the `docs-url` setting
    color: bool = False  # ANSI colours in the text formats (`--color`)

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

    def rule_url(self, code: str) -> str | None:
        from asynclint.urls import rule_url

        return rule_url(code, self.docs_url)

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

    @cached_property
    def root(self) -> str:
        """The repository root CI formats name files from, so that their paths do
        not depend on the folder a job runs in: the CI's checkout
        (`GITHUB_WORKSPACE`, `CI_PROJECT_DIR`) when the working directory is in
        it, else the git top level above the working directory, else the
        working directory itself."""
        cwd = os.path.realpath(self.cwd)
        for variable in CHECKOUT_VARIABLES:
            checkout = os.environ.get(variable)
            if checkout and _is_within(cwd, os.path.realpath(checkout)):
                return os.path.realpath(checkout)
        directory = cwd
        while not os.path.exists(os.path.join(directory, ".git")):
            parent = os.path.dirname(directory)
            if parent == directory:
                return cwd
            directory = parent
        return directory

    def repository_path(self, path: str) -> str | None:
        """`path` relative to the repository root, with `/`; None when it lies outside."""
        if path in ("stdin", "-"):
            return path
        absolute = os.path.realpath(path)
        if not _is_within(absolute, self.root):
            return None
        return Path(os.path.relpath(absolute, self.root)).as_posix()

    def ci_path(self, path: str) -> str:
        """The path CI annotations show: from the repository root when the file is in it."""
        return self.repository_path(path) or self.display_path(path)


CHECKOUT_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")

_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)\s*")


def one_line(message: str) -> str:
    """A message for a one-line format: advice written over several lines
    (a configured `extend-blocking-calls` text) joined with spaces."""
    return _LINE_BREAK.sub(" ", message.strip())


def _is_within(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:  # another drive
        return False


Reporter = Callable[[Run], str]


# format -> (module in asynclint.reporters, function): a run imports only its own
# format's module (the XML and URL libraries of the CI formats cost startup time).
_REPORTERS = {
    "full": ("text", "full"),
    "concise": ("text", "concise"),
    "json": ("json_format", "json_array"),
    "json-lines": ("json_format", "json_lines"),
    "sarif": ("sarif", "sarif"),
    "github": ("github", "github"),
    "gitlab": ("gitlab", "gitlab"),
    "junit": ("junit", "junit"),
    "pylint": ("text", "pylint"),
}
FORMATS = tuple(_REPORTERS)


def reporter(output_format: str) -> Reporter:
    """The reporter of one output format."""
    import importlib

    module, function = _REPORTERS[output_format]
    return getattr(importlib.import_module(f"asynclint.reporters.{module}"), function)
