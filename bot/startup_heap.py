"""What a server builds while starting is kept out of the garbage collector's later passes.

Once the Rasa server has loaded its model it holds millions of Python objects (TensorFlow's and spaCy's
modules, the pipeline, the rules), all alive as long as the process. Python's collector still walks
every one of them on each full (generation 2) collection, which the allocations of ordinary messages
trigger from time to time: measured at 8 users over 800 messages, one full collection took 518 ms (every
conversation waits for it) and collections in all about 0.8 ms of CPU per message. `gc.freeze()`, called
once the server is ready, moves everything alive then into a permanent generation the collector never
visits; objects made afterwards (trackers, messages, replies) are collected exactly as before.

The cost: a frozen object that later becomes part of unreachable cycles is never freed. That suits what
lives as long as the process, and is why this runs once after start-up: a model swapped in through
Rasa's HTTP API (`PUT /model`, which `make run` does not enable) would leave the old model's cycles in
memory until the process restarts.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

logger = logging.getLogger(__name__)


def freeze_startup_heap(*_listener_args: Any) -> int:
    """Collect what start-up left over, then freeze everything still alive; returns how many objects.

    Takes and ignores Sanic's listener arguments (app, loop), so it can be registered as a listener.
    """
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    logger.info("start-up heap frozen: %d objects left out of later garbage collections", frozen)
    return frozen


def install_for_rasa() -> None:
    """Freeze the Rasa server's start-up heap once its model is loaded.

    Rasa loads the model in a `before_server_start` listener of the app `rasa.core.run.configure_app`
    builds; an `after_server_start` listener runs after all of those.
    """
    import rasa.core.run

    rasa_configure_app = rasa.core.run.configure_app

    def configure_app(*args: Any, **kwargs: Any) -> Any:
        app = rasa_configure_app(*args, **kwargs)
        app.register_listener(freeze_startup_heap, "after_server_start")
        return app

    rasa.core.run.configure_app = configure_app
