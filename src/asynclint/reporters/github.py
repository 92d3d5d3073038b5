"""GitHub Actions workflow commands: annotations on the pull request."""

from __future__ import annotations

from asynclint.reporters import Run


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(run: Run) -> str:
    """`::error title=...,file=...,line=...::message`; columns only on one-line ranges."""
    out = []
    for d in run.diagnostics:
        props = [
            f"title={_escape_property(f'asynclint ({d.code})')}",
            f"file={_escape_property(run.ci_path(d.path))}",
            f"line={d.start.line}",
            f"endLine={d.end.line}",
        ]
        if d.start.line == d.end.line:
            props[3:3] = [f"col={d.start.column}"]
            props.append(f"endColumn={d.end.column}")
        out.append(f"::error {','.join(props)}::{_escape_data(f'{d.code} {d.message}')}")
    return "".join(line + "\n" for line in out)
