"""What the conversation side records: one ticket per conversation and kind, urgency only rising, tags
merging, contact kept, text cleaned, knowledge gaps counted and grouped."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from bot.triage import casework
from bot.triage.models import Conversation, ConversationTag, Ticket, TicketStatus
from bot.triage.recorder import (
    Urgency,
    open_ticket,
    record_knowledge_gap,
    record_topics,
    record_topics_soon,
    wait_for_queued_topics,
)


def test_repeats_of_one_kind_add_to_its_ticket_and_other_kinds_get_their_own(triage_db):
    async def scenario():
        reaction = await open_ticket("conv-1", urgency=Urgency.HIGH, reason="Adverse reaction reported",
                                     question="my cheeks are red and itchy", tags=["reaction"])
        urgent = [await open_ticket("conv-1", urgency=Urgency.URGENT, reason="Red flag: anaphylaxis",
                                    question=f"my lips are swelling ({i})", tags=["red_flag"])
                  for i in range(3)]
        again = await open_ticket("conv-1", urgency=Urgency.URGENT, reason="Red flag: reaction got worse",
                                  question="now my throat is tight", tags=["reaction"])
        return reaction, urgent, again

    reaction, urgent, again = asyncio.run(scenario())
    assert len(set(urgent)) == 1 and again == reaction != urgent[0]  # one ticket per kind, never multiplied
    tickets = {t.kind: t for t in casework.list_tickets()}
    assert set(tickets) == {"reaction", "red_flag"}
    assert tickets["red_flag"].reports == 3
    assert [f"my lips are swelling ({i})" in tickets["red_flag"].question for i in range(3)] == [True] * 3
    assert tickets["reaction"].reports == 2
    assert tickets["reaction"].urgency is Urgency.URGENT  # raised by the worse repeat, never lowered
    assert tickets["reaction"].reason == "Red flag: reaction got worse"
    assert "my cheeks are red" in tickets["reaction"].question and "throat is tight" in tickets["reaction"].question


def test_a_contact_email_is_never_replaced_and_a_different_one_becomes_a_note(triage_db):
    async def scenario():
        urgent = await open_ticket("conv-e", urgency=Urgency.URGENT, reason="Red flag", question="lips swelling",
                                   tags=["red_flag"])
        handoff = await open_ticket("conv-e", urgency=Urgency.HIGH, reason="handoff", question="help",
                                    tags=["handoff"], contact_email="victim@example.com")
        await open_ticket("conv-e", urgency=Urgency.HIGH, reason="handoff", question="help again",
                          tags=["handoff"], contact_email="attacker@evil.example")
        await open_ticket("conv-e", urgency=Urgency.HIGH, reason="handoff", question="x", tags=["handoff"],
                          contact_email="not an email <script>")
        return urgent, handoff

    urgent, handoff = asyncio.run(scenario())
    for ticket_id in (urgent, handoff):
        ticket = casework.get_ticket(ticket_id)
        assert ticket.contact_email == "victim@example.com"  # the conversation's own handoff, kept
        [note] = ticket.notes
        assert "attacker@evil.example" in note.text and "script" not in note.text


def test_stored_text_is_cleaned_of_control_characters(triage_db):
    async def scenario():
        await open_ticket("conv-nul", urgency=Urgency.URGENT, reason="Red\x00 flag",
                          question="my lips\x00 are \u202eswelling\x1b[31m", tags=["red_flag"])
        await record_knowledge_gap("conv-nul", question="what is\x00 zorb\x07ium", ingredient="zorb\x00ium")

    asyncio.run(scenario())
    [ticket] = casework.list_tickets()
    assert ticket.question == "my lips are swelling[31m" and ticket.reason == "Red flag"
    [gap] = casework.list_gaps()
    assert gap.ingredient == "zorbium" and gap.question == "what is zorbium"


@pytest.mark.parametrize("bad_id", ["a\x00b", "line\nbreak", "esc\x1b[2J", "rtl\u202eexe.txt"])
def test_conversation_ids_with_control_characters_are_refused(triage_db, bad_id):
    with pytest.raises(ValueError, match="control"):
        asyncio.run(open_ticket(bad_id, urgency=Urgency.URGENT, reason="r", question="q"))
    assert casework.list_tickets() == []


def test_tickets_stored_before_kinds_existed_are_kept_and_extended(tmp_path):
    from bot.triage import db
    from tests.triage import previous_schema

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}", future=True)
    previous_schema.PREVIOUS.create_all(engine)  # the first release's tables, without kind and reports
    with engine.begin() as connection:
        day = "2026-01-01 00:00:00.000000"
        connection.execute(sa.text(f"INSERT INTO triage_conversations VALUES ('old', '{day}', '{day}')"))
        connection.execute(sa.text("INSERT INTO triage_tickets VALUES (1, 'old', 'high', 'open', 'reaction', "
                                   f"'itchy', NULL, '{day}', '{day}')"))
    db.use_engine(engine)
    try:
        again = asyncio.run(open_ticket("old", urgency=Urgency.URGENT, reason="Red flag", question="swelling",
                                        tags=["red_flag"]))
        [ticket] = casework.list_tickets()
        assert again == ticket.id == 1 and ticket.reports == 2 and ticket.urgency is Urgency.URGENT
    finally:
        db.use_engine(None)
        engine.dispose()


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
            open_ticket("conv-4", urgency=Urgency.HIGH, reason="r", question=f"q{i}", tags=[f"t{i}"],
                        kind="reaction")
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


def test_repeated_topics_keep_one_row_and_their_first_time_while_the_conversation_is_seen_again(triage_db):
    conversations, tags = Conversation.__table__, ConversationTag.__table__
    asyncio.run(record_topics("seen-chat", ["vegan", "Vegan", "pores"]))
    with triage_db.connect() as connection:
        first_tags = dict(connection.execute(sa.select(tags.c.tag, tags.c.first_seen)).all())
        first, last = connection.execute(sa.select(conversations.c.first_seen, conversations.c.last_seen)).one()
    assert sorted(first_tags) == ["pores", "vegan"] and first == last

    asyncio.run(record_topics("seen-chat", ["vegan", "pregnancy"]))
    record_topics_soon("seen-chat", ["pores"]).result(timeout=30)
    with triage_db.connect() as connection:
        later_tags = dict(connection.execute(sa.select(tags.c.tag, tags.c.first_seen)).all())
        again = connection.execute(sa.select(conversations.c.first_seen, conversations.c.last_seen)).all()
    assert sorted(later_tags) == ["pores", "pregnancy", "vegan"]
    assert later_tags["vegan"] == first_tags["vegan"] and later_tags["pores"] == first_tags["pores"]
    assert len(again) == 1 and again[0].first_seen == first and again[0].last_seen >= last


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
