"""Configuration per folder: every file gets the settings of its nearest
configuration, which may `extend` another; the order of the paths named
changes nothing, and the cache keeps each file's results under its own
settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.cli import main
from asynclint.config import ConfigError, RawConfig, build_settings, configurations, settings_for
from tests.helpers import MONOREPO_FINDINGS, monorepo


def found(args: list[str], capsys) -> tuple[int, set[tuple[str, int, str]]]:
    with pytest.raises(SystemExit) as exit_info:
        main(["--output-format", "concise", "-q", *args])
    out, err = capsys.readouterr()
    assert "error" not in err, err
    rows = set()
    for line in out.splitlines():
        where, code = line.split(": ")[0], line.split(": ")[1].split()[0]
        path, row, _ = where.rsplit(":", 2)
        rows.add((Path(path).as_posix(), int(row), code))
    return exit_info.value.code, rows


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(monorepo(tmp_path))
    return tmp_path


@pytest.mark.parametrize(
    "paths",
    [["svc_a", "svc_b"], ["svc_b", "svc_a"], ["."], ["svc_b/app.py", "svc_a/app.py"]],
)
def test_each_service_gets_its_own_configuration_in_any_order(repo: Path, paths: list[str], capsys) -> None:
    assert found(["--no-cache", *paths], capsys) == (1, MONOREPO_FINDINGS)


@pytest.mark.parametrize("cache", [[], ["--cache-dir", "shared-cache"]])
def test_the_cache_keeps_each_files_results_under_its_own_settings(repo: Path, cache: list[str], capsys) -> None:
    for paths in (["svc_a", "svc_b"], ["svc_b", "svc_a"], ["svc_b"]):
        _, rows = found([*cache, *paths], capsys)
        assert rows == {row for row in MONOREPO_FINDINGS if row[0].startswith(tuple(paths))}
    # the settings extended count: the root's ignore reaches svc_b
    (repo / "pyproject.toml").write_text('[tool.asynclint]\nextend-exclude = ["migrations"]\nignore = ["AL102"]\n')
    assert found([*cache, "svc_a", "svc_b"], capsys) == (1, {("svc_a/app.py", 7, "AL101")})
    (repo / "svc_b" / "pyproject.toml").write_text('[tool.asynclint]\nextend = "../pyproject.toml"\n')
    _, rows = found([*cache, "svc_a", "svc_b"], capsys)
    assert rows == {("svc_a/app.py", 7, "AL101"), ("svc_b/app.py", 7, "AL101")}


def test_a_file_outside_every_configuration_gets_the_defaults(repo: Path, tmp_path: Path, capsys) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "monorepo"\n')
    (repo / "svc_b" / "pyproject.toml").write_text('[tool.asynclint]\nextend = "../pyproject.toml"\n')
    (repo / "tool.py").write_text((repo / "svc_a" / "app.py").read_text())
    _, rows = found(["--no-cache", "tool.py", "svc_a"], capsys)
    assert rows == {("tool.py", 6, "AL102"), ("tool.py", 7, "AL101"), ("svc_a/app.py", 7, "AL101")}


def test_the_settings_of_one_file_are_those_of_its_nearest_configuration(repo: Path) -> None:
    settings = settings_for(str(repo / "svc_b" / "app.py"))
    assert settings.config_file == str(repo / "svc_b" / "pyproject.toml")
    assert settings.ignore == ("AL101",)
    assert settings.extend_exclude == ("migrations",)  # from the root's configuration


def test_extend_layers_keys_over_the_extended_configuration() -> None:
    base = RawConfig({"extend-select": ["AL501"], "ignore": ["AL110"], "preview": True}, Path("base/pyproject.toml"))
    child = RawConfig({"ignore": ["AL102"]}, Path("child/pyproject.toml"), extends=base)
    settings = build_settings(child, {})
    assert (settings.extend_select, settings.ignore, settings.preview) == (("AL501",), ("AL110", "AL102"), True)
    # a `select` means the rules it names: the extended `extend-select` goes
    selecting = RawConfig({"select": ["AL1"]}, Path("child/pyproject.toml"), extends=base)
    assert build_settings(selecting, {}).extend_select == ()


def test_extend_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extend = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extend = "a.toml"\n')
    with pytest.raises(ConfigError, match=r"b.toml: `extend` goes round in a circle"):
        configurations(str(tmp_path / "a.toml"), {})
    (tmp_path / "asynclint.toml").write_text('extend = "../nowhere/pyproject.toml"\n')
    with pytest.raises(ConfigError, match=r"asynclint.toml: `extend` names ../nowhere/pyproject.toml, which is not a file"):
        settings_for(str(tmp_path / "x.py"))
    (tmp_path / "asynclint.toml").write_text("extend = 3\n")
    with pytest.raises(ConfigError, match=r"`extend` must be the path"):
        settings_for(str(tmp_path / "x.py"))


def test_select_on_the_command_line_replaces_select_and_extend_select() -> None:
    configured = RawConfig({"select": ["AL1"], "extend-select": ["AL501"]}, Path("pyproject.toml"))
    settings = build_settings(configured, {"select": ["AL2"]})
    assert (settings.select, settings.extend_select) == (("AL2",), ())
    assert "AL501" not in settings.enabled_codes()
    both = build_settings(configured, {"select": ["AL2"], "extend_select": ["AL110"]})
    assert (both.select, both.extend_select) == (("AL2",), ("AL110",))


def test_a_configuration_that_is_not_toml_is_an_error_naming_file_line_and_column(repo: Path, capsys) -> None:
    (repo / "svc_b" / "pyproject.toml").write_text('[tool.asynclint]\nignore = ["AL101"] x\n')
    with pytest.raises(SystemExit) as exit_info:
        main(["--no-cache", "svc_a", "svc_b"])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2
    assert f"asynclint: error: {repo / 'svc_b' / 'pyproject.toml'}:2:20: invalid TOML: Expected newline or end of document after a statement\n" in err
    assert "All checks passed" not in out and "AL10" not in out
    # a pyproject.toml without our table is no configuration, but one that is no TOML may be one
    (repo / "svc_b" / "pyproject.toml").write_text('[project\nname = "b"\n')
    with pytest.raises(ConfigError, match=r"svc_b/pyproject.toml:1:9: invalid TOML: Expected"):
        settings_for(str(repo / "svc_b" / "app.py"))
    (repo / "svc_b" / "asynclint.toml").write_text("select = [\n")
    with pytest.raises(ConfigError, match=r"svc_b/asynclint.toml:2:1: invalid TOML: Invalid value$"):
        settings_for(str(repo / "svc_b" / "app.py"))
    with pytest.raises(ConfigError, match=r"svc_b/asynclint.toml:2:1: invalid TOML"):
        configurations(str(repo / "svc_b" / "asynclint.toml"), {})


def test_inherited_patterns_are_relative_to_the_nearest_configuration(repo: Path, capsys) -> None:
    (repo / "pyproject.toml").write_text('[tool.asynclint]\nextend-exclude = ["migrations"]\n\n[tool.asynclint.per-file-ignores]\n"tests/*" = ["AL1"]\n')
    (repo / "svc_b" / "tests").mkdir()
    (repo / "svc_b" / "tests" / "test_app.py").write_text((repo / "svc_b" / "app.py").read_text())
    _, rows = found(["--no-cache", "."], capsys)
    assert rows == MONOREPO_FINDINGS
