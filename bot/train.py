"""`make train`: Rasa's `rasa train --force`, without the work whose results it throws away or repeats.

    .venv/bin/python -m bot.train --fixed-model-name skincare --out models

The arguments are `rasa train`'s (`--force` is always added), and the model is the one `rasa train`
makes; three things change how long it takes (README "Design choices", measured with `make bench`):

- Rasa's training cache is switched off (`RASA_MAX_CACHE_SIZE=0`, unless set). It serves incremental
  `rasa train` runs, which reuse a component's output when its inputs' fingerprints match; we always
  train in full (`make` decides when to retrain, from its own stamps), so the cache would only be
  written, never read. With the cache off, Rasa's training hook still fingerprinted every component's
  inputs and outputs (the whole training data, per component: about 8 s) for a cache that drops them;
  here it skips that work when the cache is off, and behaves as Rasa's otherwise.
- `skops.io`, with which Rasa saves the intent classifier, is imported without its long sys.modules
  scans (bot/quick_skops.py: 5 s).
- Count-vector features are built with the analyzer made once and counts remembered per word, as on the
  Rasa server (bot/rasa_speedups.py: the same matrices).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from rasa.engine.caching import CACHE_SIZE_ENV
from rasa.engine.training.hooks import TrainingHook

from bot import quick_skops, rasa_speedups


def _cache_is_off(hook: TrainingHook) -> bool:
    return hook._cache._is_disabled()  # type: ignore[attr-defined]


def install_uncached_training_hook() -> None:
    """Rasa's TrainingHook, minus the fingerprints it computes only to hand to a switched-off cache."""
    rasa_before, rasa_after = TrainingHook.on_before_node, TrainingHook.on_after_node

    def on_before_node(self: TrainingHook, *args: Any, **kwargs: Any) -> dict:
        return {} if _cache_is_off(self) else rasa_before(self, *args, **kwargs)

    def on_after_node(self: TrainingHook, *args: Any, **kwargs: Any) -> None:
        # With the cache off, Rasa's `cache_output` returns before using what it is given.
        if not _cache_is_off(self):
            rasa_after(self, *args, **kwargs)

    TrainingHook.on_before_node = on_before_node  # type: ignore[method-assign]
    TrainingHook.on_after_node = on_after_node  # type: ignore[method-assign]


def rasa_arguments(argv: list[str]) -> list[str]:
    """`rasa train` with this command's arguments, always a full training."""
    return ["rasa", "train", *argv, *([] if "--force" in argv else ["--force"])]


def main(argv: list[str] | None = None) -> None:
    """Apply the fixes, then run `rasa train` in this process."""
    os.environ.setdefault(CACHE_SIZE_ENV, "0")
    quick_skops.install()
    install_uncached_training_hook()
    rasa_speedups.install_count_vectors_features()
    from rasa.__main__ import main as rasa_main

    sys.argv = rasa_arguments(sys.argv[1:] if argv is None else argv)
    rasa_main()


if __name__ == "__main__":
    main()
