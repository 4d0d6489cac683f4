"""No stored row can break the staff side (issue 11): a NUL byte once made both CSV exports answer 500 for
good. Messages with control characters, written through the recorder or already in the database from
before it cleaned them, still export and show, cleaned."""

from __future__ import annotations

import asyncio
import csv
import io

import pytest
import requests
import sqlalchemy as sa

from bot.triage.models import Conversation, KnowledgeGap, KnowledgeGapOccurrence, Ticket, TicketNote, utcnow
from bot.triage.recorder import Urgency, open_ticket, record_knowledge_gap
from tests.triage.conftest import STAFF_LOGIN_THROTTLE

TOKEN = "bad-rows-test-token-" + "b" * 24
NASTY = "lips\x00 swelling \x1b[2J\u202eevil\x07 \x85end"


@pytest.fixture
def staff(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    STAFF_LOGIN_THROTTLE.clear()
    return staff_server


def get(base: str, path: str) -> requests.Response:
    return requests.get(f"{base}/staff{path}", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)


def historical_rows(engine: sa.engine.Engine, text: str) -> int:
    """Rows as an older version (or another program) stored them: no cleaning on the way in."""
    now = utcnow()
    with engine.begin() as connection:
        connection.execute(sa.insert(Conversation.__table__).values(id="old-row", first_seen=now, last_seen=now))
        ticket_id = connection.execute(sa.insert(Ticket.__table__).values(
            conversation_id="old-row", urgency="urgent", status="open", reason=f"Red flag {text}",
            question=text, contact_email=None, created_at=now, updated_at=now, kind="red_flag", reports=1,
        )).inserted_primary_key[0]
        connection.execute(sa.insert(TicketNote.__table__).values(ticket_id=ticket_id, text=text, created_at=now))
        gap_id = connection.execute(sa.insert(KnowledgeGap.__table__).values(
            key="old gap", ingredient=f"zorb{text}")).inserted_primary_key[0]
        connection.execute(sa.insert(KnowledgeGapOccurrence.__table__).values(
            gap_id=gap_id, conversation_id="old-row", question=text, seen_at=now))
    return ticket_id


def assert_everything_answers_cleanly(base: str, ticket_id: int) -> None:
    for path in ("/api/tickets.csv", "/api/gaps.csv"):
        reply = get(base, path)
        assert reply.status_code == 200, reply.text
        cells = [cell for row in csv.reader(io.StringIO(reply.text)) for cell in row]
        assert any("swelling" in cell for cell in cells)
        assert not any(ch in reply.text for ch in "\x00\x1b\u202e\x07\x85")
    for path in ("/api/tickets", f"/api/tickets/{ticket_id}", "/api/gaps"):
        reply = get(base, path)
        assert reply.status_code == 200 and "swelling" in reply.text and "\\u0000" not in reply.text
    browser = requests.Session()
    assert browser.post(f"{base}/staff/login", data={"token": TOKEN}, timeout=10).status_code == 200
    for path in ("", f"/tickets/{ticket_id}", "/gaps"):
        page = browser.get(f"{base}/staff{path}", timeout=10)
        assert page.status_code == 200 and "swelling" in page.text and "\x00" not in page.text


def test_messages_with_control_characters_never_break_exports_or_pages(staff):
    async def record() -> int:
        ticket = await open_ticket("nul-person", urgency=Urgency.URGENT, reason="Red flag", question=NASTY,
                                   tags=["red_flag"])
        await record_knowledge_gap("nul-person", question=NASTY, ingredient=None)
        return ticket

    assert_everything_answers_cleanly(staff, asyncio.run(record()))


def test_historical_rows_with_a_nul_byte_still_export(staff, triage_db):
    # PostgreSQL never stores NUL in text, so there the historical row carries the other controls only.
    text = NASTY if triage_db.dialect.name == "sqlite" else NASTY.replace("\x00", "")
    asyncio.run(record_knowledge_gap("warm-up", question="creates the tables", ingredient=None))
    assert_everything_answers_cleanly(staff, historical_rows(triage_db, text))
