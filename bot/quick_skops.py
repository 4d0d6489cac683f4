"""Importing `skops.io` (how Rasa saves and loads the intent classifier) without its long sys.modules scans.

On import, `skops.io._trusted_types` names every NumPy and SciPy ufunc it trusts. Ufuncs have no
`__module__`, so for each of several hundred of them `skops.io._utils.whichmodule` walks all of
`sys.modules` asking each module for the name, and with TensorFlow loaded (as in every Rasa process)
that is about 5,300 modules, most answering with an AttributeError: 6 s on a 2-core machine, paid once
by `make train` (at the model's save) and once by every Rasa server start (at its load).

`install()` swaps in `whichmodule` below, before `skops.io` runs: the same walk in the same order, with
the same answers, that reads a plain module's namespace directly instead of raising and catching
AttributeError for each miss. Any module that could answer differently from its namespace (a
ModuleType subclass, such as TensorFlow's lazy loaders, or a module-level `__getattr__`), and any
dotted name, goes through skops' own lookup. The trusted type lists must come out exactly as skops
makes them, or Rasa refuses to load the model (tests/bot/test_quick_skops.py compares them).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

#: The module whose `whichmodule` is replaced, right after it runs and before anything imports from it.
UTILS_MODULE = "skops.io._utils"
#: Names a module answers from its type (ModuleType's own attributes) rather than from its namespace.
_MODULE_TYPE_NAMES = frozenset(dir(ModuleType))


def quick_whichmodule(skops_getattribute: Callable[[Any, str], Any]) -> Callable[[Any, str], str]:
    """skops' `whichmodule(obj, name)` (skops/io/_utils.py), with namespace reads for plain modules."""

    def answers_with(module: Any, name: str, obj: Any) -> bool:
        """`_getattribute(module, name)[0] is obj`, where an AttributeError means no."""
        try:
            return skops_getattribute(module, name)[0] is obj
        except AttributeError:
            return False

    def whichmodule(obj: Any, name: str) -> str:
        module_name = getattr(obj, "__module__", None)
        if module_name is not None:
            return module_name
        plain_name = "." not in name and name not in _MODULE_TYPE_NAMES
        for module_name, module in sys.modules.copy().items():
            if module_name == "__main__" or module_name == "__mp_main__" or module is None:
                continue
            namespace = getattr(module, "__dict__", None) if type(module) is ModuleType else None
            if plain_name and namespace is not None and "__getattr__" not in namespace:
                if name in namespace and namespace[name] is obj:
                    return module_name
            elif answers_with(module, name, obj):
                return module_name
        return "__main__"

    return whichmodule


class _PatchingLoader(importlib.abc.Loader):
    """Runs the real loader, then replaces the module's `whichmodule` before anything else uses it."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        module.whichmodule = quick_whichmodule(module._getattribute)  # type: ignore[attr-defined]


class _PatchingFinder(importlib.abc.MetaPathFinder):
    """Finds `skops.io._utils` as the other finders would, with the patching loader around theirs."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None,
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname != UTILS_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _PatchingLoader(spec.loader)
        return spec


def install() -> bool:
    """Make the next `import skops.io` quick. False when it was already imported (nothing to change)."""
    if UTILS_MODULE in sys.modules:
        return False
    if not any(isinstance(finder, _PatchingFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PatchingFinder())
    return True
