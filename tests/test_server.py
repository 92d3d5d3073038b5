"""The language server, driven by a real LSP session over stdio."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

SOURCE = "import asyncio\nimport time\n\n\nasync def handler():\n    s = 'café'; loop = asyncio.get_event_loop()\n    time.sleep(1)\n"


OPENAI = (
    "import openai\n\nasync def answer(q: str):\n"
    "    client: openai.OpenAI = openai.OpenAI()\n"
    '    return client.chat.completions.create(model="m", messages=[])\n'
)


class Client:
    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "asynclint", "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd
        )
        self.next_id = 0

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.process.stdin.flush()

    def receive(self) -> dict:
        length = 0
        while True:
            header = self.process.stdout.readline()
            if header in (b"\r\n", b""):
                break
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id:
                return message

    def wait_for(self, method: str) -> dict:
        while True:
            message = self.receive()
            if message.get("method") == method:
                return message


def test_lsp_session(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.asynclint]\nignore = ["AL002"]\n\n[tool.asynclint.extend-blocking-calls]\n'
        '"openai.OpenAI.chat.completions.create" = "use openai.AsyncOpenAI"\n'
    )
    path = tmp_path / "app.py"
    path.write_text(SOURCE)
    uri = path.as_uri()
    client = Client(tmp_path)
    try:
        init = client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        assert init["result"]["serverInfo"]["name"] == "asynclint"
        client.send({"method": "initialized", "params": {}})
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": SOURCE}}})
        published = client.wait_for("textDocument/publishDiagnostics")["params"]
        assert published["uri"] == uri
        by_code = {d["code"]: d for d in published["diagnostics"]}
        assert set(by_code) == {"AL206", "AL102"}
        # 0-based lines; UTF-16 columns count `é` as one unit.
        assert by_code["AL102"]["range"]["start"] == {"line": 6, "character": 4}
        assert by_code["AL206"]["range"]["start"] == {"line": 5, "character": 23}

        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": by_code["AL206"]["range"],
            "context": {"diagnostics": [by_code["AL206"]]},
        })["result"]
        titles = [a["title"] for a in actions]
        assert "AL206: Use `asyncio.get_running_loop()`" in titles
        assert "Add `# noqa: AL206`" in titles
        assert "asynclint: fix all safe fixes" in titles
        fix = next(a for a in actions if a["title"].startswith("AL206"))
        [edit] = fix["edit"]["changes"][uri]
        assert "asyncio.get_running_loop()" in edit["newText"]

        client.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": "import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n"}]}})
        assert client.wait_for("textDocument/publishDiagnostics")["params"]["diagnostics"] == []

        # a user's entry for a call below an instance's namespace (the first look asks the rules' resolver)
        client.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [{"text": OPENAI}]}})
        [found] = client.wait_for("textDocument/publishDiagnostics")["params"]["diagnostics"]
        assert (found["code"], found["range"]["start"]["line"]) == ("AL106", 4)

        assert client.request("shutdown", {})["result"] is None
        client.send({"method": "exit"})
        assert client.process.wait(timeout=10) == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()


def test_noqa_insertion_and_utf16_columns() -> None:
    from asynclint.server import noqa_edit_text, utf16_column

    assert noqa_edit_text("    time.sleep(1)   ", "AL102") == (17, "  # noqa: AL102")
    assert noqa_edit_text("    x()  # noqa: E501", "AL102") == (21, ", AL102")
    assert noqa_edit_text("    x()  # noqa", "AL102") == (-1, "")
    assert utf16_column("s = '😀'; y", 9) == 9  # the emoji is two UTF-16 units


def test_each_document_gets_the_settings_of_its_nearest_configuration(tmp_path: Path) -> None:
    from tests.helpers import MONOREPO_FINDINGS, monorepo

    monorepo(tmp_path)
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.send({"method": "initialized", "params": {}})
        published = set()
        for service in ("svc_b", "svc_a"):
            path = tmp_path / service / "app.py"
            client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": path.as_uri(), "languageId": "python", "version": 1, "text": path.read_text()}}})
            params = client.wait_for("textDocument/publishDiagnostics")["params"]
            assert params["uri"] == path.as_uri()
            published |= {(f"{service}/app.py", d["range"]["start"]["line"] + 1, d["code"]) for d in params["diagnostics"]}
        assert published == MONOREPO_FINDINGS
        client.request("shutdown", {})
        client.send({"method": "exit"})
        assert client.process.wait(timeout=10) == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()
