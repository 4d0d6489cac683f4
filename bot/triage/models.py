"""What triage stores about a conversation: topics, tickets for staff, notes, and knowledge gaps.

These tables live in the knowledge store's database (``settings.triage_db_url()``) but use their own
declarative ``Base`` so that triage owns its schema. A change here needs a revision in
bot/triage/migrations/versions (tests/triage/test_migrations.py fails until the two agree). Tags are
rows, not a JSON blob, so staff can filter by them in SQL.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

#: Longest text we keep for a person's question or a staff note (characters).
MAX_QUESTION_CHARS = 4000
MAX_NOTE_CHARS = 4000
MAX_TAG_CHARS = 64
MAX_EMAIL_CHARS = 254
MAX_CONVERSATION_ID_CHARS = 255
MAX_DISPLAY_NAME_CHARS = 80


class Urgency(str, enum.Enum):
    """How soon a person should hear from staff."""

    URGENT = "urgent"  # red-flag symptoms
    HIGH = "high"  # adverse reaction reported, or a person asked for one
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        """Higher is more urgent (for "urgency only goes up" and for ordering)."""
        return URGENCY_RANK[self]


URGENCY_RANK = {Urgency.NORMAL: 0, Urgency.HIGH: 1, Urgency.URGENT: 2}


class TicketStatus(str, enum.Enum):
    """Where a ticket is in the staff workflow."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


def utcnow() -> dt.datetime:
    """Naive UTC now (stored naive, the same way in SQLite and PostgreSQL)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _enum(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    # Stored as the readable value ("in_progress"), checked by a constraint rather than a native type
    # so that the same schema works on SQLite and PostgreSQL without migrations for new values.
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class Conversation(Base):
    """One conversation with the assistant (Rasa's sender id), as far as triage has seen it."""

    __tablename__ = "triage_conversations"

    id = sa.Column(sa.String(MAX_CONVERSATION_ID_CHARS), primary_key=True)
    first_seen = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_seen = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)

    tags = relationship("ConversationTag", cascade="all, delete-orphan", lazy="selectin")
    tickets = relationship("Ticket", back_populates="conversation", cascade="all, delete-orphan")


