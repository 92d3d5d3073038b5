"""`[tool.asynclint]` in pyproject.toml (or asynclint.toml), merged with the
command line into one frozen Settings object per configuration.

Every file gets the settings of its nearest configuration (`Configurations`),
which may `extend` another one. Unknown keys and unknown rule codes are
errors that name the key, with a did-you-mean where a known one is close; a
file that is not valid TOML is an error that names its line and column.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from asynclint import __version__, registry
from asynclint.cache import sha256_hex
from asynclint.knowledge.python_versions import DEFAULT_TARGET_VERSION, TARGET_VERSIONS, version_of

DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".mypy_cache",
    ".nox", ".pants.d", ".pytest_cache", ".pytype", ".ruff_cache", ".svn",
    ".tox", ".venv", ".asynclint_cache", "__pypackages__", "__pycache__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
)


class ConfigError(Exception):
    """A problem with configuration or command-line values (exit code 2)."""


@dataclass(frozen=True)
class ExtraBlockingCall:
    """A team's own blocking callable, from `extend-blocking-calls`."""

    qualname: str
    advice: str
    code: str = "AL106"


@dataclass(frozen=True)
class UserLibrary:
    """A team's own library, from `[tool.asynclint.libraries.NAME]`: the
    built-in entries' schema (`asynclint.knowledge.library`) in TOML. Its
    `types` are classes (each builds itself), `builds` maps factories to the
    type they return, every method under an instance of a `namespaces` type
    blocks unless its path names a `pure` member, and so does each
    `blocking` call; all under `code`, with `advice`."""

    name: str
    types: tuple[str, ...] = ()
    builds: tuple[tuple[str, str], ...] = ()
    namespaces: tuple[str, ...] = ()
    pure: tuple[str, ...] = ()
    blocking: tuple[str, ...] = ()
    code: str = "AL106"
    advice: str = "run it with `await asyncio.to_thread(...)`"


class UserCalls(dict):
    """The team's own blocking calls: qualified name -> ExtraBlockingCall
    (from `extend-blocking-calls` and the declared libraries' `blocking`),
    and the declared libraries' namespaces."""

    def __init__(self, named: dict[str, ExtraBlockingCall], namespaces: tuple = ()) -> None:
        super().__init__(named)
        self.namespaces = namespaces  # (Namespace, ExtraBlockingCall of its code and advice)

    def __bool__(self) -> bool:
        return bool(len(self) or self.namespaces)

    def find(self, qualname: str) -> ExtraBlockingCall | None:
        found = self.get(qualname)
        if found is None:
            for namespace, extra in self.namespaces:
                if namespace.covers(qualname):
                    return extra
        return found


@cache
def _user_calls(extend: tuple[ExtraBlockingCall, ...], libraries: tuple[UserLibrary, ...]) -> UserCalls:
    from asynclint.knowledge.library import Namespace

    named = {
        name: ExtraBlockingCall(name, library.advice, library.code) for library in libraries for name in library.blocking
    }
    named.update((extra.qualname, extra) for extra in extend)
    namespaces = tuple(
        (Namespace(typ, pure=frozenset(library.pure)), ExtraBlockingCall(typ, library.advice, library.code))
        for library in libraries
        for typ in library.namespaces
    )
    return UserCalls(named, namespaces)


@cache
def _result_types(libraries: tuple[UserLibrary, ...]) -> Mapping[str, str]:
    from asynclint.knowledge.types import RESULT_TYPES

    if not libraries:
        return RESULT_TYPES
    declared = {typ: typ for library in libraries for typ in library.types}
    declared.update(pair for library in libraries for pair in library.builds)
    return {**RESULT_TYPES, **declared}


