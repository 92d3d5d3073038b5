"""The Python versions code may target, and which asyncio names advice
suggests exist in which: code that must run on Python 3.8 gets advice it
can follow there (the `target-version` setting, or the project's
`requires-python`)."""

from __future__ import annotations

# `target-version` values, oldest first.
TARGET_VERSIONS = ("py37", "py38", "py39", "py310", "py311", "py312", "py313", "py314", "py315")
DEFAULT_TARGET_VERSION = "py311"

# asyncio names that advice suggests -> the first version that has them.
ASYNCIO_SINCE: dict[str, tuple[int, int]] = {
    "asyncio.to_thread": (3, 9),
    "asyncio.TaskGroup": (3, 11),
}

# What advice names instead before then. The loop's executor call takes the
# executor first (`None`: the default one), then the function and its arguments.
ASYNCIO_BEFORE: dict[str, str] = {
    "asyncio.to_thread": "asyncio.get_running_loop().run_in_executor",
}


def version_of(target_version: str) -> tuple[int, int]:
    """`py39` -> (3, 9)."""
    return int(target_version[2]), int(target_version[3:])


def target_has(name: str, target_version: str) -> bool:
    """Whether code targeting this version can use an asyncio name."""
    return version_of(target_version) >= ASYNCIO_SINCE.get(name, (0, 0))
