"""Production's tracker store on PostgreSQL loads what Rasa's own SQLTrackerStore loads, across replicas.

Our store (bot/tracker_store.py) reads only the rows added since it last loaded a conversation; Rasa's reads
the whole session. Both read one scratch database on the machine's PostgreSQL (created and dropped here).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.tracker_store import IncrementalSQLTrackerStore
from bot.triage.privacy import FORGET_ACTION
from tests.fixtures.store import POSTGRES_URL, require_postgres, scratch_database

pytestmark = pytest.mark.postgres

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))
TURNS = 150  # about 850 events: long enough that a missed or repeated row would show
OPENED: list[SQLTrackerStore] = []  # every store made here, closed before the database is dropped


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A scratch database for conversations on the machine's PostgreSQL; dropped afterwards."""
    require_postgres()
    with scratch_database("skincare_tracker_test_") as name:
        try:
            yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            while OPENED:
                OPENED.pop().engine.dispose()


def ours(url: str) -> IncrementalSQLTrackerStore:
    """Our store as endpoints.production.yml makes it (Rasa passes the endpoint's url as host)."""
    OPENED.append(IncrementalSQLTrackerStore(domain=DOMAIN, dialect="postgresql", host=url))
    return OPENED[-1]  # type: ignore[return-value]


def rasas(url: str) -> SQLTrackerStore:
    OPENED.append(SQLTrackerStore(domain=DOMAIN, dialect="postgresql", host=url))
    return OPENED[-1]


