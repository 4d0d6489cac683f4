"""The embedded tracker store keeps Rasa's data and semantics: WAL mode, same stored events."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    AllSlotsReset,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import SQLiteWALTrackerStore, forgotten_in
from bot.triage.privacy import FORGET_ACTION

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


def turn(text: str) -> list:
    return [
        UserUttered(text, {"name": "ask_diet", "confidence": 0.9}),
        ActionExecuted("action_answer_ingredient_question"),
        BotUttered("an answer"),
        SlotSet("ingredient", "milk exosomes"),
        ActionExecuted("action_listen"),
    ]


def test_saves_and_counts_exactly_like_rasas_sql_store_across_sessions(tmp_path: Path) -> None:
    ours = SQLiteWALTrackerStore(domain=DOMAIN, db=str(tmp_path / "ours.sqlite"))
    rasas = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.sqlite"))
    tracker = DialogueStateTracker("person-1", DOMAIN.slots)

    async def scenario() -> None:
        for step, text in enumerate(["first", "second", "third"]):
            if step == 2:  # a new conversation session starts (e.g. after the session expired)
                tracker.update(ActionExecuted("action_session_start"))
                tracker.update(SessionStarted())
            for event in turn(text):
                tracker.update(event)
            await ours.save(tracker)
            await rasas.save(tracker)
            with ours.session_scope() as a, rasas.session_scope() as b:
                assert ours.stored_event_count(a, "person-1") == rasas._event_query(b, "person-1", False).count()
        mine, theirs = await ours.retrieve_full_tracker("person-1"), await rasas.retrieve_full_tracker("person-1")
        assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in theirs.events]
        latest = await ours.retrieve("person-1")
        assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["third"]

    asyncio.run(scenario())
    with sqlite3.connect(tmp_path / "ours.sqlite") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = "id, sender_id, type_name, timestamp, intent_name, action_name, data"
    rows = {}
    for name in ("ours", "rasa"):
        with sqlite3.connect(tmp_path / f"{name}.sqlite") as connection:
            rows[name] = connection.execute(f"SELECT {columns} FROM events ORDER BY id").fetchall()
    assert len(rows["ours"]) == 17 and rows["ours"] == rows["rasa"]  # the very same rows as Rasa writes
    assert {row[4] for row in rows["ours"]} == {None, "ask_diet"}


def test_loads_what_rasa_loads_as_the_conversation_grows_and_changes(tmp_path: Path) -> None:
    # Our store reads only the rows added since it last loaded a session; Rasa's reads the whole session.
    # Both read the same database after each change: this process's saves, another replica's, a new
    # session, and the conversation erased and begun again (privacy) with as many events as before.
    db = str(tmp_path / "shared.sqlite")
    ours, replica = SQLiteWALTrackerStore(domain=DOMAIN, db=db), SQLiteWALTrackerStore(domain=DOMAIN, db=db)
    rasas = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=db)

    def state(tracker: DialogueStateTracker) -> dict:
        held = {key: value for key, value in vars(tracker).items() if key != "_replayable"}  # a memo of ours
        held["slots"] = {name: vars(slot) for name, slot in tracker.slots.items()}
        held["events"] = [event.as_dict() for event in tracker.events]
        return held

    async def same_as_rasa(sender: str) -> DialogueStateTracker:
        mine, theirs = await ours.retrieve(sender), await rasas.retrieve(sender)
        assert state(mine) == state(theirs)
        return mine

    async def scenario() -> None:
        tracker = DialogueStateTracker("grows", DOMAIN.slots)
        for step in range(12):
            for event in turn(f"message {step}"):
                tracker.update(event)
            await (replica if step % 3 == 2 else ours).save(tracker)
            if step == 6:  # the session expired: a new one starts
                tracker.update(ActionExecuted("action_session_start"))
                tracker.update(SessionStarted())
                await replica.save(tracker)
            loaded = await same_as_rasa("grows")
            loaded.update(SlotSet("ingredient", "changed by the caller"))  # a caller's tracker is its own
            await same_as_rasa("grows")
        # Erased (privacy) and begun again between two loads, with as many events: SQLite gives the new rows
        # the ids of the erased ones, so only the rows themselves tell.
        first = DialogueStateTracker("erased", DOMAIN.slots)
        for event in turn("first life"):
            first.update(event)
        await ours.save(first)
        await same_as_rasa("erased")
        with sqlite3.connect(db) as connection:
            connection.execute("DELETE FROM events WHERE sender_id = 'erased'")
        again = DialogueStateTracker("erased", DOMAIN.slots)
        for event in turn("begun again"):
            again.update(event)
        await replica.save(again)
        assert [e.text for e in (await same_as_rasa("erased")).events if isinstance(e, UserUttered)] == ["begun again"]

    asyncio.run(scenario())


def test_the_latest_session_is_found_through_an_index(tmp_path: Path) -> None:
    SQLiteWALTrackerStore(domain=DOMAIN, db=str(tmp_path / "ours.sqlite"))
    SQLiteWALTrackerStore(domain=DOMAIN, db=str(tmp_path / "ours.sqlite"))  # a second start keeps it
    with sqlite3.connect(tmp_path / "ours.sqlite") as connection:
        plan = connection.execute("EXPLAIN QUERY PLAN SELECT max(timestamp) FROM events "
                                  "WHERE sender_id = 'x' AND type_name = 'session_started'").fetchall()
    assert "ix_events_sender_type_time" in str(plan)


def test_a_turn_that_carried_out_forget_me_deletes_every_stored_event_and_writes_none_back(tmp_path: Path) -> None:
    store = SQLiteWALTrackerStore(domain=DOMAIN, db=str(tmp_path / "ours.sqlite"))
    tracker, other = DialogueStateTracker("person-1", DOMAIN.slots), DialogueStateTracker("person-2", DOMAIN.slots)
    forget_turn = [UserUttered("/affirm", {"name": "affirm", "confidence": 1.0}),
                   ActionExecuted(FORGET_ACTION), BotUttered("done"), AllSlotsReset(), ActionExecuted("action_listen")]

    async def scenario() -> None:
        for text in ("I'm pregnant", "second question"):
            for event in turn(text):
                tracker.update(event)
                other.update(event)
            await store.save(tracker)
            await store.save(other)
        assert len((await store.retrieve("person-1")).events) == 10  # loaded, so remembered in memory too
        for event in forget_turn:
            tracker.update(event)
        await store.save(tracker)
        assert await store.retrieve("person-1") is None  # as for a conversation never seen
        assert len((await store.retrieve("person-2")).events) == 10  # another conversation keeps everything
        fresh = DialogueStateTracker("person-1", DOMAIN.slots)
        for event in turn("a new start"):
            fresh.update(event)
        await store.save(fresh)  # the next message starts from nothing
        assert [e.text for e in (await store.retrieve("person-1")).events if isinstance(e, UserUttered)] == [
            "a new start"]

    asyncio.run(scenario())
    with sqlite3.connect(tmp_path / "ours.sqlite") as connection:
        texts = [row[0] for row in connection.execute("SELECT data FROM events WHERE sender_id = 'person-1'")]
    assert len(texts) == 5 and not any("pregnant" in text for text in texts)


def test_only_a_forgetting_that_was_carried_out_counts() -> None:
    ran = [ActionExecuted(FORGET_ACTION), BotUttered("done"), AllSlotsReset(), ActionExecuted("action_listen")]
    failed = [ActionExecuted(FORGET_ACTION), BotUttered("sorry, nothing deleted"), ActionExecuted("action_listen")]
    reset_elsewhere = [ActionExecuted(FORGET_ACTION), ActionExecuted("action_restart"), AllSlotsReset()]
    assert forgotten_in(ran)
    assert not forgotten_in(failed)  # the action could not delete triage's records: it says so, and keeps it all
    assert not forgotten_in(reset_elsewhere)
    assert not forgotten_in([ActionExecuted("action_listen"), AllSlotsReset()])
