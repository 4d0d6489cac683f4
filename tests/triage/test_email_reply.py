"""An agent answers a person who left by email (issue 14): sent through the configured SMTP server (a
loopback aiosmtpd here) to the contact the person gave, signed with the agent's name, in the history."""

from __future__ import annotations

import asyncio
import re

import pytest
import requests

from bot.triage import agents
from bot.triage.recorder import Urgency, open_ticket
from tests.triage.conftest import STAFF_LOGIN_THROTTLE

TOKEN = "email-reply-token-" + "e" * 24
PASSWORD = "email reply pass 1"


@pytest.fixture
def agent(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    STAFF_LOGIN_THROTTLE.clear()
    agents.create_agent("fay@example.com", "Fay", PASSWORD)
    browser = requests.Session()
    browser.post(f"{staff_server}/staff/login", data={"email": "fay@example.com", "password": PASSWORD}, timeout=10)
    return staff_server, browser


def test_a_reply_goes_by_email_to_the_person_and_into_the_history(agent, smtp, monkeypatch):
    base, browser = agent
    smtp_port, mailbox = smtp
    with_email = asyncio.run(open_ticket("left-1", urgency=Urgency.HIGH, reason="Asked for a person",
                                         question="is my rash from the retinol?", tags=["handoff"],
                                         contact_email="person@example.org"))
    without = asyncio.run(open_ticket("left-2", urgency=Urgency.HIGH, reason="Asked for a person",
                                      question="what about niacinamide?", tags=["handoff"]))
    url = f"{base}/staff/tickets/{with_email}"
    csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get(url, timeout=10).text).group(1)
    reply = {"csrf": csrf, "text": "Please stop the retinol for now and see a pharmacist if it spreads."}

    off = browser.post(f"{url}/reply", data=reply, timeout=10)
    assert off.status_code == 503 and "STAFF_REPLY_FROM" in off.text
    monkeypatch.setenv("ALERT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ALERT_SMTP_PORT", str(smtp_port))
    monkeypatch.setenv("ALERT_SMTP_TO", "oncall@example.com")
    monkeypatch.setenv("STAFF_REPLY_FROM", "support@brand.example")
    nowhere = browser.post(f"{base}/staff/tickets/{without}/reply", data=reply, timeout=10)
    assert nowhere.status_code == 400 and "no email" in nowhere.text

    sent = browser.post(f"{url}/reply", data=reply, timeout=10)
    assert sent.status_code == 200
    [(recipients, message)] = mailbox.messages
    assert recipients == ["person@example.org"] and message["From"] == "support@brand.example"
    assert "stop the retinol" in message.get_payload() and "Fay" in message.get_payload()
    events = requests.get(f"{base}/staff/api/tickets/{with_email}", headers={"Authorization": f"Bearer {TOKEN}"},
                          timeout=10).json()["events"]
    assert [(e["author"], e["action"]) for e in events] == [("Fay", "reply")]
    assert "stop the retinol" in events[0]["detail"]
