"""Time the language server as an editor sees it: a client over stdio.

    python bench/lsp.py [--edits 20] [--bursts 3] [--no-ruff]

Generates a 50-line and a 2,000-line FastAPI-like module in a temporary
project, starts `asynclint server` (and `ruff server` when `ruff` is on
PATH), and measures, per file:

- didChange -> publishDiagnostics for that version, over single keystrokes
  typed one after the other (the client waits for each answer, then 0.1 s);
- codeAction (`only: ["quickfix"]`) on the line of a finding;
- a burst of 10 keystrokes in 0.5 s: the time from the last keystroke to the
  diagnostics of the last version, and how many versions were published.

Prints medians and 95th percentiles. A script, not a test: timings need a
quiet machine (see bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import math
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TIMEOUT = 120.0  # seconds to wait for one answer before calling it lost (--timeout)
BURST_KEYS = 10
BURST_SECONDS = 0.5
PAUSE_SECONDS = 0.1  # between keystrokes typed one by one, as a typist's

HEADER = '''"""A generated FastAPI service."""

import asyncio
import time

import requests
from fastapi import Depends, FastAPI

app = FastAPI()


class Store:
    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    async def load(self, key: str) -> str | None:
        await asyncio.sleep(0)
        return self.items.get(key)


async def get_store() -> Store:
    return Store()

'''

# One endpoint with its helper; every third one holds findings.
BLOCK = '''
def refresh_{n}(url: str) -> int:
    return requests.get(url, timeout=5).status_code


@app.get("/items/{n}/{{key}}")
async def read_item_{n}(key: str, store: Store = Depends(get_store)) -> dict:
    note = "item {n}"
    value = await store.load(key)
    if value is None:
        value = "missing"
    return {{"key": key, "value": value, "note": note}}
'''

BLOCK_WITH_FINDINGS = '''
def refresh_{n}(url: str) -> int:
    return requests.get(url, timeout=5).status_code


@app.get("/items/{n}/{{key}}")
async def read_item_{n}(key: str, store: Store = Depends(get_store)) -> dict:
    note = "item {n}"
    loop = asyncio.get_event_loop()
    time.sleep(0.01)
    status = refresh_{n}("https://example.com/{n}")
    value = await store.load(key)
    return {{"key": key, "value": value, "note": note, "status": status, "loop": id(loop)}}
'''


def generate(lines: int) -> str:
    """A module of about `lines` lines: endpoints until the count is reached."""
    parts = [HEADER]
    count = HEADER.count("\n")
    n = 0
    while count < lines:
        block = (BLOCK_WITH_FINDINGS if n % 3 == 0 else BLOCK).format(n=n)
        if count + block.count("\n") > lines and n > 0:
            break
        parts.append(block)
        count += block.count("\n")
        n += 1
    text = "".join(parts)
    return text + "\n" * (lines - text.count("\n")) if text.count("\n") < lines else text


class Session:
    """A language server process and a client speaking JSON-RPC to it."""

    def __init__(self, command: list[str], root: Path) -> None:
        self.process = subprocess.Popen(
            command, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.inbox: queue.Queue[tuple[float, dict]] = queue.Queue()
        self.next_id = 0
        self.root = root
        self.published: list[int | None] = []  # the versions of every publishDiagnostics, in order
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            message = json.loads(stream.read(length))
            arrived = time.perf_counter()
            if "method" in message and "id" in message:  # a request from the server
                self._answer(message)
            if message.get("method") == "textDocument/publishDiagnostics":
                self.published.append(message["params"].get("version"))
            self.inbox.put((arrived, message))

    def _answer(self, message: dict) -> None:
        result = None
        if message["method"] == "workspace/configuration":
            result = [None for _ in message["params"]["items"]]
        self.send({"id": message["id"], "result": result})

    def send(self, message: dict) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return time.perf_counter()

    def notify(self, method: str, params: dict) -> float:
        return self.send({"method": method, "params": params})

    def request(self, method: str, params: dict) -> tuple[dict, float]:
        """The answer and how long it took, in seconds."""
        self.next_id += 1
        wanted = self.next_id
        sent = self.send({"id": wanted, "method": method, "params": params})
        arrived, message = self.wait(lambda m: m.get("id") == wanted and "method" not in m)
        return message, arrived - sent

    def wait(self, test) -> tuple[float, dict]:
        deadline = time.perf_counter() + TIMEOUT
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no answer")
            try:
                arrived, message = self.inbox.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("no answer") from None
            if test(message):
                return arrived, message

    def diagnostics(self, uri: str, version: int) -> tuple[float, dict]:
        """When the diagnostics of this version of the document arrived, and them."""

        def test(message: dict) -> bool:
            if message.get("method") != "textDocument/publishDiagnostics":
                return False
            params = message["params"]
            return params["uri"] == uri and params.get("version") in (version, None)

        return self.wait(test)

    def start(self) -> None:
        self.request("initialize", {
            "processId": None,
            "rootUri": self.root.as_uri(),
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {
                    "publishDiagnostics": {"versionSupport": True},
                    "synchronization": {"didSave": True},
                    "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}},
                },
            },
        })
        self.notify("initialized", {})

    def stop(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        except (TimeoutError, OSError, subprocess.TimeoutExpired, queue.Empty):
            self.process.kill()


class Typist:
    """Types one character at a time into a string literal in the middle of the file."""

    def __init__(self, session: Session, uri: str, text: str) -> None:
        self.session, self.uri, self.version = session, uri, 1
        lines = text.splitlines()
        middle = len(lines) // 2
        self.line = next(i for i in range(middle, len(lines)) if lines[i].lstrip().startswith('note = "'))
        self.column = len(lines[self.line]) - 1  # before the closing quote

    def key(self) -> float:
        self.version += 1
        at = {"line": self.line, "character": self.column}
        self.column += 1
        return self.session.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}],
        })


def measure(command: list[str], root: Path, path: Path, edits: int, bursts: int) -> dict[str, list[float]]:
    """Latencies in milliseconds, by what was timed."""
    text = path.read_text()
    uri = path.as_uri()
    session = Session(command, root)
    out: dict[str, list[float]] = {"change": [], "action": [], "burst": [], "published": []}
    try:
        session.start()
        sent = session.notify("textDocument/didOpen", {
            "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        arrived, published = session.diagnostics(uri, 1)
        out["open"] = [(arrived - sent) * 1000]
        typist = Typist(session, uri, text)
        for _ in range(edits):
            time.sleep(PAUSE_SECONDS)
            sent = typist.key()
            arrived, published = session.diagnostics(uri, typist.version)
            out["change"].append((arrived - sent) * 1000)
        found = published["params"]["diagnostics"]
        if found:
            target = found[len(found) // 2]
            for _ in range(edits):
                _, seconds = session.request("textDocument/codeAction", {
                    "textDocument": {"uri": uri},
                    "range": target["range"],
                    "context": {"diagnostics": [target], "only": ["quickfix"]},
                })
                out["action"].append(seconds * 1000)
        for _ in range(bursts):
            first = typist.version + 1
            for index in range(BURST_KEYS):
                sent = typist.key()
                if index < BURST_KEYS - 1:
                    time.sleep(BURST_SECONDS / (BURST_KEYS - 1))
            arrived, _ = session.diagnostics(uri, typist.version)
            out["burst"].append((arrived - sent) * 1000)
            time.sleep(0.3)  # let late publications in before counting them
            out["published"].append(len({v for v in session.published if v is not None and v >= first}))
    except TimeoutError:
        out["lost"] = [1]
    finally:
        session.stop()
    return out


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "-"


def p95(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]:.1f}"


def main() -> None:
    global TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20, help="keystrokes and code actions timed one by one")
    parser.add_argument("--bursts", type=int, default=3, help="bursts of 10 keystrokes in 0.5 s")
    parser.add_argument("--no-ruff", action="store_true", help="leave ruff server out")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds to wait for one answer")
    parser.add_argument("--lines", type=int, nargs="*", default=[50, 2000], help="sizes of the generated files")
    args = parser.parse_args()
    TIMEOUT = args.timeout

    servers = {"asynclint": [sys.executable, "-m", "asynclint", "server"]}
    ruff = shutil.which("ruff")
    if ruff and not args.no_ruff:
        servers["ruff server"] = [ruff, "server"]
    with tempfile.TemporaryDirectory(prefix="asynclint-lsp-bench-") as directory:
        root = Path(directory)
        (root / "pyproject.toml").write_text('[project]\nname = "service"\nversion = "0"\n')
        rows = []
        for lines in args.lines:
            path = root / f"service_{lines}.py"
            path.write_text(generate(lines))
            results = {name: measure(command, root, path, args.edits, args.bursts) for name, command in servers.items()}
            for what, label in [
                ("open", "didOpen -> diagnostics"),
                ("change", "didChange -> diagnostics"),
                ("action", "codeAction (quickfix, one line)"),
                ("burst", f"{BURST_KEYS} keys in {BURST_SECONDS} s: last key -> its diagnostics"),
            ]:
                cells = []
                for result in results.values():
                    if "lost" in result and not result.get(what):
                        cells.append(f"> {TIMEOUT:.0f} s")
                    elif what == "open":
                        cells.append(median(result.get(what, [])))
                    else:
                        cells.append(f"{median(result[what])} / {p95(result[what])}")
                rows.append((f"{lines} lines", label, cells))
            published = [median(r["published"]) if r["published"] or "lost" not in r else "-" for r in results.values()]
            rows.append((f"{lines} lines", f"versions published per burst (of {BURST_KEYS})", published))
    names = list(servers)
    print(f"ms, median / p95 over {args.edits} edits ({args.bursts} bursts)")
    print("| file | measure | " + " | ".join(names) + " |")
    print("|---|---|" + "---:|" * len(names))
    for size, label, cells in rows:
        print(f"| {size} | {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
