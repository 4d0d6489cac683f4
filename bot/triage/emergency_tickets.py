"""Urgent tickets for emergencies whose ticket was missed (action server or database down at the time).

The emergency reply is a domain response that Rasa sends on its own, so a person can get it while
the action that opens the urgent ticket (actions/safety.py) cannot run or cannot write. The web server
therefore looks at Rasa's tracker store every `CHECK_EVERY_SECONDS`: every conversation where
`utter_emergency` was sent within `LOOK_BACK_HOURS` but which has no urgent ticket updated since then
gets one now, with the kind and the person's words read from the conversation itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.safety.nlu_labels import (
    DEFAULT_KIND,
    EMERGENCY_KIND_ENTITY,
    POSSIBLE_EMERGENCY_INTENT,
    RED_FLAG_INTENT,
    SAFETY_PARSE_KEY,
)
from bot.safety.policy import emergency_ticket_reason
from bot.triage import recorder
from bot.triage.db import triage_session
from bot.triage.models import Ticket, Urgency
from bot.triage.transcript import EVENTS, has_events_table, tracker_engine

logger = logging.getLogger(__name__)

EMERGENCY_RESPONSE = "utter_emergency"
#: How often the web server looks for missed emergency tickets.
CHECK_EVERY_SECONDS = 60.0
#: How far back it looks (a missed ticket older than this is not written any more).
LOOK_BACK_HOURS = 24.0
#: An urgent ticket updated this long before the emergency reply still counts (clocks of two hosts).
CLOCK_SLACK = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class EmergencyTurn:
    """The latest emergency reply of a conversation: when, which kind, and what the person wrote."""

    conversation_id: str
    at: dt.datetime
    kind: str
    question: str


def _data(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _utc(timestamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).replace(tzinfo=None)


def _emergency_turn(engine: Engine, conversation_id: str, until: float) -> EmergencyTurn | None:
    """Read one conversation up to its latest emergency reply: the kind slot and the report before it."""
    query = (
        sa.select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == conversation_id, EVENTS.c.timestamp <= until,
               EVENTS.c.type_name.in_(("user", "bot", "slot")))
        .order_by(EVENTS.c.id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    kind, report, found = DEFAULT_KIND, "", None
    for type_name, timestamp, raw in rows:
        data = _data(raw)
        if type_name == "slot" and data.get("name") == EMERGENCY_KIND_ENTITY and data.get("value"):
            kind = str(data["value"])
        elif type_name == "user":
            parse = data.get("parse_data") or {}
            if (parse.get("intent") or {}).get("name") in (RED_FLAG_INTENT, POSSIBLE_EMERGENCY_INTENT):
                report = str(data.get("text") or "")
                kind = str((parse.get(SAFETY_PARSE_KEY) or {}).get("kind") or kind)
        elif type_name == "bot" and (data.get("metadata") or {}).get("utter_action") == EMERGENCY_RESPONSE:
            found = EmergencyTurn(conversation_id, _utc(timestamp), kind, report)
    return found


def find_emergency_turns(engine: Engine, since: dt.datetime) -> list[EmergencyTurn]:
    """The latest emergency reply of every conversation that got one since ``since`` (naive UTC)."""
    if not has_events_table(engine):
        return []
    since_ts = since.replace(tzinfo=dt.timezone.utc).timestamp()
    query = (
        sa.select(EVENTS.c.sender_id, sa.func.max(EVENTS.c.timestamp))
        .where(EVENTS.c.type_name == "bot", EVENTS.c.timestamp >= since_ts,
               EVENTS.c.data.like(f"%{EMERGENCY_RESPONSE}%"))
        .group_by(EVENTS.c.sender_id)
    )
    with engine.connect() as connection:
        latest = connection.execute(query).all()
    turns = (_emergency_turn(engine, sender, until) for sender, until in latest)
    return [turn for turn in turns if turn is not None]


def _has_urgent_ticket_since(turn: EmergencyTurn) -> bool:
    with triage_session() as session:
        found = session.scalars(
            sa.select(Ticket.id).where(
                Ticket.conversation_id == turn.conversation_id,
                Ticket.urgency == Urgency.URGENT,
                Ticket.updated_at >= turn.at - CLOCK_SLACK,
            ).limit(1)
        ).first()
    return found is not None


async def open_missed_emergency_tickets(engine: Engine | None = None, look_back_hours: float = LOOK_BACK_HOURS) -> int:
    """Open the urgent ticket of every recent emergency that has none; return how many were opened."""
    engine = engine or tracker_engine()
    if engine is None:
        return 0
    since = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(hours=look_back_hours)
    opened = 0
    for turn in await asyncio.to_thread(find_emergency_turns, engine, since):
        if await asyncio.to_thread(_has_urgent_ticket_since, turn):
            continue
        await recorder.open_ticket(turn.conversation_id, urgency=Urgency.URGENT,
                                   reason=emergency_ticket_reason(turn.kind), question=turn.question,
                                   tags=["red_flag", turn.kind])
        logger.warning("emergency ticket for %s was missed at %s; opened now", turn.conversation_id, turn.at)
        opened += 1
    return opened


async def open_missed_emergency_tickets_on_schedule(every_seconds: float = CHECK_EVERY_SECONDS) -> None:
    """Run :func:`open_missed_emergency_tickets` now and then every ``every_seconds``, forever."""
    while True:
        try:
            await open_missed_emergency_tickets()
        except Exception:  # the tracker store or the database may be down: try again next time
            logger.exception("could not check for missed emergency tickets; next try in %g s", every_seconds)
        await asyncio.sleep(every_seconds)
