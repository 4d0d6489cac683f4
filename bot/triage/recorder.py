"""What the conversation side tells triage: topics discussed, tickets for staff, knowledge gaps.

Actions call these coroutines; every database call runs in a worker thread so a slow database
never stalls the action server's event loop. Topics can also be queued (`record_topics_soon`) so
that an answer does not wait for its bookkeeping write. One unresolved ticket per conversation: opening a
second one updates the first (urgency only goes up, tags merge, a known contact email is kept).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.triage.db import triage_engine, triage_session
from bot.triage.models import (
    MAX_CONVERSATION_ID_CHARS,
    MAX_EMAIL_CHARS,
    MAX_QUESTION_CHARS,
    MAX_TAG_CHARS,
    Conversation,
    ConversationTag,
    KnowledgeGap,
    KnowledgeGapOccurrence,
    Ticket,
    TicketStatus,
    Urgency,
    utcnow,
)

__all__ = ["Urgency", "record_topics", "record_topics_soon", "open_ticket", "record_knowledge_gap"]

T = TypeVar("T")

_SPACE = re.compile(r"\s+")
_TAG_CHARS = re.compile(r"[^a-z0-9_\-]+")
_KEY_PUNCTUATION = re.compile(r"[^\w\s\-]+")


def _conversation_id(conversation_id: str) -> str:
    if not conversation_id or not conversation_id.strip():
        raise ValueError("conversation_id must be a non-empty string (Rasa's sender id)")
    if len(conversation_id) > MAX_CONVERSATION_ID_CHARS:
        raise ValueError(f"conversation_id is longer than {MAX_CONVERSATION_ID_CHARS} characters")
    return conversation_id


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Lower-case, snake-ish, de-duplicated tags in first-seen order; empty ones dropped."""
    seen: dict[str, None] = {}
    for tag in tags:
        clean = _TAG_CHARS.sub("_", _SPACE.sub("_", str(tag).strip().lower())).strip("_")[:MAX_TAG_CHARS]
        if clean:
            seen.setdefault(clean, None)
    return list(seen)


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _touch_conversation(session: Session, conversation_id: str, tags: list[str]) -> Conversation:
    now = utcnow()
    # Row lock on PostgreSQL: concurrent calls for one conversation queue up here, so the
    # "one unresolved ticket per conversation" check below cannot race.
    conversation = session.get(Conversation, conversation_id, with_for_update=True)
    if conversation is None:
        conversation = Conversation(id=conversation_id, first_seen=now, last_seen=now)
        session.add(conversation)
        session.flush()
    else:
        conversation.last_seen = now
    known = {row.tag for row in conversation.tags}
    for tag in tags:
        if tag not in known:
            conversation.tags.append(ConversationTag(tag=tag, first_seen=now))
            known.add(tag)
    return conversation


def _record_topics_sync(conversation_id: str, tags: list[str], engine: Engine | None = None) -> None:
    with triage_session(engine, write=True) as session:
        _touch_conversation(session, conversation_id, tags)


def _open_ticket_sync(
    conversation_id: str,
    urgency: Urgency,
    reason: str,
    question: str,
    tags: list[str],
    contact_email: str | None,
) -> int:
    with triage_session(write=True) as session:
        _touch_conversation(session, conversation_id, tags)
        ticket = session.scalars(
            sa.select(Ticket)
            .where(Ticket.conversation_id == conversation_id, Ticket.status != TicketStatus.RESOLVED)
            .order_by(Ticket.id)
            .limit(1)
            .with_for_update()
        ).first()
        now = utcnow()
        if ticket is None:
            ticket = Ticket(
                conversation_id=conversation_id,
                urgency=urgency,
                status=TicketStatus.OPEN,
                reason=reason,
                question=question,
                contact_email=contact_email,
                created_at=now,
                updated_at=now,
            )
            session.add(ticket)
            session.flush()
            return ticket.id
        if urgency.rank > ticket.urgency.rank:
            # The more urgent reason is the one staff should read first.
            ticket.urgency = urgency
            ticket.reason = reason
            ticket.question = question
        if contact_email and not ticket.contact_email:
            ticket.contact_email = contact_email
        ticket.updated_at = now
        return ticket.id


