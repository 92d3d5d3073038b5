"""`target-version`: from the configuration, the project's `requires-python`
or `--target-version`; advice names only what that Python version has
(`asyncio.to_thread` from 3.9, `asyncio.TaskGroup` from 3.11)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from asynclint.cli import main
from asynclint.config import ConfigError, Settings, settings_for, target_from_requires_python
from asynclint.engine import check_source
from asynclint.knowledge.blocking import fill_advice
from asynclint.knowledge.python_versions import DEFAULT_TARGET_VERSION, TARGET_VERSIONS
from tests.test_config import settings_from

BLOCKING = textwrap.dedent(
    """\
    import time

    import bcrypt


    def helper():
        time.sleep(1)


    async def handler(password):
        answer = input()
        bcrypt.hashpw(password, password)
        helper()
        return answer


    async def fetch_all(urls):
        pages = []
        for url in urls:
            pages.append(await fetch(url))
        return pages


    async def fetch(url):
        return url
    """
)


def messages(target_version: str) -> dict[str, str]:
    settings = Settings(target_version=target_version, preview=True)
    return {d.code: d.message for d in check_source(BLOCKING, "app.py", settings).diagnostics}


def test_before_39_a_thread_is_the_loops_executor_with_the_executor_first() -> None:
    found = messages("py38")
    executor = "`await asyncio.get_running_loop().run_in_executor(None, "
    assert f"{executor}input, ...)`" in found["AL107"]
    assert f"{executor}...)`" in found["AL111"]
    assert f"{executor}...)` or make the chain async" in found["AL109"]
    assert "to_thread" not in " ".join(found.values())


def test_from_39_asyncio_to_thread() -> None:
    found = messages("py39")
    assert "`await asyncio.to_thread(input, ...)`" in found["AL107"]
    assert "`await asyncio.to_thread(...)` or make the chain async" in found["AL109"]
    assert "run_in_executor" not in " ".join(found.values())


@pytest.mark.parametrize("target, task_group", [("py310", False), ("py311", True), ("py313", True)])
def test_a_task_group_is_suggested_from_311(target: str, task_group: bool) -> None:
    message = messages(target)["AL401"]
    assert "`asyncio.gather`" in message
    assert ("TaskGroup" in message) is task_group


def test_other_libraries_keep_their_own_words_whatever_the_target() -> None:
    template = "run it with `await {to_thread}(func)`"
    assert fill_advice(template, "anyio", "py38") == "run it with `await anyio.to_thread.run_sync(func)`"
    assert fill_advice(template, "asyncio", "py38") == (
        "run it with `await asyncio.get_running_loop().run_in_executor(None, func)`"
    )


@pytest.mark.parametrize(
    "specifier, target",
    [
        (">=3.8", "py38"),
        (">=3.9,<4", "py39"),
        ("~=3.10", "py310"),
        ("==3.12.*", "py312"),
        (">3.8", "py38"),
        (">= 3.11, != 3.11.2", "py311"),
        (">=3.6", "py37"),  # older than any target: the oldest one
        (">=3.99", TARGET_VERSIONS[-1]),
        ("<3.12", None),  # no lower bound
        ("3.8", None),  # not a specifier
        (">=2.7", None),
    ],
)
def test_target_from_requires_python(specifier: str, target: str | None) -> None:
    assert target_from_requires_python(specifier) == target


def test_unknown_target_version_names_the_key_and_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"`target-version` must be one of py37, .*py315, not `py36`"):
        settings_from({"target-version": "py36"})


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    """Four projects: requires-python with [tool.asynclint]; requires-python
    only; an asynclint.toml beside a pyproject.toml; target-version and
    requires-python both (target-version wins)."""
    write(tmp_path / "tool/pyproject.toml", '[project]\nname = "t"\nrequires-python = ">=3.8"\n[tool.asynclint]\n')
    write(tmp_path / "plain/pyproject.toml", '[project]\nname = "p"\nrequires-python = ">=3.9"\n')
    write(tmp_path / "own/asynclint.toml", "preview = false\n")
    write(tmp_path / "own/pyproject.toml", '[project]\nname = "o"\nrequires-python = ">=3.10"\n')
    write(tmp_path / "both/pyproject.toml", '[project]\nrequires-python = ">=3.8"\n[tool.asynclint]\ntarget-version = "py312"\n')
    for folder in ("tool", "plain", "own", "both"):
        write(tmp_path / folder / "pkg" / "app.py", "async def f():\n    input()\n")
    return tmp_path


def test_each_file_gets_the_target_of_its_project(projects: Path) -> None:
    targets = {folder: settings_for(str(projects / folder / "pkg" / "app.py")).target_version for folder in ("tool", "plain", "own", "both")}
    assert targets == {"tool": "py38", "plain": "py39", "own": "py310", "both": "py312"}
    assert settings_for(str(projects / "nowhere.py")).target_version == DEFAULT_TARGET_VERSION


def test_an_extending_configuration_inherits_the_target_version(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.asynclint]\ntarget-version = "py38"\n')
    write(tmp_path / "svc/pyproject.toml", '[tool.asynclint]\nextend = "../pyproject.toml"\n')
    assert settings_for(str(tmp_path / "svc" / "app.py")).target_version == "py38"


def run(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_the_command_line_overrides_every_project(projects: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(projects)
    code, out, _ = run(["--no-cache", "--output-format", "concise", "-q", "."], capsys)
    assert code == 1 and out.count("run_in_executor") == 1 and out.count("to_thread") == 3  # tool/ is py38
    code, out, _ = run(["--no-cache", "--output-format", "concise", "-q", "--target-version", "py38", "."], capsys)
    assert out.count("run_in_executor") == 4
    code, _, err = run(["--target-version", "py27", "."], capsys)
    assert code == 2 and "--target-version" in err


def test_cached_results_are_kept_per_target_version(projects: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(projects / "plain")
    cache = ["--cache-dir", str(projects / "cache"), "--output-format", "concise", "-q", "."]
    assert "to_thread" in run(cache, capsys)[1]
    assert "run_in_executor" in run([*cache, "--target-version", "py38"], capsys)[1]
    assert "to_thread" in run(cache, capsys)[1]