class ConversationTag(Base):
    """A topic that came up in a conversation (vegan, pregnancy, red_flag, handoff, ...)."""

    __tablename__ = "triage_conversation_tags"

    conversation_id = sa.Column(
        sa.String(MAX_CONVERSATION_ID_CHARS),
        sa.ForeignKey("triage_conversations.id", ondelete="CASCADE"),
        primary_key=True,
    )
    tag = sa.Column(sa.String(MAX_TAG_CHARS), primary_key=True, index=True)
    first_seen = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class Ticket(Base):
    """A conversation a person on the staff should look at: at most one unresolved per conversation and
    kind (red_flag, reaction, handoff, ...); a repeat adds its message and counts (``reports``)."""

    __tablename__ = "triage_tickets"

    id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(
        sa.String(MAX_CONVERSATION_ID_CHARS),
        sa.ForeignKey("triage_conversations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    urgency = sa.Column(_enum(Urgency, "triage_urgency"), nullable=False)
    status = sa.Column(_enum(TicketStatus, "triage_ticket_status"), nullable=False, default=TicketStatus.OPEN)
    reason = sa.Column(sa.String(200), nullable=False)
    question = sa.Column(sa.Text, nullable=False)
    contact_email = sa.Column(sa.String(MAX_EMAIL_CHARS))
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    # Added after the first release (migration 0002): nullable or with a server default, for existing rows.
    kind = sa.Column(sa.String(MAX_TAG_CHARS))  # NULL: a ticket from before kinds existed
    reports = sa.Column(sa.Integer, nullable=False, default=1, server_default="1")
    # Added with agent accounts (issue 14): who works on it (NULL: unassigned). No foreign key: SQLite
    # cannot add one to an existing table without copying it (migration 0002 adds the plain column).
    assigned_agent_id = sa.Column(sa.Integer, index=True)
    alerted_at = sa.Column(sa.DateTime)  # when staff were alerted (webhook / email) about it as urgent

    conversation = relationship("Conversation", back_populates="tickets")
    notes = relationship("TicketNote", cascade="all, delete-orphan", order_by="TicketNote.created_at", lazy="selectin")
    events = relationship("TicketEvent", cascade="all, delete-orphan", order_by="TicketEvent.id", lazy="selectin")


class AgentRole(str, enum.Enum):
    """What a staff account may do: agents work tickets; admins also manage accounts."""

    AGENT = "agent"
    ADMIN = "admin"


class Agent(Base):
    """A person on the staff with their own sign-in (the password kept only as a scrypt hash)."""

    __tablename__ = "triage_agents"

    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(MAX_EMAIL_CHARS), nullable=False, unique=True)  # stored lower-case
    display_name = sa.Column(sa.String(MAX_DISPLAY_NAME_CHARS), nullable=False)
    password_hash = sa.Column(sa.String(255), nullable=False)
    role = sa.Column(_enum(AgentRole, "triage_agent_role"), nullable=False, default=AgentRole.AGENT)
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class TicketEvent(Base):
    """One entry of a ticket's audit trail: who did what to it, and when."""

    __tablename__ = "triage_ticket_events"

    id = sa.Column(sa.Integer, primary_key=True)
    ticket_id = sa.Column(
        sa.Integer, sa.ForeignKey("triage_tickets.id", ondelete="CASCADE"), nullable=False, index=True
    )
    at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    agent_id = sa.Column(sa.Integer)  # NULL: the API token, or the first-time token sign-in
    author = sa.Column(sa.String(MAX_DISPLAY_NAME_CHARS), nullable=False)  # as shown then
    action = sa.Column(sa.String(32), nullable=False)  # status, note, assign, urgency, tags, reply
    detail = sa.Column(sa.Text, nullable=False, default="")


class UrgencyCorrection(Base):
    """An agent's change of a ticket's urgency, with why, and the message as the safety corpus would
    hold it (a downgraded false alarm is a near-miss; an upgraded missed emergency an emergency)."""

    __tablename__ = "triage_urgency_corrections"

    id = sa.Column(sa.Integer, primary_key=True)
    ticket_id = sa.Column(
        sa.Integer, sa.ForeignKey("triage_tickets.id", ondelete="CASCADE"), nullable=False, index=True
    )
    at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    author = sa.Column(sa.String(MAX_DISPLAY_NAME_CHARS), nullable=False)
    from_urgency = sa.Column(_enum(Urgency, "triage_correction_from"), nullable=False)
    to_urgency = sa.Column(_enum(Urgency, "triage_correction_to"), nullable=False)
    reason = sa.Column(sa.Text, nullable=False)
    corpus_text = sa.Column(sa.Text, nullable=False)
    emergency_kind = sa.Column(sa.String(32))  # anaphylaxis, swallowed, eye, burn (upgrades to urgent)
    lang = sa.Column(sa.String(8), nullable=False, default="en")


class StaffSession(Base):
    """A signed-in staff member's session (the cookie holds its id, this table its hash and lifetimes)."""

    __tablename__ = "triage_staff_sessions"

    id_hash = sa.Column(sa.String(64), primary_key=True)  # sha256 of the session id: the table grants nothing
    token_fingerprint = sa.Column(sa.String(64), nullable=False)  # STAFF_TOKEN rotated -> sessions end
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_seen = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    agent_id = sa.Column(sa.Integer)  # added with agent accounts; NULL: signed in with STAFF_TOKEN (setup)


class TriageSecret(Base):
    """Random values the staff area keeps server-side (the salt its cookie key is derived with)."""

    __tablename__ = "triage_secrets"

    name = sa.Column(sa.String(64), primary_key=True)
    value = sa.Column(sa.String(128), nullable=False)


class TicketNote(Base):
    """A note a staff member added to a ticket."""

    __tablename__ = "triage_ticket_notes"

    id = sa.Column(sa.Integer, primary_key=True)
    ticket_id = sa.Column(
        sa.Integer, sa.ForeignKey("triage_tickets.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    author = sa.Column(sa.String(MAX_DISPLAY_NAME_CHARS))  # added with agent accounts; NULL on older notes


class KnowledgeGap(Base):
    """Something people asked that the store could not answer, grouped by ingredient or question.

    Count, first and last seen are derived from the occurrences, so forgetting a conversation
    (deleting its occurrences) keeps them true without bookkeeping.
    """

    __tablename__ = "triage_knowledge_gaps"

    id = sa.Column(sa.Integer, primary_key=True)
    # Normalised ingredient name, or normalised question text when no ingredient was named.
    key = sa.Column(sa.String(500), nullable=False, unique=True)
    ingredient = sa.Column(sa.String(200))
    # Added with the support desk (issue 14): a gap staff have dealt with, by whom, and how.
    handled_at = sa.Column(sa.DateTime)
    handled_by = sa.Column(sa.String(MAX_DISPLAY_NAME_CHARS))
    handled_note = sa.Column(sa.Text)

    occurrences = relationship("KnowledgeGapOccurrence", cascade="all, delete-orphan")


class KnowledgeGapOccurrence(Base):
    """One time a conversation ran into a knowledge gap, with the question as the person put it."""

    __tablename__ = "triage_knowledge_gap_occurrences"

    id = sa.Column(sa.Integer, primary_key=True)
    gap_id = sa.Column(
        sa.Integer, sa.ForeignKey("triage_knowledge_gaps.id", ondelete="CASCADE"), nullable=False, index=True
    )
    conversation_id = sa.Column(sa.String(MAX_CONVERSATION_ID_CHARS), nullable=False, index=True)
    question = sa.Column(sa.Text, nullable=False)
    seen_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
