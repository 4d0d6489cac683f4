"""Transcripts as the person saw them (issue 14): a clicked button shows its title, and an email typed
after the assistant offered a person is offered to the agent as the contact, confirmed in one click."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
import requests

from bot.triage import agents
from bot.triage.recorder import Urgency, open_ticket
from tests.triage.conftest import STAFF_LOGIN_THROTTLE

TOKEN = "transcript-token-" + "t" * 24
PASSWORD = "transcript pass 1"


def bot(tracker_db, sender: str, text: str, buttons: dict[str, str], utter_action: str | None = None) -> None:
    data = {"event": "bot", "text": text, "data": {"buttons": [{"title": t, "payload": p} for t, p in buttons.items()]},
            "metadata": {"utter_action": utter_action} if utter_action else {}}
    tracker_db._add(sender, "bot", 1.0, json.dumps(data))


@pytest.fixture
def agent(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    STAFF_LOGIN_THROTTLE.clear()
    agents.create_agent("dee@example.com", "Dee", PASSWORD)
    browser = requests.Session()
    browser.post(f"{staff_server}/staff/login", data={"email": "dee@example.com", "password": PASSWORD}, timeout=10)
    return staff_server, browser


def test_clicks_show_titles_and_a_late_email_becomes_the_contact_in_one_click(agent, tracker_db):
    base, browser = agent
    sender = "late-email"
    tracker_db.add_user(sender, "my email is early@example.com, does niacinamide suit oily skin?")
    bot(tracker_db, sender, "Would you like me to pass this conversation to our support team?",
        {"Yes, please": "/affirm", "No, thanks": "/deny"}, utter_action="utter_offer_handoff")
    tracker_db.add_user(sender, "/affirm", intent="affirm")
    bot(tracker_db, sender, "What email address should they reply to?", {"Skip": "/deny"},
        utter_action="utter_ask_contact_email")
    tracker_db.add_user(sender, "/deny", intent="deny")
    tracker_db.add_user(sender, "oh wait, write to me at Late.Person@Example.COM please")
    ticket = asyncio.run(open_ticket(sender, urgency=Urgency.HIGH, reason="Asked for a person",
                                     question="does niacinamide suit oily skin?", tags=["handoff"]))

    transcript = requests.get(f"{base}/staff/api/tickets/{ticket}", headers={"Authorization": f"Bearer {TOKEN}"},
                              timeout=10).json()["transcript"]
    person = [(line["text"], line["clicked"]) for line in transcript if line["speaker"] == "person"]
    assert person[1:3] == [("Yes, please", True), ("Skip", True)]  # never "/affirm" or "/deny"

    url = f"{base}/staff/tickets/{ticket}"
    page = browser.get(url, timeout=10).text
    offered = re.findall(r'name="email" value="([^"]+)"', page)
    assert offered == ["Late.Person@example.com"]  # typed after the offer; the earlier one was not a contact
    browser.post(f"{url}/contact", data={"csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1),
                                         "email": offered[0]}, timeout=10)
    page = browser.get(url, timeout=10).text
    assert "Late.Person@example.com" in page and 'name="email"' not in page
    assert "contact email set to Late.Person@example.com" in page


def test_a_ticket_lists_the_persons_other_tickets_by_email_or_conversation(agent):
    base, browser = agent
    first = asyncio.run(open_ticket("visit-1", urgency=Urgency.HIGH, reason="Asked for a person",
                                    question="rash from the toner", tags=["handoff"],
                                    contact_email="Repeat@Example.com"))
    second = asyncio.run(open_ticket("visit-2", urgency=Urgency.NORMAL, reason="Asked for a person",
                                     question="is the toner vegan", tags=["handoff"],
                                     contact_email="repeat@example.com"))
    same_chat = asyncio.run(open_ticket("visit-2", urgency=Urgency.URGENT, reason="Red flag",
                                        question="now my eyes swell", tags=["red_flag"]))
    stranger = asyncio.run(open_ticket("visit-3", urgency=Urgency.NORMAL, reason="Asked for a person",
                                       question="someone else", tags=["handoff"], contact_email="other@example.com"))
    page = browser.get(f"{base}/staff/tickets/{second}", timeout=10).text
    related = page.split("This person's other tickets", 1)[1].split("</section>", 1)[0]
    assert f"/staff/tickets/{first}" in related and f"/staff/tickets/{same_chat}" in related
    assert f"/staff/tickets/{stranger}" not in related and f"/staff/tickets/{second}\"" not in related
