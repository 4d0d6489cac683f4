"""Forgetting one conversation on request, and removing old data after the retention period.

Both reach into two databases: triage's tables (tickets, notes, topics, knowledge-gap occurrences)
and Rasa's tracker store (the conversation's events). Blocking; run them from the command line
(``python -m bot.triage forget|purge``) or in a worker thread.

A person can also ask in the chat ("forget me", bot/nlu/forget_requests.py): after they confirm,
:data:`FORGET_ACTION` deletes the triage side (:func:`forget_triage_records`, through the action server's
triage writer) and the Rasa server's tracker store drops the conversation's events when it saves the turn
that ran it (bot/tracker_store.py), so nothing of the conversation is written back afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.triage.db import triage_session
from bot.triage.models import (
    Conversation,
    ConversationTag,
    KnowledgeGap,
    KnowledgeGapOccurrence,
    Ticket,
    TicketEvent,
    TicketNote,
    TicketStatus,
    UrgencyCorrection,
    utcnow,
)
from bot.triage.transcript import EVENTS, has_events_table, tracker_engine

_NO_SYNC = {"synchronize_session": False}
#: The action that forgets the conversation it runs in, on the person's own request.
FORGET_ACTION = "action_forget_conversation"


@dataclass
class DeletionReport:
    """How many rows of each kind were deleted."""

    conversations: int = 0
    tickets: int = 0
    notes: int = 0
    gap_occurrences: int = 0
    tracker_events: int = 0

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"deleted {self.conversations} conversation(s), {self.tickets} ticket(s), {self.notes} note(s), "
            f"{self.gap_occurrences} knowledge-gap occurrence(s), {self.tracker_events} tracker event(s)"
        )


def _delete_tickets(session: Session, ticket_ids: Collection[int], report: DeletionReport) -> None:
    if not ticket_ids:
        return
    session.execute(sa.delete(UrgencyCorrection).where(UrgencyCorrection.ticket_id.in_(ticket_ids))
                    .execution_options(**_NO_SYNC))
    session.execute(
        sa.delete(TicketEvent).where(TicketEvent.ticket_id.in_(ticket_ids)).execution_options(**_NO_SYNC))
    report.notes += session.execute(
        sa.delete(TicketNote).where(TicketNote.ticket_id.in_(ticket_ids)).execution_options(**_NO_SYNC)
    ).rowcount
    report.tickets += session.execute(
        sa.delete(Ticket).where(Ticket.id.in_(ticket_ids)).execution_options(**_NO_SYNC)
    ).rowcount


def _delete_conversations(session: Session, conversation_ids: Collection[str], report: DeletionReport) -> None:
    if not conversation_ids:
        return
    ticket_ids = session.scalars(sa.select(Ticket.id).where(Ticket.conversation_id.in_(conversation_ids))).all()
    _delete_tickets(session, ticket_ids, report)
    report.gap_occurrences += session.execute(
        sa.delete(KnowledgeGapOccurrence)
        .where(KnowledgeGapOccurrence.conversation_id.in_(conversation_ids))
        .execution_options(**_NO_SYNC)
    ).rowcount
    session.execute(
        sa.delete(ConversationTag)
        .where(ConversationTag.conversation_id.in_(conversation_ids))
        .execution_options(**_NO_SYNC)
    )
    report.conversations += session.execute(
        sa.delete(Conversation).where(Conversation.id.in_(conversation_ids)).execution_options(**_NO_SYNC)
    ).rowcount
    _drop_empty_gaps(session)


def _drop_empty_gaps(session: Session) -> None:
    # A gap with no occurrence left would show a count of zero and keep text nobody can trace back.
    still_seen = sa.select(KnowledgeGapOccurrence.gap_id)
    session.execute(sa.delete(KnowledgeGap).where(KnowledgeGap.id.not_in(still_seen)).execution_options(**_NO_SYNC))


def forget_triage_records(conversation_id: str, engine: Engine | None = None) -> DeletionReport:
    """Delete what triage holds about one conversation: tickets, notes, topics, knowledge-gap occurrences."""
    report = DeletionReport()
    with triage_session(write=True, engine=engine) as session:
        _delete_conversations(session, [conversation_id], report)
    return report


def forget_conversation(conversation_id: str, tracker: Engine | None = None) -> DeletionReport:
    """Delete everything held about one conversation: its tracker events, tickets, notes, topics, gaps."""
    report = forget_triage_records(conversation_id)
    tracker = tracker or tracker_engine()
    if has_events_table(tracker):
        with tracker.begin() as connection:
            report.tracker_events = connection.execute(
                sa.delete(EVENTS).where(EVENTS.c.sender_id == conversation_id)
            ).rowcount
    return report


def purge_expired(days: int, tracker: Engine | None = None, now: dt.datetime | None = None) -> DeletionReport:
    """Remove resolved tickets and finished conversations (and their tracker events) older than ``days``.

    A ticket counts from its last update; a conversation from its last message. Conversations
    that still have a ticket (an unresolved one, or a resolved one inside the retention period)
    are kept, transcript included, so staff never lose what they are working on.
    """
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    report = DeletionReport()
    with triage_session(write=True) as session:
        expired_tickets = session.scalars(
            sa.select(Ticket.id).where(Ticket.status == TicketStatus.RESOLVED, Ticket.updated_at < cutoff)
        ).all()
        _delete_tickets(session, expired_tickets, report)
        with_tickets = sa.select(Ticket.conversation_id)
        expired_conversations = session.scalars(
            sa.select(Conversation.id).where(Conversation.last_seen < cutoff, Conversation.id.not_in(with_tickets))
        ).all()
        for start in range(0, len(expired_conversations), 500):  # SQLite's bound-parameter limit
            _delete_conversations(session, expired_conversations[start : start + 500], report)
        kept = set(session.scalars(sa.select(Ticket.conversation_id).distinct()).all())

    tracker = tracker or tracker_engine()
    if has_events_table(tracker):
        cutoff_epoch = cutoff.replace(tzinfo=dt.timezone.utc).timestamp()
        with tracker.begin() as connection:
            stale = connection.scalars(
                sa.select(EVENTS.c.sender_id)
                .group_by(EVENTS.c.sender_id)
                .having(sa.func.max(EVENTS.c.timestamp) < cutoff_epoch)
            ).all()
            stale = [sender for sender in stale if sender not in kept]
            for start in range(0, len(stale), 500):
                report.tracker_events += connection.execute(
                    sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(stale[start : start + 500]))
                ).rowcount
    return report
