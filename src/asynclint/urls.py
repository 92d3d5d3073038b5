"""Where a rule's documentation page is: `{docs-url}/rules/{CODE}.md`.

The base is the `docs-url` setting, else the `Documentation` entry of the
installed package's `[project.urls]` (pyproject.toml), so that the one place
the project says where its documentation lives is its metadata.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata


@cache
def default_docs_url() -> str | None:
    """The `Documentation` URL of the installed asynclint, if it declares one."""
    try:
        entries = metadata.metadata("asynclint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation":
            return url.strip()
    return None


def rule_url(code: str, docs_url: str | None = None) -> str | None:
    """The page of rule `code` under `docs_url` (default: the project's own documentation)."""
    base = docs_url or default_docs_url()
    return f"{base.rstrip('/')}/rules/{code}.md" if base else None
