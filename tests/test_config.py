"""[tool.asynclint] and selection: unknown keys and codes are errors that
name them; prefixes, opt-in and preview rules select as documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint import registry
from asynclint.config import (
    ConfigError,
    Configurations,
    RawConfig,
    Settings,
    build_settings,
    configurations,
    settings_for,
)


def settings_from(values: dict, **overrides) -> Settings:
    return build_settings(RawConfig(values, Path("pyproject.toml")), overrides)


def test_unknown_key_is_an_error_with_did_you_mean() -> None:
    with pytest.raises(ConfigError, match=r"unknown key `selct`.*did you mean `select`"):
        settings_from({"selct": ["AL1"]})


def test_unknown_rule_code_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"`ignore` has unknown rule code `AL999`"):
        settings_from({"ignore": ["AL999"]})
    with pytest.raises(ConfigError, match=r"per-file-ignores.tests/\*"):
        settings_from({"per-file-ignores": {"tests/*": ["XYZ1"]}})


def test_wrong_types_are_errors() -> None:
    with pytest.raises(ConfigError, match="`preview` must be true or false"):
        settings_from({"preview": "yes"})
    with pytest.raises(ConfigError, match="target-version"):
        settings_from({"target-version": "py27"})
    with pytest.raises(ConfigError, match="extend-blocking-calls"):
        settings_from({"extend-blocking-calls": ["acme.charge"]})


def test_default_selection_excludes_opt_in_and_preview() -> None:
    enabled = set(Settings().enabled_codes())
    for code, rule in registry.all_rules().items():
        assert (code in enabled) == (rule.default.value == "on"), code


def test_al_selects_every_rule_and_preview_gates_preview_rules() -> None:
    everything = set(Settings(select=("AL",), preview=True).enabled_codes())
    assert everything == set(registry.all_rules())
    without_preview = set(Settings(select=("AL",)).enabled_codes())
    assert all(registry.all_rules()[c].default.value != "preview" for c in without_preview)


def test_prefixes_and_specificity() -> None:
    s = Settings(ignore=("AL1",), extend_select=("AL102",))
    enabled = s.enabled_codes()
    assert "AL102" in enabled
    assert not [c for c in enabled if c.startswith("AL1") and c != "AL102"]
    assert "AL102" not in Settings(select=("AL102",), ignore=("AL102",)).enabled_codes()
    assert Settings(select=("AL102",)).enabled_codes() == ("AL102",)


def test_rule_names_are_accepted_as_selectors() -> None:
    assert settings_from({"select": ["blocking-sleep"]}).select == ("AL102",)


def test_cli_select_replaces_and_ignore_extends() -> None:
    s = settings_from({"select": ["AL1"], "ignore": ["AL102"]}, select=["AL2"], ignore=["AL202"])
    assert s.select == ("AL2",)
    assert s.ignore == ("AL102", "AL202")


def test_extend_blocking_calls_forms() -> None:
    s = settings_from(
        {
            "extend-blocking-calls": {
                "acme.billing.charge": "use acme.billing.acharge",
                "acme.db.query": {"advice": "use acme.db.aquery", "code": "AL105"},
            }
        }
    )
    extras = s.blocking_extras()
    assert extras["acme.billing.charge"].code == "AL106"
    assert extras["acme.db.query"].code == "AL105"
    with pytest.raises(ConfigError, match="code"):
        settings_from({"extend-blocking-calls": {"x.y": {"advice": "a", "code": "AL301"}}})


def test_nearest_pyproject_with_our_table_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nignore = ["AL102"]\n')
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.asynclint]: skipped
    assert settings_for(str(inner / "mod.py")).config_file == str(tmp_path / "pyproject.toml")
    (inner / "asynclint.toml").write_text('select = ["AL2"]\n')
    assert settings_for(str(inner / "mod.py")).config_file == str(inner / "asynclint.toml")
    assert settings_for(str(inner / "mod.py")).select == ("AL2",)


def test_configurations_know_whether_the_files_they_read_or_looked_for_changed(tmp_path: Path) -> None:
    """The extended file changed, a configuration made in a folder looked in,
    the nearest one removed: each time the answers would differ."""
    base = tmp_path / "base.toml"
    base.write_text('ignore = ["AL102"]\n')
    inner = tmp_path / "pkg"
    inner.mkdir()
    (tmp_path / "asynclint.toml").write_text('extend = "base.toml"\n')
    known = Configurations()
    assert known.for_file(str(inner / "mod.py")).ignore == ("AL102",)
    assert known.unchanged()
    base.write_text('ignore = ["AL206"]\n')
    assert not known.unchanged()
    known = Configurations()
    assert known.for_file(str(inner / "mod.py")).ignore == ("AL206",)
    (inner / "pyproject.toml").write_text("[tool.asynclint]\nselect = ['AL2']\n")
    assert not known.unchanged()
    known = Configurations()
    assert known.for_file(str(inner / "mod.py")).select == ("AL2",)
    (inner / "pyproject.toml").unlink()
    assert not known.unchanged()


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "asynclint.toml"
    bad.write_text("select = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        configurations(str(bad), {})
    with pytest.raises(ConfigError, match="not found"):
        configurations(str(tmp_path / "missing.toml"), {})


def test_fingerprint_changes_with_config() -> None:
    assert Settings().fingerprint() != Settings(preview=True).fingerprint()
    assert Settings().fingerprint() == Settings().fingerprint()
