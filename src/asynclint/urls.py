"""Where asynclint's pages are: its home page, and each rule's page,
`{docs-url}/rules/{CODE}.md`.

Both come from the installed package's `[project.urls]` (pyproject.toml),
the one place the project says where it lives; the `docs-url` setting moves
the rule pages (a copy of the docs on an internal network).
"""

from __future__ import annotations

from functools import cache


@cache
def project_urls() -> dict[str, str]:
    """The installed asynclint's `[project.urls]`, by lower-case label (read
    only when a link is written: importing importlib.metadata takes a while)."""
    from importlib import metadata

    try:
        entries = metadata.metadata("asynclint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return {}
    return {label.strip().lower(): url.strip() for label, _, url in (entry.partition(",") for entry in entries)}


def rule_url(code: str, docs_url: str | None = None) -> str | None:
    """The page of rule `code` under `docs_url` (default: the project's own documentation)."""
    base = docs_url or project_urls().get("documentation")
    return f"{base.rstrip('/')}/rules/{code}.md" if base else None
