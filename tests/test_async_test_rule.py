"""AL213 reads the project around a test module: its pytest configuration,
dependency lists and conftests decide whether an unmarked `async def` test runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.config import Settings
from asynclint.engine import Checker

UNMARKED = "import pytest\n\n\nasync def test_fetch():\n    assert True\n"
MIXED = (
    "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_marked():\n    assert True\n\n\n"
    "async def test_fetch():\n    assert True\n"
)


def flagged(root: Path, files: dict[str, str], test: str = "tests/test_app.py") -> list[int]:
    (root / ".git").mkdir()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = Checker(Settings(select=("AL213",), preview=True)).check_file(str(root / test))
    assert result.errors == []
    return [d.start.line for d in result.diagnostics]


@pytest.mark.parametrize(
    "config",
    [
        {"pytest.ini": "[pytest]\naddopts = -q\n"},
        {"pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'},
        {"tox.ini": "[tox]\nenvlist = py3\n\n[pytest]\nxfail_strict = true\n"},
        {"setup.cfg": "[tool:pytest]\nxfail_strict = true\n"},
    ],
    ids=["pytest.ini", "pyproject", "tox", "setup.cfg"],
)
def test_a_configuration_without_a_mode_leaves_unmarked_tests_unrun(tmp_path: Path, config: dict[str, str]) -> None:
    assert flagged(tmp_path, {**config, "tests/test_app.py": UNMARKED}) == [4]


@pytest.mark.parametrize(
    "setup",
    [
        {"pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'},
        {"setup.cfg": "[tool:pytest]\nasyncio_mode = auto\n"},
        {"pytest.ini": "[pytest]\naddopts = --asyncio-mode=auto\n"},
        {"pytest.ini": "[pytest]\ntrio_mode = true\n"},
        {"pytest.ini": "[pytest]\n", "requirements-dev.txt": "pytest\npytest-tornasync\n"},
        {"pytest.ini": "[pytest]\n", "tests/conftest.py": "def pytest_collection_modifyitems(items):\n    pass\n"},
        {"pytest.ini": "[pytest]\n", "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'\n"},
        {
            "pytest.ini": "[pytest]\n",
            "tests/conftest.py": 'pytest_plugins = ["app.testing"]\n',
            "app/__init__.py": "",
            "app/testing.py": "from pytest_jupyter.jupyter_server import *\n",
        },
    ],
    ids=["auto-mode", "setup.cfg-auto", "addopts", "trio-mode", "tornasync", "own-hook", "anyio-backend", "plugin-module"],
)
def test_a_mode_a_plugin_or_the_projects_own_hooks_run_them(tmp_path: Path, setup: dict[str, str]) -> None:
    assert flagged(tmp_path, {**setup, "tests/test_app.py": UNMARKED}) == []


def test_without_a_configuration_in_sight_nothing_is_flagged(tmp_path: Path) -> None:
    """A source distribution may leave out the file that sets `asyncio_mode`:
    even a module that marks some tests may run in auto mode."""
    assert flagged(tmp_path, {"tests/test_app.py": MIXED}) == []
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = Checker(Settings(select=("AL213",), preview=True)).check_file(str(tmp_path / "tests/test_app.py"))
    assert [d.start.line for d in result.diagnostics] == [9]


def test_only_test_modules_are_read(tmp_path: Path) -> None:
    assert flagged(tmp_path, {"pytest.ini": "[pytest]\n", "tests/helpers.py": UNMARKED}, "tests/helpers.py") == []


def test_a_set_up_that_runs_every_coroutine_spares_the_parse(tmp_path: Path, monkeypatch) -> None:
    import libcst

    from asynclint import engine

    parsed = []
    monkeypatch.setattr(engine.cst, "parse_module", lambda source: parsed.append(source) or libcst.parse_module(source))
    auto = {"pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n', "tests/test_app.py": UNMARKED}
    assert flagged(tmp_path, auto) == []
    assert parsed == [], "the first look reads the pytest set-up: nothing for libcst to do"
