"""What the conversation side tells triage: topics discussed, tickets for staff, knowledge gaps.

Actions call these coroutines; every database call runs in a worker thread so a slow database
never stalls the action server's event loop. Topics can also be queued (`record_topics_soon`) so
that an answer does not wait for its bookkeeping write.

One unresolved ticket per conversation and kind (red_flag, reaction, handoff, ...): a repeat appends
its message to that ticket, counts it and can only raise its urgency, so a person (or anyone posing as
one) repeating an alarming message cannot multiply tickets. A contact email is set on a conversation's
tickets only by its own handoff and never replaced: a different one given later becomes a note for
staff. Everything stored is cleaned of control characters first (bot/triage/clean_text.py).
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from bot.observability import count_ticket_opened
from bot.triage.clean_text import clean_text
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
    TicketNote,
    TicketStatus,
    Urgency,
    utcnow,
)

if TYPE_CHECKING:
    from bot.triage.privacy import DeletionReport

__all__ = ["Urgency", "record_topics", "record_topics_soon", "open_ticket", "record_knowledge_gap", "valid_email",
           "forget_records"]

T = TypeVar("T")

_SPACE = re.compile(r"\s+")
_TAG_CHARS = re.compile(r"[^a-z0-9_\-]+")
_KEY_PUNCTUATION = re.compile(r"[^\w\s\-]+")


#: An email address as the handoff form accepts it (actions/handoff.py finds it in what the person typed).
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}")
#: Between the messages of a ticket's repeated reports.
_SEPARATOR = "\n---\n"


def _conversation_id(conversation_id: str) -> str:
    if not isinstance(conversation_id, str) or not conversation_id.strip():
        raise ValueError("conversation_id must be a non-empty string (Rasa's sender id)")
    if len(conversation_id) > MAX_CONVERSATION_ID_CHARS:
        raise ValueError(f"conversation_id is longer than {MAX_CONVERSATION_ID_CHARS} characters")
    if not conversation_id.isprintable():
        raise ValueError("conversation_id contains control or formatting characters")
    return conversation_id


def valid_email(value: str | None) -> str | None:
    """``value`` as a stored contact email (domain lower-cased) if it is exactly one plausible address."""
    value = (value or "").strip()
    if len(value) > MAX_EMAIL_CHARS or not EMAIL.fullmatch(value):
        return None
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Lower-case, snake-ish, de-duplicated tags in first-seen order; empty ones dropped."""
    seen: dict[str, None] = {}
    for tag in tags:
        clean = _TAG_CHARS.sub("_", _SPACE.sub("_", str(tag).strip().lower())).strip("_")[:MAX_TAG_CHARS]
        if clean:
            seen.setdefault(clean, None)
    return list(seen)


