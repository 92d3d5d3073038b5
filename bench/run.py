"""Benchmark asynclint against the libcst parse floor and ruff on a pinned
corpus of real async code (sdists from PyPI, verified by sha256).

    python bench/run.py [--corpus DIR] [--flake8]

Downloads the corpus into bench/corpus/ on first use (pip download, no
install), then times in one run: parsing every file with libcst in one
process (the floor our stack cannot beat per core), asynclint cold
(--no-cache, whole catalog), warm (nothing changed), warm with one changed
file, ruff's ASYNC rules, and optionally flake8 with flake8-async. Prints a
table with ratios and peak memory. A script, not a test: timings need a
quiet machine.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name, version, sdist file, sha256
CORPUS = [
    ("fastapi", "0.165.0", "fastapi-0.165.0.tar.gz", "dd94d4128319c1e1d50535ab023ab698f850a4d2822f0e181747b46f4ff3c0ab"),
    ("starlette", "1.10.0", "starlette-1.10.0.tar.gz", "b8399098d4c1e3522734f7235dc79b1fc967f96cf139c81e0fa30479e0685f9b"),
    ("httpx", "0.28.1", "httpx-0.28.1.tar.gz", "75e98c5f16b0f35b567856f597f06ff2270a374470a5c2392242528e3e3e42fc"),
    ("aiohttp", "3.14.5", "aiohttp-3.14.5.tar.gz", "5558a7f5a05af9ecf744af91e5baefc436f93c9333e656c27ec253f9a6bbe178"),
    ("uvicorn", "0.54.0", "uvicorn-0.54.0.tar.gz", "a2e33cbfaa0306f8e6b0c13e0cb89d7d7a2da3e62b90c66e18c33d9807b28620"),
    ("litestar", "2.25.0", "litestar-2.25.0.tar.gz", "7fad91fcd89367fcd26534ab19b6b05763cc67ab9574baa914546089e1ed1fb4"),
    ("fastapi-users", "15.0.5", "fastapi_users-15.0.5.tar.gz", "097f69701894e650c346df89b1cdb0a09cf139234f4cb9a8ece275af4e98e202"),
    ("sqlmodel", "0.0.50", "sqlmodel-0.0.50.tar.gz", "8828720c5b6c397df72cdd055286846a352b614da80c1ba05ab7a57b2bb90821"),
    ("prefect", "3.9.1", "prefect-3.9.1.tar.gz", "56f091cd49a06e6c3f98eea93648208f6750361d1dd0aeb60b5faa0e9cb5c458"),
    ("aiogram", "3.31.0", "aiogram-3.31.0.tar.gz", "f2c5064fe52d88898c86af62261c405440a014216e45dd99b2c6555a5602ce30"),
]


def fetch_corpus(dest: Path) -> None:
    """Download, verify and unpack the pinned sdists into dest (once)."""
    dest.mkdir(parents=True, exist_ok=True)
    downloads = dest / "_sdist"
    downloads.mkdir(exist_ok=True)
    for name, version, filename, sha in CORPUS:
        target = dest / filename.removesuffix(".tar.gz")
        if target.exists():
            continue
        archive = downloads / filename
        if not archive.exists():
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                 f"{name}=={version}", "-d", str(downloads)],
                check=True,
            )
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        if digest != sha:
            raise SystemExit(f"{filename}: sha256 {digest} does not match the pin {sha}")
        with tarfile.open(archive) as tar:
            tar.extractall(dest, filter="data")


def python_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.py") if "_sdist" not in p.parts)


_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds, and the peak resident MB of the largest process the command ran."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed, int(done.stdout.strip().splitlines()[-1]) / 1024


def parse_floor(files: list[Path]) -> float:
    code = (
        "import sys, libcst\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n        libcst.parse_module(open(name, 'rb').read())\n"
        "    except Exception:\n        pass\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(map(str, files)))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code.replace("sys.argv[1:]", f"open({listing.name!r}).read().split()")])
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--flake8", action="store_true", help="also time flake8 + flake8-async (minutes)")
    args = parser.parse_args()
    fetch_corpus(args.corpus)
    files = python_files(args.corpus)
    lines = sum(len(p.read_bytes().splitlines()) for p in files)
    print(f"corpus: {len(files)} files, {lines} lines, {os.cpu_count()} CPUs")

    asynclint = [sys.executable, "-m", "asynclint", "--select", "AL", "--preview", "--exit-zero", "-q",
                 "--output-format", "concise", "--no-respect-gitignore"]
    cache = Path(tempfile.mkdtemp(prefix="asynclint-bench-cache-"))
    rows = []
    floor = parse_floor(files)
    rows.append(("libcst parse floor (1 process)", floor, None))
    rows.append(("asynclint cold (--no-cache)", *timed([*asynclint, "--no-cache", "."], args.corpus)))
    rows.append(("asynclint first run (fills cache)", *timed([*asynclint, "--cache-dir", str(cache), "."], args.corpus)))
    rows.append(("asynclint warm (nothing changed)", *timed([*asynclint, "--cache-dir", str(cache), "."], args.corpus)))
    changed = next(p for p in files if "fastapi-0.165.0/fastapi/routing.py" in str(p))
    original = changed.read_bytes()
    try:
        changed.write_bytes(original + b"\n# touched by the benchmark\n")
        rows.append(("asynclint warm, one file changed", *timed([*asynclint, "--cache-dir", str(cache), "."], args.corpus)))
    finally:
        changed.write_bytes(original)
    tools = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")  # the venv's, if not activated
    ruff = shutil.which("ruff", path=tools)
    if ruff:
        rows.append(("ruff check --select ASYNC --no-cache", *timed([ruff, "check", "--select", "ASYNC", "--no-cache",
                                                                    "--exit-zero", "--quiet", "."], args.corpus)))
    flake8 = shutil.which("flake8", path=tools)
    if args.flake8 and flake8:
        rows.append(("flake8 + flake8-async", *timed([flake8, "--select", "ASYNC", "--exit-zero", "."], args.corpus)))
    shutil.rmtree(cache, ignore_errors=True)

    print("\n| run | seconds | x parse floor | x ruff | peak MB (largest process) |\n|---|---:|---:|---:|---:|")
    ruff_time = next((t for name, t, _ in rows if name.startswith("ruff")), None)
    for name, seconds, peak in rows:
        vs_ruff = f"{seconds / ruff_time:.1f}" if ruff_time else "-"
        print(f"| {name} | {seconds:.2f} | {seconds / floor:.2f} | {vs_ruff} | {peak:.0f} |" if peak is not None
              else f"| {name} | {seconds:.2f} | 1.00 | {vs_ruff} | - |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
