"""Fixtures for triage tests: the triage database (SQLite, and PostgreSQL under CI), a temporary
Rasa tracker database in Rasa's own ``events`` schema, and the staff blueprint served on a free port."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.run import free_port
from bot.triage import db
from bot.triage.login_throttle import LoginThrottle

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_USERS = ("root", "postgres")


def _postgres_engine(schema: str) -> Engine | None:
    """An engine whose default schema is a fresh ``schema`` in the local test database, or ``None``."""
    for user in POSTGRES_USERS:
        url = f"postgresql+psycopg2://{user}@127.0.0.1:5432/test"
        admin = sa.create_engine(url, future=True)
        try:
            with admin.begin() as connection:
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        except sa.exc.OperationalError:
            continue
        finally:
            admin.dispose()
        return sa.create_engine(url, future=True, connect_args={"options": f"-csearch_path={schema}"})
    return None


def _drop_postgres_schema(engine: Engine, schema: str) -> None:
    engine.dispose()
    admin = sa.create_engine(engine.url, future=True)
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def triage_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Triage's tables in a fresh database: a SQLite file, or a unique PostgreSQL schema."""
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'triage.sqlite'}", future=True)
        schema = None
    else:
        schema = f"triage_test_{uuid.uuid4().hex[:12]}"
        engine = _postgres_engine(schema)
        if engine is None:
            if IN_CI:
                pytest.fail("PostgreSQL on 127.0.0.1:5432 (database 'test') is required under CI=true")
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (database 'test'); CI is not set")
    db.use_engine(engine)
    try:
        yield engine
    finally:
        db.use_engine(None)
        if schema:
            _drop_postgres_schema(engine, schema)
        else:
            engine.dispose()


# Rasa's SQLTrackerStore table, column for column (rasa/core/tracker_store.py, SQLEvent).
_TRACKER_METADATA = sa.MetaData()
RASA_EVENTS = sa.Table(
    "events",
    _TRACKER_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


@dataclass
class TrackerDB:
    """A temporary tracker store database that tests fill with Rasa-shaped events."""

    engine: Engine
    url: str

    def add_user(self, sender: str, text: str, intent: str = "ask_what_is", at: dt.datetime | None = None) -> None:
        """A message from the person, as Rasa's UserUttered event stores it."""
        ts = _epoch(at)
        data = {"event": "user", "timestamp": ts, "text": text,
                "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text}}
        self._add(sender, "user", ts, json.dumps(data), intent_name=intent)

    def add_bot(self, sender: str, text: str, buttons: list[str] = (), at: dt.datetime | None = None) -> None:
        """A reply from the assistant, as Rasa's BotUttered event stores it."""
        ts = _epoch(at)
        data = {"event": "bot", "timestamp": ts, "text": text,
                "data": {"buttons": [{"title": b, "payload": "/x"} for b in buttons] or None}}
        self._add(sender, "bot", ts, json.dumps(data))

    def add_action(self, sender: str, name: str, at: dt.datetime | None = None) -> None:
        """An ActionExecuted event (not part of the transcript)."""
        ts = _epoch(at)
        self._add(sender, "action", ts, json.dumps({"event": "action", "name": name, "timestamp": ts}),
                  action_name=name)

    def count(self, sender: str) -> int:
        """How many events are stored for one conversation."""
        with self.engine.connect() as connection:
            return connection.scalar(
                sa.select(sa.func.count()).select_from(RASA_EVENTS).where(RASA_EVENTS.c.sender_id == sender)
            )

    def _add(self, sender: str, type_name: str, ts: float, data: str, **extra: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                RASA_EVENTS.insert().values(sender_id=sender, type_name=type_name, timestamp=ts, data=data, **extra)
            )


def _epoch(at: dt.datetime | None) -> float:
    at = at or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    return at.replace(tzinfo=dt.timezone.utc).timestamp()


@pytest.fixture
def tracker_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TrackerDB]:
    """A SQLite tracker store in Rasa's schema, configured through TRACKER_DB_URL."""
    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    engine = sa.create_engine(url, future=True)
    _TRACKER_METADATA.create_all(engine)
    monkeypatch.setenv("TRACKER_DB_URL", url)
    yield TrackerDB(engine, url)
    engine.dispose()




#: The staff server's count of wrong tokens, shared by the whole session: tests clear it (see `staff`).
#: Same rules as production with short waits, so a test can make dozens of wrong tries quickly.
STAFF_LOGIN_THROTTLE = LoginThrottle(base_delay=0.01, max_delay=0.05)
#: The test server trusts a proxy that presents this secret in its Forwarded header (Sanic's FORWARDED_SECRET).
TRUSTED_PROXY_SECRET = "test-proxy-secret"  # noqa: S105 (a test value, not a credential)


@pytest.fixture(scope="session")
def staff_server() -> Iterator[str]:
    """The staff blueprint served by a real Sanic server on a free port; yields its base URL.

    One server for the whole session: Sanic 21.12 cannot start a second app in one process (its
    "touchup" rewrites fail). Handlers read STAFF_TOKEN and the triage engine per request, so
    tests switch both with ``monkeypatch`` and the ``triage_db`` fixture.
    """
    from sanic import Sanic

    from bot.triage.dashboard import create_staff_blueprint

    app = Sanic(f"staff_test_{uuid.uuid4().hex[:8]}", configure_logging=False)
    app.config.FORWARDED_SECRET = TRUSTED_PROXY_SECRET
    app.blueprint(create_staff_blueprint(STAFF_LOGIN_THROTTLE))
    port = free_port()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    state: dict[str, object] = {}

    def serve() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
            await server.startup()
            await server.before_start()
            await server.after_start()
            state["server"] = server

        try:
            loop.run_until_complete(start())
        except Exception as error:  # surfaced to the test below
            state["error"] = error
        started.set()
        if "server" in state:
            loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(20), "the staff server did not start within 20 s"
    if "error" in state:
        raise state["error"]
    yield f"http://127.0.0.1:{port}"
    server = state["server"]

    async def stop() -> None:
        await server.before_stop()
        await server.close()  # a Task in Sanic 21.12, so awaited here on the server's own loop
        await server.after_stop()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
