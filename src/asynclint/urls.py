"""Where asynclint's pages are: its home page, and each rule's page,
`{docs-url}/rules/{CODE}.md`.

Both come from the installed package's `[project.urls]` (pyproject.toml),
the one place the project says where it lives; the `docs-url` setting moves
the rule pages (a copy of the docs on an internal network).
"""

from __future__ import annotations

import os
import sys
from functools import cache

from asynclint import __version__


@cache
def project_urls() -> dict[str, str]:
    """The installed asynclint's `[project.urls]`, by lower-case label."""
    header = _installed_metadata()
    if header is None:
        from importlib import metadata

        try:
            entries = metadata.metadata("asynclint").get_all("Project-URL") or []
        except metadata.PackageNotFoundError:
            return {}
    else:
        entries = [line.partition(":")[2] for line in header.splitlines() if line.startswith("Project-URL:")]
    return {label.strip().lower(): url.strip() for label, _, url in (entry.partition(",") for entry in entries)}


def _installed_metadata() -> str | None:
    """The header of this version's `METADATA` in its `.dist-info` folder on
    `sys.path`, where an install (editable or not) puts it; None when there is
    none (then importlib.metadata looks, whose import with the email parser
    costs a tenth of a small run)."""
    folder = f"asynclint-{__version__}.dist-info"
    for entry in sys.path:
        try:
            with open(os.path.join(entry or ".", folder, "METADATA"), encoding="utf-8") as handle:
                return handle.read().partition("\n\n")[0]
        except OSError:
            continue
    return None


def rule_url(code: str, docs_url: str | None = None) -> str | None:
    """The page of rule `code` under `docs_url` (default: the project's own documentation)."""
    base = docs_url or project_urls().get("documentation")
    return f"{base.rstrip('/')}/rules/{code}.md" if base else None
