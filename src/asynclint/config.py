"""`[tool.asynclint]` in pyproject.toml (or asynclint.toml), merged with the
command line into one frozen Settings object.

Unknown keys and unknown rule codes are errors that name the key, with a
did-you-mean where a known one is close.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from asynclint import __version__, registry

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
class Settings:
    """The effective configuration of one run."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    preview: bool = False
    target_version: str = "py311"
    extend_blocking_calls: tuple[ExtraBlockingCall, ...] = ()
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

    def fingerprint(self) -> str:
        """A hash of everything that changes results: version and settings."""
        data = asdict(self)
        data.pop("config_file")
        data["version"] = __version__
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def blocking_extras(self) -> dict[str, ExtraBlockingCall]:
        return {extra.qualname: extra for extra in self.extend_blocking_calls}


@dataclass
class RawConfig:
    """Values read from a file before CLI overrides."""

    values: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


KNOWN_KEYS = {
    "select", "extend-select", "ignore", "per-file-ignores", "exclude",
    "extend-exclude", "respect-gitignore", "preview", "target-version",
    "extend-blocking-calls", "docs-url",
}
TARGET_VERSIONS = ("py311", "py312", "py313", "py314", "py315")


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


def find_config(start: Path) -> Path | None:
    """The nearest asynclint.toml, or pyproject.toml with a [tool.asynclint] table."""
    start = start.resolve()
    for directory in [start, *start.parents]:
        candidate = directory / "asynclint.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "asynclint" in data.get("tool", {}):
                return candidate
    return None


def read_config(path: Path) -> RawConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml" or "tool" in data:
        data = data.get("tool", {}).get("asynclint", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.asynclint] must be a table")
    return RawConfig(data, path)


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


# Keys whose value is checked by one parser: TOML key -> (Settings field, parser).
_SIMPLE_KEYS = {
    "select": ("select", _codes),
    "extend-select": ("extend_select", _codes),
    "ignore": ("ignore", _codes),
    "exclude": ("exclude", _strings),
    "extend-exclude": ("extend_exclude", _strings),
    "respect-gitignore": ("respect_gitignore", _bool),
    "preview": ("preview", _bool),
    "docs-url": ("docs_url", _url),
}


def build_settings(raw: RawConfig, overrides: dict[str, Any]) -> Settings:
    """Validate a config file's values, then apply command-line overrides."""
    where = str(raw.path) if raw.path else "configuration"
    values = raw.values
    for key in values:
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{where}: unknown key `{key}` in [tool.asynclint]{_did_you_mean(key, KNOWN_KEYS)}")
    kwargs: dict[str, Any] = {}
    for key, (attribute, parse) in _SIMPLE_KEYS.items():
        if key in values:
            kwargs[attribute] = parse(values[key], key, where)
    if "per-file-ignores" in values:
        table = values["per-file-ignores"]
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
        kwargs["per_file_ignores"] = tuple(
            (glob, _codes(codes, f"per-file-ignores.{glob}", where)) for glob, codes in table.items()
        )
    if "target-version" in values:
        version = values["target-version"]
        if version not in TARGET_VERSIONS:
            raise ConfigError(
                f"{where}: `target-version` must be one of {', '.join(TARGET_VERSIONS)}, not `{version}`"
                + _did_you_mean(str(version), TARGET_VERSIONS)
            )
        kwargs["target_version"] = version
    if "extend-blocking-calls" in values:
        kwargs["extend_blocking_calls"] = _extra_blocking(values["extend-blocking-calls"], where)

    for key in ("select", "extend_select", "ignore"):
        if overrides.get(key) is not None:
            codes = _codes(list(overrides[key]), "--" + key.replace("_", "-"), "command line")
            kwargs[key] = codes if key == "select" else kwargs.get(key, ()) + codes
    if overrides.get("preview"):
        kwargs["preview"] = True
    if overrides.get("respect_gitignore") is not None:
        kwargs["respect_gitignore"] = overrides["respect_gitignore"]
    if overrides.get("extend_exclude"):
        kwargs["extend_exclude"] = kwargs.get("extend_exclude", ()) + tuple(overrides["extend_exclude"])
    if raw.path is not None:
        kwargs["config_dir"] = str(raw.path.parent.resolve())
        kwargs["config_file"] = str(raw.path)
    else:
        kwargs["config_dir"] = str(Path.cwd().resolve())
    return Settings(**kwargs)


def load_settings(paths: list[str], config_file: str | None, overrides: dict[str, Any]) -> Settings:
    """Find and read the configuration for a run over `paths`."""
    if config_file is not None:
        raw = read_config(Path(config_file))
    else:
        start = Path.cwd()
        real = [Path(p) for p in paths if p != "-"]
        if real:
            first = real[0].resolve()
            start = first if first.is_dir() else first.parent
        found = find_config(start)
        raw = read_config(found) if found else RawConfig()
    return build_settings(raw, overrides)
