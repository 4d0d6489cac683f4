"""Knowledge gaps an agent can act on (issue 14): each gap links to its conversations (where a missed
emergency can hide), can be marked handled with a note, or turned into a ticket."""

from __future__ import annotations

import asyncio
import re

import pytest
import requests

from bot.triage import agents
from bot.triage.recorder import record_knowledge_gap, record_topics
from tests.triage.conftest import STAFF_LOGIN_THROTTLE

TOKEN = "gaps-test-token-" + "g" * 24
PASSWORD = "gaps password 123"


@pytest.fixture
def agent(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    STAFF_LOGIN_THROTTLE.clear()
    agents.create_agent("eve@example.com", "Eve", PASSWORD)
    browser = requests.Session()
    browser.post(f"{staff_server}/staff/login", data={"email": "eve@example.com", "password": PASSWORD}, timeout=10)
    return staff_server, browser


def test_gaps_open_their_conversations_are_handled_with_a_note_or_become_tickets(agent, tracker_db):
    base, browser = agent
    tracker_db.add_user("gap conv/1", "no i cant breathe")
    tracker_db.add_bot("gap conv/1", "I don't have verified information about that.")
    asyncio.run(record_knowledge_gap("gap conv/1", question="no i cant breathe", ingredient=None))
    asyncio.run(record_knowledge_gap("gap-2", question="is zorbium vegan", ingredient="zorbium"))

    listing = browser.get(f"{base}/staff/gaps", timeout=10).text
    link = re.search(r'href="(/staff/conversation\?id=gap%20conv/1)"', listing).group(1)
    conversation = browser.get(f"{base}{link}", timeout=10)
    assert conversation.status_code == 200 and "no i cant breathe" in conversation.text
    assert "I don&#39;t have verified information" in conversation.text

    csrf = re.search(r'name="csrf" value="([^"]+)"', listing).group(1)
    zorbium = re.search(r'data-gap-id="(\d+)">\s*<td class="count">1</td>\s*<td>zorbium', listing).group(1)
    browser.post(f"{base}/staff/gaps/{zorbium}/handled", data={"csrf": csrf, "note": "profile requested"},
                 timeout=10)
    assert "zorbium" not in browser.get(f"{base}/staff/gaps", timeout=10).text
    handled = browser.get(f"{base}/staff/gaps", params={"show": "handled"}, timeout=10).text
    assert "zorbium" in handled and "Eve: profile requested" in handled

    breathe = re.search(r'data-gap-id="(\d+)"', browser.get(f"{base}/staff/gaps", timeout=10).text).group(1)
    made = browser.post(f"{base}/staff/gaps/{breathe}/ticket", data={"csrf": csrf}, timeout=10)
    assert made.status_code == 200 and "no i cant breathe" in made.text
    ticket_id = re.search(r"/staff/tickets/(\d+)", made.url).group(1)
    ticket = requests.get(f"{base}/staff/api/tickets/{ticket_id}", headers={"Authorization": f"Bearer {TOKEN}"},
                          timeout=10).json()
    assert ticket["conversation_id"] == "gap conv/1" and ticket["kind"] == "knowledge_gap"
    assert [(e["author"], e["action"]) for e in ticket["events"]] == [("Eve", "created")]
    assert browser.post(f"{base}/staff/gaps/999/ticket", data={"csrf": csrf}, timeout=10).status_code == 404


def test_a_conversation_page_names_its_topics_without_a_ticket(agent, tracker_db):
    base, browser = agent
    tracker_db.add_user("label conv", "Ingredients: Aqua, Zorbium Glycinate, Linalool")
    asyncio.run(record_topics("label conv", ["label_check", "knowledge_gap"]))
    asyncio.run(record_knowledge_gap("label conv", question="label check: Zorbium Glycinate",
                                     ingredient="Zorbium Glycinate"))
    listing = browser.get(f"{base}/staff/gaps", timeout=10).text
    assert "label check: Zorbium Glycinate" in listing and 'href="/staff/conversation?id=label%20conv"' in listing
    page = browser.get(f"{base}/staff/conversation", params={"id": "label conv"}, timeout=10).text
    topics = re.search(r'<p class="topics">(.*?)</p>', page, re.S).group(1)
    assert sorted(re.findall(r'<span class="tag">([^<]+)</span>', topics)) == ["knowledge_gap", "label_check"]
    assert "No ticket for this conversation." in page
    other = browser.get(f"{base}/staff/conversation", params={"id": "no such conv"}, timeout=10).text
    assert "none recorded" in re.search(r'<p class="topics">(.*?)</p>', other, re.S).group(1)
