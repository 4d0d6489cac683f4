"""Triage's tables as ``create_all`` made them before schema revisions existed: bot/triage/models.py at
commit efba741 (before tickets had kinds), copied column for column so that the migration tests start
from a database the old code really made, not from the baseline revision they are testing."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


PREVIOUS = sa.MetaData()
CONVERSATIONS = sa.Table(
    "triage_conversations", PREVIOUS,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("first_seen", sa.DateTime, nullable=False),
    sa.Column("last_seen", sa.DateTime, nullable=False, index=True),
)
TAGS = sa.Table(
    "triage_conversation_tags", PREVIOUS,
    sa.Column("conversation_id", sa.String(255), sa.ForeignKey("triage_conversations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("tag", sa.String(64), primary_key=True, index=True),
    sa.Column("first_seen", sa.DateTime, nullable=False),
)
TICKETS = sa.Table(
    "triage_tickets", PREVIOUS,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.String(255), sa.ForeignKey("triage_conversations.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("urgency", _enum("triage_urgency", "urgent", "high", "normal"), nullable=False),
    sa.Column("status", _enum("triage_ticket_status", "open", "in_progress", "resolved"), nullable=False),
    sa.Column("reason", sa.String(200), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("contact_email", sa.String(254)),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False, index=True),
)
NOTES = sa.Table(
    "triage_ticket_notes", PREVIOUS,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ticket_id", sa.Integer, sa.ForeignKey("triage_tickets.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
GAPS = sa.Table(
    "triage_knowledge_gaps", PREVIOUS,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(500), nullable=False, unique=True),
    sa.Column("ingredient", sa.String(200)),
)
GAP_OCCURRENCES = sa.Table(
    "triage_knowledge_gap_occurrences", PREVIOUS,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("gap_id", sa.Integer, sa.ForeignKey("triage_knowledge_gaps.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("seen_at", sa.DateTime, nullable=False),
)

AT = dt.datetime(2026, 11, 20, 9, 30)
#: The tickets the old code wrote: every urgency and status, with and without a contact email.
OLD_TICKETS = [
    {"conversation_id": "alice", "urgency": "urgent", "status": "open", "reason": "red flag",
     "question": "my lips are swelling after the serum", "contact_email": "alice@example.org"},
    {"conversation_id": "alice", "urgency": "high", "status": "in_progress", "reason": "reaction",
     "question": "the toner stings and my cheeks are red", "contact_email": None},
    {"conversation_id": "bob", "urgency": "normal", "status": "resolved", "reason": "asked for a person",
     "question": "can I talk to someone?", "contact_email": "bob@example.org"},
]


def fill(engine: Engine) -> None:
    """Conversations, topics, tickets, a note and a knowledge gap, as the old code stored them."""
    with engine.begin() as connection:
        for conversation in ("alice", "bob"):
            connection.execute(CONVERSATIONS.insert().values(id=conversation, first_seen=AT, last_seen=AT))
        connection.execute(TAGS.insert().values(conversation_id="alice", tag="red_flag", first_seen=AT))
        # Ids from the database's own sequence, as the old code got them (new rows must not collide).
        ids = [connection.execute(TICKETS.insert().values(**ticket, created_at=AT, updated_at=AT))
               .inserted_primary_key[0] for ticket in OLD_TICKETS]
        connection.execute(NOTES.insert().values(ticket_id=ids[0], text="called her back", created_at=AT))
        gap = connection.execute(GAPS.insert().values(key="bakuchiol", ingredient="bakuchiol"))
        gap_id = gap.inserted_primary_key[0]
        connection.execute(GAP_OCCURRENCES.insert().values(gap_id=gap_id, conversation_id="bob",
                                                           question="is bakuchiol safe?", seen_at=AT))
