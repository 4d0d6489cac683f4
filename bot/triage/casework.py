"""What staff read and change: the ticket queue, one ticket in full, statuses, notes, knowledge gaps.

Blocking functions returning plain values; the dashboard runs them in worker threads. Text in the
views is cleaned of control characters (clean_text.py), so no stored row can break a page or an export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from bot.triage.clean_text import clean_optional, clean_text
from bot.triage.db import triage_session
from bot.triage.models import (
    MAX_NOTE_CHARS,
    Conversation,
    ConversationTag,
    KnowledgeGap,
    KnowledgeGapOccurrence,
    Ticket,
    TicketNote,
    TicketStatus,
    Urgency,
    utcnow,
)

#: Open work first: urgent before high before normal, then the oldest first.
_URGENCY_ORDER = sa.case(
    (Ticket.urgency == Urgency.URGENT, 0),
    (Ticket.urgency == Urgency.HIGH, 1),
    else_=2,
)


@dataclass(frozen=True)
class NoteView:
    """A staff note as shown on a ticket."""

    id: int
    text: str
    created_at: dt.datetime

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"id": self.id, "text": self.text, "created_at": self.created_at.isoformat()}


@dataclass(frozen=True)
class TicketView:
    """A ticket with the conversation's topic tags (and, in detail views, its notes)."""

    id: int
    conversation_id: str
    urgency: Urgency
    status: TicketStatus
    reason: str
    question: str
    contact_email: str | None
    tags: tuple[str, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    notes: tuple[NoteView, ...] = field(default_factory=tuple)
    kind: str | None = None
    reports: int = 1

    def as_dict(self, with_notes: bool = False) -> dict[str, object]:
        """JSON-ready form (notes only when asked for)."""
        data: dict[str, object] = {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "urgency": self.urgency.value,
            "status": self.status.value,
            "reason": self.reason,
            "question": self.question,
            "contact_email": self.contact_email,
            "tags": list(self.tags),
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "kind": self.kind,
            "reports": self.reports,
        }
        if with_notes:
            data["notes"] = [note.as_dict() for note in self.notes]
        return data


@dataclass(frozen=True)
class GapView:
    """A knowledge gap: how often it came up, when, the latest wording, and in which conversations."""

    id: int
    ingredient: str | None
    question: str
    count: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    conversation_ids: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "ingredient": self.ingredient,
            "question": self.question,
            "count": self.count,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "conversation_ids": list(self.conversation_ids),
        }


class NoteTooLong(ValueError):
    """A note longer than the store keeps."""


def _view(ticket: Ticket, with_notes: bool = False) -> TicketView:
    notes = tuple(NoteView(n.id, clean_text(n.text), n.created_at) for n in ticket.notes) if with_notes else ()
    return TicketView(
        id=ticket.id,
        conversation_id=clean_text(ticket.conversation_id),
        urgency=ticket.urgency,
        status=ticket.status,
        reason=clean_text(ticket.reason),
        question=clean_text(ticket.question),
        contact_email=clean_optional(ticket.contact_email),
        tags=tuple(sorted(clean_text(tag.tag) for tag in ticket.conversation.tags)),
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        notes=notes,
        kind=ticket.kind,
        reports=ticket.reports or 1,
    )


def list_tickets(
    tag: str | None = None, statuses: Collection[TicketStatus] | None = None, limit: int = 500
) -> list[TicketView]:
    """Tickets, most urgent then oldest first, optionally only those with a tag and/or statuses."""
    query = sa.select(Ticket).options(selectinload(Ticket.conversation).selectinload(Conversation.tags))
    if tag:
        tagged = sa.select(ConversationTag.conversation_id).where(ConversationTag.tag == tag)
        query = query.where(Ticket.conversation_id.in_(tagged))
    if statuses:
        query = query.where(Ticket.status.in_(list(statuses)))
    query = query.order_by(_URGENCY_ORDER, Ticket.created_at, Ticket.id).limit(limit)
    with triage_session() as session:
        return [_view(ticket) for ticket in session.scalars(query)]


