"""bot/startup_heap.py: start-up objects leave the collector's passes, later garbage is still collected."""

from __future__ import annotations

import gc
import weakref

import pytest

from bot import startup_heap


class _Node:
    """A small object that can sit in a reference cycle."""

    def __init__(self) -> None:
        self.cycle = self


@pytest.fixture()
def frozen_heap():
    yield
    gc.unfreeze()  # back to normal for the rest of the suite


def test_what_is_alive_at_start_up_is_frozen_and_later_garbage_is_still_collected(frozen_heap):
    startup_object = _Node()
    frozen = startup_heap.freeze_startup_heap()
    assert frozen == gc.get_freeze_count() > 1000  # the interpreter's and pytest's objects, at least

    later = _Node()  # made after start-up, like a conversation's tracker: collected as before
    later_ref = weakref.ref(later)
    del later
    gc.collect()
    assert later_ref() is None

    # The documented cost: a frozen object that becomes cyclic garbage is never freed.
    startup_ref = weakref.ref(startup_object)
    del startup_object
    gc.collect()
    assert startup_ref() is not None


def test_the_rasa_server_freezes_after_its_start_up_listeners(monkeypatch):
    import rasa.core.run

    monkeypatch.setattr(rasa.core.run, "configure_app", rasa.core.run.configure_app)  # restored afterwards
    startup_heap.install_for_rasa()
    app = rasa.core.run.configure_app()
    # Sanic turns an after_server_start listener into a handler of its "server.init.after" signal, which
    # fires after every before_server_start listener (where Rasa loads the model) has finished.
    ours = [route for route in app.signal_router.routes
            if getattr(route.handler, "keywords", {}).get("listener") is startup_heap.freeze_startup_heap]
    assert [route.ctx.definition for route in ours] == ["server.init.after"]
