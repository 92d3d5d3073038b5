"""Each framework's fixture project (fixtures/projects/<framework>/), every
module checked with every rule, AL501 and preview rules too: each
`# expect: CODE` line is flagged with exactly those codes and no other line
is, with facts read from the project's other modules (routers included by
a factory, route lists and middleware given to the app elsewhere)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from asynclint.config import Settings
from asynclint.engine import Checker
from tests.helpers import FIXTURES, annotations

PROJECTS = FIXTURES / "projects"
FRAMEWORK_PROJECTS = [
    "fastapi", "starlette", "aiohttp", "sanic", "socketio", "litestar", "quart", "django", "celery", "aiogram", "discord",
    "arq", "websockets",
]
EVERYTHING = Settings(select=("AL",), preview=True)


def project_findings(name: str, root: Path, monkeypatch, screening: bool = True) -> dict[str, list]:
    """Every module's diagnostics, by path relative to the project."""
    if not root.exists():
        shutil.copytree(PROJECTS / name, root)
    monkeypatch.chdir(root)
    checker = Checker(EVERYTHING, screening=screening)
    found = {}
    for path in sorted(Path().rglob("*.py")):
        result = checker.check_file(str(path))
        assert result.errors == [], result.errors
        found[str(path)] = result.diagnostics
    return found


@pytest.mark.parametrize("name", FRAMEWORK_PROJECTS)
def test_each_framework_project_is_flagged_where_annotated(name: str, tmp_path: Path, monkeypatch) -> None:
    for path, diagnostics in project_findings(name, tmp_path / name, monkeypatch).items():
        expected = annotations(Path(path))
        actual = Counter((d.start.line, d.code) for d in diagnostics)
        messages = {(d.start.line, d.code): d.message for d in diagnostics}
        missing, extra = sorted((expected - actual).elements()), sorted((actual - expected).elements())
        assert not missing and not extra, (
            f"{name}/{path}\n  missing: {missing}\n  unexpected: {[(*key, messages[key]) for key in extra]}"
        )



@pytest.mark.parametrize("name", FRAMEWORK_PROJECTS)
def test_the_first_look_lets_every_finding_through(name: str, tmp_path: Path, monkeypatch) -> None:
    """The first look may skip a file only when no rule could fire on it:
    without it, each project has the same findings."""
    def shown(found: dict[str, list]) -> dict[str, list]:
        return {path: [(d.start.line, d.code, d.message) for d in found[path]] for path in found}

    screened = shown(project_findings(name, tmp_path / name, monkeypatch))
    assert shown(project_findings(name, tmp_path / name, monkeypatch, screening=False)) == screened


def test_a_plain_def_run_on_the_loop_is_reported_with_why_and_no_fix(tmp_path: Path, monkeypatch) -> None:
    found = project_findings("sanic", tmp_path / "sanic", monkeypatch)
    by_line = {(d.start.line, d.code): d for d in found["shop/server.py"]}
    request = by_line[(28, "AL101")]
    assert "Sanic calls the plain `def index` directly on the event loop" in request.message
    assert "make `index` an `async def`" in request.message
    sleep = by_line[(44, "AL102")]  # in async code, AL102 offers `await asyncio.sleep`: not in a plain def
    assert sleep.fix is None
    chain = {d.start.line: d.message for d in found["shop/users.py"]}[18]
    assert chain.startswith("calls load -> requests.get (shop/users.py:13)")
    assert "Sanic calls the plain `def user` directly on the event loop" in chain


def test_litestar_runs_a_plain_def_in_a_thread_only_when_told(tmp_path: Path, monkeypatch) -> None:
    found = {(d.start.line, d.code): d.message for d in project_findings("litestar", tmp_path / "l", monkeypatch)["store/app.py"]}
    assert "Litestar calls the plain `def index` directly on the event loop" in found[(21, "AL101")]
    assert "Litestar calls the plain `def fast`" in found[(26, "AL101")]  # sync_to_thread=False
    assert "the event loop's default executor threads" in found[(31, "AL501")]  # sync_to_thread=True


def test_a_per_event_client_is_reported_with_the_frameworks_unit_and_run_once_place(tmp_path: Path, monkeypatch) -> None:
    def messages(name: str, path: str) -> dict[int, str]:
        found = project_findings(name, tmp_path / name, monkeypatch)[path]
        return {d.start.line: d.message for d in found if d.code == "AL301"}

    assert "which runs on every update; create one client in a start-up handler" in messages("aiogram", "bot/main.py")[36]
    assert "which runs on every event; create one client in `setup_hook`" in messages("discord", "guildbot/bot.py")[19]
    assert "which runs on every job; create one client in `on_startup` (kept in `ctx`)" in messages("arq", "jobs/worker.py")[25]
    assert "which runs on every connection" in messages("websockets", "relay/server.py")[12]
