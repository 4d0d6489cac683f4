"""What staff read and change: the ticket queue, one ticket in full, statuses, notes, assignment (each
change recorded with its author in the ticket's audit trail), knowledge gaps.

Blocking functions returning plain values; the dashboard runs them in worker threads. Text in the
views is cleaned of control characters (clean_text.py), so no stored row can break a page or an export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from bot.triage.clean_text import clean_optional, clean_text
from bot.triage.db import triage_session
from bot.triage.gaps import GapView, list_gaps  # noqa: F401 (re-exported: callers read gaps from here too)
from bot.triage.models import (
    MAX_NOTE_CHARS,
    Agent,
    Conversation,
    ConversationTag,
    Ticket,
    TicketEvent,
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
class Actor:
    """Who changes a ticket, as the audit trail records it: an agent's account, or the staff token."""

    agent_id: int | None
    name: str


#: Changes made through the JSON API with the bearer token, and in the first-time token session.
API_ACTOR = Actor(None, "API (staff token)")
SETUP_ACTOR = Actor(None, "Staff token (setup)")


@dataclass(frozen=True)
class NoteView:
    """A staff note as shown on a ticket."""

    id: int
    text: str
    created_at: dt.datetime
    author: str | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"id": self.id, "text": self.text, "created_at": self.created_at.isoformat(), "author": self.author}


@dataclass(frozen=True)
class EventView:
    """One line of a ticket's audit trail."""

    at: dt.datetime
    author: str
    action: str
    detail: str

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"at": self.at.isoformat(), "author": self.author, "action": self.action, "detail": self.detail}


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
    assigned_agent_id: int | None = None
    assignee: str | None = None
    events: tuple[EventView, ...] = field(default_factory=tuple)

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
            "assigned_agent_id": self.assigned_agent_id,
            "assignee": self.assignee,
        }
        if with_notes:
            data["notes"] = [note.as_dict() for note in self.notes]
            data["events"] = [event.as_dict() for event in self.events]
        return data


class NoteTooLong(ValueError):
    """A note longer than the store keeps."""


def agent_names(session: Session) -> dict[int, str]:
    """Every account's display name by id (a small table: staff, not customers)."""
    return {agent_id: clean_text(name) for agent_id, name in session.execute(sa.select(Agent.id, Agent.display_name))}


def ticket_view(ticket: Ticket, with_notes: bool = False, names: dict[int, str] | None = None) -> TicketView:
    """A ticket row as staff see it (``names``: agents' display names by id, for the assignee)."""
    notes = events = ()
    if with_notes:
        notes = tuple(NoteView(n.id, clean_text(n.text), n.created_at, clean_optional(n.author)) for n in ticket.notes)
        events = tuple(EventView(e.at, clean_text(e.author), e.action, clean_text(e.detail or ""))
                       for e in ticket.events)
    assigned = ticket.assigned_agent_id
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
        assigned_agent_id=assigned,
        assignee=(names or {}).get(assigned) if assigned is not None else None,
        events=events,
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
        names = agent_names(session)
        return [ticket_view(ticket, names=names) for ticket in session.scalars(query)]


def load_ticket(session: Session, ticket_id: int) -> Ticket | None:
    """One ticket row with its conversation's tags loaded, in the caller's session."""
    return session.scalars(
        sa.select(Ticket)
        .where(Ticket.id == ticket_id)
        .options(selectinload(Ticket.conversation).selectinload(Conversation.tags))
    ).first()


def get_ticket(ticket_id: int) -> TicketView | None:
    """One ticket with its notes and audit trail, or ``None`` if there is no such ticket."""
    with triage_session() as session:
        ticket = load_ticket(session, ticket_id)
        return ticket_view(ticket, with_notes=True, names=agent_names(session)) if ticket else None


def record_event(session: Session, ticket: Ticket, actor: Actor, action: str, detail: str = "") -> None:
    """Add a line to the ticket's audit trail and mark it updated (inside the caller's transaction)."""
    now = utcnow()
    session.add(TicketEvent(ticket_id=ticket.id, at=now, agent_id=actor.agent_id, author=actor.name,
                            action=action, detail=clean_text(detail)))
    ticket.updated_at = now


def _change_status(session: Session, ticket: Ticket, status: TicketStatus, actor: Actor) -> None:
    if ticket.status != status:
        record_event(session, ticket, actor, "status", f"{ticket.status.value} → {status.value}")
        ticket.status = status


def set_status(ticket_id: int, status: TicketStatus, actor: Actor = API_ACTOR) -> TicketView | None:
    """Move a ticket to ``status`` (recorded with its author); ``None`` if there is no such ticket."""
    with triage_session(write=True) as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is None:
            return None
        _change_status(session, ticket, status, actor)
        session.flush()
        session.expire(ticket, ["events"])
        return ticket_view(ticket, with_notes=True, names=agent_names(session))


