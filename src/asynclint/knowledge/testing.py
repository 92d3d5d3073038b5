"""Test code: pytest and the plugins that run `async def` tests, and the
exceptions a test expects.

pytest itself cannot run a coroutine function: a plugin must, and most
run only the tests marked for them. What makes a test run is a mark, a
mode set in the pytest configuration, a plugin that runs every coroutine
test, or a project that collects or runs tests in its own hooks.
"""

from __future__ import annotations

import re

# Marks under which a plugin runs an `async def` test (pytest-asyncio, anyio, pytest-trio,
# pytest-tornado, pytest-asyncio-cooperative, pytest-curio).
RUNNER_MARKS: frozenset[str] = frozenset(
    {"pytest.mark.asyncio", "pytest.mark.anyio", "pytest.mark.trio", "pytest.mark.gen_test",
     "pytest.mark.asyncio_cooperative", "pytest.mark.curio"}
)

# Settings of a pytest configuration under which every `async def` test runs unmarked.
RUN_ALL_SETTINGS: re.Pattern[str] = re.compile(
    r"""asyncio_mode\s*=\s*["']?auto|--asyncio-mode[= ]auto|trio_mode\s*=\s*["']?true""", re.IGNORECASE
)

# Plugins that run every coroutine test themselves, as configuration, dependency lists and
# conftests name them (pytest-jupyter carries pytest-tornasync's runner; old aiohttp had one).
RUN_ALL_PLUGINS: tuple[str, ...] = (
    "pytest-tornasync", "pytest_tornasync", "pytest-jupyter", "pytest_jupyter", "pytest-aio", "pytest_aio",
    "aiohttp.pytest_plugin", "pytest-aiohttp", "pytest_aiohttp",
)

# Conftest hooks and fixtures with which a project runs, marks or parametrizes tests itself:
# with one in sight, a test's fate cannot be told from its file.
OWN_RUNNERS: tuple[str, ...] = (
    "def pytest_pyfunc_call", "def pytest_pycollect_makeitem", "def pytest_collection_modifyitems",
    "def pytest_runtest_call", "def pytest_itemcollected", "anyio_backend",
)

# The files in a folder where pytest reads its configuration, and whether one holds any
# (a `pyproject.toml` or `setup.cfg` may be about other tools only).
CONFIG_FILES: dict[str, str | None] = {
    "pytest.ini": None, ".pytest.ini": None, "pyproject.toml": "[tool.pytest", "tox.ini": "[pytest]",
    "setup.cfg": "[tool:pytest]",
}
# Other files of a folder that may name a plugin: conftests and dependency lists (glob patterns).
PLUGIN_LISTS: tuple[str, ...] = ("conftest.py", "setup.py", "Pipfile", "*requirements*.txt", "requirements/*.txt")

# The fixture through which anyio runs a test that asks for it.
ANYIO_BACKEND = "anyio_backend"

# Context managers whose block is expected to raise: code in it fails on purpose.
EXPECTED_ERROR_CONTEXTS: frozenset[str] = frozenset({"pytest.raises"})

# unittest's spellings of the same, called on the test case.
EXPECTED_ERROR_METHODS: frozenset[str] = frozenset({"assertRaises", "assertRaisesRegex"})
