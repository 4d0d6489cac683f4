"""Forgetting a conversation on request and removing old data: both databases, nothing else touched."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.events import AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import FORGOTTEN_VIEW, ActionForgetConversation
from bot.triage import casework
from bot.triage.db import triage_session
from bot.triage.models import Conversation, Ticket, TicketStatus, utcnow
from bot.triage.privacy import forget_conversation, purge_expired
from bot.triage.recorder import (
    Urgency,
    open_ticket,
    record_knowledge_gap,
    record_topics,
    record_topics_soon,
    wait_for_queued_topics,
)

REPO = Path(__file__).resolve().parents[2]


def _conversation(tracker_db, sender: str, question: str, at: dt.datetime | None = None) -> int:
    tracker_db.add_user(sender, question, at=at)
    tracker_db.add_action(sender, "action_safety_reaction", at=at)
    tracker_db.add_bot(sender, "I'm sorry your skin is reacting.", at=at)

    async def record() -> int:
        await record_topics(sender, ["reaction"])
        await record_knowledge_gap(sender, question=question, ingredient="zorbium")
        return await open_ticket(sender, urgency=Urgency.HIGH, reason="reaction", question=question,
                                 contact_email=f"{sender}@example.com")

    ticket_id = asyncio.run(record())
    casework.add_note(ticket_id, f"called {sender}")
    return ticket_id


def _age_everything(conversation_id: str, days: int, status: TicketStatus | None = None) -> None:
    """Pretend a conversation (and its ticket) last changed ``days`` ago."""
    then = utcnow() - dt.timedelta(days=days)
    with triage_session() as session:
        session.execute(sa.update(Conversation).where(Conversation.id == conversation_id)
                        .values(first_seen=then, last_seen=then))
        values = {"updated_at": then, "created_at": then}
        if status:
            values["status"] = status
        session.execute(sa.update(Ticket).where(Ticket.conversation_id == conversation_id).values(**values))


def test_forget_deletes_one_conversation_everywhere_and_nothing_else(triage_db, tracker_db):
    _conversation(tracker_db, "alice", "my skin burns after zorbium")
    bob_ticket = _conversation(tracker_db, "bob", "is zorbium safe?")

    report = forget_conversation("alice")

    assert report.tracker_events == 3 and report.tickets == 1 and report.notes == 1
    assert report.conversations == 1 and report.gap_occurrences == 1
    assert tracker_db.count("alice") == 0
    assert [t.conversation_id for t in casework.list_tickets()] == ["bob"]
    [gap] = casework.list_gaps()
    assert gap.count == 1 and gap.conversation_ids == ("bob",)
    assert "burns" not in gap.question  # alice's wording is gone with her
    # bob is untouched
    assert tracker_db.count("bob") == 3
    assert [n.text for n in casework.get_ticket(bob_ticket).notes] == ["called bob"]


def test_forgetting_the_only_occurrence_removes_the_gap(triage_db, tracker_db):
    _conversation(tracker_db, "carol", "what is zorbium")
    forget_conversation("carol")
    assert casework.list_gaps() == []
    assert forget_conversation("carol").summary().startswith("deleted 0 conversation(s), 0 ticket(s)")


def test_purge_removes_old_resolved_tickets_and_finished_conversations_only(triage_db, tracker_db):
    old = utcnow() - dt.timedelta(days=120)
    _conversation(tracker_db, "old-resolved", "old question", at=old)
    _age_everything("old-resolved", 120, TicketStatus.RESOLVED)
    _conversation(tracker_db, "old-open", "still being handled", at=old)
    _age_everything("old-open", 120)
    _conversation(tracker_db, "recent-resolved", "recent question")
    _age_everything("recent-resolved", 10, TicketStatus.RESOLVED)
    asyncio.run(record_topics("old-chat", ["vegan"]))
    _age_everything("old-chat", 100)
    tracker_db.add_user("old-chat", "is it vegan?", at=old)
    tracker_db.add_user("tracker-only-old", "hello", at=old)
    tracker_db.add_user("tracker-only-new", "hello")

    report = purge_expired(90)

    assert report.tickets == 1 and report.conversations == 2
    assert tracker_db.count("old-resolved") == 0
    assert tracker_db.count("old-chat") == 0
    assert tracker_db.count("tracker-only-old") == 0
    # an unresolved ticket keeps its conversation and transcript, however old
    assert tracker_db.count("old-open") == 3
    assert tracker_db.count("recent-resolved") == 3
    assert tracker_db.count("tracker-only-new") == 1
    assert sorted(t.conversation_id for t in casework.list_tickets()) == ["old-open", "recent-resolved"]
    assert {g.conversation_ids for g in casework.list_gaps()} == {("old-open", "recent-resolved")}


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **env}
    return subprocess.run([sys.executable, "-m", "bot.triage", *args], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_command_line_forget_and_purge(tmp_path, tracker_db, monkeypatch):
    from bot.triage import db

    store_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = sa.create_engine(store_url, future=True)
    db.use_engine(engine)
    try:
        _conversation(tracker_db, "dave", "please forget me")
        old_id = _conversation(tracker_db, "erin", "old", at=utcnow() - dt.timedelta(days=40))
        _age_everything("erin", 40, TicketStatus.RESOLVED)
    finally:
        db.use_engine(None)
        engine.dispose()
    env = {"SKINCARE_DB_URL": store_url, "TRACKER_DB_URL": tracker_db.url}

    forgotten = _cli("forget", "dave", **env)
    assert forgotten.returncode == 0, forgotten.stderr
    assert "deleted 1 conversation(s), 1 ticket(s), 1 note(s)" in forgotten.stdout
    assert "3 tracker event(s)" in forgotten.stdout
    assert tracker_db.count("dave") == 0

    kept = _cli("purge", **env, RETENTION_DAYS="60")
    assert kept.returncode == 0 and "deleted 0 conversation(s)" in kept.stdout
    purged = _cli("purge", **env, RETENTION_DAYS="30")
    assert purged.returncode == 0, purged.stderr
    assert "older than 30 days: deleted 1 conversation(s), 1 ticket(s)" in purged.stdout
    assert tracker_db.count("erin") == 0
    assert old_id > 0

    bad = _cli("purge", **env, RETENTION_DAYS="ninety")
    assert bad.returncode == 2 and "RETENTION_DAYS must be a positive whole number" in bad.stderr


def _forget_action(sender: str) -> tuple[list, CollectingDispatcher]:
    tracker = Tracker.from_dict({"sender_id": sender, "slots": {}, "latest_message": {"text": "/affirm"},
                                 "events": [], "paused": False, "followup_action": None, "active_loop": {},
                                 "latest_action_name": "utter_ask_forget"})
    dispatcher = CollectingDispatcher()
    return asyncio.run(ActionForgetConversation().run(dispatcher, tracker, {})), dispatcher


def test_the_chat_action_forgets_triages_records_after_queued_writes_and_says_so(triage_db, tracker_db):
    _conversation(tracker_db, "alice", "my skin burns after zorbium")
    _conversation(tracker_db, "bob", "is zorbium safe?")
    record_topics_soon("alice", ["pregnancy"])  # queued just before: written first, then deleted with the rest

    events, dispatcher = _forget_action("alice")

    assert events == [AllSlotsReset()]  # the sign for the tracker store to drop the conversation's events
    assert [(m["response"], m["custom"]) for m in dispatcher.messages] == [("utter_forgotten", FORGOTTEN_VIEW)]
    wait_for_queued_topics()
    assert [t.conversation_id for t in casework.list_tickets()] == ["bob"]
    with triage_session() as session:
        assert session.scalars(sa.select(Conversation.id)).all() == ["bob"]
    assert tracker_db.count("alice") == 3  # the Rasa server's tracker store deletes these when it saves the turn


def test_the_chat_action_says_so_and_keeps_everything_when_triage_cannot_be_reached(triage_db, tracker_db,
                                                                                    monkeypatch):
    _conversation(tracker_db, "alice", "my skin burns after zorbium")

    def unreachable(*_: object) -> None:
        raise sa.exc.OperationalError("DELETE", {}, Exception("connection refused"))

    monkeypatch.setattr("bot.triage.privacy.forget_triage_records", unreachable)
    events, dispatcher = _forget_action("alice")
    assert events == []  # no AllSlotsReset: the tracker store keeps the conversation too
    assert [m["response"] for m in dispatcher.messages] == ["utter_forget_failed"]
    assert [t.conversation_id for t in casework.list_tickets()] == ["alice"]
