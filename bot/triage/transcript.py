"""A conversation's transcript, read from Rasa's SQL tracker store (the ``events`` table)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.triage import settings
from bot.triage.clean_text import clean_text

#: Rasa's SQLTrackerStore table, only the columns triage reads or filters on.
EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("data", sa.Text),
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def tracker_engine(url: str | None = None) -> Engine:
    """One engine per tracker database URL (default: the tracker store the servers use, settings.py)."""
    url = url or settings.tracker_db_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = sa.create_engine(url, future=True, pool_pre_ping=True)
            _engines[url] = engine
    return engine


def has_events_table(engine: Engine) -> bool:
    """Whether Rasa has created its events table yet (it does so on its first start).

    A SQLite file that does not exist yet has none (and is not created by asking).
    """
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database).exists():
            return False
    return sa.inspect(engine).has_table("events")


@dataclass(frozen=True)
class TranscriptLine:
    """One message in a conversation: who said it, what, when, and any buttons offered."""

    speaker: str  # "person" or "assistant"
    text: str
    at: dt.datetime | None
    buttons: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form for the staff API."""
        return {
            "speaker": self.speaker,
            "text": self.text,
            "at": self.at.isoformat() if self.at else None,
            "buttons": list(self.buttons),
        }


def _line(type_name: str, timestamp: float | None, raw: str | None) -> TranscriptLine | None:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    text = data.get("text") or ""
    buttons: tuple[str, ...] = ()
    if type_name == "bot":
        extra = data.get("data") or {}
        raw_buttons = extra.get("buttons") if isinstance(extra, dict) else None
        if isinstance(raw_buttons, list):
            buttons = tuple(clean_text(str(b.get("title", ""))) for b in raw_buttons if isinstance(b, dict))
    if not text and not buttons:
        return None
    at = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).replace(tzinfo=None) if timestamp else None
    return TranscriptLine("person" if type_name == "user" else "assistant", clean_text(str(text)), at, buttons)


def read_transcript(conversation_id: str, engine: Engine | None = None) -> list[TranscriptLine]:
    """The person's and the assistant's messages in order; empty if the tracker store is not set up.

    Blocking; call it from a worker thread inside async code.
    """
    engine = engine or tracker_engine()
    if not has_events_table(engine):
        return []
    query = (
        sa.select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == conversation_id, EVENTS.c.type_name.in_(("user", "bot")))
        .order_by(EVENTS.c.id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [line for row in rows if (line := _line(*row)) is not None]
