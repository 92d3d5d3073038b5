"""The result cache: hits, invalidation, corruption, dependencies, concurrency."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from asynclint import cache as cache_module
from asynclint.config import Settings
from asynclint.engine import Checker

BAD = "import time\n\nasync def f():\n    time.sleep(1)\n"


def checker(cache_dir: Path, settings: Settings | None = None) -> Checker:
    return Checker(settings or Settings(), cache_dir=str(cache_dir))


def entries(cache_dir: Path) -> list[Path]:
    """Result entries (module summaries live apart, under `summaries/`)."""
    return sorted(p for p in cache_dir.rglob("*.json") if "summaries" not in p.parts)


def test_hit_returns_the_same_result_without_checking(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "app.py"
    source.write_text(BAD)
    first = checker(tmp_path / "c").check_file(str(source))
    assert len(entries(tmp_path / "c")) == 1
    assert (tmp_path / "c" / ".gitignore").read_text().strip().endswith("*")

    def fail(*args, **kwargs):
        raise AssertionError("a cache hit must not analyse the file")

    second_checker = checker(tmp_path / "c")
    monkeypatch.setattr(second_checker, "analyze", fail)
    assert second_checker.check_file(str(source)).diagnostics == first.diagnostics


def test_content_config_and_version_changes_miss(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "app.py"
    source.write_text(BAD)
    checker(tmp_path / "c").check_file(str(source))
    source.write_text(BAD + "\nasync def g():\n    time.sleep(2)\n")
    assert len(checker(tmp_path / "c").check_file(str(source)).diagnostics) == 2
    assert checker(tmp_path / "c", Settings(ignore=("AL102",))).check_file(str(source)).diagnostics == []
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    fresh = checker(tmp_path / "c")
    calls = []
    real = fresh.analyze
    monkeypatch.setattr(fresh, "analyze", lambda *a: calls.append(a) or real(*a))
    fresh.check_file(str(source))
    assert calls, "an entry from another version must not be used"


def test_corrupt_entry_is_ignored_and_rewritten(tmp_path: Path) -> None:
    source = tmp_path / "app.py"
    source.write_text(BAD)
    checker(tmp_path / "c").check_file(str(source))
    [entry] = entries(tmp_path / "c")
    entry.write_text("{not json")
    assert len(checker(tmp_path / "c").check_file(str(source)).diagnostics) == 1
    assert json.loads(entry.read_text())["hash"]


def test_a_changed_helper_module_invalidates_the_caller(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    helper = tmp_path / "helpers.py"
    helper.write_text("def work():\n    return 1\n")
    caller = tmp_path / "app.py"
    caller.write_text("from helpers import work\n\nasync def f():\n    work()\n")
    assert checker(tmp_path / "c").check_file(str(caller)).diagnostics == []
    helper.write_text("import time\n\ndef work():\n    time.sleep(1)\n")
    os.utime(helper, ns=(1, 1))  # a different mtime even on coarse clocks
    [finding] = checker(tmp_path / "c").check_file(str(caller)).diagnostics
    assert finding.code == "AL109"


def test_concurrent_runs_leave_valid_entries(tmp_path: Path) -> None:
    files = []
    for i in range(20):
        path = tmp_path / f"m{i}.py"
        path.write_text(BAD)
        files.append(str(path))
    errors = []

    def run() -> None:
        try:
            c = checker(tmp_path / "c")
            for name in files:
                assert len(c.check_file(name).diagnostics) == 1
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for entry in entries(tmp_path / "c"):
        json.loads(entry.read_text())
    assert not list((tmp_path / "c").rglob("*.tmp"))
