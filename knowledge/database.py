"""Where the knowledge store lives and how to talk to it: one engine per process per URL, short sessions.

The URL comes from ``SKINCARE_DB_URL`` (e.g. ``postgresql+psycopg2://user@host:5432/db``); without it
the store is a SQLite file at ``<repo>/var/skincare.sqlite``. SQLite connections use WAL (readers never
block the loader), foreign keys (cascading deletes) and a busy timeout (a writer waits instead of failing).

Lookups go through :func:`read`. On PostgreSQL it uses a reading twin of the engine (same URL, its own pool)
whose connections run each statement on its own (autocommit) and are not pinged when taken from the pool: a
one-statement lookup is one round trip instead of four (ping, BEGIN, the query, ROLLBACK). A connection the
server dropped meanwhile (a restart, a failover) fails its first statement; :func:`read` then runs the work
once more on a new connection, which is what the ping was there for.
"""

from __future__ import annotations

import os
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, CursorResult, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool
from sqlalchemy.sql import Select

from bot.settings import current_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "skincare.sqlite"
DB_URL_ENV = "SKINCARE_DB_URL"
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: Connection execution option: ``{SQLITE_BEGIN_OPTION: "IMMEDIATE"}`` makes SQLite transactions writers.
SQLITE_BEGIN_OPTION = "sqlite_begin"

_engines: dict[tuple[int, str], Engine] = {}
_sessionmakers: dict[Engine, sessionmaker] = {}
_readers: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()  # engine -> its reading twin
_lock = threading.Lock()

T = TypeVar("T")


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
        reader = None
        if engine is not None:
            _sessionmakers.pop(engine, None)
            reader = _readers.pop(engine, None)
    for disposed in (reader, engine):
        if disposed is not None:
            disposed.dispose()


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


def reading_engine(engine: Engine) -> Engine:
    """The engine :func:`read` uses for ``engine``: on PostgreSQL its reading twin (autocommit, no ping on
    checkout; created on first use, disposed with ``engine`` by :func:`dispose_engine`), else ``engine``."""
    if engine.dialect.name != "postgresql":
        return engine
    reader = _readers.get(engine)
    if reader is None:
        with _lock:
            reader = _readers.get(engine)
            if reader is None:
                reader = create_engine(engine.url, future=True, isolation_level="AUTOCOMMIT", pool_pre_ping=False)
                _readers[engine] = reader
    return reader


def read(engine: Engine, work: Callable[[Connection], T], *, consistent: bool = False) -> T:
    """``work(connection)`` for a read of the store at ``engine``, retried once on a fresh connection when the
    pooled one turns out to have been dropped by the server (its first statement fails as a disconnect).

    Each statement stands alone (on PostgreSQL; a one-statement lookup is then always consistent). Work of
    several statements that must see one state of the store, even while a load commits, passes
    ``consistent=True``: it runs in one REPEATABLE READ transaction (PostgreSQL) or one transaction (SQLite).
    Errors are SQLAlchemy's; callers turn them into their own.
    """
    reader = reading_engine(engine)
    for attempt in (1, 2):
        try:
            with reader.connect() as connection:
                if not consistent:
                    return work(connection)
                if reader.dialect.name == "postgresql":
                    connection.execution_options(isolation_level="REPEATABLE READ")
                with connection.begin():
                    return work(connection)
        except DBAPIError as error:
            # Only a dropped connection is retried (the pool has discarded it, and the connections opened
            # before it): the work is a read, so running it again changes nothing.
            if attempt == 2 or not error.connection_invalidated:
                raise
    raise AssertionError("unreachable")  # pragma: no cover (the loop returns or raises)


class PreparedRead:
    """A lookup statement that PostgreSQL plans once per connection instead of on every call.

    Planning the ingredient lookup took 0.3 ms and the annex lookup 0.5 ms of a warm connection's time on the
    server, against 0.05 ms to run them: the statement is sent once per connection as ``PREPARE`` and then
    run with ``EXECUTE``, typed like ``statement`` (same columns, same result processing). Other databases
    run ``statement`` itself. ``statement``'s parameters are named bind parameters without values.
    """

    def __init__(self, name: str, statement: Select) -> None:
        self.name = name
        self.statement = statement
        self.parameters = tuple(statement.compile().params)  # $1, $2... in this order, in both statements
        placeholders = ", ".join(f":{parameter}" for parameter in self.parameters)
        self._execute = text(f"EXECUTE {name}({placeholders})").columns(*statement.selected_columns)
        self._prepare: str | None = None  # the PREPARE statement, compiled on first use (PostgreSQL only)

    def execute(self, connection: Connection, **values: Any) -> CursorResult:
        """The statement's result for ``values`` (one value per parameter), on ``connection``."""
        if connection.dialect.name != "postgresql":
            return connection.execute(self.statement, values)
        info = connection.connection.info  # the pooled DBAPI connection's: gone with it
        if info.get(_PLAIN_KEY):
            return connection.execute(self.statement, values)
        prepared: set[str] = info.setdefault(_PREPARED_KEY, set())
        for _ in range(2):
            if self.name not in prepared:
                try:
                    connection.exec_driver_sql(self._prepare_sql(connection))
                except DBAPIError as error:
                    if _sqlstate(error) != _ALREADY_PREPARED:  # prepared there by an earlier checkout: fine
                        raise
                prepared.add(self.name)
            try:
                return connection.execute(self._execute, values)
            except DBAPIError as error:
                if _sqlstate(error) != _NOT_PREPARED:
                    raise
                prepared.discard(self.name)  # deallocated (a pooler's DISCARD ALL): prepare it again
        # Prepared and gone twice: this connection goes through a pooler that hands each statement to another
        # server connection. It runs plain statements from now on.
        info[_PLAIN_KEY] = True
        return connection.execute(self.statement, values)

    def _prepare_sql(self, connection: Connection) -> str:
        if self._prepare is None:
            body = self.statement.compile(dialect=connection.dialect).string
            for position, parameter in enumerate(self.parameters, start=1):
                body = body.replace(f"%({parameter})s", f"${position}")
            self._prepare = f"PREPARE {self.name} AS {body.replace('%%', '%')}"  # sent without parameters
        return self._prepare


#: Keys in a pooled DBAPI connection's ``info``: the names prepared on it; True when it cannot keep them.
_PREPARED_KEY, _PLAIN_KEY = "knowledge_prepared_reads", "knowledge_plain_reads"
#: PostgreSQL's SQLSTATEs for EXECUTE of a name not prepared, and PREPARE of a name already prepared.
_NOT_PREPARED, _ALREADY_PREPARED = "26000", "42P05"


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "pgcode", None)


@contextmanager
def scratch_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on ``admin_url``'s server, named ``prefix`` + a random suffix: yields its
    URL (``admin_url``'s, with that database), then closes this process's engines for it and drops it (with
    FORCE: a server under test may still hold connections). ``admin_url``'s user must be allowed to CREATE
    DATABASE; SQLAlchemy's error when it cannot (the database is then not there to drop)."""
    name = f"{prefix}{uuid.uuid4().hex[:10]}"  # generated, never user input
    admin = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        try:
            yield url
        finally:
            dispose_engine(url)
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
