"""Shared by the test rules: how the project's pytest runs `async def` tests,
read from the configuration files, dependency lists and conftests in the
folders from a test file up to the repository's top."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from asynclint.knowledge.testing import (
    CONFIG_FILES,
    OWN_RUNNERS,
    PLUGIN_LISTS,
    RUN_ALL_PLUGINS,
    RUN_ALL_SETTINGS,
)

_PLUGIN_MODULES = re.compile(r"""pytest_plugins\s*=\s*[\[(]?([^\])\n]*)""")
_STRING = re.compile(r"""["']([\w.]+)["']""")
_PYTHON_FILES = re.compile(r"""^\s*python_files\s*=\s*(.+)$""", re.MULTILINE)
DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")


@dataclass(frozen=True)
class PytestSetup:
    configured: bool  # a pytest configuration is in sight
    runs_every_coroutine: bool  # a mode or plugin runs every `async def` test, or the project runs them its own way
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES  # the file name patterns of test modules


def pytest_setup(path: str, module_file: Callable[[str], Path | None] | None = None) -> PytestSetup:
    """What the folders from `path` up to the repository's top say (see
    the module's docstring); `module_file` finds the project modules a
    conftest's `pytest_plugins` names."""
    configured = runs_all = False
    python_files: tuple[str, ...] | None = None
    directory = Path(os.path.abspath(path)).parent
    while True:
        for name, marker in CONFIG_FILES.items():
            text = _text(directory / name)
            if text is None:
                continue
            runs_all = runs_all or _runs_all(text)  # a dependency list counts too
            if marker is None or marker in text:
                configured = True
                if python_files is None:
                    python_files = _python_files(text)
        for pattern in PLUGIN_LISTS:
            for found in sorted(directory.glob(pattern)):
                text = _text(found)
                runs_all = runs_all or (text is not None and (_runs_all(text) or _plugins_run_all(text, module_file)))
        if runs_all or (directory / ".git").exists() or directory.parent == directory:
            return PytestSetup(configured, runs_all, python_files or DEFAULT_PYTHON_FILES)
        directory = directory.parent


def _python_files(text: str) -> tuple[str, ...] | None:
    """The `python_files` patterns a configuration sets (an ini line or a TOML list), if any."""
    found = _PYTHON_FILES.search(text)
    if found is None:
        return None
    value = found.group(1).strip()
    patterns = re.findall(r"""["']([^"']+)["']""", value) if value.startswith("[") else value.split()
    return tuple(patterns) or None


def _runs_all(text: str) -> bool:
    return (
        RUN_ALL_SETTINGS.search(text) is not None
        or any(plugin in text for plugin in RUN_ALL_PLUGINS)
        or any(runner in text for runner in OWN_RUNNERS)
    )


def _plugins_run_all(text: str, module_file: Callable[[str], Path | None] | None) -> bool:
    """Whether a project module that a conftest loads as a plugin runs every coroutine test."""
    if module_file is None:
        return False
    for listed in _PLUGIN_MODULES.findall(text):
        for module in _STRING.findall(listed):
            found = module_file(module)
            plugin = _text(found) if found is not None else None
            if plugin is not None and _runs_all(plugin):
                return True
    return False


def _text(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read(str(path), stat.st_mtime_ns, stat.st_size) if path.is_file() else None


@lru_cache(maxsize=512)
def _read(path: str, mtime_ns: int, size: int) -> str | None:
    """A file's text, read once while it is unchanged (the arguments after the path key the cache)."""
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
