"""Lazy re-exports for package ``__init__`` modules (PEP 562).

A package lists which of its names come from which submodule; the submodule
is imported the first time one of its names is used.  ``import analysis``
and ``from analysis.corpus import clean`` therefore cost what they use:
nothing of pandas, lingua, torch or BERTopic is imported before it runs.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_exports(package: str, exports: Mapping[str, str]) -> tuple[Callable, Callable]:
    """Return ``__getattr__`` and ``__dir__`` for a package exporting ``exports``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : mapping of str to str
        Public name -> submodule (relative to ``package``) that defines it.

    Returns
    -------
    tuple of callable
        ``(__getattr__, __dir__)`` to assign in the package namespace.

    Examples
    --------
    >>> getattr_, dir_ = lazy_exports("analysis", {"SEED": "config"})
    >>> getattr_("SEED")
    42
    >>> "SEED" in dir_()
    True
    """

    def __getattr__(name: str):
        try:
            module = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        imported = importlib.import_module(f"{package}.{module}")
        value = imported if module == name else getattr(imported, name)
        vars(sys.modules[package])[name] = value  # resolved once; later lookups are plain
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__


def resolve_all(package) -> None:
    """Import every lazily exported name of ``package`` now (for documentation tools)."""
    for name in getattr(package, "__all__", ()):
        getattr(package, name)
