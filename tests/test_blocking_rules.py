"""Blocking-call rules: messages, library-specific advice, configuration."""

from __future__ import annotations

import textwrap

from asynclint.config import ExtraBlockingCall, Settings
from asynclint.engine import check_source
from tests.helpers import codes


def messages(source: str, settings: Settings | None = None) -> list[str]:
    result = check_source(textwrap.dedent(source), "snippet.py", settings or Settings())
    return [f"{d.code} {d.message}" for d in result.diagnostics]


def test_message_names_the_call_and_the_alternative() -> None:
    [message] = messages(
        """
        import requests as r
        async def f(url):
            return r.get(url, timeout=5)
        """
    )
    assert message.startswith("AL101 `r.get` (`requests.get`) blocks the event loop")
    assert "shared `httpx.AsyncClient`" in message


def test_advice_follows_the_files_async_library() -> None:
    src = "import time\n{imports}\nasync def f():\n    time.sleep(1)\n"
    assert "asyncio.sleep" in messages(src.format(imports="import asyncio"))[0]
    assert "anyio.sleep" in messages(src.format(imports="import anyio"))[0]
    assert "trio.sleep" in messages(src.format(imports="import trio"))[0]
    # Never trio advice in a FastAPI file: FastAPI runs on asyncio.
    assert "asyncio.sleep" in messages(src.format(imports="import trio\nfrom fastapi import FastAPI"))[0]
    subprocess_advice = messages("import subprocess\nimport anyio\nasync def f():\n    subprocess.run(['ls'])\n")[0]
    assert "anyio.run_process" in subprocess_advice


def test_awaited_sync_call_is_al202_alone() -> None:
    src = "import httpx\nasync def f(url):\n    return await httpx.get(url)\n"
    assert codes(src) == ["AL202"]


def test_extend_blocking_calls_reports_a_teams_own_client() -> None:
    settings = Settings(
        extend_blocking_calls=(
            ExtraBlockingCall("acme.billing.charge", "use acme.billing.acharge"),
            ExtraBlockingCall("acme.db.query", "use acme.db.aquery", "AL105"),
        )
    )
    src = """
        import acme.billing
        from acme.billing import charge
        from acme import db
        async def pay(order):
            acme.billing.charge(order)
            charge(order)
            db.query("select 1")
        def sync_pay(order):
            charge(order)
        """
    found = messages(src, settings)
    assert found == [
        "AL106 `acme.billing.charge` blocks the event loop; use acme.billing.acharge",
        "AL106 `charge` (`acme.billing.charge`) blocks the event loop; use acme.billing.acharge",
        "AL105 `db.query` (`acme.db.query`) blocks the event loop; use acme.db.aquery",
    ]
    assert messages(src) == []


def test_extend_blocking_calls_from_pyproject(tmp_path, monkeypatch) -> None:
    from asynclint.cli import main

    (tmp_path / "pyproject.toml").write_text(
        '[tool.asynclint.extend-blocking-calls]\n"acme.billing.charge" = "use acme.billing.acharge"\n'
    )
    (tmp_path / "app.py").write_text("from acme.billing import charge\nasync def f():\n    charge(1)\n")
    monkeypatch.chdir(tmp_path)
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main(["--output-format", "concise", "app.py"])
    assert exit_info.value.code == 1


def test_path_queries_are_reported_by_default() -> None:
    src = "import os\nasync def f(p):\n    return os.path.exists(p)\n"
    assert codes(src, Settings()) == ["AL110"]
    assert messages(src, Settings(ignore=("AL110",))) == []


def test_a_helper_that_only_queries_a_path_blocks_only_with_al110_on(tmp_path) -> None:
    from asynclint.engine import Checker

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "paths.py").write_text("import os\n\ndef present(p):\n    return os.path.exists(p)\n")
    (tmp_path / "app.py").write_text("from paths import present\n\nasync def f(p):\n    return present(p)\n")

    def found(settings: Settings) -> list[str]:
        return [d.message for d in Checker(settings).check_file(str(tmp_path / "app.py")).diagnostics]

    assert found(Settings(select=("AL109",))) == []
    [message] = found(Settings(select=("AL109", "AL110")))
    assert message.startswith("calls present -> os.path.exists (paths.py:4)")


def test_a_helper_that_hashes_a_password_is_al111s_alone(tmp_path) -> None:
    """One finding per call: a chain that ends at CPU-bound work is AL111's,
    and with AL111 off AL109 does not take hashing for blocking."""
    from asynclint.engine import Checker

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "security.py").write_text(
        "import bcrypt\n\ndef verify_password(p, h):\n    return bcrypt.checkpw(p, h)\n"
    )
    (tmp_path / "app.py").write_text(
        "from security import verify_password\n\nasync def login(p, h):\n    return verify_password(p, h)\n"
    )

    def found(settings: Settings) -> list[tuple[str, str]]:
        return [(d.code, d.message) for d in Checker(settings).check_file(str(tmp_path / "app.py")).diagnostics]

    [(code, message)] = found(Settings(select=("AL109", "AL111")))
    assert code == "AL111"
    assert message.startswith("calls verify_password -> bcrypt.checkpw (security.py:4), CPU-bound work")
    assert found(Settings(select=("AL109",))) == []
