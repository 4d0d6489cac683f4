"""The action server answers only Rasa: forged calls, inflation bombs and error echoes are refused
(issue 11), while the real conversation still reaches it."""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest
import requests

from bot.action_server import ActionServerSettingError, ActionServerSettings, BodyTooLarge, inflate
from bot.run import Stack, StackSettings
from tests.servers import RunningAssistant

pytestmark = pytest.mark.servers


def forged_call(sender: str, action: str = "action_safety_red_flag", text: str = "my throat is closing",
                slots: dict[str, Any] | None = None) -> dict[str, Any]:
    """An action call shaped like Rasa's (rasa/core/actions/action.py RemoteAction._action_call_format)."""
    latest = {"text": text, "intent": {"name": "red_flag", "confidence": 1.0}, "entities": []}
    return {
        "next_action": action,
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender, "slots": slots or {}, "latest_message": latest, "events": [
                {"event": "user", "text": text, "parse_data": latest},
            ],
            "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
        },
    }


def post(assistant: RunningAssistant, body: bytes, token: str | None, **headers: str) -> requests.Response:
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(f"{assistant.action_url}/webhook", data=body,
                         headers={"Content-Type": "application/json", **headers}, timeout=30)


def staff_tickets(assistant: RunningAssistant) -> list[dict[str, Any]]:
    reply = requests.get(f"{assistant.web_url}/staff/api/tickets",
                         headers={"Authorization": f"Bearer {assistant.staff_token}"}, timeout=10)
    reply.raise_for_status()
    return reply.json()["tickets"]


@pytest.mark.parametrize("token", [None, "", "wrong-" + "x" * 40, "Basic"])
def test_forged_action_calls_without_the_secret_are_refused_and_store_nothing(assistant, token):
    sender = f"forged-{len(token or '')}-{token is None}"
    reply = post(assistant, json.dumps(forged_call(sender)).encode(), token)
    assert reply.status_code == 401
    assert "events" not in reply.json()
    listing = requests.get(f"{assistant.action_url}/actions", timeout=10)
    assert listing.status_code == 401
    assert not [t for t in staff_tickets(assistant) if t["conversation_id"] == sender]


def test_the_real_conversation_still_reaches_the_action_server(assistant):
    # Rasa presents the per-run secret from endpoints.yml: a red flag still opens its urgent ticket.
    assert "emergency" in assistant.reply_text("secret-ok", "my lips are swelling and I can't breathe").lower()
    assert [t["urgency"] for t in staff_tickets(assistant) if t["conversation_id"] == "secret-ok"] == ["urgent"]


def test_a_deflate_bomb_is_refused_before_it_is_inflated(assistant):
    bomb = zlib.compress(b"{" + b" " * 5_000_000 + b"}", 9)
    assert len(bomb) < 10_000
    for token in (None, assistant.action_token):  # refused without the secret, and too big with it
        reply = post(assistant, bomb, token, **{"Content-Encoding": "deflate"})
        assert reply.status_code == (401 if token is None else 413)
    plain = json.dumps(forged_call("compressed-ok", action="action_listen_nonexistent")).encode()
    reply = post(assistant, zlib.compress(plain), assistant.action_token, **{"Content-Encoding": "deflate"})
    assert reply.status_code == 404  # a legitimate compressed call is read (an unknown action: 404)


def test_an_oversized_raw_body_is_413_and_garbage_is_400(assistant):
    reply = post(assistant, b"x" * (5 * 1024 * 1024), assistant.action_token)
    assert reply.status_code == 413
    reply = post(assistant, b"\x00not json", assistant.action_token)
    assert reply.status_code == 400 and "JSON" in reply.json()["error"]


def test_errors_never_echo_the_request_body(assistant):
    call = forged_call("echo-test", text="I am pregnant SECRET-MARKER-4711")
    del call["tracker"]  # makes rasa-sdk's executor fail inside
    reply = post(assistant, json.dumps(call).encode(), assistant.action_token)
    assert reply.status_code == 500
    assert "SECRET-MARKER-4711" not in reply.text and "request_body" not in reply.text


def test_a_forged_handoff_cannot_store_a_non_email_or_replace_another_ticket_s_email(assistant):
    victim = "victim-handoff"
    assistant.reply_text(victim, "I want to talk to a person")
    assistant.reply_text(victim, "yes")
    assistant.reply_text(victim, "victim@example.com")
    for email in ("attacker@evil.example", "not an email <b>x</b>"):
        call = forged_call(victim, action="action_open_handoff_ticket", text=email, slots={"contact_email": email})
        assert post(assistant, json.dumps(call).encode(), assistant.action_token).status_code == 200
    [ticket] = [t for t in staff_tickets(assistant) if t["conversation_id"] == victim]
    assert ticket["contact_email"] == "victim@example.com"
    detail = requests.get(f"{assistant.web_url}/staff/api/tickets/{ticket['id']}",
                          headers={"Authorization": f"Bearer {assistant.staff_token}"}, timeout=10).json()
    notes = " ".join(note["text"] for note in detail["notes"])
    assert "attacker@evil.example" in notes and "<b>" not in notes


def test_bad_sender_ids_are_refused_by_ticket_writing_actions(assistant):
    reply = post(assistant, json.dumps(forged_call("evil\nid\x1b[2J")).encode(), assistant.action_token)
    assert reply.status_code == 200  # the person still gets the emergency advice
    assert not [t for t in staff_tickets(assistant) if "evil" in t["conversation_id"]]


def test_the_launcher_makes_a_secret_per_run_and_never_puts_it_on_a_command_line(tmp_path, monkeypatch):
    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    first, second = (Stack(StackSettings(runtime_dir=tmp_path)) for _ in range(2))
    assert first.action_token != second.action_token and len(first.action_token) >= 32
    for service in first.services:
        assert first.action_token not in " ".join(service.argv)
        assert service.env["ACTION_SERVER_TOKEN"] == first.action_token
    assert first.service("action server").env["ACTION_SERVER_HOST"] == "127.0.0.1"


@pytest.mark.parametrize("token", ["", "short"])
def test_the_action_server_refuses_to_start_without_a_long_secret(token):
    with pytest.raises(ActionServerSettingError, match="ACTION_SERVER_TOKEN"):
        ActionServerSettings.from_env({"ACTION_SERVER_TOKEN": token})


def test_inflate_stops_at_the_limit():
    assert inflate(zlib.compress(b"a" * 100), 100) == b"a" * 100
    with pytest.raises(BodyTooLarge):
        inflate(zlib.compress(b"a" * 101), 100)
