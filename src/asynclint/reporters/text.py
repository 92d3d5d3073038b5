"""Text for people and editors: `concise` is `path:line:col: CODE message`
(what Vim, Emacs and VS Code problem matchers parse); `full` adds the
source line with a caret under the finding, and a footer with the rule's page."""

from __future__ import annotations

from asynclint.reporters import Run, one_line

# ANSI styles, as ruff's text output uses them: the path bold, the code red
# and bold, `[*]` cyan, the gutter blue, the caret red.
BOLD, RED_BOLD, CYAN, BLUE, RED, RESET = "\033[1m", "\033[1;31m", "\033[36m", "\033[34m", "\033[31m", "\033[0m"


def _paint(run: Run, style: str, text: str) -> str:
    return f"{style}{text}{RESET}" if run.color else text


def _headline(run: Run, d) -> str:
    mark = " " + _paint(run, CYAN, "[*]") if run.fixable(d) else ""
    where = _paint(run, BOLD, run.display_path(d.path))
    return f"{where}:{d.start.line}:{d.start.column}: {_paint(run, RED_BOLD, d.code)}{mark} {one_line(d.message)}"


def concise(run: Run) -> str:
    lines = [_headline(run, d) for d in run.diagnostics]
    return "\n".join(lines) + ("\n" if lines else "")


def full(run: Run) -> str:
    out = []
    for d in run.diagnostics:
        out.append(_headline(run, d))
        source = run.source_line(d.path, d.start.line)
        number = str(d.start.line)
        gutter = " " * len(number)
        if source is not None:
            if d.end.line == d.start.line:
                width = max(1, d.end.column - d.start.column)
            else:
                width = max(1, len(source) - d.start.column + 1)
            # Expand tabs the same way in the line and the caret's indent.
            prefix = source[: d.start.column - 1]
            indent = "".join("\t" if ch == "\t" else " " for ch in prefix)
            bar = _paint(run, BLUE, "|")
            out.append(f"{gutter} {bar}")
            out.append(f"{_paint(run, BLUE, number)} {bar} {source}")
            out.append(f"{gutter} {bar} {indent}{_paint(run, RED, '^' * width)}")
        url = run.rule_url(d.code)
        if url is not None:
            out.append(f"{gutter} {_paint(run, BLUE, '=')} docs: {url}")
        out.append("")
    return "\n".join(out)


def summary(run: Run) -> str:
    """`Found 7 errors (3 fixed, 4 remaining).` plus what `--fix` could do."""
    remaining = len(run.diagnostics)
    total = remaining + run.fixed
    if total == 0:
        return "All checks passed!"
    if run.fixed:
        lines = [f"Found {total} error{'s' if total != 1 else ''} ({run.fixed} fixed, {remaining} remaining)."]
    else:
        lines = [f"Found {total} error{'s' if total != 1 else ''}."]
    fixable = sum(1 for d in run.diagnostics if run.fixable(d))
    hidden = sum(1 for d in run.diagnostics if d.fix is not None and not run.fixable(d))
    if fixable:
        lines.append(f"[*] {fixable} fixable with the `--fix` option.")
    if hidden:
        lines.append(f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` option.")
    return "\n".join(lines)


def pylint(run: Run) -> str:
    """pylint's parseable format: `path:line: [CODE] message`."""
    return "".join(f"{run.display_path(d.path)}:{d.start.line}: [{d.code}] {one_line(d.message)}\n" for d in run.diagnostics)
