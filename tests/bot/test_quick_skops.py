"""bot/quick_skops.py: `skops.io` imported quickly trusts exactly the types skops' own import trusts.

Rasa loads the intent classifier only when every type in the saved file is on skops' trusted lists, so a
list that came out different would break every model load. Each list is made in a fresh process with
TensorFlow loaded (as in every Rasa process), once with the quick import and once with skops' own.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import types
from pathlib import Path

from bot import quick_skops

REPO = Path(__file__).resolve().parents[2]

_TRUSTED_NAMES = """
import json, sys, time
import rasa.nlu.classifiers.diet_classifier  # TensorFlow and the rest of Rasa's modules, as in `rasa train`
if sys.argv[1] == "quick":
    from bot import quick_skops
    assert quick_skops.install()
from skops.io import _trusted_types
print(json.dumps({name: getattr(_trusted_types, name) for name in dir(_trusted_types) if name.endswith("_NAMES")}))
"""


def _trusted_names(mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", _TRUSTED_NAMES, mode], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def test_quick_import_trusts_the_same_types_as_skops() -> None:
    quick, own = _trusted_names("quick"), _trusted_names("own")
    quick_out, _ = quick.communicate(timeout=300)
    own_out, _ = own.communicate(timeout=300)
    assert quick.returncode == 0 and own.returncode == 0
    quick_lists, own_lists = json.loads(quick_out), json.loads(own_out)
    # The ufunc lists are the ones the module walk decides (hundreds of names each).
    assert len(own_lists["SCIPY_UFUNC_TYPE_NAMES"]) > 100 and len(own_lists["NUMPY_UFUNC_TYPE_NAMES"]) > 50
    assert quick_lists == own_lists


def _skops_own_utils() -> types.ModuleType:
    """A fresh copy of skops/io/_utils.py, as skops ships it (whatever this process has patched)."""
    origin = importlib.util.find_spec("skops").submodule_search_locations[0]  # type: ignore[union-attr,index]
    spec = importlib.util.spec_from_file_location("skops.io._utils_as_shipped", Path(origin) / "io" / "_utils.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    finally:
        del sys.modules[spec.name]  # type: ignore[union-attr]
    return module


def test_whichmodule_answers_as_skops_for_every_kind_of_module() -> None:
    value = object()
    plain = types.ModuleType("plain_module")
    plain.thing = value  # type: ignore[attr-defined]
    with_getattr = types.ModuleType("module_with_getattr")

    def module_getattr(name: str) -> object:  # PEP 562: a name the namespace does not hold
        if name == "lazy":
            return value
        raise AttributeError(name)

    with_getattr.__getattr__ = module_getattr  # type: ignore[attr-defined]

    class LazyModule(types.ModuleType):  # like TensorFlow's lazy loaders: answers through its class
        def __getattr__(self, name: str) -> object:
            if name == "from_class":
                return value
            raise AttributeError(name)

    skops_utils = _skops_own_utils()
    quick = quick_skops.quick_whichmodule(skops_utils._getattribute)
    saved = dict(sys.modules)
    try:
        for module in (plain, with_getattr, LazyModule("lazy_module")):
            sys.modules[module.__name__] = module
        cases = [(value, "thing", "plain_module"), (value, "lazy", "module_with_getattr"),
                 (value, "from_class", "lazy_module"), (object(), "thing", "__main__"),
                 (value, "plain_module.thing", "__main__"), (sys.getsizeof, "getsizeof", "sys")]
        for obj, name, expected in cases:
            assert skops_utils.whichmodule(obj, name) == expected, name
            assert quick(obj, name) == expected, name
    finally:
        sys.modules.clear()
        sys.modules.update(saved)