def note_event(ticket_id: int, actor: Actor, action: str, detail: str) -> None:
    """Add a line to a ticket's audit trail on its own (e.g. "made from knowledge gap 7")."""
    with triage_session(write=True) as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is not None:
            record_event(session, ticket, actor, action, detail)


def set_status_of_many(ticket_ids: Collection[int], status: TicketStatus, actor: Actor) -> int:
    """Move several tickets to ``status`` at once (each change in its ticket's audit trail); returns how
    many tickets exist among ``ticket_ids``."""
    with triage_session(write=True) as session:
        tickets = session.scalars(sa.select(Ticket).where(Ticket.id.in_(list(ticket_ids)))).all()
        for ticket in tickets:
            _change_status(session, ticket, status, actor)
        return len(tickets)


def assign(ticket_id: int, agent_id: int | None, actor: Actor) -> TicketView | None:
    """Give a ticket to an agent (``None``: nobody); ``None`` if there is no such ticket.
    ``ValueError`` if ``agent_id`` is not an active account."""
    with triage_session(write=True) as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is None:
            return None
        names = agent_names(session)
        if agent_id is not None:
            agent = session.get(Agent, agent_id)
            if agent is None or not agent.active:
                raise ValueError(f"there is no active agent {agent_id}")
        if ticket.assigned_agent_id != agent_id:
            detail = f"assigned to {names[agent_id]}" if agent_id is not None else "unassigned"
            record_event(session, ticket, actor, "assign", detail)
            ticket.assigned_agent_id = agent_id
        session.flush()
        session.expire(ticket, ["events"])
        return ticket_view(ticket, with_notes=True, names=names)


def set_contact(ticket_id: int, email: str, actor: Actor) -> TicketView | None:
    """Confirm an email the person typed as the ticket's contact; ``None`` if there is no such ticket,
    ``ValueError`` if it is not one plausible address."""
    from bot.triage.recorder import valid_email  # late: the recorder imports these views' models only

    address = valid_email(email)
    if address is None:
        raise ValueError("that is not an email address (something like name@example.com)")
    with triage_session(write=True) as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is None:
            return None
        if ticket.contact_email != address:
            record_event(session, ticket, actor, "contact", f"contact email set to {address}")
            ticket.contact_email = address
        session.flush()
        session.expire(ticket, ["events"])
        return ticket_view(ticket, with_notes=True, names=agent_names(session))


def add_note(ticket_id: int, text: str, actor: Actor = API_ACTOR) -> NoteView | None:
    """Add a staff note signed by ``actor``; ``None`` if there is no such ticket. Empty or too long text
    raises ``ValueError``."""
    text = text.strip()
    if not text:
        raise ValueError("a note needs some text")
    if len(text) > MAX_NOTE_CHARS:
        raise NoteTooLong(f"a note can be at most {MAX_NOTE_CHARS} characters (this one has {len(text)})")
    with triage_session(write=True) as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is None:
            return None
        note = TicketNote(ticket_id=ticket.id, text=clean_text(text), created_at=utcnow(), author=actor.name)
        session.add(note)
        record_event(session, ticket, actor, "note", "added a note")
        session.flush()
        return NoteView(note.id, note.text, note.created_at, note.author)


def conversation_tickets(conversation_id: str) -> list[TicketView]:
    """Every ticket of one conversation, newest first."""
    query = (sa.select(Ticket).where(Ticket.conversation_id == conversation_id)
             .options(selectinload(Ticket.conversation).selectinload(Conversation.tags))
             .order_by(Ticket.created_at.desc(), Ticket.id.desc()))
    with triage_session() as session:
        names = agent_names(session)
        return [ticket_view(ticket, names=names) for ticket in session.scalars(query)]


def conversation_topics(conversation_id: str) -> list[str]:
    """The topic tags of one conversation (label_check, vegan, knowledge_gap...), whether or not it has a ticket."""
    query = (sa.select(ConversationTag.tag).where(ConversationTag.conversation_id == conversation_id)
             .order_by(ConversationTag.first_seen, ConversationTag.tag))
    with triage_session() as session:
        return list(session.scalars(query))


def related_tickets(ticket: TicketView, limit: int = 20) -> list[TicketView]:
    """The person's other tickets: same contact email (any case) or same conversation, newest first."""
    same = Ticket.conversation_id == ticket.conversation_id
    if ticket.contact_email:
        same = sa.or_(same, sa.func.lower(Ticket.contact_email) == ticket.contact_email.lower())
    query = (sa.select(Ticket).where(same, Ticket.id != ticket.id)
             .options(selectinload(Ticket.conversation).selectinload(Conversation.tags))
             .order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit))
    with triage_session() as session:
        names = agent_names(session)
        return [ticket_view(row, names=names) for row in session.scalars(query)]


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
