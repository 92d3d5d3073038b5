"""Time `--fix` against a plain check on generated files with many fixable
findings, to show the fix loop stays linear in their number.

Each file is a module of `async def`s, each holding a few statements with a
safe fix (`time.sleep`, `asyncio.get_event_loop()`, a timeout block that
never awaits, a stale `# noqa`); `--shape` picks how they are laid out. The
check and the fix each run in a process of their own, in turns, timed as
CPU time of that process (this machine is shared: CPU time drifts less than
wall time).

    python scripts/fix_timing.py [--sizes 2500 5000 10000] [--shape mixed|one-per-def|many-per-def] [--unfixable] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HEADER = ["import asyncio", "import time", ""]

# Statements with a safe fix each, as lines of a def's body (one finding per item).
SNIPPETS = [
    ["time.sleep(1)"],
    ["loop = asyncio.get_event_loop()"],
    ["async with asyncio.timeout(1):", "    total = 1"],
    ["await asyncio.sleep(0)  # noqa: AL102"],
]

SHAPES = {"mixed": 5, "one-per-def": 1, "many-per-def": 50}  # findings per def


# A finding without a fix, which the check after each round finds again.
UNFIXABLE = 'open("data.txt").read()'


def generated(findings: int, per_def: int, unfixable: bool = False) -> str:
    lines = list(HEADER)
    for number in range(findings):
        if number % per_def == 0:
            lines += ["", f"async def handler_{number}():"]
            if unfixable:
                lines.append("    " + UNFIXABLE)
        lines += ["    " + line for line in SNIPPETS[number % len(SNIPPETS)]]
    return "\n".join(lines) + "\n"


MEASURE = """
import json, sys, time
from asynclint.config import Settings
from asynclint.engine import Checker
from asynclint.fixes import fix_source, parses

path, mode = sys.argv[1], sys.argv[2]
source = open(path, "rb").read()
checker = Checker(Settings())
cpu, wall = time.process_time(), time.perf_counter()
if mode == "check":
    found = len(checker.analyze(source, path).result.diagnostics)
    fixed = 0
else:
    outcome = fix_source(checker, source, path)
    found, fixed = len(outcome.final.result.diagnostics), len(outcome.applied)
    assert parses(outcome.source)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "found": found, "fixed": fixed}))
"""


def measure(path: Path, mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), mode], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 5000, 10000])
    parser.add_argument("--shape", choices=SHAPES, default="mixed")
    parser.add_argument("--unfixable", action="store_true", help="also one finding without a fix in each def")
    parser.add_argument("--rounds", type=int, default=1, help="check and fix this many times each, in turns (best kept)")
    arguments = parser.parse_args()
    extra = ", and one without a fix" if arguments.unfixable else ""
    print(f"shape: {arguments.shape} ({SHAPES[arguments.shape]} fixable findings per def{extra}); CPU seconds, best of {arguments.rounds}")
    print(f"{'findings':>8} {'check':>8} {'fix':>8} {'fix/check':>9}  found / fixed / left")
    with tempfile.TemporaryDirectory() as directory:
        for size in arguments.sizes:
            path = Path(directory, f"generated_{size}.py")
            path.write_text(generated(size, SHAPES[arguments.shape], arguments.unfixable))
            checks, fixes = [], []
            for _ in range(arguments.rounds):
                checks.append(measure(path, "check"))
                fixes.append(measure(path, "fix"))
            check = min(checks, key=lambda run: run["cpu"])
            fix = min(fixes, key=lambda run: run["cpu"])
            ratio = fix["cpu"] / check["cpu"]
            print(f"{size:>8} {check['cpu']:>8.2f} {fix['cpu']:>8.2f} {ratio:>9.2f}  {check['found']} / {fix['fixed']} / {fix['found']}", flush=True)


if __name__ == "__main__":
    main()