def _gap_key(question: str, ingredient: str | None) -> str:
    source = ingredient if ingredient and ingredient.strip() else question
    return _SPACE.sub(" ", _KEY_PUNCTUATION.sub(" ", source.lower())).strip()[:500]


def _record_gap_sync(conversation_id: str, question: str, ingredient: str | None) -> None:
    key = _gap_key(question, ingredient)
    if not key:
        return  # nothing a person could act on (empty or punctuation-only question)
    with triage_session(write=True) as session:
        _touch_conversation(session, conversation_id, [])
        gap = session.scalars(sa.select(KnowledgeGap).where(KnowledgeGap.key == key)).first()
        if gap is None:
            gap = KnowledgeGap(key=key, ingredient=_clip(ingredient, 200) if ingredient else None)
            session.add(gap)
            session.flush()
        session.add(
            KnowledgeGapOccurrence(gap_id=gap.id, conversation_id=conversation_id, question=question, seen_at=utcnow())
        )


def _with_retry(func: Callable[..., T], *args: object) -> T:
    """Run ``func`` once more if a concurrent first write for the same conversation won the insert."""
    try:
        return func(*args)
    except IntegrityError:
        return func(*args)


async def record_topics(conversation_id: str, tags: Iterable[str]) -> None:
    """Remember that these topics (e.g. "vegan", "pregnancy") came up in the conversation."""
    await asyncio.to_thread(_with_retry, _record_topics_sync, _conversation_id(conversation_id), normalise_tags(tags))


#: One thread writes queued topics in the order they were queued. Threads of concurrent.futures are
#: joined when the interpreter exits, so a normal shutdown finishes the queue first.
_topic_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="triage-topics")


def record_topics_soon(conversation_id: str, tags: Iterable[str]) -> Future[None]:
    """Queue :func:`record_topics` and return at once; the returned future reports the outcome.

    For the answering path: the reply does not wait for the write (3-5 ms on SQLite). Bad ids are
    refused here, before queueing; the database (``triage_engine()``) is the one current at this call.
    """
    conversation_id, tags = _conversation_id(conversation_id), normalise_tags(tags)
    return _topic_writer.submit(_with_retry, _record_topics_sync, conversation_id, tags, triage_engine())


def wait_for_queued_topics(timeout: float | None = None) -> None:
    """Block until every topic queued so far is written (tests, and code that reads them right away)."""
    _topic_writer.submit(lambda: None).result(timeout)


async def open_ticket(
    conversation_id: str,
    *,
    urgency: Urgency,
    reason: str,
    question: str,
    tags: Iterable[str] = (),
    contact_email: str | None = None,
) -> int:
    """Open a ticket for staff (or update the conversation's unresolved one) and return its id.

    A second call for the same conversation while its ticket is unresolved updates that ticket:
    urgency only goes up (with the reason and question of the more urgent call), tags merge
    into the conversation's, and a contact email already given is kept.
    """
    urgency = Urgency(urgency)
    email = contact_email.strip()[:MAX_EMAIL_CHARS] if contact_email and contact_email.strip() else None
    return await asyncio.to_thread(
        _with_retry,
        _open_ticket_sync,
        _conversation_id(conversation_id),
        urgency,
        _clip(reason or urgency.value, 200),
        _clip(question or "", MAX_QUESTION_CHARS) or "(no question given)",
        normalise_tags(tags),
        email,
    )


async def record_knowledge_gap(conversation_id: str, *, question: str, ingredient: str | None) -> None:
    """Count a question the store could not answer, grouped by the ingredient named (if any)."""
    await asyncio.to_thread(
        _with_retry,
        _record_gap_sync,
        _conversation_id(conversation_id),
        _clip(question or "", MAX_QUESTION_CHARS),
        ingredient.strip() if ingredient else None,
    )
