"""Checking many files: cached results first, so that a warm run needs
neither libcst nor a process pool; then the rest, each module before the
modules importing it, in parallel (see `engine.check_in_parallel`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from asynclint.cache import result_cache
from asynclint.config import Settings
from asynclint.diagnostics import FileResult
from asynclint.modules import absolute_in, module_name_for

# `from pkg import mod, other` (names on the same line) or `import pkg.mod`
_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t(]+([\w, \t]*)|import[ \t]+([\w.]+))", re.MULTILINE
)


def callees_first(files: list[str]) -> list[str]:
    """The files ordered so that a module comes before the modules importing
    it (cycles broken anywhere): when an importer asks about the module, the
    worker that checked it knows its model already, and the first worker to
    read it from disk stores it for the others."""
    by_module = {module_name_for(path): path for path in files}
    imports: dict[str, list[str]] = {}
    for module, path in by_module.items():
        try:
            with open(path, "rb") as handle:
                text = handle.read()
        except OSError:
            text = b""
        found = []
        for source, names, plain in _IMPORT.findall(text):
            base = absolute_in(module, path.endswith("__init__.py"), (source or plain).decode("ascii", "replace"))
            found.append(base)
            # `from pkg import mod` may name a module too
            found += [f"{base}.{n.split()[0]}".strip(".") for n in names.decode("ascii", "replace").split(",") if n.strip()]
        imports[module] = found
    order: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        stack = [(module, iter(imports.get(module, ())))]
        done.add(module)
        while stack:
            current, pending = stack[-1]
            for name in pending:
                if name in by_module and name not in done:
                    done.add(name)
                    stack.append((name, iter(imports.get(name, ()))))
                    break
            else:
                stack.pop()
                order.append(by_module[current])

    for module in by_module:
        if module not in done:
            visit(module)
    placed = set(order)
    return order + [path for path in files if path not in placed]


def check_paths(
    files: list[str],
    settings: Settings,
    jobs: int | None = None,
    fix_edits: bool = False,
    cache_dir: str | None = None,
    on_done: Callable[[bool], None] | None = None,
) -> list[FileResult]:
    """Check files, reusing cached results from `cache_dir` when given;
    `on_done(cached)` is told of each file's result (a progress line).

    Cached results are read here, before any worker starts: a warm run with
    nothing changed needs no process pool at all."""
    checked_one = (lambda: on_done(False)) if on_done is not None else None

    def hit() -> None:
        if on_done is not None:
            on_done(True)

    def check_all(paths: list[str]) -> dict[str, FileResult]:
        if not paths:
            return {}
        # libcst comes with the engine: imported only when a file needs checking
        from asynclint.engine import check_in_parallel

        ordered = callees_first(paths)
        return dict(zip(ordered, check_in_parallel(ordered, settings, jobs, fix_edits, cache_dir, checked_one)))

    if cache_dir is None:
        checked = check_all(files)
        return [checked[path] for path in files]
    cache = result_cache(cache_dir, settings, fix_edits)
    results: dict[str, FileResult] = {}
    sources: dict[str, bytes] = {}
    for path in files:
        cached = cache.load_unchanged(path)
        if cached is not None:
            results[path] = cached
            hit()
            continue
        try:
            with open(path, "rb") as handle:
                sources[path] = handle.read()
        except OSError:
            continue
        cached = cache.load(path, sources[path])
        if cached is not None:
            results[path] = cached
            hit()
    # Files unchanged themselves whose consulted modules changed wait until the
    # changed files are checked: most entries still hold.
    waiting = [p for p in files if p not in results and p in sources and cache.content_matches(p, sources[p])]
    misses = [p for p in files if p not in results and p not in waiting]
    results.update(check_all(misses))
    if waiting:
        from asynclint.engine import process_checker

        checker = process_checker(settings, fix_edits, cache_dir)
        for path in waiting:
            cached = cache.load(path, sources[path], checker.digest_of(checker.project_for(path)))
            if cached is not None:
                results[path] = cached
                hit()
    results.update(check_all([p for p in waiting if p not in results]))
    return [results[path] for path in files]
