"""Live news of tickets (issue 14): the dashboard's event stream tells signed-in pages about changes, and
a new urgent ticket is announced once to a configured webhook and by email through an SMTP server (both
loopback servers here), with its number and reason but never what the person wrote."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from bot.run import free_port
from bot.triage import agents
from bot.triage.recorder import Urgency, open_ticket
from tests.triage.conftest import STAFF_LOGIN_THROTTLE

TOKEN = "live-alerts-token-" + "l" * 24
PASSWORD = "live alerts pass 1"


@pytest.fixture
def webhook():
    received: list[dict] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's hook name)
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()


@pytest.fixture
def staff(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    monkeypatch.setenv("STAFF_LIVE_POLL_SECONDS", "0.2")
    STAFF_LOGIN_THROTTLE.clear()
    return staff_server


def wait_for(condition, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_new_urgent_ticket_is_announced_once_by_webhook_and_email(staff, smtp, webhook, monkeypatch):
    smtp_port, mailbox = smtp
    hook_url, calls = webhook
    monkeypatch.setenv("ALERT_WEBHOOK_URL", hook_url)
    monkeypatch.setenv("ALERT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ALERT_SMTP_PORT", str(smtp_port))
    monkeypatch.setenv("ALERT_SMTP_TO", "oncall@example.com, lead@example.com")
    monkeypatch.setenv("STAFF_PUBLIC_URL", "https://desk.example.com")
    normal = asyncio.run(open_ticket("calm", urgency=Urgency.NORMAL, reason="Asked for a person",
                                     question="is squalane vegan", tags=["handoff"]))
    urgent = asyncio.run(open_ticket("swelling", urgency=Urgency.URGENT, reason="Red flag: anaphylaxis",
                                     question="my tongue is swelling after the lip balm", tags=["red_flag"]))
    assert wait_for(lambda: calls and mailbox.messages), "no alert arrived"
    time.sleep(1.0)  # several more polls: still one alert each way
    assert [call["ticket_id"] for call in calls] == [urgent]
    assert "Red flag: anaphylaxis" in calls[0]["text"] and "tongue" not in calls[0]["text"]
    assert f"https://desk.example.com/staff/tickets/{urgent}" in calls[0]["text"]
    [(recipients, message)] = mailbox.messages
    assert recipients == ["oncall@example.com", "lead@example.com"]
    assert message["Subject"] == f"Urgent ticket {urgent}" and "tongue" not in message.get_payload()
    assert normal != urgent


def test_signed_in_pages_get_ticket_changes_as_server_sent_events(staff):
    agents.create_agent("liv@example.com", "Liv", PASSWORD)
    browser = requests.Session()
    browser.post(f"{staff}/staff/login", data={"email": "liv@example.com", "password": PASSWORD}, timeout=10)
    assert requests.get(f"{staff}/staff/events", timeout=10, stream=True).headers["Content-Type"].startswith(
        "text/html")  # not signed in: the login form, no stream
    received: list[dict] = []

    def listen() -> None:
        with browser.get(f"{staff}/staff/events", stream=True, timeout=20) as stream:
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            for line in stream.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    received.append(json.loads(line[6:]))
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(0.5)  # the stream is open before the ticket arrives
    ticket = asyncio.run(open_ticket("live-1", urgency=Urgency.URGENT, reason="Red flag: eye",
                                     question="serum in my eye and it burns", tags=["red_flag"]))
    listener.join(15)
    assert received and received[0]["id"] == ticket and received[0]["new"] is True
    assert received[0]["urgency"] == "urgent" and "burns" not in json.dumps(received[0])
