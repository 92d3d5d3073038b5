"""Time asynclint's startup: the whole run on a three-line file, as a
pre-commit hook or an editor's "lint on save" sees it.

    python bench/startup.py [--runs N] [--importtime]

Each case runs N times (default 15) in a fresh process, in turns, in a
temporary folder: a file with one finding (`time.sleep` in a coroutine)
and a clean file, both with `--no-cache`; the file with a finding with the
cache warm; `--fix` on a copy of a file with a fixable finding each time;
`python -c pass`, the interpreter's own floor, and libcst's import alone,
the floor of any run that parses a file. Bytecode is cached
(`PYTHONDONTWRITEBYTECODE` is dropped, and each case runs once first), as
for an installed package. It prints the median and
the range of wall-clock seconds, and the median CPU seconds (user + system,
of the process alone: less sensitive than wall time to other work on the
machine). The target is 0.3 s wall for the file with a finding and no
cache. `--importtime` also prints, for one such run (`python -X
importtime`), the import time of each distribution (libcst, asynclint,
click, the standard library) and the ten slowest modules, each by its own
time without what it imports: the rules and libcst itself are imported by
`importlib.import_module`, which `-X importtime` does not time, so only
their submodules appear. A script, not a test: timings need a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FINDING = "import time\n\nasync def handler():\n    time.sleep(1)\n"
CLEAN = "import asyncio\n\nasync def handler():\n    await asyncio.sleep(1)\n"
FIXABLE = "import asyncio\n\nasync def handler():\n    loop = asyncio.get_event_loop()\n    return loop\n"
TARGET_SECONDS = 0.3
# libcst imported as a run imports it: with its objects set aside before the collection at exit
IMPORT_LIBCST = "import atexit, gc; atexit.register(gc.freeze); import libcst"


# as an installed package runs: its bytecode written once and read after
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _timed(command: list[str], cwd: Path, before=None) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `command`."""
    if before is not None:
        before()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENVIRONMENT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)  # the child's own usage, to the microsecond (os.times() counts in ticks)
    wall = time.perf_counter() - start
    process.returncode = 0  # reaped above
    return wall, usage.ru_utime + usage.ru_stime


def _import_times(command: list[str], cwd: Path, count: int = 10) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Microseconds of import time, each module's own: summed per distribution,
    and the `count` slowest modules, of one run."""
    run = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]], cwd=cwd, env=ENVIRONMENT, capture_output=True, text=True, check=False
    )
    modules = []
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        if own.strip().isdigit():
            modules.append((int(own), name.strip()))
    totals: dict[str, int] = {}
    for micros, name in modules:
        top = name.split(".")[0]
        group = top if top in ("libcst", "asynclint", "click") else "the standard library and the rest"
        totals[group] = totals.get(group, 0) + micros
    return totals, sorted(modules, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--importtime", action="store_true", help="print the slowest imports of one run")
    args = parser.parse_args()
    python = sys.executable
    lint = [python, "-m", "asynclint"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "finding.py").write_text(FINDING)
        (folder / "clean.py").write_text(CLEAN)
        (folder / "fixable.py").write_text(FIXABLE)

        def fresh_copy() -> None:
            shutil.copyfile(folder / "fixable.py", folder / "to_fix.py")

        cases = [
            ("python -c pass (floor)", [python, "-c", "pass"], None),
            ("import libcst (parse floor)", [python, "-c", IMPORT_LIBCST], None),
            ("a finding, --no-cache", [*lint, "--no-cache", "finding.py"], None),
            ("clean file, --no-cache", [*lint, "--no-cache", "clean.py"], None),
            ("a finding, cache warm", [*lint, "finding.py"], None),
            ("--fix, --no-cache", [*lint, "--no-cache", "--fix", "to_fix.py"], fresh_copy),
        ]
        for _, command, before in cases:  # bytecode written, the cache filled
            _timed(command, folder, before)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in cases}
        for _ in range(args.runs):
            for name, command, before in cases:
                times[name].append(_timed(command, folder, before))
        print(f"{args.runs} runs each, in turns; seconds (load average {os.getloadavg()[0]:.1f})\n")
        print("| run | wall median | wall range | CPU median |")
        print("|---|---:|---:|---:|")
        for name, _, _ in cases:
            walls = [w for w, _ in times[name]]
            cpus = [c for _, c in times[name]]
            print(f"| {name} | {statistics.median(walls):.3f} | {min(walls):.3f}-{max(walls):.3f} | {statistics.median(cpus):.3f} |")
        finding = statistics.median(w for w, _ in times["a finding, --no-cache"])
        verdict = "within" if finding < TARGET_SECONDS else "over"
        print(f"\na finding, --no-cache: {finding:.3f} s, {verdict} the {TARGET_SECONDS} s target")
        if args.importtime:
            totals, slowest = _import_times([*lint, "--no-cache", "finding.py"], folder)
            print("\nimports of `asynclint --no-cache finding.py`, each module's own ms:")
            for group, micros in sorted(totals.items(), key=lambda item: -item[1]):
                print(f"  {micros / 1000:8.1f}  {group}")
            print("slowest modules:")
            for micros, name in slowest:
                print(f"  {micros / 1000:8.1f}  {name}")


if __name__ == "__main__":
    main()
