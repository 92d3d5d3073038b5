"""Turn the paths a user names into the files to check.

Directories are walked for `*.py` and `*.pyi`, skipping default and
configured excludes and what `.gitignore` and `.ignore` files ignore (as
ripgrep and ruff read them: a folder's `.ignore` after its `.gitignore`, so
that its `!pattern` takes a file back), each folder by the
settings of its nearest configuration (a name is matched by those of the
folder it is in). A path named explicitly is checked, unless
`force-exclude` is on and it, or a folder it is in, is excluded. Symlinked
directories are not followed, so symlink loops cannot trap the walk. Only
regular files are read (a named pipe would wait forever for a writer): the
walk skips the rest, as it skips links that lead nowhere, and a named path
that is neither a directory nor a regular file is an error.
"""

from __future__ import annotations

import fnmatch
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint.config import Configurations, Settings

if TYPE_CHECKING:
    import pathspec

PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Excludes:
    """Exclude patterns, matched against a path's name or its path relative to
    the config directory (`build`, `*.pyi`, `src/gen/*`). Plain names, most
    of them, are a set look-up; the rest are one compiled regex."""

    def __init__(self, patterns: tuple[str, ...], base: Path) -> None:
        self.base = base
        cleaned = [p.rstrip("/") for p in patterns]
        self.names = {p for p in cleaned if not any(ch in p for ch in "*?[/")}
        globs = [p for p in cleaned if p not in self.names]
        globs += [p[3:] for p in globs if p.startswith("**/")]
        self.regex = re.compile("|".join(fnmatch.translate(p) for p in globs)) if globs else None

    def match(self, path: Path) -> bool:
        if path.name in self.names:
            return True
        if self.regex is None:
            return False
        if self.regex.match(path.name):
            return True
        try:
            relative = Path(os.path.abspath(path)).relative_to(self.base).as_posix()
        except ValueError:
            relative = path.as_posix()
        return self.regex.match(relative) is not None


def project_root(start: Path) -> Path:
    """The nearest directory with a pyproject.toml or .git; without one, the
    top of the package `start` is in (the first directory up without an
    `__init__.py`), so the package's absolute imports of itself resolve."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for directory in [start, *start.parents]:
        if (directory / "pyproject.toml").is_file() or (directory / ".git").exists():
            return directory
    top = start
    while (top / "__init__.py").is_file() and top.parent != top:
        top = top.parent
    return top


# A folder's ignore files, read in this order: a later pattern overrides an earlier one.
IGNORE_FILES = (".gitignore", ".ignore")


class _GitIgnore:
    """The .gitignore (and .ignore) rules that apply inside one walk, loaded per directory."""

    def __init__(self, top: Path) -> None:
        self.specs: dict[Path, pathspec.PathSpec | None] = {}
        self.top = top
        # .gitignore files above the walked directory, up to the repository root.
        self.ancestors: list[Path] = []
        for directory in top.parents:
            self.ancestors.append(directory)
            if (directory / ".git").exists():
                break
        else:
            self.ancestors = []
        repo = self.ancestors[-1] if self.ancestors else top
        exclude = repo / ".git" / "info" / "exclude"
        self.info_exclude = self._read(exclude)
        self.repo = repo

    @staticmethod
    def _read(*paths: Path) -> pathspec.PathSpec | None:
        lines: list[str] = []
        found = False
        for path in paths:
            try:
                lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
            found = True
        if not found:
            return None
        import pathspec  # only once a folder has an ignore file: a run over named files needs none

        return pathspec.GitIgnoreSpec.from_lines(lines)

    def spec_for(self, directory: Path) -> pathspec.PathSpec | None:
        if directory not in self.specs:
            self.specs[directory] = self._read(*(directory / name for name in IGNORE_FILES))
        return self.specs[directory]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        directories = [*reversed(self.ancestors), *self._between(path)]
        for directory in directories:
            spec = self.spec_for(directory)
            if spec is None:
                continue
            relative = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
            if spec.match_file(relative):
                return True
        if self.info_exclude is not None:
            try:
                relative = path.relative_to(self.repo).as_posix() + ("/" if is_dir else "")
            except ValueError:
                return False
            return self.info_exclude.match_file(relative)
        return False

    def _between(self, path: Path) -> list[Path]:
        out = []
        directory = path.parent
        while True:
            out.append(directory)
            if directory == self.top or directory == directory.parent:
                break
            directory = directory.parent
        return list(reversed(out))


_NOT_REGULAR = {stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def _is_regular_file(path: Path) -> bool:
    """Whether the path (its target, for a link) is a regular file; a link
    that leads nowhere or in a loop is not."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


@cache
def excludes_of(settings: Settings) -> Excludes:
    """The exclude patterns of a configuration, compiled once."""
    return Excludes(tuple(settings.exclude) + tuple(settings.extend_exclude), Path(settings.config_dir))


def force_excluded(path: str | Path, configurations: Configurations) -> bool:
    """Whether `force-exclude` drops a named path: it, or a folder it is in
    below its configuration's folder, is excluded (the configuration's
    folder itself and those above it are not judged: `asynclint .` in a
    folder named `build` checks it)."""
    absolute = Path(os.path.abspath(path))
    settings = configurations.in_directory(absolute.parent)
    base = Path(settings.config_dir)
    if not settings.force_exclude or absolute == base or absolute in base.parents:
        return False
    named = [absolute, *(p for p in absolute.parents if base in p.parents)]
    return any(excludes_of(settings).match(p) for p in named)


def discover(paths: list[str], configurations: Configurations) -> Discovery:
    result = Discovery()
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            result.files.append(path)

    for raw in paths:
        path = Path(raw)
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                result.errors.append(f"{raw}: no such file or directory")
            else:
                reason = exc.strerror or str(exc)
                result.errors.append(f"{raw}: cannot read: {reason[:1].lower() + reason[1:]}")
            continue
        if force_excluded(path, configurations):
            continue
        if stat.S_ISREG(mode):
            add(path)
            continue
        if not stat.S_ISDIR(mode):
            result.errors.append(f"{raw}: not a regular file ({_NOT_REGULAR.get(stat.S_IFMT(mode), 'a special file')})")
            continue
        gitignore = _GitIgnore(Path(os.path.abspath(path)))
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            current = Path(dirpath)
            settings = configurations.in_directory(Path(os.path.abspath(current)))
            excludes = excludes_of(settings)
            ignores = gitignore if settings.respect_gitignore else None
            kept = []
            for name in sorted(dirnames):
                child = current / name
                if child.is_symlink() or excludes.match(child):
                    continue
                if ignores is not None and ignores.ignored(Path(os.path.abspath(child)), is_dir=True):
                    continue
                kept.append(name)
            dirnames[:] = kept
            for name in sorted(filenames):
                if not name.endswith(PYTHON_SUFFIXES):
                    continue
                child = current / name
                if excludes.match(child) or not _is_regular_file(child):
                    continue
                if ignores is not None and ignores.ignored(Path(os.path.abspath(child)), is_dir=False):
                    continue
                add(child)
    return result
