"""Whole-project analysis: chains through sync helpers in other modules are
found when only the endpoint file is named, as pre-commit does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asynclint import project
from asynclint.cli import main
from asynclint.config import Settings
from asynclint.engine import Checker
from tests.helpers import FIXTURES, expected_findings, helper_project

SHOP = FIXTURES / "projects" / "shop"


@pytest.fixture
def shop(tmp_path: Path, monkeypatch) -> Path:
    copy = tmp_path / "shop"
    shutil.copytree(SHOP, copy)
    monkeypatch.chdir(copy)
    return copy


def test_only_the_named_file_is_reported_with_facts_from_the_project(shop: Path, capsys) -> None:
    endpoint = Path("shop/api/orders.py")
    with pytest.raises(SystemExit) as exit_info:
        main(["--select", "AL", "--output-format", "concise", str(endpoint)])
    out = capsys.readouterr().out
    assert exit_info.value.code == 1
    found = {(int(line.split(":")[1]), line.split()[1]) for line in out.splitlines() if line.startswith("shop/")}
    assert found == expected_findings(endpoint)
    assert all(line.startswith("shop/api/orders.py") for line in out.splitlines() if ": AL" in line)
    assert (
        "calls retrying_call -> time.sleep (shop/services/partners.py:19)" in out
    ), "the chain names each step and where the blocking call is"


def test_each_module_is_read_once(shop: Path, monkeypatch) -> None:
    parsed: list[str] = []
    real = project.build_model

    def counting(source, module, is_package):
        parsed.append(module)
        return real(source, module, is_package)

    monkeypatch.setattr(project, "build_model", counting)
    checker = Checker(Settings(select=("AL",)))
    for name in ("shop/api/orders.py", "shop/api/orders.py"):
        checker.check_file(name)
    assert sorted(parsed) == ["shop.services.partners", "shop.services.settings"]


def test_cycles_terminate_and_unresolvable_names_are_quiet(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "loops.py").write_text(
        "import missing_module\n\n"
        "def a():\n    return b()\n\n"
        "def b():\n    return a()\n\n"
        "async def handler():\n    a()\n    missing_module.thing()\n"
    )
    result = Checker(Settings(select=("AL109",))).check_file(str(tmp_path / "loops.py"))
    assert result.diagnostics == [] and result.errors == []


def test_a_helper_beside_a_script_without_packages(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "helpers.py").write_text("import subprocess\n\ndef build():\n    subprocess.run(['make'])\n")
    (tmp_path / "scripts" / "tool.py").write_text("from helpers import build\n\nasync def main():\n    build()\n")
    result = Checker(Settings(select=("AL109",))).check_file(str(tmp_path / "scripts" / "tool.py"))
    [diagnostic] = result.diagnostics
    assert diagnostic.message.startswith("calls build -> subprocess.run (scripts/helpers.py:4)")


@pytest.mark.parametrize("stub_first", [True, False])
def test_a_chain_follows_the_code_python_runs_not_its_stub(tmp_path: Path, stub_first: bool) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    helpers = "import subprocess\n\ndef build():\n    subprocess.run(['make'])\n\nasync def later():\n    pass\n"
    (tmp_path / "pkg" / "helpers.py").write_text(helpers)
    (tmp_path / "pkg" / "helpers.pyi").write_text("\n" + helpers)  # (gradio's stubs hold the code, on other lines)
    (tmp_path / "app.py").write_text("from pkg.helpers import build\n\nasync def main():\n    build()\n")
    checker = Checker(Settings(select=("AL109",)))
    for name in ("helpers.pyi", "helpers.py") if stub_first else ("helpers.py", "helpers.pyi"):
        checker.check_file(str(tmp_path / "pkg" / name))  # a run checks both, in either order
    [diagnostic] = checker.check_file(str(tmp_path / "app.py")).diagnostics
    assert "(pkg/helpers.py:4)" in diagnostic.message


def test_modules_are_checked_before_their_importers(shop: Path) -> None:
    from asynclint.batch import callees_first

    files = sorted(str(p) for p in Path("shop").rglob("*.py"))
    order = callees_first(files)
    assert sorted(order) == files, "every file once"
    position = {Path(p).as_posix(): i for i, p in enumerate(order)}
    # orders.py imports the partners service, which imports the settings module
    assert position["shop/services/settings.py"] < position["shop/services/partners.py"] < position["shop/api/orders.py"]


def test_import_cycles_still_order_every_file(tmp_path: Path) -> None:
    from asynclint.batch import callees_first

    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("from a import x\nfrom . import c\n")
    files = [str(tmp_path / name) for name in ("a.py", "b.py")]
    assert sorted(callees_first(files)) == sorted(files)


def test_an_unawaited_coroutine_of_another_module_alone_in_a_file(shop: Path) -> None:
    endpoint = Path("shop/api/alerts.py")
    result = Checker(Settings(select=("AL",))).check_file(str(endpoint))
    assert {(d.start.line, d.code) for d in result.diagnostics} == expected_findings(endpoint)


def test_a_long_lived_checker_sees_a_saved_helper_after_forgetting(tmp_path: Path) -> None:
    helper, caller = helper_project(tmp_path, "def work():\n    return 1\n")
    checker = Checker(Settings(select=("AL",)))
    assert checker.check_file(str(caller)).diagnostics == []
    helper.write_text("import time\n\ndef work():\n    time.sleep(1)\n")
    checker.forget_projects()  # what the language server does when a file is saved
    assert [d.code for d in checker.check_file(str(caller)).diagnostics] == ["AL109"]


def test_many_files_in_worker_processes_give_the_one_process_results(tmp_path: Path, monkeypatch) -> None:
    import tempfile

    from asynclint.batch import check_paths
    from asynclint.engine import PARALLEL_THRESHOLD

    project = tmp_path / "proj"
    (project / "pkg").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    (project / "pkg" / "__init__.py").write_text("")
    (project / "pkg" / "helpers.py").write_text("import time\n\ndef work():\n    time.sleep(1)\n")
    for i in range(PARALLEL_THRESHOLD + 6):
        (project / "pkg" / f"m{i}.py").write_text(
            "from pkg.helpers import work\n\nasync def f():\n    work()\n\nasync def g():\n    f()\n"
        )
    files = sorted(str(p) for p in project.rglob("*.py"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    def found(results):
        return [(r.path, [(d.start.line, d.code, d.message) for d in r.diagnostics], r.errors) for r in results]

    alone = found(check_paths(files, Settings(select=("AL",)), jobs=1))
    assert sum(len(f[1]) for f in alone) == 2 * (PARALLEL_THRESHOLD + 6)  # an AL109 and an AL201 per module
    assert found(check_paths(files, Settings(select=("AL",)), jobs=2)) == alone
    assert list(scratch.iterdir()) == [], "the workers' shared models are removed"
    cached = str(tmp_path / "cache")
    assert found(check_paths(files, Settings(select=("AL",)), jobs=2, cache_dir=cached)) == alone
    assert found(check_paths(files, Settings(select=("AL",)), jobs=2, cache_dir=cached)) == alone


def test_a_functions_line_is_its_defs_and_the_last_def_counts(tmp_path: Path) -> None:
    from asynclint.model.build import build_model
    from asynclint.model.resolve import Resolver

    model = build_model(
        b"import os\n"
        b"if os.name:\n"
        b"    def helper(): ...\n"  # 3
        b"class Client:\n"
        b"    @property\n"
        b"    async def fetch(self): ...\n"  # 6: the def's line, not the decorator's
        b"    class Inner:\n"
        b"        def deep(self): ...\n"
        b"def helper(): ...\n",  # 9: the last definition wins
        "m",
        False,
    )
    resolver = Resolver(model)
    lines = {q: resolver.local_function(q).line for q in ("m.helper", "m.Client.fetch")}
    assert lines == {"m.helper": 9, "m.Client.fetch": 6}
    assert resolver.local_function("m.Client.Inner.deep") is None  # no other module can name it


def test_a_chain_follows_the_checked_text_of_a_module_not_an_earlier_one(tmp_path: Path) -> None:
    """An editor checks a buffer again and again: answers about its own
    helpers follow the latest text."""
    (tmp_path / "pyproject.toml").write_text("")
    app = tmp_path / "app.py"
    blocking = "import time\n\ndef work():\n    time.sleep(1)\n\nasync def f():\n    work()\n"
    quiet = "def work():\n    return 1\n\nasync def f():\n    work()\n"
    app.write_text(blocking)
    checker = Checker(Settings(select=("AL109",)))
    assert [d.code for d in checker.check_source(blocking.encode(), str(app)).diagnostics] == ["AL109"]
    assert checker.check_source(quiet.encode(), str(app)).diagnostics == []
    assert [d.code for d in checker.check_source(blocking.encode(), str(app)).diagnostics] == ["AL109"]


SERVICE = FIXTURES / "projects" / "service"


@pytest.fixture
def service(tmp_path: Path, monkeypatch) -> Path:
    copy = tmp_path / "service"
    shutil.copytree(SERVICE, copy)
    monkeypatch.chdir(copy)
    return copy


def test_blocking_calls_behind_the_projects_own_classes(service: Path) -> None:
    """Repositories, services, properties, base classes in other modules,
    dependencies and decorators: each shape flagged, each clean twin silent,
    with only the endpoint file named (as pre-commit does)."""
    routes = Path("app/routes.py")
    result = Checker(Settings(select=("AL",))).check_file(str(routes))
    assert result.errors == []
    assert {(d.start.line, d.code) for d in result.diagnostics} == expected_findings(routes)
    messages = {d.start.line: d.message for d in result.diagnostics}
    assert messages[19].startswith("calls repo.get_one -> UserRepo.get_one -> sqlalchemy.orm.Session.get (app/repos.py:14)")
    assert messages[55].startswith("calls self.services.settings.persist -> JsonSettings.persist -> write_json -> open")
    assert messages[61].startswith("reads export.disk_left -> Export.disk_left -> shutil.disk_usage (app/export.py:22)")


def test_star_imports_context_managers_setters_and_call_results(service: Path) -> None:
    jobs = Path("app/jobs.py")
    result = Checker(Settings(select=("AL",))).check_file(str(jobs))
    assert result.errors == []
    assert {(d.start.line, d.code) for d in result.diagnostics} == expected_findings(jobs)
    messages = {d.start.line: d.message for d in result.diagnostics}
    assert messages[27].startswith("enters lock -> FileLock.__enter__ -> open (app/resources.py:14)")
    assert messages[35].startswith("sets self.throttle.delay -> Throttle.delay.setter -> time.sleep (app/resources.py:64)")


def test_clients_built_by_another_modules_functions_on_every_request(service: Path) -> None:
    forecasts = Path("app/forecasts.py")
    result = Checker(Settings(select=("AL",))).check_file(str(forecasts))
    assert result.errors == []
    assert {(d.start.line, d.code) for d in result.diagnostics} == expected_findings(forecasts)
    messages = {d.start.line: d.message for d in result.diagnostics}
    assert messages[20].startswith("`httpx.AsyncClient` is built on every call of `forecast -> fetch_weather` (app/clients.py:10)")
    assert "`get_forecast` takes it as a dependency" in messages[18]


def test_a_star_import_brings_what_all_lists_and_circles_end(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a.py").write_text("from b import *\nimport time\n\ndef nap():\n    time.sleep(1)\n")
    (tmp_path / "b.py").write_text(
        "from a import *\nimport time\n__all__ = ['listed']\n\n"
        "def listed():\n    time.sleep(1)\n\ndef unlisted():\n    time.sleep(1)\n"
    )
    (tmp_path / "d.py").write_text("from e import *\n")
    (tmp_path / "e.py").write_text("from d import *\n")
    (tmp_path / "c.py").write_text(
        "from a import *\nfrom d import *\n\nasync def main():\n    nap()\n    listed()\n    unlisted()\n    missing()\n"
    )
    found = Checker(Settings(select=("AL109",))).check_file(str(tmp_path / "c.py"))
    assert found.errors == []
    assert [d.start.line for d in found.diagnostics] == [5, 6], "a's names and b's listed one, through a's star import"


def test_the_project_is_checked_the_same_from_the_cli_and_with_the_language_servers_buffers(service: Path, capsys) -> None:
    routes = Path("app/routes.py")
    with pytest.raises(SystemExit):
        main(["--select", "AL", "--no-cache", "--output-format", "concise", str(routes)])
    out = capsys.readouterr().out
    from_cli = {(int(line.split(":")[1]), line.split()[1]) for line in out.splitlines() if line.startswith("app/")}
    assert from_cli == expected_findings(routes)
    checker = Checker(Settings(select=("AL",)), fix_edits=True)
    buffer = routes.read_bytes()
    found = {(d.start.line, d.code) for d in checker.check_source(buffer, str(routes.resolve())).diagnostics}
    assert found == from_cli
    # an edit in another module's buffer takes effect in the next check of the endpoint
    repos = Path("app/repos.py")
    checker.check_source(repos.read_bytes().replace(b"self.session.get(User, uid)", b"uid"), str(repos.resolve()))
    found = {(d.start.line, d.code) for d in checker.check_source(buffer, str(routes.resolve())).diagnostics}
    assert found == from_cli - {(19, "AL109")}


def test_a_cached_result_is_checked_again_when_a_type_it_rests_on_changes(service: Path) -> None:
    routes, settings = Path("app/routes.py"), Path("app/settings.py")
    cache = service / "cache"

    def persist_reported() -> bool:
        found = Checker(Settings(select=("AL109",)), cache_dir=str(cache)).check_file(str(routes))
        return 55 in {d.start.line for d in found.diagnostics}

    assert persist_reported()
    settings.write_text(settings.read_text().replace("settings: JsonSettings", "settings: object"))
    assert not persist_reported(), "the result rested on settings.py (through base.py), which routes.py does not import"


@pytest.mark.parametrize("endpoint", ["services/api/routes.py", "plugins/weather/sensor.py"])
def test_imports_in_folders_that_are_no_packages(endpoint: str, tmp_path: Path, monkeypatch) -> None:
    """An app in a folder without `__init__.py` (PEP 420), with `.git` or
    `pyproject.toml` above it: its relative and absolute imports resolve."""
    copy = tmp_path / "namespace"
    shutil.copytree(FIXTURES / "projects" / "namespace", copy)
    monkeypatch.chdir(copy)
    result = Checker(Settings(select=("AL",))).check_file(endpoint)
    assert {(d.start.line, d.code) for d in result.diagnostics} == expected_findings(Path(endpoint))


def test_a_library_linted_in_its_own_repository_is_read_as_its_users_code(tmp_path: Path) -> None:
    """aiohttp's tests call `aiohttp.ClientSession()`: in aiohttp's own repository
    the name still means the client the tables know, not the class in its source."""
    (tmp_path / "pyproject.toml").write_text("")
    package = tmp_path / "aiohttp"
    package.mkdir()
    (package / "__init__.py").write_text("from .client import ClientSession\n")
    (package / "client.py").write_text(
        "class ClientSession:\n    def __init__(self):\n        self.closed = False\n\n"
        "    async def get(self, url):\n        return url\n"
    )
    (tmp_path / "test_client.py").write_text(
        "import aiohttp\n\n\nasync def test_get():\n    session = aiohttp.ClientSession()\n    await session.get('/')\n"
    )
    result = Checker(Settings(select=("AL303",))).check_file(str(tmp_path / "test_client.py"))
    assert [(d.code, d.start.line) for d in result.diagnostics] == [("AL303", 5)]


def test_an_event_loop_started_in_another_module_is_found_from_async_code_and_sync_endpoints(tmp_path: Path) -> None:
    _, caller = helper_project(
        tmp_path,
        "import asyncio\n\nasync def fetch():\n    return 1\n\n"
        "def work():\n    return asyncio.run(fetch())\n\n"
        "def maybe():\n    try:\n        asyncio.get_running_loop()\n    except RuntimeError:\n"
        "        return asyncio.run(fetch())\n",
    )
    [diagnostic] = Checker(Settings(select=("AL205",))).check_file(str(caller)).diagnostics
    assert diagnostic.message.startswith("calls work -> asyncio.run (helpers.py:7)")
    caller.write_text(
        "from fastapi import FastAPI\nfrom helpers import maybe, work\n\napp = FastAPI()\n\n"
        "@app.get('/')\ndef home():\n    maybe()\n    return work()\n"
    )
    [diagnostic] = Checker(Settings(select=("AL212",), preview=True)).check_file(str(caller)).diagnostics
    assert (diagnostic.start.line, diagnostic.code) == (9, "AL212")
    assert diagnostic.message.startswith("calls work -> asyncio.run (helpers.py:7), which starts an event loop, in the")
