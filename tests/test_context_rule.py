"""AL214 follows the function run in the executor into the project module
that defines it, and the context variable into the module that declares it."""

from __future__ import annotations

from pathlib import Path

from asynclint.config import Settings
from asynclint.engine import Checker

CONTEXT = "import contextvars\n\nrequest_id = contextvars.ContextVar('request_id')\n"
CALLER = (
    "import asyncio\n\nfrom app.audit import write\n\n\nasync def handle(event):\n"
    "    loop = asyncio.get_running_loop()\n    await loop.run_in_executor(None, write, event)\n"
)


def messages(root: Path, audit: str) -> list[str]:
    (root / "pyproject.toml").write_text("")
    (root / "app").mkdir()
    for name, text in {"__init__.py": "", "context.py": CONTEXT, "audit.py": audit, "views.py": CALLER}.items():
        (root / "app" / name).write_text(text)
    result = Checker(Settings(select=("AL214",), preview=True)).check_file(str(root / "app" / "views.py"))
    assert result.errors == []
    return [f"{d.start.line} {d.message}" for d in result.diagnostics]


def test_a_function_of_another_module_reading_a_variable_of_a_third(tmp_path: Path) -> None:
    audit = "from app.context import request_id\n\n\ndef write(event):\n    print(request_id.get(), event)\n"
    [message] = messages(tmp_path, audit)
    assert message.startswith("8 ") and f"`request_id.get()` at {Path('app/audit.py')}:5" in message


def test_a_function_of_another_module_that_reads_no_variable(tmp_path: Path) -> None:
    audit = "from app.context import request_id\n\n\ndef write(event):\n    print(request_id, event)\n"
    assert messages(tmp_path, audit) == []
