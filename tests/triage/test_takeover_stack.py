"""An agent takes over a widget conversation on the real servers (action, Rasa and web server): the staff
API drives the takeover, a socket.io client speaks like the widget. The assistant stays silent while the
person's messages reach the transcript, emergencies still get the emergency reply, the agent's words
arrive with their name, hand back brings the assistant back, and a line written after the person left is
shown when their widget session resumes."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
import requests

from tests.triage.test_conversation_stack import eventually, staff_api, tickets_for
from tests.web.test_socketio_channel import Conversation

pytestmark = pytest.mark.servers
QUIET_SECONDS = 2.0


async def drain(chat: Conversation, quiet: float = QUIET_SECONDS) -> list[dict[str, Any]]:
    """Every bot message until the socket has been quiet for ``quiet`` seconds."""
    received = []
    while True:
        try:
            packet = await chat._packet(timeout=quiet)
        except asyncio.TimeoutError:
            return received
        if packet.startswith("42"):
            name, data = json.loads(packet[2:])
            if name == "bot_uttered":
                received.append(data)


async def until_reply(chat: Conversation, timeout: float = 60.0) -> list[dict[str, Any]]:
    """Bot messages from now until at least one came and then nothing for a moment."""
    deadline = time.monotonic() + timeout
    received: list[dict[str, Any]] = []
    while not received and time.monotonic() < deadline:
        received = await drain(chat)
    return received


def staff_post(stack, path: str, body: dict) -> requests.Response:
    return requests.post(f"{stack.web_url}/staff/api{path}", json=body, timeout=30,
                         headers={"Authorization": f"Bearer {stack.staff_token}"})


def transcript(stack, ticket_id: int) -> list[dict[str, Any]]:
    return staff_api(stack, f"/tickets/{ticket_id}")["transcript"]


async def open_ticket_from_the_widget(stack) -> tuple[Conversation, int]:
    """A widget conversation that asked for a person without leaving an email, and its ticket."""
    chat = await Conversation.open(stack.rasa_url, stack.web_url)
    for text in ("I want to talk to a person", "/affirm", "skip"):
        await chat.say(text)
        await until_reply(chat)
    [ticket] = eventually(lambda: tickets_for(stack, chat.session_id), timeout=30)
    assert ticket["contact_email"] is None
    return chat, ticket["id"]


def test_take_over_talk_both_ways_emergency_and_hand_back(stack) -> None:
    async def scenario() -> None:
        chat, ticket = await open_ticket_from_the_widget(stack)

        taken = await asyncio.to_thread(staff_post, stack, f"/tickets/{ticket}/takeover", {"agent": "Sam"})
        assert taken.status_code == 200, taken.text
        assert taken.json() == {"channel": "socketio", "human_agent": "Sam"}
        [joined] = await until_reply(chat)
        assert joined["staff"]["agent"] == "Sam" and joined["staff"]["kind"] == "joined"
        assert staff_api(stack, f"/tickets/{ticket}")["chat"] == {"human_agent": "Sam", "channel": "socketio",
                                                                  "reachable": True}
        assert "Sam" in joined["text"]

        # The person writes: it reaches the transcript, and the assistant says nothing.
        await chat.say("is niacinamide ok for oily skin?")
        eventually(lambda: any(line["text"] == "is niacinamide ok for oily skin?" and line["speaker"] == "person"
                               for line in transcript(stack, ticket)), timeout=30)
        assert await drain(chat) == []

        said = await asyncio.to_thread(staff_post, stack, f"/tickets/{ticket}/chat",
                                       {"agent": "Sam", "text": "Yes, niacinamide suits oily skin. Anything else?"})
        assert said.status_code == 200, said.text
        [words] = await until_reply(chat)
        assert words["text"] == "Yes, niacinamide suits oily skin. Anything else?"
        assert words["staff"]["agent"] == "Sam" and words["staff"]["kind"] == "message"

        # An emergency is answered by the assistant even now.
        await chat.say("my lips are swelling and I can't breathe")
        emergency = await until_reply(chat)
        assert any("112" in message.get("text", "") for message in emergency), emergency

        handed = await asyncio.to_thread(staff_post, stack, f"/tickets/{ticket}/handback", {"agent": "Sam"})
        assert handed.status_code == 200 and handed.json()["human_agent"] is None
        assert staff_api(stack, f"/tickets/{ticket}")["chat"]["human_agent"] is None
        [back] = await until_reply(chat)
        assert back["staff"]["kind"] == "handed_back" and "back with the assistant" in back["text"]
        await chat.say("is niacinamide vegan?")
        answer = await until_reply(chat)
        assert answer and not any("staff" in message for message in answer)
        assert "niacinamide" in " ".join(m.get("text", "") for m in answer).lower()
        await chat.close()

        lines = transcript(stack, ticket)
        agent_lines = [(line["author"], line["text"]) for line in lines if line["speaker"] == "agent"]
        assert ("Sam", "Yes, niacinamide suits oily skin. Anything else?") in agent_lines
        history = staff_api(stack, f"/tickets/{ticket}")["events"]
        assert [e["action"] for e in history if e["action"] in ("takeover", "chat", "handback")] == [
            "takeover", "chat", "handback"]
        assert all(e["author"] == "API (staff token)" for e in history if e["action"] == "chat")

    asyncio.run(scenario())


def test_a_reply_to_a_person_who_left_is_shown_when_their_widget_comes_back(stack) -> None:
    async def scenario() -> None:
        chat, ticket = await open_ticket_from_the_widget(stack)
        first = await asyncio.to_thread(staff_post, stack, f"/tickets/{ticket}/chat",
                                        {"agent": "Kim", "text": "Seen while you were here."})
        assert first.status_code == 200
        [seen] = await until_reply(chat)
        await chat.close()  # the person leaves the site

        later = await asyncio.to_thread(staff_post, stack, f"/tickets/{ticket}/chat",
                                        {"agent": "Kim", "text": "We checked: the serum is fragrance free."})
        assert later.status_code == 200, later.text

        back = await Conversation.open(stack.rasa_url, stack.web_url, session_token=chat.session_token,
                                       staff_seen=seen["staff"]["at"])
        assert back.resumed and back.session_id == chat.session_id
        missed = await drain(back)
        assert [(m["text"], m["staff"]["agent"]) for m in missed] == [
            ("We checked: the serum is fragrance free.", "Kim")]
        await back.close()

    asyncio.run(scenario())


def test_chat_replies_are_refused_clearly_where_they_cannot_go(stack) -> None:
    sender = f"test-rest-{time.time_ns()}"
    stack.reply_text(sender, "my lips are swelling and I can't breathe")
    [ticket] = eventually(lambda: tickets_for(stack, sender), timeout=30)
    refused = staff_post(stack, f"/tickets/{ticket['id']}/chat", {"text": "hello"})
    assert refused.status_code == 409 and "reply by email" in refused.json()["error"]
    assert staff_post(stack, "/tickets/999999999/takeover", {}).status_code == 404
    assert staff_post(stack, f"/tickets/{ticket['id']}/chat", {"text": " "}).status_code == 400
