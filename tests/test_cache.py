"""The result cache: hits, invalidation, corruption, dependencies, concurrency."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from asynclint import cache as cache_module
from asynclint.config import Settings
from asynclint.engine import Checker
from tests.helpers import helper_project

BAD = "import time\n\nasync def f():\n    time.sleep(1)\n"


def checker(cache_dir: Path, settings: Settings | None = None) -> Checker:
    return Checker(settings or Settings(), cache_dir=str(cache_dir))


def entries(cache_dir: Path) -> list[Path]:
    """Result entries (module models live apart, under `models/`)."""
    return sorted(p for p in cache_dir.rglob("*.json") if "models" not in p.parts)


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
    helper, caller = helper_project(tmp_path, "def work():\n    return 1\n")
    assert checker(tmp_path / "c").check_file(str(caller)).diagnostics == []
    helper.write_text("import time\n\ndef work():\n    time.sleep(1)\n")
    os.utime(helper, ns=(1, 1))  # a different mtime even on coarse clocks
    [finding] = checker(tmp_path / "c").check_file(str(caller)).diagnostics
    assert finding.code == "AL109"


def _spy(monkeypatch, c: Checker) -> list:
    calls: list = []
    real = c.analyze
    monkeypatch.setattr(c, "analyze", lambda *a: calls.append(a[1]) or real(*a))
    return calls


def test_an_edit_that_keeps_the_helpers_facts_keeps_the_callers_entry(tmp_path: Path, monkeypatch) -> None:
    helper, caller = helper_project(tmp_path, "def work():\n    return 1\n")
    assert checker(tmp_path / "c").check_file(str(caller)).diagnostics == []
    helper.write_text("# a comment\ndef work():\n    return 2\n")
    os.utime(helper, ns=(1, 1))
    c = checker(tmp_path / "c")
    calls = _spy(monkeypatch, c)
    assert c.check_file(str(caller)).diagnostics == []
    assert calls == [], "same facts: the cached result holds"


def test_a_helper_changed_only_in_comments_keeps_its_callers_results(tmp_path: Path, monkeypatch) -> None:
    # `items[0].get` may be a request for the first look: the helper's model answers (no)
    code = "import requests\n\nSESSION = requests.Session\n\ndef work(items):\n    return items[0].get('u')\n"
    helper, caller = helper_project(tmp_path, code)
    assert checker(tmp_path / "c").check_file(str(caller)).diagnostics == []
    helper.write_text("# a comment\n" + code.replace("(items):", "(items):  # another"))
    os.utime(helper, ns=(1, 1))
    c = checker(tmp_path / "c")
    calls = _spy(monkeypatch, c)
    assert c.check_file(str(caller)).diagnostics == []
    assert calls == []


def test_a_message_showing_a_helpers_line_follows_the_helper(tmp_path: Path) -> None:
    helper, caller = helper_project(tmp_path, "import time\n\ndef work():\n    time.sleep(1)\n")
    [before] = checker(tmp_path / "c").check_file(str(caller)).diagnostics
    assert "helpers.py:4" in before.message
    helper.write_text("import time\n\n\ndef work():\n    time.sleep(1)\n")  # same facts, one line lower
    os.utime(helper, ns=(1, 1))
    [after] = checker(tmp_path / "c").check_file(str(caller)).diagnostics
    assert "helpers.py:5" in after.message


def test_models_of_unchanged_modules_are_read_not_parsed(tmp_path: Path, monkeypatch) -> None:
    from asynclint import project

    _, caller = helper_project(tmp_path, "import time\n\ndef work():\n    time.sleep(1)\n")
    assert len(checker(tmp_path / "c").check_file(str(caller)).diagnostics) == 1
    caller.write_text(caller.read_text() + "\nasync def g():\n    work()\n")
    parsed = []
    real = project.build_model
    monkeypatch.setattr(project, "build_model", lambda source, module, *a: parsed.append(module) or real(source, module, *a))
    assert [d.code for d in checker(tmp_path / "c").check_file(str(caller)).diagnostics] == ["AL109", "AL109"]
    assert parsed == []  # the helper's model, and the line of its blocking call, come from the store


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


def test_an_untouched_file_is_not_even_read_on_a_warm_run(tmp_path: Path, monkeypatch) -> None:
    from asynclint.batch import check_paths

    source = tmp_path / "app.py"
    source.write_text(BAD)
    first = check_paths([str(source)], Settings(), cache_dir=str(tmp_path / "c"))

    def no_hash(content: bytes) -> str:
        raise AssertionError("an untouched file needs no hash")

    monkeypatch.setattr(cache_module, "_digest", no_hash)
    assert check_paths([str(source)], Settings(), cache_dir=str(tmp_path / "c"))[0].diagnostics == first[0].diagnostics
    monkeypatch.undo()
    moved = BAD.replace("\n\nasync", "\nasync") + "\n"  # same size, the call one line up
    assert len(moved) == len(BAD)
    source.write_text(moved)
    os.utime(source, ns=(1, 1))
    [changed] = check_paths([str(source)], Settings(), cache_dir=str(tmp_path / "c"))
    assert [d.start.line for d in changed.diagnostics] == [3]


def test_a_warm_run_does_not_import_libcst(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "app.py").write_text(BAD)
    script = (
        "import sys\n"
        "from asynclint.cli import main\n"
        "sys.argv = ['asynclint', '-q', '.']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True) for _ in range(2)]
    assert "AL102" in runs[0].stdout and runs[0].stdout.strip().endswith("True"), runs[0].stderr
    assert "AL102" in runs[1].stdout and runs[1].stdout.strip().endswith("False"), "all cached: no parser needed"
    # A changed file no rule can fire on is screened, and libcst is still not needed.
    (tmp_path / "util.py").write_text("import json\n\ndef load(text):\n    return json.loads(text)\n")
    third = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert "AL102" in third.stdout and third.stdout.strip().endswith("False"), third.stderr


def test_a_configured_call_below_an_instance_is_reported_with_the_cache_too(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.asynclint.extend-blocking-calls]\n"openai.OpenAI.chat.completions.create" = "use openai.AsyncOpenAI"\n'
    )
    app = tmp_path / "app.py"
    app.write_text(
        "import openai\n\nasync def answer(q: str):\n    client: openai.OpenAI = openai.OpenAI()\n"
        "    return client.chat.completions.create(model='m', messages=[])\n"
    )
    from asynclint.config import settings_for

    settings = settings_for(str(app))
    for _ in range(2):  # fills the cache, then reads it
        found = Checker(settings, cache_dir=str(tmp_path / "c")).check_file(str(app)).diagnostics
        assert [(d.start.line, d.code) for d in found] == [(5, "AL106")]


def test_a_corrupt_model_in_the_store_is_parsed_again(tmp_path: Path) -> None:
    _, caller = helper_project(tmp_path, "import time\n\ndef work():\n    time.sleep(1)\n")
    assert len(checker(tmp_path / "c").check_file(str(caller)).diagnostics) == 1
    stored = list((tmp_path / "c" / "models").rglob("*.json"))
    assert stored, "the helper's model is stored"
    for entry in stored:
        data = json.loads(entry.read_text())
        data["model"]["calls"] = [[]]  # the right keys, a broken call
        entry.write_text(json.dumps(data))
    caller.write_text(caller.read_text() + "\n")  # check the caller again, reading the helper's model
    assert [d.code for d in checker(tmp_path / "c").check_file(str(caller)).diagnostics] == ["AL109"]
