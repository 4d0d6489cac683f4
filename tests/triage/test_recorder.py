"""What the conversation side records: one ticket per conversation, urgency only rising, tags merging,
contact kept, knowledge gaps counted and grouped."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from bot.triage import casework
from bot.triage.models import Ticket, TicketStatus
from bot.triage.recorder import (
    Urgency,
    open_ticket,
    record_knowledge_gap,
    record_topics,
    record_topics_soon,
    wait_for_queued_topics,
)


def test_a_second_ticket_for_a_conversation_updates_the_first(triage_db):
    async def scenario():
        first = await open_ticket("conv-1", urgency=Urgency.HIGH, reason="Adverse reaction reported",
                                  question="my cheeks are red and itchy", tags=["reaction"])
        second = await open_ticket("conv-1", urgency=Urgency.URGENT, reason="Red flag: anaphylaxis",
                                   question="my lips are swelling", tags=["red_flag", "Reaction"],
                                   contact_email="ana@example.com")
        third = await open_ticket("conv-1", urgency=Urgency.NORMAL, reason="handoff", question="later question",
                                  tags=["handoff"], contact_email="other@example.com")
        return first, second, third

    first, second, third = asyncio.run(scenario())
    assert first == second == third
    [ticket] = casework.list_tickets()
    assert ticket.urgency is Urgency.URGENT  # went up, never back down
    assert ticket.reason == "Red flag: anaphylaxis"
    assert ticket.question == "my lips are swelling"
    assert ticket.contact_email == "ana@example.com"  # the first address given is kept
    assert ticket.tags == ("handoff", "reaction", "red_flag")


def test_a_contact_email_given_later_is_added(triage_db):
    async def scenario():
        await open_ticket("conv-2", urgency=Urgency.HIGH, reason="reaction", question="itchy")
        await open_ticket("conv-2", urgency=Urgency.HIGH, reason="handoff", question="help", contact_email="a@b.io")

    asyncio.run(scenario())
    [ticket] = casework.list_tickets()
    assert ticket.contact_email == "a@b.io"
    assert ticket.reason == "reaction"


def test_after_a_ticket_is_resolved_a_new_one_is_opened(triage_db):
    first = asyncio.run(open_ticket("conv-3", urgency=Urgency.HIGH, reason="r", question="q1"))
    casework.set_status(first, TicketStatus.RESOLVED)
    second = asyncio.run(open_ticket("conv-3", urgency=Urgency.NORMAL, reason="r", question="q2"))
    assert second != first
    assert [t.question for t in casework.list_tickets(statuses=[TicketStatus.OPEN])] == ["q2"]


def test_concurrent_calls_for_one_conversation_make_one_ticket(triage_db):
    async def scenario():
        return await asyncio.gather(*(
            open_ticket("conv-4", urgency=Urgency.HIGH, reason="r", question=f"q{i}", tags=[f"t{i}"])
            for i in range(5)
        ))

    ids = asyncio.run(scenario())
    assert len(set(ids)) == 1
    with triage_db.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(Ticket.__table__)) == 1
    assert casework.list_tickets()[0].tags == ("t0", "t1", "t2", "t3", "t4")


def test_topics_recorded_during_the_conversation_filter_its_ticket(triage_db):
    async def scenario():
        await record_topics("vegan-chat", ["vegan", "diet"])
        await open_ticket("vegan-chat", urgency=Urgency.HIGH, reason="handoff", question="is it vegan?")
        await record_topics("preg-chat", ["pregnancy"])
        await open_ticket("preg-chat", urgency=Urgency.HIGH, reason="handoff", question="safe in pregnancy?")

    asyncio.run(scenario())
    assert [t.question for t in casework.list_tickets(tag="vegan")] == ["is it vegan?"]
    assert [t.question for t in casework.list_tickets(tag="pregnancy")] == ["safe in pregnancy?"]
    assert casework.list_tickets(tag="allergy") == []


def test_open_tickets_come_most_urgent_first_then_oldest(triage_db):
    async def scenario():
        await open_ticket("a", urgency=Urgency.NORMAL, reason="r", question="normal, oldest")
        await open_ticket("b", urgency=Urgency.HIGH, reason="r", question="high, older")
        await open_ticket("c", urgency=Urgency.URGENT, reason="r", question="urgent")
        await open_ticket("d", urgency=Urgency.HIGH, reason="r", question="high, newer")

    asyncio.run(scenario())
    assert [t.question for t in casework.list_tickets()] == ["urgent", "high, older", "high, newer", "normal, oldest"]


def test_knowledge_gaps_group_by_ingredient_and_count_most_frequent_first(triage_db):
    async def scenario():
        await record_knowledge_gap("c1", question="what is zorbium?", ingredient="Zorbium")
        await record_knowledge_gap("c2", question="is ZORBIUM vegan", ingredient="zorbium")
        await record_knowledge_gap("c2", question="zorbium in pregnancy?", ingredient="zorbium ")
        await record_knowledge_gap("c3", question="Can you do my taxes?", ingredient=None)
        await record_knowledge_gap("c4", question="can you do my taxes", ingredient=None)
        await record_knowledge_gap("c5", question="what about moonwort", ingredient="moonwort")

    asyncio.run(scenario())
    gaps = casework.list_gaps()
    assert [(g.count, g.ingredient) for g in gaps] == [(3, "Zorbium"), (2, None), (1, "moonwort")]
    assert gaps[0].conversation_ids == ("c1", "c2")
    assert gaps[0].question == "zorbium in pregnancy?"  # the latest wording
    assert gaps[1].conversation_ids == ("c3", "c4")


def test_bad_conversation_ids_are_refused_with_a_clear_error(triage_db):
    with pytest.raises(ValueError, match="conversation_id"):
        asyncio.run(record_topics("", ["vegan"]))
    with pytest.raises(ValueError, match="longer than"):
        asyncio.run(open_ticket("x" * 300, urgency=Urgency.HIGH, reason="r", question="q"))


def test_recorder_calls_do_not_block_the_event_loop(triage_db):
    """While a recorder call waits for the database, other coroutines keep running."""
    ticks: list[int] = []

    async def ticker():
        for i in range(20):
            ticks.append(i)
            await asyncio.sleep(0)

    async def scenario():
        lock = triage_db.connect()  # hold a write lock so the recorder has to wait in its thread
        if triage_db.dialect.name == "sqlite":
            lock.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            call = asyncio.create_task(record_topics("blocked", ["vegan"]))
            await ticker()
            done_early = call.done()
        finally:
            lock.close()
        await call
        return done_early

    done_early = asyncio.run(scenario())
    assert ticks == list(range(20))
    if triage_db.dialect.name == "sqlite":
        assert not done_early


def test_queued_topics_are_written_in_order_without_the_caller_waiting(triage_db):
    queued = [record_topics_soon("queued-chat", [f"topic{i}"]) for i in range(5)]
    queued.append(record_topics_soon("queued-chat", ["topic0", "Vegan"]))
    wait_for_queued_topics(timeout=30)
    assert all(future.done() and future.exception() is None for future in queued)
    asyncio.run(open_ticket("queued-chat", urgency=Urgency.HIGH, reason="handoff", question="q"))
    assert casework.list_tickets()[0].tags == ("topic0", "topic1", "topic2", "topic3", "topic4", "vegan")


def test_a_queued_write_goes_to_the_database_current_when_it_was_queued(triage_db):
    from bot.triage.db import use_engine

    lock = triage_db.connect()  # hold the write lock so the queued write waits
    if triage_db.dialect.name == "sqlite":
        lock.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        queued = record_topics_soon("while-switching", ["vegan"])
        use_engine(sa.create_engine("sqlite://"))  # another database: must not receive the queued write
    finally:
        lock.close()
        use_engine(triage_db)
    queued.result(timeout=30)
    asyncio.run(open_ticket("while-switching", urgency=Urgency.HIGH, reason="r", question="q"))
    assert casework.list_tickets()[0].tags == ("vegan",)


def test_a_bad_id_is_refused_before_queueing(triage_db):
    with pytest.raises(ValueError, match="conversation_id"):
        record_topics_soon("", ["vegan"])