def _clip(text: str, limit: int) -> str:
    text = clean_text(text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _append(history: str, message: str, limit: int) -> str:
    """``history`` with ``message`` added (unless it repeats the last one), the oldest text dropped past ``limit``."""
    if history == message or history.endswith(_SEPARATOR + message):
        return history
    combined = f"{history}{_SEPARATOR}{message}"
    return combined if len(combined) <= limit else "…" + combined[len(combined) - limit + 1 :]


def _touch_conversation(session: Session, conversation_id: str, tags: list[str]) -> None:
    """Note that the conversation was seen now, with these topics: two upserts, whatever is stored.

    On PostgreSQL the conversation's upsert takes its row lock (a new row's key lock) until the transaction
    ends, so concurrent calls for one conversation queue up here and the "one unresolved ticket per
    conversation" check that follows in :func:`_open_ticket_sync` cannot race; SQLite's write transaction
    (``triage_session(write=True)``) serialises them already.
    """
    now = utcnow()
    touch_conversation, add_tag = _upserts(type(session.get_bind().dialect))
    session.execute(touch_conversation, {"id": conversation_id, "now": now})
    if tags:
        session.execute(add_tag, [{"id": conversation_id, "tag": tag, "now": now} for tag in dict.fromkeys(tags)])


@functools.cache
def _upserts(dialect_type: type[Dialect]) -> tuple[TextClause, TextClause]:
    """The two upserts of :func:`_touch_conversation`, as fixed SQL for one dialect (SQLite or PostgreSQL).

    SQLAlchemy 1.4 cannot cache a statement with ON CONFLICT, so it would compile both on every message
    (most of the write's time): they are compiled once, to text with named parameters.
    """
    dialect = dialect_type(paramstyle="named")
    if dialect.name not in _UPSERT_INSERTS:
        raise RuntimeError(f"triage data needs SQLite or PostgreSQL, not {dialect.name} (check TRACKER_DB_URL)")
    insert = _UPSERT_INSERTS[dialect.name]
    conversations, conversation_tags = Conversation.__table__, ConversationTag.__table__
    now = sa.bindparam("now", type_=conversations.c.last_seen.type)
    touch = (insert(conversations)
             .values(id=sa.bindparam("id"), first_seen=now, last_seen=now)
             .on_conflict_do_update(index_elements=[conversations.c.id], set_={"last_seen": now}))
    # A topic keeps the time it first came up.
    add_tag = (insert(conversation_tags)
               .values(conversation_id=sa.bindparam("id"), tag=sa.bindparam("tag"), first_seen=now)
               .on_conflict_do_nothing(index_elements=[conversation_tags.c.conversation_id, conversation_tags.c.tag]))
    return tuple(sa.text(str(statement.compile(dialect=dialect))).bindparams(now)  # type: ignore[return-value]
                 for statement in (touch, add_tag))


#: INSERT with ON CONFLICT: triage runs on SQLite (embedded) or PostgreSQL (production).
_UPSERT_INSERTS: dict[str, Callable[..., Any]] = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


def _record_topics_sync(conversation_id: str, tags: list[str], engine: Engine | None = None) -> None:
    with triage_session(engine, write=True) as session:
        _touch_conversation(session, conversation_id, tags)


def _open_ticket_sync(
    conversation_id: str,
    kind: str,
    urgency: Urgency,
    reason: str,
    question: str,
    tags: list[str],
) -> tuple[int, bool]:
    """The ticket's id, and whether it is new (else the message joined an unresolved one)."""
    with triage_session(write=True) as session:
        _touch_conversation(session, conversation_id, tags)
        ticket = session.scalars(
            sa.select(Ticket)
            .where(
                Ticket.conversation_id == conversation_id,
                Ticket.status != TicketStatus.RESOLVED,
                # A ticket from before kinds existed takes every kind, as it used to.
                sa.or_(Ticket.kind == kind, Ticket.kind.is_(None)),
            )
            .order_by(Ticket.id)
            .limit(1)
            .with_for_update()
        ).first()
        now = utcnow()
        if ticket is None:
            # A contact email given earlier in this conversation (its own handoff) applies to new tickets too.
            email = session.scalars(
                sa.select(Ticket.contact_email)
                .where(Ticket.conversation_id == conversation_id, Ticket.status != TicketStatus.RESOLVED,
                       Ticket.contact_email.is_not(None))
                .order_by(Ticket.id)
                .limit(1)
            ).first()
            ticket = Ticket(
                conversation_id=conversation_id,
                kind=kind,
                urgency=urgency,
                status=TicketStatus.OPEN,
                reason=reason,
                question=question,
                contact_email=email,
                reports=1,
                created_at=now,
                updated_at=now,
            )
            session.add(ticket)
            session.flush()
            return ticket.id, True
        ticket.reports = (ticket.reports or 1) + 1
        ticket.question = _append(ticket.question, question, MAX_QUESTION_CHARS)
        if urgency.rank > ticket.urgency.rank:
            # The more urgent reason is the one staff should read first.
            ticket.urgency = urgency
            ticket.reason = reason
        ticket.updated_at = now
        return ticket.id, False


def _set_contact_email_sync(conversation_id: str, email: str) -> int:
    """Put the handoff's email on the conversation's unresolved tickets that have none; note a different one."""
    with triage_session(write=True) as session:
        _touch_conversation(session, conversation_id, [])
        tickets = session.scalars(
            sa.select(Ticket)
            .where(Ticket.conversation_id == conversation_id, Ticket.status != TicketStatus.RESOLVED)
            .order_by(Ticket.id)
            .with_for_update()
        ).all()
        now = utcnow()
        for ticket in tickets:
            if not ticket.contact_email:
                ticket.contact_email = email
            elif ticket.contact_email != email:
                # Never swapped in silently: whoever reads the ticket decides which address to use.
                session.add(TicketNote(
                    ticket_id=ticket.id, created_at=now,
                    text=(f"Another contact email was given later in this conversation: {email}. "
                          f"The ticket keeps the first one ({ticket.contact_email}); check before replying."),
                ))
            else:
                continue
            ticket.updated_at = now
        return len(tickets)


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


async def forget_records(conversation_id: str) -> DeletionReport:
    """Delete what triage holds about the conversation (the person asked to be forgotten), after every topic
    write queued before it, so a queued write cannot bring the conversation back."""
    from bot.triage.privacy import forget_triage_records  # late: privacy imports the transcript, which imports us

    future = _topic_writer.submit(forget_triage_records, _conversation_id(conversation_id), triage_engine())
    return await asyncio.wrap_future(future)


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
    kind: str | None = None,
) -> int:
    """Open a ticket for staff (or add to the conversation's unresolved one of this kind); return its id.

    ``kind`` groups repeats (default: the first tag, e.g. "red_flag", "reaction", "handoff"). A repeat
    while the ticket is unresolved appends its question, counts one more report and raises the
    urgency if it is higher (taking its reason). ``contact_email`` is for the conversation's own
    handoff: a plausible address is added to its tickets, never replacing one (see module docstring);
    anything else is ignored.
    """
    urgency = Urgency(urgency)
    conversation_id = _conversation_id(conversation_id)
    tags = normalise_tags(tags)
    kinds = normalise_tags([kind]) if kind else tags[:1]
    kind = kinds[0] if kinds else "general"
    ticket_id, opened = await asyncio.to_thread(
        _with_retry,
        _open_ticket_sync,
        conversation_id,
        kind,
        urgency,
        _clip(reason or urgency.value, 200),
        _clip(question or "", MAX_QUESTION_CHARS) or "(no question given)",
        tags,
    )
    if opened:  # counted once committed; kinds come from the actions' own tags, never from what people type
        count_ticket_opened(urgency.value, kind)
    email = valid_email(contact_email)
    if email:
        await asyncio.to_thread(_with_retry, _set_contact_email_sync, conversation_id, email)
    return ticket_id


async def record_knowledge_gap(conversation_id: str, *, question: str, ingredient: str | None) -> None:
    """Count a question the store could not answer, grouped by the ingredient named (if any)."""
    await asyncio.to_thread(
        _with_retry,
        _record_gap_sync,
        _conversation_id(conversation_id),
        _clip(question or "", MAX_QUESTION_CHARS),
        clean_text(ingredient).strip() if ingredient else None,
    )
