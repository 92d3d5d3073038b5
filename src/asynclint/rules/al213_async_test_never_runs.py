"""AL213 (preview): an `async def` test that no pytest plugin runs."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

from asynclint.analysis.pytest_setup import pytest_setup
from asynclint.diagnostics import Default
from asynclint.knowledge.testing import ANYIO_BACKEND, RUNNER_MARKS
from asynclint.lazy import cst
from asynclint.model.expr import from_cst
from asynclint.model.resolve import AT_THE_END, one
from asynclint.rule import Rule

# What a decorator or a `pytestmark` entry does to a test.
_RUNS, _PLAIN, _UNKNOWN = "runs", "plain", "unknown"


class AsyncTestNeverRuns(Rule):
    """
    ## What it does
    Flags an `async def test_*` (at module level, or a method of a `Test*`
    class without bases) in a test module, when nothing makes a plugin run
    it: no asyncio, anyio or trio mark (`@pytest.mark.asyncio`, ...) on the
    test, its class (decorator or `pytestmark`) or module (`pytestmark`),
    no `anyio_backend` fixture asked for, and no setting or plugin that
    runs every coroutine test: `asyncio_mode = "auto"` (or
    `--asyncio-mode=auto`) or `trio_mode = true` in `pytest.ini`,
    `pyproject.toml`, `tox.ini` or `setup.cfg`, or pytest-tornasync,
    pytest-jupyter, pytest-aio or aiohttp's plugin named in the
    configuration, a dependency list or a conftest (also a project
    module a conftest loads through `pytest_plugins`). The folders from
    the test up to the repository's top are read. A test with any other
    decorator, a conftest that collects or runs tests in its own hooks,
    or one that provides `anyio_backend`, is left alone, and so is every
    test when no pytest configuration is in sight (a source distribution
    often leaves it out, and with it the `asyncio_mode` the suite runs in).

    ## Why is this bad?
    pytest cannot run a coroutine function itself. Without a plugin that
    takes the test, pytest calls it, gets a coroutine, and skips the test
    with only a warning (since pytest 8.4, fails it); pytest-asyncio's
    default "strict" mode takes only marked tests. A suite can thus stay
    green for months while its async tests never ran.

    ## Example
    ```python
    import pytest

    @pytest.mark.asyncio
    async def test_login():
        assert True

    async def test_logout():
        assert True
    ```

    ## Use instead
    ```python
    import pytest

    @pytest.mark.asyncio
    async def test_login():
        assert True

    @pytest.mark.asyncio
    async def test_logout():
        assert True
    ```

    ## Fix safety
    No fix.
    """

    code = "AL213"
    name = "async-test-never-runs"
    summary = "`async def` test that no pytest plugin runs"
    default = Default.PREVIEW
    triggers = (rb"async\s+def\s+test",)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # an `async def` test no mark of its own runs, where the folders' pytest set-up
        # may leave it unrun (most projects run every `async def` test)
        tests = [key for key, function in look.model.functions.items() if _may_be_plain_test(look, key, function)]
        return bool(tests) and _may_leave_tests_unrun(lookups.path, lookups.project)

    def leave_Module(self, node: cst.Module) -> None:
        module_marks = self._marks_of(_pytestmark(node.body))
        candidates: list[tuple[cst.FunctionDef, str]] = []  # (a def, the marks around it)
        for statement in node.body:
            if isinstance(statement, cst.FunctionDef):
                candidates.append((statement, module_marks))
            elif isinstance(statement, cst.ClassDef) and _is_test_class(statement):
                around = self._worst(
                    module_marks, self._decorated(statement), self._marks_of(_pytestmark(statement.body.body))
                )
                candidates += [(method, around) for method in statement.body.body if isinstance(method, cst.FunctionDef)]
        tests = [function for function, around in candidates if self._test_outcome(function, around) == _PLAIN]
        if not tests:
            return
        if not _may_leave_tests_unrun(self.ctx.path, self.ctx.project):
            return
        for test in tests:
            self.report(
                test.name,
                f"`{test.name.value}` is an `async def` test that no plugin runs (no asyncio, anyio or trio mark on "
                "it, its class or module, and no `asyncio_mode = \"auto\"`): pytest skips it with only a warning "
                "(fails it since pytest 8.4); mark it `@pytest.mark.asyncio` (or `anyio`) or set "
                "`asyncio_mode = \"auto\"`",
            )

    def _test_outcome(self, function: cst.FunctionDef, around: str) -> str | None:
        """For an `async def test*`: whether it runs, surely does not (`_PLAIN`), or cannot be told."""
        if function.asynchronous is None or not function.name.value.startswith("test"):
            return None
        params = function.params
        if any(param.name.value == ANYIO_BACKEND for param in (*params.params, *params.kwonly_params)):
            return _RUNS
        return self._worst(around, self._decorated(function))

    def _decorated(self, node: cst.FunctionDef | cst.ClassDef) -> str:
        return self._worst(*(self._mark(decorator.decorator) for decorator in node.decorators))

    @staticmethod
    def _worst(*outcomes: str) -> str:
        """A test runs if anything runs it; else it cannot be told if anything is unknown."""
        if _RUNS in outcomes:
            return _RUNS
        return _UNKNOWN if _UNKNOWN in outcomes else _PLAIN

    def _marks_of(self, value: cst.BaseExpression | None) -> str:
        if value is None:
            return _PLAIN
        if isinstance(value, (cst.List, cst.Tuple)):
            return self._worst(*(self._mark(element.value) for element in value.elements))
        return self._mark(value)

    def _mark(self, expr: cst.BaseExpression) -> str:
        call = expr if isinstance(expr, cst.Call) else None
        found = from_cst(call.func if call is not None else expr)
        name = one(self.ctx.resolver.resolve("", found, AT_THE_END)) if found is not None else None
        if name in RUNNER_MARKS:
            return _RUNS
        if name is None or not name.startswith("pytest.mark."):
            return _UNKNOWN
        if name == "pytest.mark.usefixtures" and call is not None and any(
            isinstance(arg.value, cst.SimpleString) and arg.value.evaluated_value == ANYIO_BACKEND for arg in call.args
        ):
            return _RUNS
        return _PLAIN


def _may_be_plain_test(look, key: str, function) -> bool:
    """The first look's side of `_test_outcome`: an `async def test*` of the module or of a
    `Test*` class that none of its own decorators surely runs."""
    outer, _, name = key.rpartition(".")
    if not function.is_async or not name.startswith("test") or "." in outer or not (outer == "" or outer.startswith("Test")):
        return False
    for decorator in function.decorators:
        target = decorator[1] if decorator is not None and decorator[0] == "call" else decorator
        if one(look.resolver.resolve("", target)) in RUNNER_MARKS:
            return False
    return True


def _is_test_class(node: cst.ClassDef) -> bool:
    """A class pytest collects as its own: `Test*`, no bases (a `unittest` case runs its coroutines itself)."""
    bases = [arg for arg in node.bases if not (isinstance(arg.value, cst.Name) and arg.value.value == "object")]
    return node.name.value.startswith("Test") and not bases and not node.keywords and isinstance(node.body, cst.IndentedBlock)


def _pytestmark(body) -> cst.BaseExpression | None:
    """The value of a `pytestmark = ...` among a block's statements (the last one)."""
    found = None
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    targets = [target.target for target in small.targets]
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    targets = [small.target]
                else:
                    continue
                if any(isinstance(target, cst.Name) and target.value == "pytestmark" for target in targets):
                    found = small.value
    return found


def _may_leave_tests_unrun(path: str, project) -> bool:
    """Whether the file is a test module of a pytest set-up in which an
    unmarked `async def` test does not run."""
    setup = pytest_setup(path, (lambda name: project.module_file(name, path)) if project else None)
    if not any(fnmatch(Path(path).name, pattern) for pattern in setup.python_files):
        return False
    return setup.configured and not setup.runs_every_coroutine
