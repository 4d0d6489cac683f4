"""`make train`: Rasa's `rasa train --force`, without the work whose results it throws away or repeats.

    .venv/bin/python -m bot.train --fixed-model-name skincare --out models

The arguments are `rasa train`'s (`--force` is always added), and the model is the one `rasa train`
makes; three things change how long it takes (README "Design choices", measured with `make bench`):

- Nothing is written to Rasa's training cache. The cache serves incremental `rasa train` runs, which
  reuse a component's output when its inputs' fingerprints match; a full training (`--force`) never
  reads it, and we always train in full (`make` decides when to retrain, from its own stamps), so it was
  only ever written. Writing it meant fingerprinting every component's inputs and outputs (the whole
  training data, once per component): about 8 s.
- `skops.io`, with which Rasa saves the intent classifier, is imported without its long sys.modules
  scans (bot/quick_skops.py: 5 s).
- Count-vector features are built with the analyzer made once and counts remembered per word, as on the
  Rasa server (bot/rasa_speedups.py: the same matrices).
"""

from __future__ import annotations

import sys
from typing import Any

from rasa.engine.training.hooks import TrainingHook

from bot import quick_skops, rasa_speedups


def install_unwritten_training_cache() -> None:
    """Rasa's TrainingHook without its cache writes (and the fingerprints it computes only for them)."""

    def on_before_node(self: TrainingHook, *args: Any, **kwargs: Any) -> dict:
        return {}

    def on_after_node(self: TrainingHook, *args: Any, **kwargs: Any) -> None:
        return None

    TrainingHook.on_before_node = on_before_node  # type: ignore[method-assign]
    TrainingHook.on_after_node = on_after_node  # type: ignore[method-assign]


def rasa_arguments(argv: list[str]) -> list[str]:
    """`rasa train` with this command's arguments, always a full training."""
    return ["rasa", "train", *argv, *([] if "--force" in argv else ["--force"])]


def main(argv: list[str] | None = None) -> None:
    """Apply the fixes, then run `rasa train` in this process."""
    quick_skops.install()
    install_unwritten_training_cache()
    rasa_speedups.install_count_vectors_features()
    from rasa.__main__ import main as rasa_main

    sys.argv = rasa_arguments(sys.argv[1:] if argv is None else argv)
    rasa_main()


if __name__ == "__main__":
    main()