@dataclass(frozen=True)
class Settings:
    """The effective configuration of the files under one configuration file."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False
    preview: bool = False
    target_version: str = DEFAULT_TARGET_VERSION
    fix: bool = False  # whether a run applies fixes without `--fix`
    fixable: tuple[str, ...] | None = None  # None: every rule's fixes
    extend_fixable: tuple[str, ...] = ()
    unfixable: tuple[str, ...] = ()
    extend_blocking_calls: tuple[ExtraBlockingCall, ...] = ()
    libraries: tuple[UserLibrary, ...] = ()
    docs_url: str | None = None  # where rule links point (asynclint.urls)
    config_dir: str = "."
    config_file: str | None = None

    def enabled_codes(self) -> tuple[str, ...]:
        return tuple(
            registry.select_rules(
                list(self.select) if self.select is not None else None,
                list(self.extend_select),
                list(self.ignore),
                self.preview,
            )
        )

    def fixable_codes(self) -> frozenset[str]:
        """The rules whose fixes are applied and offered (`fixable`, `unfixable`)."""
        fixable = list(self.fixable) if self.fixable is not None else ["AL"]
        return frozenset(registry.select_rules(fixable, list(self.extend_fixable), list(self.unfixable), True))

    def fingerprint(self) -> str:
        """A hash of everything that changes results: version and settings."""
        data = asdict(self)
        data.pop("config_file")
        data["version"] = __version__
        return sha256_hex(json.dumps(data, sort_keys=True, default=str).encode())[:16]

    def blocking_extras(self) -> UserCalls:
        return _user_calls(self.extend_blocking_calls, self.libraries)

    def result_types(self) -> Mapping[str, str]:
        """What a call builds: the libraries' tables and the declared libraries' types."""
        return _result_types(self.libraries)


@dataclass
class RawConfig:
    """Values read from a file before CLI overrides."""

    values: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    extends: RawConfig | None = None  # the configuration named by `extend`, read already
    # `[project] requires-python` of the project the configuration is in: its
    # pyproject.toml, or the one beside its asynclint.toml (`target-version` when unset)
    requires_python: str | None = None


KNOWN_KEYS = {
    "select", "extend-select", "ignore", "per-file-ignores", "exclude",
    "extend-exclude", "respect-gitignore", "force-exclude", "preview", "target-version",
    "extend-blocking-calls", "extend", "docs-url", "libraries", "fix", "fixable", "extend-fixable", "unfixable",
}


def _did_you_mean(word: str, choices) -> str:
    import difflib  # for a misspelt setting only

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


# tomllib says where in its message: `... (at line 2, column 5)` or `... (at end of document)`.
_TOML_POSITION = re.compile(r" \(at (?:line (\d+), column (\d+)|end of document)\)$")


# The files a `Configurations` consulted, each with its state then, while it looks (see `Configurations.unchanged`).
_consulted: ContextVar[dict[Path, tuple | None] | None] = ContextVar("consulted", default=None)


def _state(path: Path) -> tuple | None:
    """What tells a file's versions apart (None: there is none)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino, found.st_mode


def _consult(path: Path) -> None:
    consulted = _consulted.get()
    if consulted is not None and path not in consulted:
        consulted[path] = _state(path)


def _is_file(path: Path) -> bool:
    _consult(path)
    return path.is_file()


