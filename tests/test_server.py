"""The language server, driven by a real LSP session over stdio."""

from __future__ import annotations

import json
import subprocess
import sys
import time
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
    from asynclint.server import lsp_column, noqa_edit_text

    assert noqa_edit_text("    time.sleep(1)   ", "AL102") == (17, "  # noqa: AL102")
    assert noqa_edit_text("    x()  # noqa: E501", "AL102") == (21, ", AL102")
    assert noqa_edit_text("    x()  # noqa", "AL102") == (-1, "")
    assert lsp_column("s = '😀'; y", 9) == 9  # the emoji is two UTF-16 units


def _session(root: Path, capabilities: dict | None = None) -> tuple[Client, dict]:
    client = Client(root)
    init = client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities or {}})
    client.send({"method": "initialized", "params": {}})
    return client, init["result"]


def _open(client: Client, path: Path, text: str) -> list[dict]:
    path.write_text(text, encoding="utf-8")
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": path.as_uri(), "languageId": "python", "version": 1, "text": text}}})
    return client.wait_for("textDocument/publishDiagnostics")["params"]["diagnostics"]


def _close(client: Client) -> None:
    try:
        client.request("shutdown", {})
        client.send({"method": "exit"})
        client.process.wait(timeout=10)
    finally:
        if client.process.poll() is None:
            client.process.kill()


def test_a_burst_of_changes_is_checked_and_published_once_for_its_last_version(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    client, _ = _session(tmp_path)
    try:
        _open(client, path, SOURCE)
        uri = path.as_uri()
        messages = b""
        for version in range(2, 12):  # ten keystrokes, sent at once
            text = SOURCE + "#" * version + "\n"
            body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}}).encode()
            messages += f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        client.process.stdin.write(messages)
        client.process.stdin.flush()
        published = []
        while not published or published[-1]["version"] != 11:
            published.append(client.wait_for("textDocument/publishDiagnostics")["params"])
        assert len(published) <= 2  # a slow machine may check one version on the way
        assert {d["code"] for d in published[-1]["diagnostics"]} == {"AL102", "AL206"}
    finally:
        _close(client)


def test_keystrokes_typed_while_a_long_check_runs_are_checked_once_after_it(tmp_path: Path) -> None:
    """A large file: keystrokes 50 ms apart arrive while a check runs, and are
    read together after it; only their last version is checked then."""
    import time

    blocks = "".join(
        f"\n\nasync def handler_{n}():\n    s = 'café'; loop = asyncio.get_event_loop()\n    time.sleep(1)\n" for n in range(400)
    )
    text = "import asyncio\nimport time\n" + blocks
    path = tmp_path / "app.py"
    client, _ = _session(tmp_path)
    try:
        _open(client, path, text)
        uri = path.as_uri()
        line = len(text.splitlines()) - 2  # the last `s = 'café'; ...` line
        for version in range(2, 12):
            at = {"line": line, "character": 4}
            client.send({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}]}})
            time.sleep(0.05)
        versions = []
        while not versions or versions[-1] != 11:
            versions.append(client.wait_for("textDocument/publishDiagnostics")["params"]["version"])
        assert len(versions) <= 3, versions
    finally:
        _close(client)


TWO_FINDINGS = "import asyncio\nimport time\n\n\nasync def handler():\n    loop = asyncio.get_event_loop()\n    time.sleep(1)\n"


def test_code_actions_answer_for_the_range_and_the_kinds_asked(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    client, _ = _session(tmp_path)
    try:
        _open(client, path, TWO_FINDINGS)
        uri = path.as_uri()

        def titles(line: int, only: list[str] | None) -> list[str]:
            cursor = {"line": line, "character": 4}
            context = {"diagnostics": []} | ({"only": only} if only is not None else {})
            answer = client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": {"start": cursor, "end": cursor}, "context": context})
            return [action["title"] for action in answer["result"]]

        on_sleep = titles(6, ["quickfix"])
        assert on_sleep == ["AL102: Use `await asyncio.sleep(...)`", "Add `# noqa: AL102`"]  # not line 5's AL206
        assert titles(3, ["quickfix"]) == []
        assert titles(6, ["source.fixAll"]) == ["asynclint: fix all safe fixes"]
        assert titles(6, ["refactor"]) == []
        assert "asynclint: fix all safe fixes" in titles(6, None)
    finally:
        _close(client)


WIDE = "import asyncio\n\n\nasync def handler():\n    s = 'é😀'; loop = asyncio.get_event_loop()\n"


def _splice(line: str, character: int, insert: str, encoding: str) -> str:
    """Insert text at an LSP column counted in the encoding's code units."""
    codec, width = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2), "utf-32": ("utf-32-le", 4)}[encoding]
    data = line.encode(codec)
    return (data[: character * width] + insert.encode(codec) + data[character * width :]).decode(codec)


