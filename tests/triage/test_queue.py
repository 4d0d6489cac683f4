"""The queue an agent works from (issue 14): newest urgent work on top, waits against targets, mine /
unassigned, search, pages with counts, bulk status, filters kept when going back and in exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import requests

from bot.triage import agents
from bot.triage.db import triage_session
from bot.triage.models import Conversation, Ticket, TicketStatus, Urgency, utcnow
from bot.triage.targets import parse_target
from tests.triage.conftest import STAFF_LOGIN_THROTTLE

TOKEN = "queue-test-token-" + "q" * 24
PASSWORD = "queue password 12"


@pytest.fixture
def staff(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    for urgency in ("URGENT", "HIGH", "NORMAL"):
        monkeypatch.delenv(f"TICKET_TARGET_{urgency}", raising=False)
    STAFF_LOGIN_THROTTLE.clear()
    return staff_server


def add_ticket(conversation: str, urgency: Urgency, question: str, minutes_ago: float = 0, email: str | None = None,
               agent_id: int | None = None) -> int:
    at = utcnow() - dt.timedelta(minutes=minutes_ago)
    with triage_session(write=True) as session:
        if session.get(Conversation, conversation) is None:
            session.add(Conversation(id=conversation, first_seen=at, last_seen=at))
        ticket = Ticket(conversation_id=conversation, urgency=urgency, reason="test", question=question,
                        contact_email=email, created_at=at, updated_at=at, assigned_agent_id=agent_id,
                        status=TicketStatus.OPEN)
        session.add(ticket)
        session.flush()
        return ticket.id


def listing(base: str, **params: str) -> dict:
    reply = requests.get(f"{base}/staff/api/tickets", params=params, timeout=10,
                         headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status_code == 200, reply.text
    return reply.json()


def sign_in(base: str, email: str) -> requests.Session:
    browser = requests.Session()
    assert browser.post(f"{base}/staff/login", data={"email": email, "password": PASSWORD},
                        timeout=10).status_code == 200
    return browser


def test_newest_urgent_first_and_waits_coloured_against_their_targets(staff):
    old_urgent = add_ticket("c-old", Urgency.URGENT, "throat tight", minutes_ago=30)
    new_urgent = add_ticket("c-new", Urgency.URGENT, "lips swelling", minutes_ago=1)
    high = add_ticket("c-high", Urgency.HIGH, "rash", minutes_ago=200)
    normal = add_ticket("c-normal", Urgency.NORMAL, "vegan?", minutes_ago=5)
    tickets = listing(staff)["tickets"]
    assert [t["id"] for t in tickets] == [new_urgent, old_urgent, high, normal]
    state = {t["id"]: t["target_state"] for t in tickets}
    assert state == {new_urgent: "ok", old_urgent: "breached", high: "due-soon", normal: "ok"}
    assert tickets[1]["waiting_seconds"] >= 30 * 60 and tickets[1]["target"] == "10m"
    assert [t["id"] for t in listing(staff, sort="oldest")["tickets"]] == [high, old_urgent, normal, new_urgent]

    STAFF_LOGIN_THROTTLE.clear()
    staff_env = {"TICKET_TARGET_URGENT": "1h"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in staff_env.items():
            patch.setenv(name, value)
        assert {t["id"]: t["target_state"] for t in listing(staff)["tickets"]}[old_urgent] == "ok"
        patch.setenv("TICKET_TARGET_URGENT", "soon")
        broken = requests.get(f"{staff}/staff/api/tickets", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        assert broken.status_code == 503 and "TICKET_TARGET_URGENT" in broken.json()["error"]


def test_a_business_day_skips_the_weekend():
    friday = dt.datetime(2026, 11, 27, 15, 0)
    assert parse_target("T", "1bd").due(friday) == dt.datetime(2026, 11, 30, 15, 0)  # Monday
    assert parse_target("T", "4h").due(friday) == dt.datetime(2026, 11, 27, 19, 0)


def test_mine_unassigned_and_search_by_email_text_and_conversation(staff):
    ada = agents.create_agent("ada@example.com", "Ada", PASSWORD).id
    mine = add_ticket("conv-mine", Urgency.HIGH, "my cheeks burn", agent_id=ada)
    theirs = add_ticket("conv-free", Urgency.NORMAL, "is 50% alcohol drying?", email="Sam@Example.org")
    assert [t["id"] for t in listing(staff, assigned="unassigned")["tickets"]] == [theirs]
    assert requests.get(f"{staff}/staff/api/tickets", params={"assigned": "me"}, timeout=10,
                        headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 400
    page = sign_in(staff, "ada@example.com").get(f"{staff}/staff", params={"assigned": "me"}, timeout=10).text
    assert "my cheeks burn" in page and "50% alcohol" not in page

    def found(q: str) -> list[int]:
        return [t["id"] for t in listing(staff, q=q)["tickets"]]

    assert found("sam@example") == [theirs]
    assert found("CHEEKS") == [mine]
    assert found("conv-mine") == [mine]
    assert found("50%") == [theirs] and found("%") == [theirs]  # wildcards are searched for, not expanded
    assert found("nothing like this") == []


def test_pages_with_counts_bulk_resolve_and_filters_kept(staff):
    agents.create_agent("ada@example.com", "Ada", PASSWORD)
    ids = [add_ticket(f"bulk-{n}", Urgency.NORMAL, f"question {n}", minutes_ago=n) for n in range(120)]
    add_ticket("other", Urgency.URGENT, "unrelated")
    first = listing(staff, q="question", per_page="50")
    assert (first["total"], first["pages"], len(first["tickets"])) == (120, 3, 50)
    last = listing(staff, q="question", per_page="50", page="3")
    assert len(last["tickets"]) == 20 and last["tickets"][-1]["id"] == ids[-1]
    assert listing(staff, q="question", page="99")["page"] == 2  # past the end: the last page (100 per page)

    browser = sign_in(staff, "ada@example.com")
    page = browser.get(f"{staff}/staff", params={"q": "question", "per_page": "25"}, timeout=10).text
    assert "Page 1 of 5" in page and re.search(r'class="total">120<', page)
    link = re.search(r'href="(/staff/tickets/\d+\?back=[^"]+)"', page).group(1)
    detail = browser.get(f"{staff}{link}", timeout=10).text
    back = re.search(r'class="back" href="([^"]+)"', detail).group(1)
    assert back == "/staff?q=question&amp;per_page=25"
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    done = browser.post(f"{staff}/staff/tickets/bulk-status", timeout=10, allow_redirects=False, data={
        "csrf": csrf, "status": "resolved", "ids": [str(i) for i in ids[:30]], "back": "q=question&per_page=25"})
    assert done.status_code == 303 and done.headers["Location"] == "/staff?q=question&per_page=25"
    assert listing(staff, q="question", status="active")["total"] == 90
    resolved = listing(staff, q="question", status="resolved", per_page="100")["tickets"]
    assert sorted(t["id"] for t in resolved) == sorted(ids[:30])
    audit = requests.get(f"{staff}/staff/api/tickets/{ids[0]}", headers={"Authorization": f"Bearer {TOKEN}"},
                         timeout=10).json()["events"]
    assert [(e["author"], e["detail"]) for e in audit] == [("Ada", "open → resolved")]

    exported = browser.get(f"{staff}/staff/api/tickets.csv", params={"q": "question", "status": "resolved"},
                           timeout=10).text
    assert sorted(int(row["id"]) for row in csv.DictReader(io.StringIO(exported))) == sorted(ids[:30])
    evil = browser.post(f"{staff}/staff/tickets/bulk-status", timeout=10, allow_redirects=False, data={
        "csrf": csrf, "status": "open", "ids": [str(ids[0])], "back": "//evil.example/"})
    assert evil.headers["Location"] == "/staff"
    assert browser.post(f"{staff}/staff/tickets/bulk-status", data={"csrf": csrf, "status": "resolved"},
                        timeout=10).status_code == 400