def _get(session: Session, ticket_id: int) -> Ticket | None:
    return session.scalars(
        sa.select(Ticket)
        .where(Ticket.id == ticket_id)
        .options(selectinload(Ticket.conversation).selectinload(Conversation.tags))
    ).first()


def get_ticket(ticket_id: int) -> TicketView | None:
    """One ticket with its notes, or ``None`` if there is no such ticket."""
    with triage_session() as session:
        ticket = _get(session, ticket_id)
        return _view(ticket, with_notes=True) if ticket else None


def set_status(ticket_id: int, status: TicketStatus) -> TicketView | None:
    """Move a ticket to ``status``; ``None`` if there is no such ticket."""
    with triage_session() as session:
        ticket = _get(session, ticket_id)
        if ticket is None:
            return None
        if ticket.status != status:
            ticket.status = status
            ticket.updated_at = utcnow()
        return _view(ticket, with_notes=True)


def add_note(ticket_id: int, text: str) -> NoteView | None:
    """Add a staff note; ``None`` if there is no such ticket. Empty or too long text raises ``ValueError``."""
    text = text.strip()
    if not text:
        raise ValueError("a note needs some text")
    if len(text) > MAX_NOTE_CHARS:
        raise NoteTooLong(f"a note can be at most {MAX_NOTE_CHARS} characters (this one has {len(text)})")
    with triage_session() as session:
        ticket = _get(session, ticket_id)
        if ticket is None:
            return None
        now = utcnow()
        note = TicketNote(ticket_id=ticket.id, text=clean_text(text), created_at=now)
        session.add(note)
        ticket.updated_at = now
        session.flush()
        return NoteView(note.id, note.text, note.created_at)


def list_gaps(limit: int = 500) -> list[GapView]:
    """Knowledge gaps, the most frequently hit first."""
    occurrence = KnowledgeGapOccurrence
    latest = aliased(KnowledgeGapOccurrence)
    latest_question = (
        sa.select(latest.question)
        .where(latest.gap_id == KnowledgeGap.id)
        .order_by(latest.seen_at.desc(), latest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    count = sa.func.count(occurrence.id)
    query = (
        sa.select(
            KnowledgeGap.id,
            KnowledgeGap.ingredient,
            latest_question,
            count,
            sa.func.min(occurrence.seen_at),
            sa.func.max(occurrence.seen_at),
        )
        .join(occurrence, occurrence.gap_id == KnowledgeGap.id)
        .group_by(KnowledgeGap.id, KnowledgeGap.ingredient)
        .order_by(count.desc(), sa.func.max(occurrence.seen_at).desc(), KnowledgeGap.id)
        .limit(limit)
    )
    with triage_session() as session:
        rows = session.execute(query).all()
        conversations: dict[int, list[str]] = {}
        if rows:
            pairs = session.execute(
                sa.select(occurrence.gap_id, occurrence.conversation_id)
                .where(occurrence.gap_id.in_([row[0] for row in rows]))
                .distinct()
                .order_by(occurrence.gap_id, occurrence.conversation_id)
            ).all()
            for gap_id, conversation_id in pairs:
                conversations.setdefault(gap_id, []).append(clean_text(conversation_id))
    return [
        GapView(gap_id, clean_optional(ingredient), clean_text(question or ""), n, first, last,
                tuple(conversations.get(gap_id, ())))
        for gap_id, ingredient, question, n, first, last in rows
    ]


def ticket_tags() -> list[str]:
    """Every topic tag that appears on some ticket's conversation, for the dashboard's tag filter."""
    query = (
        sa.select(ConversationTag.tag)
        .where(ConversationTag.conversation_id.in_(sa.select(Ticket.conversation_id)))
        .distinct()
        .order_by(ConversationTag.tag)
    )
    with triage_session() as session:
        return list(session.scalars(query))
