"""Modules whose own code runs only when something they define is first read.

Reading a PDF imports pdfminer, and pdfminer imports more than a check uses:
its package ``__init__`` looks up its own version through importlib.metadata
(which brings email, zipfile, csv and socket: about 30 ms), and pdfminer.utils
imports charset_normalizer (about 10 ms) for a fallback decoding budgetaudit
never reaches. A fresh process checking a short PDF spends a tenth of its time
there.

``defer(name)`` registers such a module in ``sys.modules`` before anything
imports it, as a module object with its import system attributes (``__spec__``,
``__path__``, ``__file__``) but without having run its code. Importing its
submodules needs only those, so ``import pdfminer.pdfinterp`` works as before.
The first read of any other attribute (``pdfminer.__version__``,
``charset_normalizer.detect``) runs the module's code, in its own namespace,
exactly as the import would have, and from then on the module is an ordinary
one. A name that is a submodule (``from pdfminer import settings``) is left to
the import system, which imports that submodule as it always does.

Nothing is deferred when the module is already imported, cannot be found, or
is not loaded from source or bytecode by the standard loaders.

A module that another imports names from (``from cryptography... import
Cipher``) cannot be deferred so: the import reads the names at once.
``stand_ins`` covers that case for one import: while it runs, such a module
is represented by a stand-in whose names are ``Standing`` proxies, which
import the real module and hand over to its object when first called or read;
afterwards the stand-ins are gone from ``sys.modules``, so every later import
gets the real module, and only the module imported meanwhile holds proxies.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from types import ModuleType
from typing import Iterator


class _Deferred(ModuleType):
    """A module whose code has not run yet; it runs on the first miss."""

    def __getattr__(self, attr: str):
        if _is_submodule(self, attr):
            raise AttributeError(attr)  # the import system imports it
        _run(self)
        return getattr(self, attr)

    def __dir__(self):
        _run(self)
        return dir(self)


def _run(module: ModuleType) -> None:
    """Run the module's code in its namespace, once; then it is ordinary."""
    if module.__class__ is not _Deferred:
        return
    module.__class__ = ModuleType
    try:
        module.__spec__.loader.exec_module(module)
    except BaseException:
        # as a failed import does: the half-made module is not kept
        if sys.modules.get(module.__name__) is module:
            del sys.modules[module.__name__]
        raise


def _is_submodule(module: ModuleType, attr: str) -> bool:
    locations = getattr(module.__spec__, "submodule_search_locations", None)
    if not locations or not attr.isidentifier():
        return False
    from importlib.machinery import PathFinder

    return PathFinder.find_spec(f"{module.__name__}.{attr}", list(locations)) is not None


def defer(*names: str) -> None:
    """Register each top-level module of `names` to run on first use."""
    from importlib.machinery import SourceFileLoader, SourcelessFileLoader
    from importlib.util import find_spec, module_from_spec

    for name in names:
        if name in sys.modules or "." in name:
            continue
        spec = find_spec(name)
        if spec is None or not isinstance(spec.loader, (SourceFileLoader, SourcelessFileLoader)):
            continue
        module = module_from_spec(spec)
        module.__class__ = _Deferred
        sys.modules[name] = module


_STAND_IN = "__stand_in__"


class Standing:
    """Name `name` of module `module`, imported (and looked up) on first use."""

    __slots__ = ("_module", "_name")

    def __init__(self, module: str, name: str) -> None:
        self._module, self._name = module, name

    def _real(self):
        import importlib

        if getattr(sys.modules.get(self._module), _STAND_IN, False):
            del sys.modules[self._module]  # used while still standing in: make way
        return getattr(importlib.import_module(self._module), self._name)

    def __call__(self, *args, **kwargs):
        return self._real()(*args, **kwargs)

    def __getattr__(self, attr: str):
        return getattr(self._real(), attr)

    def __repr__(self) -> str:
        return f"<{self._module}.{self._name}, not imported yet>"


@contextmanager
def stand_ins(names: dict[str, tuple[str, ...]]) -> Iterator[None]:
    """While the block runs, each module of `names` (module -> the names taken
    from it) that is not imported yet but can be found has a stand-in in
    sys.modules offering those names as Standing proxies."""
    from importlib.util import find_spec

    placed = []
    for module, taken in names.items():
        top = module.split(".")[0]
        if module in sys.modules or top in sys.modules or find_spec(top) is None:
            continue
        stand_in = ModuleType(module)
        stand_in.__dict__.update({name: Standing(module, name) for name in taken})
        setattr(stand_in, _STAND_IN, True)
        sys.modules[module] = stand_in
        placed.append((module, stand_in))
    try:
        yield
    finally:
        for module, stand_in in placed:
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]


def is_deferred(name: str) -> bool:
    """Whether module `name` is registered and its code has not run yet."""
    return sys.modules.get(name).__class__ is _Deferred
