"""Where triage data lives: the knowledge store's database, with triage's own tables brought to the newest
schema revision (bot/triage/migrations) on first use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.triage import migrations, settings

_lock = threading.Lock()
_override: Engine | None = None
# Keyed by id() but holding the engine too, so a disposed engine's id can never be mistaken for a new one.
_prepared: dict[int, tuple[Engine, sessionmaker]] = {}


def use_engine(engine: Engine | None) -> None:
    """Point triage at another engine (tests, one-off scripts); ``None`` goes back to the store's."""
    global _override
    with _lock:
        _override = engine


def triage_engine() -> Engine:
    """The engine triage writes to: the triage settings' database (:func:`settings.triage_db_url`) unless
    overridden."""
    if _override is not None:
        return _override
    from knowledge.database import get_engine  # imported late: knowledge/ is optional for the staff CLI tests

    return get_engine(settings.triage_db_url())


def _session_factory(engine: Engine) -> sessionmaker:
    entry = _prepared.get(id(engine))
    if entry is None or entry[0] is not engine:
        with _lock:
            entry = _prepared.get(id(engine))
            if entry is None or entry[0] is not engine:
                migrations.upgrade(engine)  # a no-op when current; run by the launcher before the servers too
                entry = (engine, sessionmaker(bind=engine, future=True, expire_on_commit=False))
                _prepared[id(engine)] = entry
    return entry[1]


@contextmanager
def triage_session(engine: Engine | None = None, *, write: bool = False) -> Iterator[Session]:
    """A short-lived session in one transaction on ``engine`` (default: :func:`triage_engine`).

    Committed on success, rolled back on error. ``write=True`` takes SQLite's write lock when the
    transaction begins: a read-then-write transaction that began as a reader fails at once with
    "database is locked" when another writer committed in between (busy_timeout cannot help it).
    Blocking; call it from a worker thread (``asyncio.to_thread``) inside async code.
    """
    engine = engine or triage_engine()
    factory = _session_factory(engine)  # also migrates triage's tables on first use
    if write:
        from knowledge.database import session_scope  # the store's writer transaction, same session options

        with session_scope(engine, write=True) as session:
            yield session
        return
    with factory() as session, session.begin():
        yield session
