"""Module names: of a file, from its package directories, and of a
relative import, from the importing module's name."""

from __future__ import annotations

import os
from pathlib import Path


def module_name_for(path: str) -> str:
    """A dotted module name from the file's package directories (`pkg.sub.mod`)."""
    p = Path(os.path.abspath(path))
    parts = [] if p.stem == "__init__" else [p.stem]
    directory = p.parent
    while (directory / "__init__.py").is_file() and directory != directory.parent:
        parts.append(directory.name)
        directory = directory.parent
    return ".".join(reversed(parts)) or p.stem


def absolute_in(module: str, is_package: bool, qualname: str) -> str:
    """A relative import target (`..utils.helper`) resolved against the
    importing module's package (`is_package`: that module is an `__init__.py`)."""
    if not qualname.startswith("."):
        return qualname
    dots = len(qualname) - len(qualname.lstrip("."))
    package = module.split(".")
    if not is_package:
        package = package[:-1]
    base = package[: len(package) - (dots - 1)] if dots > 1 else package
    rest = qualname[dots:]
    return ".".join([*base, rest]) if rest else ".".join(base)