def _toml(path: Path) -> dict[str, Any]:
    """A TOML file's data; a file that cannot be read or is not valid TOML is
    an error naming it (and, for bad TOML, the line and column)."""
    _consult(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    import tomllib  # only a run that reads a configuration file needs it

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        if match and match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        else:  # at the end of the file
            line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
        reason = _TOML_POSITION.sub("", message)
        raise ConfigError(f"{path}:{line}:{column}: invalid TOML: {reason}") from None


def _config_in(directory: Path) -> Path | None:
    """The directory's own configuration: an asynclint.toml, or a pyproject.toml
    with a [tool.asynclint] table (an invalid pyproject.toml is an error: it
    may well have one)."""
    candidate = directory / "asynclint.toml"
    if _is_file(candidate):
        return candidate
    candidate = directory / "pyproject.toml"
    if _is_file(candidate):
        tool = _toml(candidate).get("tool")
        if isinstance(tool, dict) and "asynclint" in tool:
            return candidate
    return None


def read_config(path: Path, extended_by: tuple[Path, ...] = ()) -> RawConfig:
    """A configuration file's values, with the configurations it extends."""
    data = _toml(path)
    project = data if path.name == "pyproject.toml" else None
    if path.name == "pyproject.toml" or "tool" in data:
        data = data.get("tool", {}).get("asynclint", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.asynclint] must be a table")
    if project is None and _is_file(path.parent / "pyproject.toml"):
        project = _toml(path.parent / "pyproject.toml")
    raw = RawConfig(data, path, requires_python=_requires_python(project))
    if "extend" in data:
        raw.extends = _extended(path, data["extend"], extended_by)
    return raw


def _extended(path: Path, value: Any, extended_by: tuple[Path, ...]) -> RawConfig:
    """The configuration `extend = "../pyproject.toml"` names, relative to the file saying it."""
    if not isinstance(value, str):
        raise ConfigError(f"{path}: `extend` must be the path of another configuration file")
    target = Path(os.path.abspath(path.parent / os.path.expanduser(value)))
    chain = (*extended_by, Path(os.path.abspath(path)))
    if target in chain:
        raise ConfigError(f"{path}: `extend` goes round in a circle: {' -> '.join(str(p) for p in (*chain, target))}")
    if not _is_file(target):
        raise ConfigError(f"{path}: `extend` names {value}, which is not a file")
    return read_config(target, chain)


def _requires_python(pyproject: dict[str, Any] | None) -> str | None:
    project = pyproject.get("project") if pyproject is not None else None
    value = project.get("requires-python") if isinstance(project, dict) else None
    return value if isinstance(value, str) else None


# One clause of a version specifier: `>=3.9`, `~=3.10`, `==3.11.*`.
_CLAUSE = re.compile(r"\s*(~=|===|==|!=|<=|>=|<|>)\s*v?(\d+)(?:\.(\d+))?[\w.*+!-]*\s*")


def target_from_requires_python(specifier: str) -> str | None:
    """The oldest target version a `requires-python` specifier allows
    (`>=3.9,<4` -> py39), within the versions known; None when it sets no
    lower bound or is not a specifier."""
    lower_bounds = []
    for clause in specifier.split(","):
        match = _CLAUSE.fullmatch(clause)
        if match is None:
            return None
        operator, major, minor = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if operator in (">=", ">", "~=", "==", "==="):
            lower_bounds.append((major, minor))
    if not lower_bounds or max(lower_bounds)[0] != 3:
        return None
    versions = {version_of(target): target for target in TARGET_VERSIONS}
    oldest, newest = version_of(TARGET_VERSIONS[0]), version_of(TARGET_VERSIONS[-1])
    return versions[min(max(max(lower_bounds), oldest), newest)]


def _codes(values: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: `{key}` must be a list of rule codes")
    out = []
    for value in values:
        code = registry.normalize_selector(value)
        if not registry.is_selector(code):
            known = registry.codes() + list(registry.by_name())
            raise ConfigError(f"{where}: `{key}` has unknown rule code `{value}`{_did_you_mean(value.upper(), known)}")
        out.append(code)
    return tuple(out)


def _strings(values: Any, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: `{key}` must be a list of strings")
    return tuple(values)


def _bool(value: Any, key: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: `{key}` must be true or false")
    return value


def _url(value: Any, key: str, where: str) -> str:
    """An absolute http(s) URL: SARIF consumers and editors open it as it is."""
    if not isinstance(value, str) or not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise ConfigError(f"{where}: `{key}` must be an absolute URL such as \"https://example.com/asynclint/docs\"")
    return value


def _extra_blocking(value: Any, where: str) -> tuple[ExtraBlockingCall, ...]:
    from asynclint.knowledge.blocking import (
        codes,  # the family tables, read only for a config that extends them
    )

    key = "extend-blocking-calls"
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: `{key}` must be a table of "qualified.name" = "advice"')
    out = []
    for name, spec in value.items():
        if isinstance(spec, str):
            out.append(ExtraBlockingCall(name, spec))
        elif isinstance(spec, dict) and isinstance(spec.get("advice", ""), str):
            unknown = set(spec) - {"advice", "code"}
            if unknown:
                raise ConfigError(f"{where}: `{key}.{name}` has unknown key `{sorted(unknown)[0]}`")
            code = str(spec.get("code", "AL106")).upper()
            if code not in codes():
                raise ConfigError(
                    f"{where}: `{key}.{name}.code` must be one of {', '.join(sorted(codes()))}, not `{code}`"
                )
            out.append(ExtraBlockingCall(name, spec.get("advice", ""), code))
        else:
            raise ConfigError(f'{where}: `{key}.{name}` must be "advice" or {{ advice = "...", code = "AL105" }}')
    return tuple(out)


_QUALIFIED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_MEMBER = re.compile(r"[A-Za-z_]\w*")
_LIBRARY_KEYS = ("types", "builds", "namespaces", "pure", "blocking", "code", "advice")


def _qualified_names(values: Any, key: str, where: str) -> tuple[str, ...]:
    names = _strings(values, key, where)
    for name in names:
        if not _QUALIFIED.fullmatch(name):
            raise ConfigError(f'{where}: `{key}` has `{name}`, not a qualified name such as "acme.Client"')
    return names


def _user_library(name: str, spec: Any, where: str) -> UserLibrary:
    from asynclint.knowledge.blocking import (
        codes,  # the libraries' tables, read only for a config that declares a library
    )

    key = f"libraries.{name}"
    if not isinstance(spec, dict):
        raise ConfigError(f"{where}: `{key}` must be a table ([tool.asynclint.{key}])")
    for unknown in spec:
        if unknown not in _LIBRARY_KEYS:
            raise ConfigError(f"{where}: `{key}` has unknown key `{unknown}`{_did_you_mean(unknown, _LIBRARY_KEYS)}")
    builds = spec.get("builds", {})
    if not isinstance(builds, dict) or not all(isinstance(v, str) for v in builds.values()):
        raise ConfigError(f'{where}: `{key}.builds` must be a table of "acme.connect" = "acme.Client"')
    _qualified_names([*builds, *builds.values()], f"{key}.builds", where)
    pure = _strings(spec.get("pure", []), f"{key}.pure", where)
    for member in pure:
        if not _MEMBER.fullmatch(member):
            raise ConfigError(f'{where}: `{key}.pure` has `{member}`, not a member name such as "with_options"')
    code = spec.get("code", "AL106")
    if not isinstance(code, str) or code.upper() not in codes():
        raise ConfigError(f"{where}: `{key}.code` must be one of {', '.join(sorted(codes()))}, not `{code}`")
    advice = spec.get("advice", "run it with `await asyncio.to_thread(...)`")
    if not isinstance(advice, str):
        raise ConfigError(f"{where}: `{key}.advice` must be a string")
    library = UserLibrary(
        name,
        types=_qualified_names(spec.get("types", []), f"{key}.types", where),
        builds=tuple(builds.items()),
        namespaces=_qualified_names(spec.get("namespaces", []), f"{key}.namespaces", where),
        pure=pure,
        blocking=_qualified_names(spec.get("blocking", []), f"{key}.blocking", where),
        code=code.upper(),
        advice=advice,
    )
    if not library.blocking and not library.namespaces:
        raise ConfigError(f"{where}: `{key}` names no blocking call: give `blocking` calls or `namespaces`")
    return library


def _user_libraries(value: Any, where: str) -> tuple[UserLibrary, ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `libraries` must be a table of libraries ([tool.asynclint.libraries.NAME])")
    return tuple(_user_library(name, spec, where) for name, spec in value.items())


# Keys whose value is checked by one parser: TOML key -> (Settings field, parser).
_SIMPLE_KEYS = {
    "select": ("select", _codes),
    "extend-select": ("extend_select", _codes),
    "ignore": ("ignore", _codes),
    "exclude": ("exclude", _strings),
    "extend-exclude": ("extend_exclude", _strings),
    "respect-gitignore": ("respect_gitignore", _bool),
    "force-exclude": ("force_exclude", _bool),
    "preview": ("preview", _bool),
    "docs-url": ("docs_url", _url),
    "fix": ("fix", _bool),
    "fixable": ("fixable", _codes),
    "extend-fixable": ("extend_fixable", _codes),
    "unfixable": ("unfixable", _codes),
}


def _layer(values: dict[str, Any], where: str) -> dict[str, Any]:
    """The Settings fields one configuration file sets, validated."""
    for key in values:
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{where}: unknown key `{key}`{_did_you_mean(key, KNOWN_KEYS)}")
    layer: dict[str, Any] = {}
    for key, (attribute, parse) in _SIMPLE_KEYS.items():
        if key in values:
            layer[attribute] = parse(values[key], key, where)
    if "per-file-ignores" in values:
        table = values["per-file-ignores"]
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
        layer["per_file_ignores"] = tuple(
            (glob, _codes(codes, f"per-file-ignores.{glob}", where)) for glob, codes in table.items()
        )
    if "target-version" in values:
        version = values["target-version"]
        if version not in TARGET_VERSIONS:
            raise ConfigError(
                f"{where}: `target-version` must be one of {', '.join(TARGET_VERSIONS)}, not `{version}`"
                + _did_you_mean(str(version), TARGET_VERSIONS)
            )
        layer["target_version"] = version
    if "extend-blocking-calls" in values:
        layer["extend_blocking_calls"] = _extra_blocking(values["extend-blocking-calls"], where)
    if "libraries" in values:
        layer["libraries"] = _user_libraries(values["libraries"], where)
    return layer


def _command_line_layer(overrides: dict[str, Any]) -> dict[str, Any]:
    """The Settings fields the command line sets."""
    layer: dict[str, Any] = {}
    for key in ("select", "extend_select", "ignore", "fixable", "extend_fixable", "unfixable"):
        if overrides.get(key) is not None:
            layer[key] = _codes(list(overrides[key]), "--" + key.replace("_", "-"), "command line")
    if overrides.get("preview"):
        layer["preview"] = True
    for key in ("respect_gitignore", "force_exclude", "fix"):
        if overrides.get(key) is not None:
            layer[key] = overrides[key]
    if overrides.get("extend_exclude"):
        layer["extend_exclude"] = tuple(overrides["extend_exclude"])
    if overrides.get("target_version") is not None:
        layer["target_version"] = overrides["target_version"]
    return layer


# Fields whose values add to those of the layers below instead of replacing them.
_ADDED = frozenset(
    {
        "extend_select", "ignore", "extend_exclude", "per_file_ignores", "extend_blocking_calls", "libraries",
        "extend_fixable", "unfixable",
    }
)


def _merged(layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Layers from the bottom (the configuration extended last) to the top
    (the command line): a value replaces the one below it, except `_ADDED`
    ones, which add to it; a `select` drops the `extend-select` below it too,
    so that it means exactly the rules it names (and `fixable` likewise)."""
    merged: dict[str, Any] = {}
    for layer in layers:
        if "select" in layer:
            merged.pop("extend_select", None)
        if "fixable" in layer:
            merged.pop("extend_fixable", None)
        for key, value in layer.items():
            merged[key] = merged.get(key, ()) + value if key in _ADDED else value
    return merged


def build_settings(raw: RawConfig, overrides: dict[str, Any]) -> Settings:
    """Validate a configuration's values and those of the ones it extends,
    then apply command-line overrides."""
    chain = []
    current: RawConfig | None = raw
    while current is not None:
        chain.append(current)
        current = current.extends
    layers = [_layer(c.values, str(c.path) if c.path else "configuration") for c in reversed(chain)]
    # `--config KEY=VALUE` settings above every file, the other options above them
    kwargs = _merged([*layers, overrides.get("config_layer", {}), _command_line_layer(overrides)])
    if "target_version" not in kwargs:  # the project's own minimum, the nearest one saying it
        inferred = next((target_from_requires_python(c.requires_python) for c in chain if c.requires_python), None)
        if inferred is not None:
            kwargs["target_version"] = inferred
    if raw.path is not None:
        kwargs["config_dir"] = str(raw.path.parent.resolve())
        kwargs["config_file"] = str(raw.path)
    else:
        kwargs["config_dir"] = str(Path.cwd().resolve())
    return Settings(**kwargs)


class Configurations:
    """The settings of every file: those of its nearest configuration (the
    first found walking up from its folder), command-line overrides on top;
    or one configuration for every file (`--config FILE`). Each folder's
    answer is remembered, so a walk reads each configuration once."""

    def __init__(self, overrides: dict[str, Any] | None = None) -> None:
        self.overrides = overrides or {}
        self._forced: Settings | None = None
        self._nearest: dict[Path, Path | None] = {}
        self._nearest_project: dict[Path, Path | None] = {}
        self._settings: dict[Path | tuple[None, Path | None], Settings] = {}
        self._consulted: dict[Path, tuple | None] = {}  # the files looked for or read, and their states then

    @classmethod
    def forced(cls, settings: Settings) -> Configurations:
        """The same settings for every file."""
        configurations = cls()
        configurations._forced = settings
        return configurations

    def for_file(self, path: str | Path) -> Settings:
        return self.in_directory(Path(os.path.abspath(path)).parent)

    def unchanged(self) -> bool:
        """Whether every file these answers rest on is as it was (none made,
        changed or removed since): they would be the same if asked again."""
        return all(_state(path) == state for path, state in self._consulted.items())

    def in_directory(self, directory: Path) -> Settings:
        """The settings of the files in a folder (an absolute path)."""
        if self._forced is not None:
            return self._forced
        token = _consulted.set(self._consulted)
        try:
            return self._in_directory(directory)
        finally:
            _consulted.reset(token)

    def _in_directory(self, directory: Path) -> Settings:
        config = self._nearest_config(directory)
        # files with no configuration: the defaults, and the target version of their project
        key = config if config is not None else (None, self._nearest_pyproject(directory))
        if key not in self._settings:
            if config is not None:
                raw = read_config(config)
            else:
                pyproject = key[1]
                raw = RawConfig(requires_python=_requires_python(_toml(pyproject)) if pyproject else None)
            self._settings[key] = build_settings(raw, self.overrides)
        return self._settings[key]

    def _nearest_pyproject(self, directory: Path) -> Path | None:
        if directory not in self._nearest_project:
            own = directory / "pyproject.toml"
            if not _is_file(own):
                own = self._nearest_pyproject(directory.parent) if directory.parent != directory else None
            self._nearest_project[directory] = own
        return self._nearest_project[directory]

    def _nearest_config(self, directory: Path) -> Path | None:
        if directory not in self._nearest:
            own = _config_in(directory)
            if own is None and directory.parent != directory:
                own = self._nearest_config(directory.parent)
            self._nearest[directory] = own
        return self._nearest[directory]

    def by_settings(self, files: list[str]) -> dict[Settings, list[str]]:
        """The files grouped by their settings, each group in the files' order."""
        groups: dict[Settings, list[str]] = {}
        for path in files:
            groups.setdefault(self.for_file(path), []).append(path)
        return groups


def command_line_settings(values: dict[str, Any]) -> dict[str, Any]:
    """The Settings fields of `--config KEY=VALUE` options (their TOML, merged),
    validated as a configuration file's are."""
    if "extend" in values:
        raise ConfigError("--config: `extend` belongs in a configuration file (`--config FILE` names one)")
    return _layer(values, "--config")


def configurations(config_file: str | None, overrides: dict[str, Any], isolated: bool = False) -> Configurations:
    """A run's configurations: `--config FILE`'s for every file, or each file's
    nearest; with `isolated`, none (the defaults and the command line)."""
    if isolated:
        return Configurations.forced(build_settings(RawConfig(), overrides))
    if config_file is not None:
        return Configurations.forced(build_settings(read_config(Path(config_file)), overrides))
    return Configurations(overrides)


def settings_for(path: str) -> Settings:
    """The settings of one file (an editor's document), as a run would give it."""
    return Configurations().for_file(path)
