"""The dashboard's side of a takeover (bot/triage/takeover.py) against a loopback stand-in for the Rasa
server's staff relay: what it asks the relay, what the ticket's history keeps, how a refusal reads, and
its settings."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.run import free_port
from bot.triage import takeover
from bot.triage.casework import Actor, get_ticket
from bot.triage.recorder import Urgency, open_ticket
from bot.triage.replies import ReplyError
from bot.triage.settings import SettingError
from bot.triage.transcript import ChatState, read_chat_state, read_transcript
from tests.channels.loopback import PlatformApi

TOKEN = "relay-client-token-" + "c" * 20
SAM = Actor(3, "Sam Support")


def relay_answers(method: str, path: str, body: bytes) -> tuple[int, object]:
    if "conv-gone" in path:
        return 404, {"error": "there is no conversation 'conv-gone'"}
    if path.endswith("/handback"):
        return 409, {"error": "nobody has taken over this conversation"}
    return 200, {"channel": "socketio", "human_agent": "Sam Support" if path.endswith("/takeover") else None}


@pytest.fixture
def relay(triage_db, monkeypatch: pytest.MonkeyPatch):
    with PlatformApi(relay_answers) as api:
        monkeypatch.setenv("STAFF_RELAY_TOKEN", TOKEN)
        monkeypatch.setenv("STAFF_RELAY_URL", api.base_url)
        yield api


def new_ticket(conversation_id: str) -> int:
    return asyncio.run(open_ticket(conversation_id, urgency=Urgency.HIGH, reason="Asked for a person",
                                   question="is this serum ok?", tags=["handoff"]))


def test_take_over_and_write_call_the_relay_as_the_agent_and_are_in_the_history(relay: PlatformApi) -> None:
    ticket = new_ticket("web-abc/1")
    assert takeover.act_in_chat(ticket, "takeover", SAM) == {"channel": "socketio", "human_agent": "Sam Support"}
    assert takeover.act_in_chat(ticket, "chat", SAM, "  Hello there \x07") == {"channel": "socketio",
                                                                             "human_agent": None}
    first, second = relay.calls
    assert first.path == "/webhooks/staff_relay/conversations/web-abc%2F1/takeover"  # the id is one path part
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(first.body) == {"agent": "Sam Support", "agent_id": 3}
    assert second.path.endswith("/messages") and json.loads(second.body)["text"] == "Hello there"
    history = [(e.author, e.action, e.detail) for e in get_ticket(ticket).events]
    assert history == [("Sam Support", "takeover", "took over the chat (socketio)"),
                       ("Sam Support", "chat", "wrote in the chat (socketio): Hello there")]


def test_the_staff_token_acting_for_someone_is_named_in_the_history(relay: PlatformApi) -> None:
    ticket = new_ticket("web-api")
    takeover.act_in_chat(ticket, "chat", Actor(None, "API (staff token)"), "hi", shown_as="Kim")
    assert json.loads(relay.calls[0].body)["agent"] == "Kim"
    [event] = get_ticket(ticket).events
    assert (event.author, event.detail) == ("API (staff token)", "wrote in the chat as Kim (socketio): hi")


def test_refusals_keep_the_relays_reason_and_nothing_is_recorded(relay: PlatformApi) -> None:
    gone, fine = new_ticket("conv-gone"), new_ticket("conv-fine")
    with pytest.raises(ReplyError) as missing:
        takeover.act_in_chat(gone, "takeover", SAM)
    with pytest.raises(ReplyError) as nobody:
        takeover.act_in_chat(fine, "handback", SAM)
    with pytest.raises(ReplyError) as empty:
        takeover.act_in_chat(fine, "chat", SAM, " \n ")
    assert (missing.value.status, nobody.value.status, empty.value.status) == (404, 409, 400)
    assert "nobody has taken over" in str(nobody.value)
    assert get_ticket(gone).events == () and get_ticket(fine).events == ()
    assert takeover.act_in_chat(999_999, "takeover", SAM) is None


def test_an_unreachable_rasa_server_is_a_503_that_says_so(triage_db, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_RELAY_TOKEN", TOKEN)
    monkeypatch.setenv("STAFF_RELAY_URL", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ReplyError) as down:
        takeover.act_in_chat(new_ticket("web-down"), "takeover", SAM)
    assert down.value.status == 503 and "cannot be reached" in str(down.value)


def test_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAFF_RELAY_TOKEN", raising=False)
    monkeypatch.delenv("STAFF_RELAY_URL", raising=False)
    monkeypatch.setenv("RASA_PORT", "5123")
    assert takeover.takeover_enabled() is False
    monkeypatch.setenv("STAFF_RELAY_TOKEN", TOKEN)
    assert takeover.relay_address() == ("http://127.0.0.1:5123", TOKEN)
    monkeypatch.setenv("STAFF_RELAY_URL", "rasa:5005")
    with pytest.raises(SettingError, match="STAFF_RELAY_URL"):
        takeover.takeover_enabled()
    monkeypatch.setenv("STAFF_RELAY_TOKEN", "short")
    with pytest.raises(SettingError, match="STAFF_RELAY_TOKEN is 5 characters"):
        takeover.takeover_enabled()


def test_transcript_names_the_agent_and_the_chat_state_follows_the_slot(tracker_db) -> None:
    sender = "web-state"
    tracker_db._add(sender, "user", 1.0, json.dumps({"event": "user", "text": "hello", "input_channel": "socketio"}))
    tracker_db._add(sender, "slot", 2.0, json.dumps({"event": "slot", "name": "human_agent", "value": "Sam"}))
    staff = {"staff": {"kind": "message", "agent": "Sam", "agent_id": 3}}
    tracker_db._add(sender, "bot", 3.0, json.dumps({"event": "bot", "text": "Hi, Sam here", "metadata": staff}))
    assert read_chat_state(sender) == ChatState("Sam", "socketio")
    person, sam = read_transcript(sender)
    assert (person.who, sam.who, sam.speaker, sam.text) == ("Person", "Sam (staff)", "agent", "Hi, Sam here")
    assert [line.text for line in read_transcript(sender, after_id=person.event_id)] == ["Hi, Sam here"]
    tracker_db._add(sender, "slot", 4.0, json.dumps({"event": "slot", "name": "human_agent", "value": None}))
    assert read_chat_state(sender) == ChatState(None, "socketio")
    assert read_chat_state("nobody") == ChatState(None, None)

