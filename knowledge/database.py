"""Where the knowledge store lives and how to talk to it: one engine per process per URL, short sessions.

The URL comes from ``SKINCARE_DB_URL`` (e.g. ``postgresql+psycopg2://user@host:5432/db``); without it
the store is a SQLite file at ``<repo>/var/skincare.sqlite``. SQLite connections use WAL (readers never
block the loader), foreign keys (cascading deletes) and a busy timeout (a writer waits instead of failing).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from bot.settings import current_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "skincare.sqlite"
DB_URL_ENV = "SKINCARE_DB_URL"
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: Connection execution option: ``{SQLITE_BEGIN_OPTION: "IMMEDIATE"}`` makes SQLite transactions writers.
SQLITE_BEGIN_OPTION = "sqlite_begin"

_engines: dict[tuple[int, str], Engine] = {}
_sessionmakers: dict[Engine, sessionmaker] = {}
_lock = threading.Lock()


def database_url() -> str:
    """The store's URL: ``$SKINCARE_DB_URL`` or the default SQLite file (its folder is created)."""
    configured = current_settings().skincare_db_url  # checked in bot/settings.py
    if configured:
        return configured
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def display_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_path(url: str | URL) -> Path | None:
    """The file behind a SQLite URL; None for other backends and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def get_engine(url: str | URL | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: :func:`database_url`), created on first use."""
    url_text = (
        database_url() if url is None else url.render_as_string(hide_password=False)
        if isinstance(url, URL) else url
    )
    key = (os.getpid(), url_text)  # a forked worker must not reuse its parent's connections
    engine = _engines.get(key)
    if engine is None:
        with _lock:
            engine = _engines.get(key)
            if engine is None:
                engine = _create_engine(url_text)
                _engines[key] = engine
    return engine


def dispose_engine(url: str | URL) -> None:
    """Close and forget the cached engine for ``url`` (tests, and before dropping a database)."""
    url_text = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    with _lock:
        engine = _engines.pop((os.getpid(), url_text), None)
        if engine is not None:
            _sessionmakers.pop(engine, None)
    if engine is not None:
        engine.dispose()


def _create_engine(url_text: str) -> Engine:
    parsed = make_url(url_text)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, future=True, pool_pre_ping=True)
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    # Pooled connections (SQLAlchemy 1.4 defaults to one new connection, and its pragmas, per checkout);
    # in memory, one shared connection, as each new one would be a different, empty database.
    options["poolclass"] = QueuePool if sqlite_path(parsed) is not None else StaticPool
    engine = create_engine(parsed, future=True, **options)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """Pragmas on every connection, and transactions that SQLAlchemy (not pysqlite) begins."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own implicit BEGIN is skipped before SELECTs and DDL; we emit BEGIN ourselves
        # so that a load (DDL + reads + writes) is one real transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS:d}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer asks for BEGIN IMMEDIATE (execution option), taking the write lock up front so that
        # busy_timeout applies, instead of failing later when a read transaction upgrades to a write.
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")


def session_factory(engine: Engine | None = None) -> sessionmaker:
    """A ``sessionmaker`` (2.0 style) bound to ``engine`` (default: the process engine)."""
    engine = engine or get_engine()
    factory = _sessionmakers.get(engine)
    if factory is None:
        factory = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        _sessionmakers[engine] = factory
    return factory


@contextmanager
def session_scope(engine: Engine | None = None, *, write: bool = False) -> Iterator[Session]:
    """A short session inside one transaction: committed on success, rolled back on any error.

    ``write=True`` takes SQLite's write lock when the transaction begins (use it for read-then-write work).
    """
    engine = engine or get_engine()
    if not write:
        with session_factory(engine)() as session, session.begin():
            yield session
        return
    with engine.connect() as connection:
        connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        with Session(bind=connection, future=True, expire_on_commit=False) as session, session.begin():
            yield session
