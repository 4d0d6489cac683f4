"""Knowledge gaps as staff work them: the ranking with each gap's conversations, marking a gap handled
(with a note saying what was done), and turning one into a ticket."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from bot.triage.clean_text import clean_optional, clean_text
from bot.triage.db import triage_session
from bot.triage.models import MAX_NOTE_CHARS, KnowledgeGap, KnowledgeGapOccurrence, utcnow


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
    handled_at: dt.datetime | None = None
    handled_by: str | None = None
    handled_note: str | None = None

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
            "handled_at": self.handled_at.isoformat() if self.handled_at else None,
            "handled_by": self.handled_by,
            "handled_note": self.handled_note,
        }


def list_gaps(limit: int = 500, handled: bool | None = None) -> list[GapView]:
    """Knowledge gaps, the most frequently hit first (``handled``: only handled ones, only open ones,
    or, ``None``, both)."""
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
            KnowledgeGap.handled_at,
            KnowledgeGap.handled_by,
            KnowledgeGap.handled_note,
        )
        .join(occurrence, occurrence.gap_id == KnowledgeGap.id)
        .group_by(KnowledgeGap.id, KnowledgeGap.ingredient, KnowledgeGap.handled_at, KnowledgeGap.handled_by,
                  KnowledgeGap.handled_note)
        .order_by(count.desc(), sa.func.max(occurrence.seen_at).desc(), KnowledgeGap.id)
        .limit(limit)
    )
    if handled is not None:
        query = query.where(KnowledgeGap.handled_at.is_not(None) if handled else KnowledgeGap.handled_at.is_(None))
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
                tuple(conversations.get(gap_id, ())), handled_at, clean_optional(by), clean_optional(note))
        for gap_id, ingredient, question, n, first, last, handled_at, by, note in rows
    ]


def mark_handled(gap_id: int, note: str, author: str) -> bool:
    """Mark a gap handled (or, with an empty note, open again); ``False`` if there is no such gap."""
    note = clean_text(note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ValueError(f"a note can be at most {MAX_NOTE_CHARS} characters")
    with triage_session(write=True) as session:
        gap = session.get(KnowledgeGap, gap_id)
        if gap is None:
            return False
        if note:
            gap.handled_at, gap.handled_by, gap.handled_note = utcnow(), author, note
        else:
            gap.handled_at = gap.handled_by = gap.handled_note = None
        return True


def latest_occurrence(gap_id: int) -> tuple[str, str, str | None] | None:
    """The conversation, question and ingredient of a gap's latest occurrence, or ``None``."""
    with triage_session() as session:
        row = session.execute(
            sa.select(KnowledgeGapOccurrence.conversation_id, KnowledgeGapOccurrence.question, KnowledgeGap.ingredient)
            .join(KnowledgeGap, KnowledgeGap.id == KnowledgeGapOccurrence.gap_id)
            .where(KnowledgeGapOccurrence.gap_id == gap_id)
            .order_by(KnowledgeGapOccurrence.seen_at.desc(), KnowledgeGapOccurrence.id.desc()).limit(1)
        ).first()
    return tuple(row) if row else None