def state(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything a tracker holds: events, slots, latest message and action, active loop, paused..."""
    held = {key: value for key, value in vars(tracker).items() if key != "_replayable"}  # a memo of ours
    held["slots"] = {name: vars(slot) for name, slot in tracker.slots.items()}
    held["events"] = [event.as_dict() for event in tracker.events]
    held["latest_message"] = tracker.latest_message.as_dict() if tracker.latest_message else None
    held["latest_bot_utterance"] = vars(tracker.latest_bot_utterance) if tracker.latest_bot_utterance else None
    return held


def turn(step: int) -> list[Event]:
    """One message and its answer; some open or close the handoff form, or start a new session."""
    events: list[Event] = []
    if step and step % 45 == 0:  # the session expired: a new one starts, carrying the slots over
        events += [ActionExecuted("action_session_start"), SessionStarted(),
                   SlotSet("skin_type", "oily"), ActionExecuted("action_listen")]
    events += [
        UserUttered(f"message {step}", {"name": "ask_diet", "confidence": 0.9},
                    entities=[{"entity": "ingredient", "value": "milk exosomes", "start": 0, "end": 4}]),
        SlotSet("ingredient", f"ingredient {step}"),
        ActionExecuted("action_answer_ingredient_question"),
        BotUttered(f"answer {step}", {"buttons": [{"title": "more", "payload": "/more"}]}),
    ]
    if step % 10 == 3:
        events += [ActionExecuted("handoff_form"), ActiveLoop("handoff_form"),
                   SlotSet("requested_slot", "contact_email")]
    if step % 10 == 5:
        events += [SlotSet("contact_email", f"p{step}@example.org"), ActiveLoop(None),
                   SlotSet("requested_slot", None)]
    return [*events, ActionExecuted("action_listen")]


async def handle(store: TrackerStore, sender: str, events: list[Event]) -> None:
    """What a Rasa replica does with a message: load the conversation, add the turn's events, save."""
    tracker = await store.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
    for event in events:
        tracker.update(event)
    await store.save(tracker)


def test_same_tracker_as_rasas_store_over_a_long_conversation_with_replicas(database_url: str) -> None:
    # Three writers take turns on one conversation: our store, a second replica of it, and Rasa's own store.
    # After every message each of our stores must load exactly what Rasa's loads.
    mine, replica, reference = ours(database_url), ours(database_url), rasas(database_url)
    writers = {0: mine, 1: mine, 2: replica, 3: mine, 4: replica, 5: mine, 6: reference}

    async def scenario() -> None:
        for step in range(TURNS):
            await handle(writers[step % 7], "long", turn(step))
            theirs = state(await reference.retrieve("long"))
            for store in (mine, replica):
                loaded = await store.retrieve("long")
                assert state(loaded) == theirs, f"step {step}"
                loaded.update(SlotSet("ingredient", "changed by the caller"))  # a caller's tracker is its own
            assert state(await mine.retrieve("long")) == theirs
        full_mine, full_theirs = await mine.retrieve_full_tracker("long"), await reference.retrieve_full_tracker("long")
        assert state(full_mine) == state(full_theirs)
        assert sum(isinstance(e, SessionStarted) for e in full_mine.events) == 3 and len(full_mine.events) > 800
        latest = await mine.retrieve("long")
        assert latest.active_loop_name is None and latest.get_slot("skin_type") == "oily"
        assert latest.latest_message.text == f"message {TURNS - 1}"

    asyncio.run(scenario())


def test_two_replicas_writing_alternately_each_see_every_event_in_order(database_url: str) -> None:
    first, second, reference = ours(database_url), ours(database_url), rasas(database_url)
    sender = f"alternating-{uuid.uuid4().hex[:6]}"

    async def scenario() -> None:
        written: list[dict[str, Any]] = []
        for step in range(60):
            events = turn(step)
            await handle((first, second)[step % 2], sender, events)
            written += [event.as_dict() for event in events]
            theirs = state(await reference.retrieve(sender))
            for store in (first, second):
                loaded = await store.retrieve(sender)
                assert state(loaded) == theirs, f"step {step}"
                session = [event.as_dict() for event in loaded.events]
                assert session == written[-len(session):]  # the latest events, each once, in order
        stored = await reference.retrieve_full_tracker(sender)
        assert [event.as_dict() for event in stored.events] == written

    asyncio.run(scenario())


def test_a_row_committed_after_rows_with_higher_ids_is_not_missed(database_url: str) -> None:
    # PostgreSQL hands out ids from a sequence when a row is inserted, not when it is committed: a replica's
    # slow transaction can make an older id visible after newer ones were loaded. Rasa's store, reading
    # whole, sees it; ours must notice the rows it remembers changed and read whole too.
    store, reference = ours(database_url), rasas(database_url)
    sender = f"late-{uuid.uuid4().hex[:6]}"
    table = store.SQLEvent.__table__

    def row(text_: str) -> dict[str, Any]:
        return IncrementalSQLTrackerStore._event_row(sender, UserUttered(text_, {"name": "greet", "confidence": 1.0}))

    async def scenario() -> None:
        await handle(store, sender, turn(0))
        await store.retrieve(sender)
        slow = store.engine.connect()
        transaction = slow.begin()
        try:
            slow.execute(table.insert(), row("slow replica"))  # takes an id, not yet visible
            with store.engine.begin() as fast:
                fast.execute(table.insert(), row("fast replica"))  # a higher id, visible at once
            assert state(await store.retrieve(sender)) == state(await reference.retrieve(sender))
            transaction.commit()
        finally:
            slow.close()
        loaded = await store.retrieve(sender)
        assert state(loaded) == state(await reference.retrieve(sender))
        assert [e.text for e in loaded.events if isinstance(e, UserUttered)][-2:] == ["slow replica", "fast replica"]

    asyncio.run(scenario())


def test_erased_and_begun_again_is_read_whole(database_url: str) -> None:
    # The privacy "forget" deletes a conversation; begun again with as many events, only the rows tell.
    store, replica, reference = ours(database_url), ours(database_url), rasas(database_url)
    sender = f"erased-{uuid.uuid4().hex[:6]}"

    async def scenario() -> None:
        await handle(store, sender, turn(1))
        await store.retrieve(sender)
        with store.engine.begin() as connection:
            connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender})
        assert await store.retrieve(sender) is None and await reference.retrieve(sender) is None
        await handle(replica, sender, turn(2))
        loaded = await store.retrieve(sender)
        assert state(loaded) == state(await reference.retrieve(sender))
        assert [e.text for e in loaded.events if isinstance(e, UserUttered)] == ["message 2"]

    asyncio.run(scenario())