@pytest.mark.parametrize(("encoding", "start", "line_end"), [("utf-8", 25, 49), ("utf-16", 22, 46), ("utf-32", 21, 45)])
def test_columns_are_counted_in_the_negotiated_encoding(tmp_path: Path, encoding: str, start: int, line_end: int) -> None:
    path = tmp_path / "app.py"
    client, init = _session(tmp_path, {"general": {"positionEncodings": [encoding]}})
    try:
        assert init["capabilities"]["positionEncoding"] == encoding
        [found] = _open(client, path, WIDE)
        assert found["code"] == "AL206"
        assert found["range"]["start"] == {"line": 4, "character": start}
        assert found["range"]["end"] == {"line": 4, "character": start + len("asyncio.get_event_loop()")}
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": path.as_uri()}, "range": found["range"],
            "context": {"diagnostics": [found], "only": ["quickfix"]}})["result"]
        noqa = next(a for a in actions if a["title"] == "Add `# noqa: AL206`")
        [edit] = noqa["edit"]["changes"][path.as_uri()]
        assert edit["range"]["start"] == {"line": 4, "character": line_end}
        line = WIDE.splitlines()[4]
        assert _splice(line, edit["range"]["start"]["character"], edit["newText"], encoding) == line + "  # noqa: AL206"
        fix = next(a for a in actions if a["title"].startswith("AL206"))
        [replace] = fix["edit"]["changes"][path.as_uri()]
        assert replace["range"] == {"start": {"line": 4, "character": 0}, "end": {"line": 5, "character": 0}}
        assert replace["newText"] == line.replace("get_event_loop", "get_running_loop") + "\n"
    finally:
        _close(client)


def _lsp_position(lines: list[str], location: dict) -> tuple[int, int]:
    """The command line's 1-based row and code-point column as LSP's line and UTF-16 column."""
    from asynclint.server import lsp_column

    text = lines[location["row"] - 1] if location["row"] <= len(lines) else ""
    return location["row"] - 1, lsp_column(text, location["column"])


