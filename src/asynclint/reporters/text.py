"""Text for people and editors: `concise` is `path:line:col: CODE message`
(what Vim, Emacs and VS Code problem matchers parse); `full` adds the
source line with a caret under the finding."""

from __future__ import annotations

import linecache

from asynclint.reporters import Run


def concise(run: Run) -> str:
    lines = [
        f"{run.display_path(d.path)}:{d.start.line}:{d.start.column}: {d.code} {d.message}"
        for d in run.diagnostics
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def _source_line(path: str, line: int) -> str | None:
    text = linecache.getline(path, line)
    return text.rstrip("\r\n") if text else None


def full(run: Run) -> str:
    out = []
    for d in run.diagnostics:
        out.append(f"{run.display_path(d.path)}:{d.start.line}:{d.start.column}: {d.code} {d.message}")
        source = _source_line(d.path, d.start.line)
        if source is not None:
            number = str(d.start.line)
            gutter = " " * len(number)
            if d.end.line == d.start.line:
                width = max(1, d.end.column - d.start.column)
            else:
                width = max(1, len(source) - d.start.column + 1)
            # Expand tabs the same way in the line and the caret's indent.
            prefix = source[: d.start.column - 1]
            indent = "".join("\t" if ch == "\t" else " " for ch in prefix)
            out.append(f"{gutter} |")
            out.append(f"{number} | {source}")
            out.append(f"{gutter} | {indent}{'^' * width}")
        out.append("")
    return "\n".join(out)


def summary(run: Run) -> str:
    count = len(run.diagnostics)
    if count == 0:
        return "All checks passed!"
    return f"Found {count} error{'s' if count != 1 else ''}."
