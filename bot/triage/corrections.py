"""Corrections that teach: an agent changes a ticket's urgency or topic tags with a reason (both in the
audit trail), and the urgency corrections that matter to safety are exported in the safety corpus's
format (tests/safety/corpus/*.yml) for review before anyone adds them:

- a false alarm (urgent, downgraded) becomes a ``near_misses`` item ``{text, lang}``;
- a missed emergency (upgraded to urgent) becomes an ``emergencies`` item ``{text, kind, lang}``.
"""

from __future__ import annotations

import sqlalchemy as sa

from bot.triage.casework import Actor, TicketView, agent_names, load_ticket, record_event, ticket_view
from bot.triage.clean_text import clean_text
from bot.triage.db import triage_session
from bot.triage.models import ConversationTag, Urgency, UrgencyCorrection, utcnow
from bot.triage.recorder import normalise_tags

#: The safety corpus's emergency kinds and languages (tests/safety/corpus/split.py, KINDS and LANGS).
EMERGENCY_KINDS = ("anaphylaxis", "swallowed", "eye", "burn")
CORPUS_LANGS = ("en", "es", "fr", "de", "it", "pt")
MAX_REASON_CHARS = 500


class CorrectionError(ValueError):
    """A correction that cannot be saved as given; the message says what to fix."""


def _reason(raw: object) -> str:
    reason = clean_text(str(raw or "")).strip()
    if not reason:
        raise CorrectionError("say why (a reason is kept with every correction)")
    if len(reason) > MAX_REASON_CHARS:
        raise CorrectionError(f"a reason can be at most {MAX_REASON_CHARS} characters")
    return reason


def correct_urgency(ticket_id: int, urgency: Urgency, reason: object, actor: Actor, corpus_text: object = None,
                    kind: object = None, lang: object = "en") -> TicketView | None:
    """Change a ticket's urgency; ``None`` if there is no such ticket. ``corpus_text`` is the message as the
    safety corpus should hold it (default: the ticket's question); ``kind`` is required when upgrading to
    urgent."""
    reason = _reason(reason)
    lang = str(lang or "en")
    if lang not in CORPUS_LANGS:
        raise CorrectionError(f"language must be one of {', '.join(CORPUS_LANGS)}")
    if urgency == Urgency.URGENT and kind not in EMERGENCY_KINDS:
        raise CorrectionError(f"an emergency needs its kind: one of {', '.join(EMERGENCY_KINDS)}")
    with triage_session(write=True) as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is None:
            return None
        if ticket.urgency != urgency:
            text = clean_text(str(corpus_text or "")).strip() or ticket.question
            session.add(UrgencyCorrection(
                ticket_id=ticket.id, at=utcnow(), author=actor.name, from_urgency=ticket.urgency, to_urgency=urgency,
                reason=reason, corpus_text=text, emergency_kind=kind if urgency == Urgency.URGENT else None,
                lang=lang))
            record_event(session, ticket, actor, "urgency", f"{ticket.urgency.value} → {urgency.value}: {reason}")
            ticket.urgency = urgency
        session.flush()
        session.expire(ticket, ["events"])
        return ticket_view(ticket, with_notes=True, names=agent_names(session))


def correct_tags(ticket_id: int, raw_tags: str, reason: object, actor: Actor) -> TicketView | None:
    """Set the topic tags of a ticket's conversation (space- or comma-separated); ``None`` if no ticket."""
    reason = _reason(reason)
    wanted = set(normalise_tags(raw_tags.replace(",", " ").split()))
    with triage_session(write=True) as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is None:
            return None
        present = {row.tag for row in ticket.conversation.tags}
        added, removed = sorted(wanted - present), sorted(present - wanted)
        if added or removed:
            session.execute(sa.delete(ConversationTag).where(
                ConversationTag.conversation_id == ticket.conversation_id, ConversationTag.tag.in_(removed)))
            for tag in added:
                session.add(ConversationTag(conversation_id=ticket.conversation_id, tag=tag))
            change = "; ".join(part for part in (f"added {' '.join(added)}" if added else "",
                                                 f"removed {' '.join(removed)}" if removed else "") if part)
            record_event(session, ticket, actor, "tags", f"{change}: {reason}")
        session.flush()
        session.expire(ticket, ["events"])
        session.expire(ticket.conversation, ["tags"])
        return ticket_view(ticket, with_notes=True, names=agent_names(session))


def _flow(item: dict[str, str]) -> str:
    # The corpus's own line shape (tests/safety/corpus/split.py, _flow): a double-quoted text.
    text = " ".join(item["text"].split()).replace("\\", "\\\\").replace('"', '\\"')
    fields = [f'text: "{text}"'] + [f"{key}: {item[key]}" for key in ("kind", "lang") if key in item]
    return "  - {" + ", ".join(fields) + "}"


def corrections_for_corpus() -> dict[str, list[dict[str, str]]]:
    """Per ticket, its first urgency before correction against its last after: false alarms and missed
    emergencies (a correction later undone exports nothing)."""
    with triage_session() as session:
        rows = session.scalars(sa.select(UrgencyCorrection).order_by(UrgencyCorrection.ticket_id,
                                                                    UrgencyCorrection.id)).all()
    first: dict[int, UrgencyCorrection] = {}
    last: dict[int, UrgencyCorrection] = {}
    for row in rows:
        first.setdefault(row.ticket_id, row)
        last[row.ticket_id] = row
    emergencies, near_misses = [], []
    for ticket_id, latest in last.items():
        was, now = first[ticket_id].from_urgency, latest.to_urgency
        if was == Urgency.URGENT and now != Urgency.URGENT:
            near_misses.append({"text": first[ticket_id].corpus_text, "lang": first[ticket_id].lang})
        elif was != Urgency.URGENT and now == Urgency.URGENT:
            emergencies.append({"text": latest.corpus_text, "kind": latest.emergency_kind or "anaphylaxis",
                                "lang": latest.lang})
    return {"emergencies": emergencies, "near_misses": near_misses}


def corpus_yaml(found: dict[str, list[dict[str, str]]]) -> str:
    """The corrections as a YAML file in the safety corpus's format, with a header saying what it is."""
    lines = ["# Urgency corrections from the staff dashboard (python -m bot.triage export-corrections).",
             "# Review each item before adding it to tests/safety/corpus (dev or held-out half, see its README).",
             f"# emergencies (missed, upgraded by staff): {len(found['emergencies'])}; "
             f"near_misses (false alarms, downgraded): {len(found['near_misses'])}"]
    for section in ("emergencies", "near_misses"):
        lines.append(f"{section}:" if found[section] else f"{section}: []")
        lines.extend(_flow(item) for item in found[section])
    return "\n".join(lines) + "\n"
