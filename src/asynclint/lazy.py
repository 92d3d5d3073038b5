"""libcst, imported when a file has to be parsed, not before.

A run whose changed files no rule can fire on (see `asynclint.screen`)
needs the rules and their screens, not libcst, whose import costs a
quarter of a second: most of a pre-commit run over a file or two. Modules
write `from asynclint.lazy import cst` instead of `import libcst as cst`,
and build tables of libcst classes on first use (`functools.cache`), not
when they are imported.
"""

from __future__ import annotations

import importlib
import types


class _Libcst(types.ModuleType):
    """Stands for the libcst module: the first name looked up imports it and
    copies its names here, so later look-ups cost what a module's do."""

    def __getattr__(self, name: str):
        real = importlib.import_module("libcst")
        self.__dict__.update(real.__dict__)
        return getattr(real, name)


cst = _Libcst("libcst")
