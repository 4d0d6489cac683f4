"""Rasa's SQL tracker store, reading only what a message needs; on SQLite also tuned for a server.

Rasa reads and deserialises a conversation's whole session on every message (at turn 300, about 1,900
events). `IncrementalSQLTrackerStore` (on any database Rasa's SQLTrackerStore supports; production's
PostgreSQL in endpoints.production.yml) remembers the events it last loaded for each recent conversation
and reads only the rows added since (by this process or another replica), after checking in the database
that the rows it remembers are still there unchanged and that no new session started; otherwise it loads
the session whole, as Rasa does. The tracker is the one Rasa builds from those events (it replays them
onto a new tracker): a copy of the replay kept with them (bot/bounded_history.py `replayed_copy`). Same
tables, same rows as Rasa's own store. A turn that carried out a person's request to be forgotten deletes
the conversation's rows instead (`forgotten_in`, bot/triage/privacy.py).

`SQLiteWALTrackerStore` (endpoints.yml, the embedded set-up) is the same on a SQLite file, tuned: with
SQLite's defaults every committed event waits for a full flush of the rollback journal and the database
(several per message), and readers block writers. In WAL mode with synchronous=NORMAL a commit appends to
the log and readers never block the writer; a power cut can lose the last moments of conversation, never
corrupt the file.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.events import ActionExecuted, AllSlotsReset, Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from bot.bounded_history import replayed_copy
from bot.idle_memory import LastUse
from bot.triage.privacy import FORGET_ACTION

logger = logging.getLogger(__name__)

#: How long a writer waits for another process's write to finish, in milliseconds.
BUSY_TIMEOUT_MS = 10_000
#: Events of recent conversations kept in memory (about 2 KB each), least recently used dropped first.
REMEMBERED_EVENTS = 50_000


@dataclass
class LoadedSession:
    """The latest session of one conversation as last loaded: its events and how to tell it is unchanged."""

    session_start: float | None  # the latest SessionStarted's timestamp then (Rasa's session boundary)
    last_id: int  # the highest row id read
    rows_up_to_last: int  # the conversation's rows (all sessions) with an id up to last_id
    last_timestamp: float | None  # the timestamp of row last_id
    events: list[Event]
    replay: DialogueStateTracker | None = None  # the events replayed onto a new tracker, never handed out
    domain: Any = None  # whose slots `replay` was made with


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


class IncrementalSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore (same arguments, tables and rows) that reads only the rows a message adds.

    Works across replicas: what it remembers is only used after the database confirmed it unchanged.
    """

    def __init__(self, domain: Any = None, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: Any) -> None:
        super().__init__(domain=domain, dialect=dialect, db=db, **kwargs)
        try:
            self._tune_engine()
            self._add_session_index()
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            statements = self.engine
            if self.engine.dialect.name == "postgresql":
                # Every read and the save's insert are single statements: no transaction around them, so no
                # BEGIN and COMMIT round trips (the count before an insert is as in Rasa's READ COMMITTED).
                statements = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            self._statement_sessionmaker = sa.orm.session.sessionmaker(bind=statements)
            self._prepare_statements()
        except AttributeError as error:
            # Rasa replaces a custom tracker store that raises AttributeError with an in-memory one, silently:
            # conversations would start afresh on every restart. Fail the start instead.
            raise RuntimeError(f"{type(self).__name__} could not start: {error}") from error
        self._loaded: OrderedDict[str, LoadedSession] = OrderedDict()
        self._loaded_events = 0
        self._last_use = LastUse()  # idle conversations leave memory (bot/idle_memory.py)

    def _tune_engine(self) -> None:
        """Replace or configure Rasa's engine for this database (nothing to do beyond Rasa's by default)."""

    def _add_session_index(self) -> None:
        """Where the latest session starts, without reading every row of the conversation (at turn 300, four
        scans of 1,900 rows per message): an index Rasa's table does not have, same data."""
        statement = sa.text("CREATE INDEX IF NOT EXISTS ix_events_sender_type_time "
                            "ON events (sender_id, type_name, timestamp)")
        try:
            with self.engine.begin() as connection:  # IF NOT EXISTS: a second start keeps it
                connection.execute(statement)
        except (sa.exc.IntegrityError, sa.exc.ProgrammingError) as error:
            # Two PostgreSQL servers starting together can both try to create it; one wins. Without the
            # index answers are the same, only slower.
            if not self._has_session_index():
                logger.warning("could not add index ix_events_sender_type_time to the events table "
                               "(loading a conversation stays correct, only slower): %s", error)

    def _has_session_index(self) -> bool:
        indexes = sa.inspect(self.engine).get_indexes("events")
        return any(index["name"] == "ix_events_sender_type_time" for index in indexes)

    @contextlib.contextmanager
    def _statement_scope(self) -> Iterator[Session]:
        """A session for the per-message statements (Rasa's session_scope without its transaction on
        PostgreSQL; each statement reads one snapshot)."""
        session = self._statement_sessionmaker()
        try:
            ensure_schema_exists(session)  # as Rasa's session_scope does (POSTGRESQL_SCHEMA)
            yield session
        finally:
            session.close()

    def _prepare_statements(self) -> None:
        """Build the per-message statements once (with the sender as a parameter), not per call.

        Each load is one statement, so what it reads is one snapshot of the database, also on PostgreSQL
        where row ids come from a sequence and a row can become visible after rows with higher ids.
        """
        table = self.SQLEvent.__table__
        sender = sa.bindparam("sender_id", type_=table.c.sender_id.type)
        after = sa.bindparam("after", type_=table.c.id.type)

        # Each subquery reads its own alias of the table, so none is correlated with the query around it.
        def session_start() -> Any:
            starts = table.alias()
            return (sa.select(sa.func.max(starts.c.timestamp))
                    .where(starts.c.sender_id == sender, starts.c.type_name == SessionStarted.type_name)
                    .scalar_subquery())

        def in_latest_session(rows: Any) -> Any:
            # Rasa's rule for the latest conversation session: the events since its latest SessionStarted
            # (all of them if there is none).
            start = session_start()
            return sa.and_(rows.c.sender_id == sender, sa.or_(start.is_(None), rows.c.timestamp >= start))

        def rows_up_to(last_id: Any) -> Any:
            counted = table.alias()
            return (sa.select(sa.func.count(counted.c.id))
                    .where(counted.c.sender_id == sender, counted.c.id <= last_id).scalar_subquery())

        # The whole latest session, with where it starts and how many rows of the conversation (all sessions)
        # have an id up to its last one.
        latest, session_end = table.alias("latest"), table.alias()
        last_id = sa.select(sa.func.max(session_end.c.id)).where(in_latest_session(session_end)).scalar_subquery()
        self._latest_session_rows = (
            sa.select(latest.c.id, latest.c.type_name, latest.c.timestamp, latest.c.data,
                      session_start().label("session_start"), rows_up_to(last_id).label("rows_up_to"))
            .where(in_latest_session(latest)).order_by(latest.c.id))
        # What tells whether the rows loaded before (up to row `after`) are still there unchanged, joined with
        # the rows of the latest session added after them (one row of NULLs for those when there are none).
        ended, new = table.alias(), table.alias("new")
        loaded = sa.select(
            session_start().label("session_start"), rows_up_to(after).label("rows_up_to"),
            sa.select(ended.c.timestamp).where(ended.c.sender_id == sender, ended.c.id == after)
            .scalar_subquery().label("last_timestamp"),
        ).subquery("loaded")
        added = (sa.select(new.c.id, new.c.type_name, new.c.timestamp, new.c.data)
                 .where(in_latest_session(new), new.c.id > after).subquery("added"))
        self._loaded_and_added = (sa.select(loaded, added).select_from(loaded.outerjoin(added, sa.true()))
                                  .order_by(added.c.id))
        counted = table.alias()
        self._count_latest_session = sa.select(sa.func.count(counted.c.id)).where(in_latest_session(counted))
        self._all_sessions_data = sa.select(table.c.data).where(table.c.sender_id == sender).order_by(table.c.id)
        self._insert_events = sa.insert(table)
        self._delete_conversation = sa.delete(table).where(table.c.sender_id == sender)

    def stored_event_count(self, session: Session, sender_id: str) -> int:
        """How many events of the conversation's latest session are stored (what Rasa's save counts).

        Same rows as Rasa's own count, which wraps the whole event query, `data` column included, in
        a subquery on every save (about a third of Rasa's time per message); this counts ids only.
        """
        return int(session.execute(self._count_latest_session, {"sender_id": sender_id}).scalar_one())

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's retrieve, reading only the serialised events (not whole ORM rows), and for the latest
        session only the rows added since this store last loaded it."""
        if fetch_events_from_all_sessions:
            with self._statement_scope() as session:
                rows = session.execute(self._all_sessions_data, {"sender_id": sender_id}).scalars()
                events = [json.loads(data) for data in rows]
            if not self.domain or not events:
                return None
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        with self._statement_scope() as session:
            loaded = self._load_latest_session(session, sender_id)
        if not self.domain or not loaded.events:
            return None
        if loaded.replay is None or loaded.domain is not self.domain:
            loaded.replay = DialogueStateTracker.from_events(sender_id, loaded.events, self.domain.slots)
            loaded.domain = self.domain
        return replayed_copy(loaded.replay) or DialogueStateTracker.from_events(
            sender_id, loaded.events, self.domain.slots)

    def _load_latest_session(self, session: Session, sender_id: str) -> LoadedSession:
        """The conversation's latest session: what was loaded before plus the rows added since, if the
        database still holds what was loaded and no session started since; else read whole."""
        sender = {"sender_id": sender_id}
        self._drop_idle()
        known = self._unload(sender_id)
        if known is not None:
            result = session.execute(self._loaded_and_added, {**sender, "after": known.last_id}).all()
            check = result[0]
            if (check.session_start, check.rows_up_to, check.last_timestamp) == (
                    known.session_start, known.rows_up_to_last, known.last_timestamp):
                rows = [row for row in result if row.id is not None]
                if not any(row.type_name == SessionStarted.type_name for row in rows):
                    # Rows of the conversation outside this session (none, unless timestamps go back in
                    # time) are not counted here: the next check then finds a difference and reads whole.
                    loaded = self._extended(known, rows, known.rows_up_to_last + len(rows))
                    self._remember(sender_id, loaded)
                    return loaded
        rows = session.execute(self._latest_session_rows, sender).all()
        session_start, rows_up_to = (rows[0].session_start, rows[-1].rows_up_to) if rows else (None, 0)
        loaded = self._extended(LoadedSession(session_start, 0, 0, None, []), rows, rows_up_to)
        self._remember(sender_id, loaded)
        return loaded

    @staticmethod
    def _extended(known: LoadedSession, rows: list[Any], rows_up_to: int) -> LoadedSession:
        """`known` followed by the events of `rows` (deserialised as Rasa does)."""
        if not rows:
            return known
        new_events = deserialise_events([json.loads(row.data) for row in rows])
        if known.replay is not None:
            for event in new_events:  # as Rasa's replay would continue
                known.replay.update(event)
        last = rows[-1]
        return LoadedSession(known.session_start, last.id, rows_up_to, last.timestamp, known.events + new_events,
                             known.replay, known.domain)

    def _remember(self, sender_id: str, loaded: LoadedSession) -> None:
        self._loaded[sender_id] = loaded
        self._loaded_events += len(loaded.events)
        self._last_use.touch(sender_id)
        while self._loaded_events > REMEMBERED_EVENTS and len(self._loaded) > 1:
            dropped_id, dropped = self._loaded.popitem(last=False)
            self._loaded_events -= len(dropped.events)
            self._last_use.forget(dropped_id)

    def _unload(self, sender_id: str) -> LoadedSession | None:
        """Take a conversation's remembered session out of memory (keeping the event count right)."""
        dropped = self._loaded.pop(sender_id, None)
        if dropped is not None:
            self._loaded_events -= len(dropped.events)
        return dropped

    def _drop_idle(self) -> None:
        for sender_id in self._last_use.idle():
            self._unload(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save (same rows), inserting the new events in one statement instead of through the ORM.

        A turn in which the person's request to be forgotten was carried out (bot/triage/privacy.py) deletes
        every stored event of the conversation instead, in the same transaction, and writes none back.
        """
        await self.stream_events(tracker)
        with self._statement_scope() as session:
            stored = self.stored_event_count(session, tracker.sender_id)
            new_events = list(itertools.islice(tracker.events, stored, None))
            if forgotten_in(new_events):
                session.execute(self._delete_conversation, {"sender_id": tracker.sender_id})
                session.commit()
                self._unload(tracker.sender_id)
                self._last_use.forget(tracker.sender_id)
                return
            rows = [self._event_row(tracker.sender_id, event) for event in new_events]
            if rows:
                session.execute(self._insert_events, rows)
            session.commit()

    @staticmethod
    def _event_row(sender_id: str, event: Event) -> dict[str, Any]:
        """The columns Rasa's SQL store writes for one event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


def forgotten_in(events: list[Event]) -> bool:
    """Whether these events (one turn's) carried out a request to be forgotten: the forgetting action ran and
    reset the slots, which it does only once triage's records are deleted (actions/privacy.py)."""
    ran = False
    for event in events:
        if isinstance(event, ActionExecuted):
            ran = event.action_name == FORGET_ACTION
        elif ran and isinstance(event, AllSlotsReset):
            return True
    return False


class SQLiteWALTrackerStore(IncrementalSQLTrackerStore):
    """IncrementalSQLTrackerStore on a SQLite file in WAL mode (same tables, same data as Rasa's own).

    Rasa opens SQLite without a connection pool, so every read and write reconnects (and would re-run
    the pragmas): a small pool keeps connections open (retrieving a 40-event conversation: 2.4 ->
    1.8 ms).
    """

    def __init__(self, domain: Any = None, db: str = "rasa.db", **kwargs: Any) -> None:
        kwargs.pop("dialect", None)
        super().__init__(domain=domain, dialect="sqlite", db=db, **kwargs)

    def _tune_engine(self) -> None:
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, poolclass=QueuePool, pool_size=2, connect_args={"check_same_thread": False}
        )
        sa.event.listen(self.engine, "connect", _tune_sqlite)