def test_forget_me_carried_out_on_one_replica_is_seen_by_the_other(database_url: str) -> None:
    # The person confirmed "forget me" (actions/privacy.py): the replica saving that turn deletes every row of the
    # conversation; the other replica, which had it loaded, reads it as gone, and a new start as new.
    store, replica = ours(database_url), ours(database_url)
    sender, bystander = f"forgotten-{uuid.uuid4().hex[:6]}", f"kept-{uuid.uuid4().hex[:6]}"
    forget = [UserUttered("/affirm", {"name": "affirm", "confidence": 1.0}), ActionExecuted(FORGET_ACTION),
              BotUttered("done"), AllSlotsReset(), ActionExecuted("action_listen")]

    async def scenario() -> None:
        for step in range(3):
            await handle(store, sender, turn(step))
            await handle(store, bystander, turn(step))
        assert await replica.retrieve(sender) is not None
        await handle(store, sender, forget)
        assert await replica.retrieve(sender) is None and await store.retrieve(sender) is None
        assert len([e for e in (await replica.retrieve(bystander)).events if isinstance(e, UserUttered)]) == 3
        await handle(replica, sender, turn(9))
        loaded = await store.retrieve(sender)
        assert [e.text for e in loaded.events if isinstance(e, UserUttered)] == ["message 9"]

    asyncio.run(scenario())
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    assert rows == len(turn(9))


def test_saves_the_rows_rasas_store_saves(database_url: str) -> None:
    store, reference = ours(database_url), rasas(database_url)
    tracker = DialogueStateTracker("rows", DOMAIN.slots)
    senders = {store: f"ours-{uuid.uuid4().hex[:6]}", reference: f"rasa-{uuid.uuid4().hex[:6]}"}

    async def scenario() -> None:
        for step in range(50):
            for event in turn(step):
                tracker.update(event)
            for writer, sender in senders.items():
                tracker.sender_id = sender
                await writer.save(tracker)
            with store.session_scope() as a, reference.session_scope() as b:
                assert store.stored_event_count(a, senders[store]) == reference._event_query(
                    b, senders[reference], False).count()

    asyncio.run(scenario())
    with store.engine.connect() as connection:
        rows = {sender: connection.execute(text(
            "SELECT type_name, timestamp, intent_name, action_name, data FROM events WHERE sender_id = :s "
            "ORDER BY id"), {"s": sender}).all() for sender in senders.values()}
    ours_rows, rasas_rows = rows[senders[store]], rows[senders[reference]]
    assert len(ours_rows) > 300 and ours_rows == rasas_rows
    assert [json.loads(r.data)["event"] for r in ours_rows][:3] == ["user", "slot", "action"]


def test_production_endpoints_use_our_store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = make_url(database_url)
    for name, value in {"TRACKER_DB_HOST": url.host, "TRACKER_DB_PORT": str(url.port or 5432),
                        "TRACKER_DB_NAME": url.database, "TRACKER_DB_USER": url.username,
                        "TRACKER_DB_PASSWORD": url.password or "", "ACTION_ENDPOINT_URL": "http://127.0.0.1:9",
                        "ACTION_SERVER_TOKEN": "unused", "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379",
                        "REDIS_DB": "0", "REDIS_PASSWORD": ""}.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(REPO_ROOT / "endpoints.production.yml"))
    store = TrackerStore.create(endpoints.tracker_store, domain=DOMAIN)
    assert type(store) is IncrementalSQLTrackerStore and store.engine.dialect.name == "postgresql"
    assert store.engine.url.database == url.database
