"""Measure where libcst's parser breaks on the shapes the parse guard masks
(asynclint/guard.py): each shape at growing sizes, parsed in its own process
with a time limit, printing the outcome and the time.

    python scripts/parse_limits.py [--time-limit SECONDS]
"""

from __future__ import annotations

import argparse
import subprocess
import sys

# shape: (Python code building the source for a size n, the sizes tried)
SHAPES = {
    "sum": ("'x = ' + ' + '.join(['1'] * n)", (250, 500, 1000, 2000)),
    "call chain": ("'x = a' + '.m()' * n", (150, 300, 600)),
    "and chain": ("'x = ' + ' and '.join(['a'] * n)", (2000, 5000, 10000, 20000)),
    "concatenation": ("'x = (' + chr(10).join(['\\'piece\\''] * n) + ')'", (1000, 2000, 3000, 5000)),
}

PARSE = """
import sys, time, libcst
n = {size}
source = {expression}
start = time.perf_counter()
try:
    libcst.parse_module(source + "\\n")
    outcome = "parsed"
except libcst.ParserSyntaxError:
    outcome = "rejected as a syntax error"
print(outcome, f"{{time.perf_counter() - start:.2f}} s")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0)
    limit = parser.parse_args().time_limit
    for shape, (expression, sizes) in SHAPES.items():
        for size in sizes:
            code = PARSE.format(expression=expression, size=size)
            print(f"{shape:>14} {size:>6}: ", end="", flush=True)
            try:
                done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=limit)
            except subprocess.TimeoutExpired:
                print(f"still parsing after {limit:.0f} s")
                continue
            print(done.stdout.strip() if done.returncode == 0 else f"crashed (exit status {done.returncode})")


if __name__ == "__main__":
    main()