def test_diagnostics_after_edits_equal_the_command_lines(tmp_path: Path, capsys) -> None:
    """Every rule fixture, opened edited and changed back (the tree is then
    put together from kept and reparsed statements): what the server
    publishes is what `asynclint --output-format json` reports."""
    import shutil

    from asynclint.cli import main
    from tests.helpers import FIXTURES

    shutil.copytree(FIXTURES / "rules", tmp_path / "rules")
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nselect = ["AL"]\npreview = true\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        with pytest.raises(SystemExit):
            main(["--output-format", "json", "--no-cache", "rules"])
    expected: dict[str, set] = {}
    for item in json.loads(capsys.readouterr().out):
        lines = Path(item["filename"]).read_text(encoding="utf-8").splitlines()
        start, end = (_lsp_position(lines, item[key]) for key in ("location", "end_location"))
        expected.setdefault(item["filename"], set()).add((item["code"], start, end))

    client, _ = _session(tmp_path)
    try:
        for path in sorted((tmp_path / "rules").rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            lines = text.splitlines(keepends=True)
            edited = "".join(lines[: len(lines) // 2] + ["# edited\n"] + lines[len(lines) // 2 :])
            client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": path.as_uri(), "languageId": "python", "version": 1, "text": edited}}})
            client.send({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": path.as_uri(), "version": 2}, "contentChanges": [{"text": text}]}})
            while True:
                published = client.wait_for("textDocument/publishDiagnostics")["params"]
                if published["version"] == 2:
                    break
            found = {
                (d["code"], (d["range"]["start"]["line"], d["range"]["start"]["character"]),
                 (d["range"]["end"]["line"], d["range"]["end"]["character"]))
                for d in published["diagnostics"]
            }
            assert found == expected.get(str(path), set()), path.relative_to(tmp_path)
    finally:
        _close(client)


HELPER_BLOCKS = "import time\n\n\ndef work():\n    time.sleep(1)\n"
HELPER_WAITS_NOT = "def work():\n    return 1\n"
CALLER = "import helper\n\n\nasync def handler():\n    helper.work()\n"


def _until_answer(client: Client, method: str, params: dict) -> list[dict]:
    """The messages the server sends before it answers a request (it handles messages in order)."""
    client.next_id += 1
    client.send({"id": client.next_id, "method": method, "params": params})
    messages = []
    while (message := client.receive()).get("id") != client.next_id:
        messages.append(message)
    return messages


@pytest.mark.parametrize("how", ["save", "watched"])
def test_a_module_saved_or_changed_on_disk_has_its_dependents_checked_again(tmp_path: Path, how: str) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    helper, caller = tmp_path / "helper.py", tmp_path / "app.py"
    client, _ = _session(tmp_path)
    try:
        if how == "save":
            _open(client, helper, HELPER_BLOCKS)
        else:
            helper.write_text(HELPER_BLOCKS)
        assert [d["code"] for d in _open(client, caller, CALLER)] == ["AL109"]
        helper.write_text(HELPER_WAITS_NOT)
        if how == "save":
            client.send({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": helper.as_uri(), "version": 2}, "contentChanges": [{"text": HELPER_WAITS_NOT}]}})
            client.send({"method": "textDocument/didSave", "params": {"textDocument": {"uri": helper.as_uri()}}})
        else:
            client.send({"method": "workspace/didChangeWatchedFiles", "params": {"changes": [{"uri": helper.as_uri(), "type": 2}]}})
        messages = _until_answer(client, "textDocument/hover", {
            "textDocument": {"uri": caller.as_uri()}, "position": {"line": 0, "character": 0}})
        again = [m["params"] for m in messages if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == caller.as_uri()]
        assert again and again[-1]["diagnostics"] == []
    finally:
        _close(client)


def test_pull_diagnostics_and_hover_with_the_rules_documentation(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    client, init = _session(tmp_path)
    try:
        assert init["capabilities"]["diagnosticProvider"]["interFileDependencies"] is True
        pushed = _open(client, path, TWO_FINDINGS)
        report = client.request("textDocument/diagnostic", {"textDocument": {"uri": path.as_uri()}})["result"]
        assert report["kind"] == "full" and report["items"] == pushed
        on_sleep = client.request("textDocument/hover", {
            "textDocument": {"uri": path.as_uri()}, "position": {"line": 6, "character": 6}})["result"]
        assert on_sleep["contents"]["kind"] == "markdown"
        assert on_sleep["contents"]["value"].startswith("**AL102** blocking-sleep\n\n")
        assert "Use instead" in on_sleep["contents"]["value"]
        elsewhere = client.request("textDocument/hover", {
            "textDocument": {"uri": path.as_uri()}, "position": {"line": 0, "character": 0}})
        assert elsewhere["result"] is None
    finally:
        _close(client)


def test_pulling_a_closed_files_diagnostics_reads_it_from_disk_and_watching_is_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(TWO_FINDINGS)
    client, _ = _session(tmp_path, {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}})
    try:
        registration = client.wait_for("client/registerCapability")["params"]["registrations"][0]
        assert registration["method"] == "workspace/didChangeWatchedFiles"
        assert registration["registerOptions"]["watchers"] == [
            {"globPattern": "**/*.py"}, {"globPattern": "**/pyproject.toml"}, {"globPattern": "**/asynclint.toml"}]
        report = client.request("textDocument/diagnostic", {"textDocument": {"uri": path.as_uri()}})["result"]
        assert sorted(d["code"] for d in report["items"]) == ["AL102", "AL206"]
    finally:
        _close(client)


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


def test_a_diagnostic_links_to_its_rules_page(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\ndocs-url = "https://docs.example.org/asynclint"\n')
    path = tmp_path / "app.py"
    path.write_text("import time\n\n\nasync def handler():\n    time.sleep(1)\n")
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.send({"method": "initialized", "params": {}})
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": path.as_uri(), "languageId": "python", "version": 1, "text": path.read_text()}}})
        [found] = client.wait_for("textDocument/publishDiagnostics")["params"]["diagnostics"]
        assert found["codeDescription"] == {"href": "https://docs.example.org/asynclint/rules/AL102.md"}
        client.request("shutdown", {})
        client.send({"method": "exit"})
        assert client.process.wait(timeout=10) == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()


def _folders_session(folders: list[Path]) -> tuple[Client, dict, list[dict]]:
    """A session over workspace folders: the client, the server's capabilities, what it sent on starting."""
    client = Client(folders[0])
    init = client.request("initialize", {
        "processId": None, "rootUri": folders[0].as_uri(), "capabilities": {"workspace": {"workspaceFolders": True}},
        "workspaceFolders": [{"uri": f.as_uri(), "name": f.name} for f in folders]})
    client.send({"method": "initialized", "params": {}})
    # messages are handled in order: what `initialized` sent comes before this answer
    started = _until_answer(client, "textDocument/hover", {
        "textDocument": {"uri": (folders[0] / "app.py").as_uri()}, "position": {"line": 0, "character": 0}})
    return client, init["result"]["capabilities"], started


def test_workspace_diagnostics_cover_each_folder_with_its_own_configuration(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, select in ((first, "AL102"), (second, "AL206")):
        folder.mkdir()
        (folder / "pyproject.toml").write_text(f'[tool.asynclint]\nselect = ["{select}"]\n')
        (folder / "app.py").write_text(TWO_FINDINGS)
    client, capabilities, started = _folders_session([first, second])
    try:
        assert capabilities["diagnosticProvider"]["workspaceDiagnostics"] is True
        [line] = [m["params"]["message"] for m in started if m.get("method") == "window/logMessage"]
        from asynclint import __version__

        assert line.startswith(f"asynclint {__version__} language server") and "utf-16 columns" in line
        assert f"{first}: {first / 'pyproject.toml'}, 1 rules" in line and f"{second}: {second / 'pyproject.toml'}, 1 rules" in line
        # an open document as it is in the editor, the others as they are on disk
        _open(client, second / "app.py", TWO_FINDINGS.replace("get_event_loop", "get_running_loop"))
        (second / "app.py").write_text(TWO_FINDINGS)
        (second / "other.py").write_text(TWO_FINDINGS)
        report = client.request("workspace/diagnostic", {"previousResultIds": []})["result"]
        found = {item["uri"]: sorted(d["code"] for d in item["items"]) for item in report["items"]}
        assert found == {(first / "app.py").as_uri(): ["AL102"], (second / "app.py").as_uri(): [], (second / "other.py").as_uri(): ["AL206"]}
    finally:
        _close(client)


def test_commands_fix_every_safe_finding_and_silence_every_finding(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    client, init = _session(tmp_path)
    try:
        assert set(init["capabilities"]["executeCommandProvider"]["commands"]) >= {"asynclint.fixAll", "asynclint.addNoqa"}
        _open(client, path, TWO_FINDINGS)
        lines = TWO_FINDINGS.splitlines()
        messages = _until_answer(client, "workspace/executeCommand", {"command": "asynclint.addNoqa", "arguments": [path.as_uri()]})
        [edit] = [m["params"]["edit"] for m in messages if m.get("method") == "workspace/applyEdit"]
        inserted = {e["range"]["start"]["line"]: e["newText"] for e in edit["changes"][path.as_uri()]}
        assert inserted == {5: "  # noqa: AL206", 6: "  # noqa: AL102"}
        assert all(e["range"]["start"]["character"] == len(lines[e["range"]["start"]["line"]]) for e in edit["changes"][path.as_uri()])
        messages = _until_answer(client, "workspace/executeCommand", {"command": "asynclint.fixAll", "arguments": [{"uri": path.as_uri()}]})
        [edit] = [m["params"]["edit"] for m in messages if m.get("method") == "workspace/applyEdit"]
        [whole] = edit["changes"][path.as_uri()]
        assert whole["newText"] == TWO_FINDINGS.replace("get_event_loop", "get_running_loop").replace("time.sleep", "await asyncio.sleep")
    finally:
        _close(client)


def test_an_invalid_configuration_is_reported_once_and_its_repair_takes_effect(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.asynclint]\nselect = ["AL206"\n')
    path = tmp_path / "app.py"
    client, _ = _session(tmp_path)
    try:
        path.write_text(TWO_FINDINGS)
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": path.as_uri(), "languageId": "python", "version": 1, "text": TWO_FINDINGS}}})
        for version in range(2, 5):
            client.send({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": path.as_uri(), "version": version}, "contentChanges": [{"text": TWO_FINDINGS + "#" * version}]}})
            time.sleep(0.05)
        messages = _until_answer(client, "textDocument/diagnostic", {"textDocument": {"uri": path.as_uri()}})
        shown = [m["params"]["message"] for m in messages if m.get("method") == "window/showMessage"]
        assert len(shown) == 1 and "invalid TOML" in shown[0]
        on_config = [m["params"] for m in messages if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == config.as_uri()]
        [error] = on_config[0]["diagnostics"]
        assert error["severity"] == 1 and error["range"]["start"]["line"] == 2 and error["message"].startswith("invalid TOML")
        config.write_text('[tool.asynclint]\nselect = ["AL206"]\n')
        client.send({"method": "workspace/didChangeWatchedFiles", "params": {"changes": [{"uri": config.as_uri(), "type": 2}]}})
        messages = _until_answer(client, "textDocument/hover", {"textDocument": {"uri": path.as_uri()}, "position": {"line": 0, "character": 0}})
        published = {m["params"]["uri"]: m["params"]["diagnostics"] for m in messages if m.get("method") == "textDocument/publishDiagnostics"}
        assert published[config.as_uri()] == []
        assert [d["code"] for d in published[path.as_uri()]] == ["AL206"]
        assert not [m for m in messages if m.get("method") == "window/showMessage"]
    finally:
        _close(client)


def test_a_configuration_changed_on_disk_unannounced_takes_effect_at_the_next_change(tmp_path: Path) -> None:
    """The settings are kept from one check to the next while the files they were read from stay the same."""
    path = tmp_path / "app.py"
    client, _ = _session(tmp_path)
    try:
        assert sorted(d["code"] for d in _open(client, path, TWO_FINDINGS)) == ["AL102", "AL206"]
        (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nignore = ["AL102"]\n')
        client.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": path.as_uri(), "version": 2}, "contentChanges": [{"text": TWO_FINDINGS + "#\n"}]}})
        assert [d["code"] for d in client.wait_for("textDocument/publishDiagnostics")["params"]["diagnostics"]] == ["AL206"]
    finally:
        _close(client)


def test_the_clients_settings_take_effect_when_they_change(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    client, _ = _session(tmp_path)
    try:
        assert sorted(d["code"] for d in _open(client, path, TWO_FINDINGS)) == ["AL102", "AL206"]
        client.send({"method": "workspace/didChangeConfiguration", "params": {"settings": {"asynclint": {"ignore": ["AL102"]}}}})
        assert [d["code"] for d in client.wait_for("textDocument/publishDiagnostics")["params"]["diagnostics"]] == ["AL206"]
        client.send({"method": "workspace/didChangeConfiguration", "params": {"settings": {"asynclint": {"selct": ["AL102"]}}}})
        messages = _until_answer(client, "textDocument/diagnostic", {"textDocument": {"uri": path.as_uri()}})
        [shown] = [m["params"]["message"] for m in messages if m.get("method") == "window/showMessage"]
        assert "unknown key `selct`" in shown
    finally:
        _close(client)


def test_what_a_check_leaves_is_collected_once_the_documents_rest() -> None:
    """Checks leave their garbage aside (no full collection mid-check); it goes once nothing is checked for a while."""
    import asyncio
    import gc
    import weakref

    from asynclint.server import Collector

    class Cycle:
        pass

    async def scenario() -> tuple[bool, bool, bool]:
        collector = Collector(idle_seconds=0.05)
        garbage = Cycle()
        garbage.me = garbage
        alive = weakref.ref(garbage)
        del garbage
        collector.checked()
        gc.collect()  # a full collection meanwhile leaves it: it was set aside
        kept, frozen = alive() is not None, gc.get_freeze_count() > 0
        await asyncio.sleep(0.2)
        return kept, frozen, alive() is None

    try:
        assert asyncio.run(scenario()) == (True, True, True)
    finally:
        gc.unfreeze()


def test_stdin_is_read_a_whole_message_per_hand_over_to_the_worker_thread() -> None:
    """pygls's message loop reads through `MessageReader`: every message comes
    out whole and in order, headers pygls does not read included, with one
    call in the worker thread per message; the input's end stops the loop."""
    import asyncio
    import io
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from pygls.io_ import run_async

    from asynclint.server import MessageReader

    bodies = [json.dumps({"jsonrpc": "2.0", "method": "m", "params": {"n": n, "text": "é\r\n" * n}}).encode() for n in range(3)]
    stream = b"".join(
        b"Content-Length: %d\r\n" % len(body) + (b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" if n == 1 else b"")
        + b"\r\n" + body
        for n, body in enumerate(bodies)
    )

    class Protocol:
        handled: list = []

        def structure_message(self, data):
            return data

        def handle_message(self, message):
            self.handled.append(message["params"]["n"])

    class Counting(ThreadPoolExecutor):
        calls = 0

        def submit(self, *args, **kwargs):
            Counting.calls += 1
            return super().submit(*args, **kwargs)

    with Counting(max_workers=1) as executor:
        reader = MessageReader(io.BytesIO(stream), executor)
        asyncio.run(run_async(threading.Event(), reader, Protocol()))
    assert Protocol.handled == [0, 1, 2]
    assert Counting.calls == len(bodies) + 1  # and one more that finds the end
