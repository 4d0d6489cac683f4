"""A conversation's transcript, read from Rasa's SQL tracker store (the ``events`` table)."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.triage import settings
from bot.triage.clean_text import clean_text
from bot.triage.recorder import valid_email

#: Rasa's bot-message metadata key marking a staff member's line (bot/channels/staff_relay.py).
STAFF_METADATA_KEY = "staff"
#: The slot naming the agent who has taken the conversation over (bot/human_takeover.py).
HUMAN_AGENT_SLOT = "human_agent"

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


#: Replies that offer a person (the responses in domain.yml, recorded by Rasa as ``utter_action``), and
#: the payload of a "talk to a person" button: an email typed after one of these is likely a contact.
HANDOFF_OFFERS = frozenset({"utter_offer_handoff", "utter_ask_contact_email", "utter_invalid_contact_email"})
HANDOFF_PAYLOAD = "/request_human"
_EMAIL_IN_TEXT = re.compile(r"[^\s@<>()\[\],;:\"']{1,64}@[^\s@<>()\[\],;:\"']{1,189}\.[A-Za-z]{2,24}")


@dataclass(frozen=True)
class TranscriptLine:
    """One message in a conversation: who said it, what, when, and any buttons offered. A button the
    person clicked is shown by its title (what they saw), with ``clicked`` set."""

    speaker: str  # "person", "assistant" or "agent" (a staff member, named in ``author``)
    text: str
    at: dt.datetime | None
    buttons: tuple[str, ...] = field(default_factory=tuple)
    clicked: bool = False
    offers_handoff: bool = False
    payloads: tuple[str, ...] = field(default_factory=tuple, compare=False)
    author: str | None = None
    event_id: int = field(default=0, compare=False)  # the tracker store's row id: where a live view goes on

    @property
    def who(self) -> str:
        """The speaker as the dashboard labels it."""
        if self.speaker == "agent":
            return f"{self.author} (staff)"
        return "Person" if self.speaker == "person" else "Assistant"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form for the staff API."""
        return {
            "speaker": self.speaker,
            "who": self.who,
            "author": self.author,
            "text": self.text,
            "at": self.at.isoformat() if self.at else None,
            "buttons": list(self.buttons),
            "clicked": self.clicked,
            "event_id": self.event_id,
        }


def _line(event_id: int, type_name: str, timestamp: float | None, raw: str | None) -> TranscriptLine | None:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    text = data.get("text") or ""
    buttons: tuple[str, ...] = ()
    payloads: tuple[str, ...] = ()
    offers = False
    author = None
    if type_name == "bot":
        extra = data.get("data") or {}
        raw_buttons = extra.get("buttons") if isinstance(extra, dict) else None
        if isinstance(raw_buttons, list):
            shown = [b for b in raw_buttons if isinstance(b, dict)]
            buttons = tuple(clean_text(str(b.get("title", ""))) for b in shown)
            payloads = tuple(str(b.get("payload", "")) for b in shown)
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        offers = metadata.get("utter_action") in HANDOFF_OFFERS or HANDOFF_PAYLOAD in payloads
        staff = metadata.get(STAFF_METADATA_KEY)
        if isinstance(staff, dict) and isinstance(staff.get("agent"), str):
            author = clean_text(staff["agent"])
    if not text and not buttons:
        return None
    at = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).replace(tzinfo=None) if timestamp else None
    speaker = "person" if type_name == "user" else "agent" if author else "assistant"
    return TranscriptLine(speaker, clean_text(str(text)), at, buttons, offers_handoff=offers, payloads=payloads,
                          author=author, event_id=event_id)


def _with_button_titles(lines: list[TranscriptLine]) -> list[TranscriptLine]:
    """A person's message that is a payload of a button just offered ("/affirm") becomes its title."""
    result: list[TranscriptLine] = []
    offered: dict[str, str] = {}
    for line in lines:
        if line.speaker == "assistant":
            offered = dict(zip(line.payloads, line.buttons, strict=True)) if line.buttons else offered
        elif line.text in offered:
            line = replace(line, text=offered[line.text], clicked=True)
        result.append(line)
    return result


def emails_after_handoff_offer(lines: list[TranscriptLine]) -> list[str]:
    """Email addresses the person typed after the assistant first offered a person, in order, once each."""
    found: list[str] = []
    offered = False
    for line in lines:
        offered = offered or line.offers_handoff
        if offered and line.speaker == "person" and not line.clicked:
            for match in _EMAIL_IN_TEXT.finditer(line.text):
                email = valid_email(match.group(0).rstrip("."))
                if email and email not in found:
                    found.append(email)
    return found


def read_transcript(conversation_id: str, engine: Engine | None = None, after_id: int = 0) -> list[TranscriptLine]:
    """The person's, the assistant's and staff members' messages in order (only those stored after the
    row ``after_id``, for a live view); empty if the tracker store is not set up.

    Blocking; call it from a worker thread inside async code.
    """
    engine = engine or tracker_engine()
    if not has_events_table(engine):
        return []
    query = (
        sa.select(EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == conversation_id, EVENTS.c.type_name.in_(("user", "bot")),
               EVENTS.c.id > after_id)
        .order_by(EVENTS.c.id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return _with_button_titles([line for row in rows if (line := _line(*row)) is not None])


@dataclass(frozen=True)
class ChatState:
    """Where a conversation stands for an agent: who has taken it over (None: the assistant answers) and
    the channel the person last wrote on."""

    human_agent: str | None
    channel: str | None


def read_chat_state(conversation_id: str, engine: Engine | None = None) -> ChatState:
    """The conversation's takeover holder and channel, from the tracker store. Blocking."""
    engine = engine or tracker_engine()
    if not has_events_table(engine):
        return ChatState(None, None)
    by_sender = EVENTS.c.sender_id == conversation_id
    slot_query = (sa.select(EVENTS.c.data)
                  .where(by_sender, EVENTS.c.type_name == "slot", EVENTS.c.data.like(f'%"{HUMAN_AGENT_SLOT}"%'))
                  .order_by(EVENTS.c.id.desc()).limit(1))
    user_query = (sa.select(EVENTS.c.data).where(by_sender, EVENTS.c.type_name == "user")
                  .order_by(EVENTS.c.id.desc()).limit(1))
    with engine.connect() as connection:
        slot_row = connection.execute(slot_query).scalar()
        user_row = connection.execute(user_query).scalar()
    holder = _json_field(slot_row, "value") if _json_field(slot_row, "name") == HUMAN_AGENT_SLOT else None
    channel = _json_field(user_row, "input_channel")
    return ChatState(clean_text(holder) if isinstance(holder, str) and holder else None,
                     channel if isinstance(channel, str) else None)


def _json_field(raw: str | None, key: str) -> object:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return None
    return data.get(key) if isinstance(data, dict) else None
