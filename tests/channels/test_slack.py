"""Slack (bot/channels/slack.py) against a real loopback server, with Slack's Web API stubbed on loopback.

Every request is signed as Slack signs it (v0 HMAC-SHA256 of "v0:<timestamp>:<body>" with the signing
secret). Event and interactivity shapes follow Slack's Events API and block_actions docs.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from functools import partial
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
import rasa.core.channels.slack as rasa_slack
from rasa.shared.exceptions import RasaException
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.rest import request_problem
from bot.channels.slack import CheckedSlackInput
from bot.nlu.message_limits import MAX_MESSAGE_CHARS
from tests.channels.loopback import REPLY_BUTTONS, PlatformApi, RecordingAgent, serve_channel

SIGNING_SECRET = "loopback-signing-secret"
BOT_TOKEN = "xoxb-loopback-not-a-real-token"
USER = "U2147483697"
BOT_USER = "U123ABC456"
DM_CHANNEL = "D024BE91L"
CONVERSATION = f"slack-{USER}"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
CHALLENGE = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"


def event_body(text: Any, **event_fields: Any) -> bytes:
    event = {
        "type": "message",
        "channel": DM_CHANNEL,
        "user": USER,
        "ts": "1355517523.000005",
        "event_ts": "1355517523.000005",
        "channel_type": "im",
        **event_fields,
    }
    if text is not None:
        event["text"] = text
    envelope = {
        "token": "XXYYZZ",
        "team_id": "T123ABC456",
        "api_app_id": "A123ABC456",
        "event": event,
        "type": "event_callback",
        "authed_users": [BOT_USER],
        "event_id": "Ev123ABC456",
        "event_time": 1355517523,
    }
    return json.dumps(envelope).encode()


def button_body(payload: Any) -> bytes:
    """An interactivity request: the form field `payload` holding a block_actions JSON document."""
    if not isinstance(payload, str):
        payload = json.dumps(payload)
    return urlencode({"payload": payload}).encode()


def block_actions(value: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": USER, "username": "sam", "team_id": "T123ABC456"},
        "api_app_id": "A123ABC456",
        "channel": {"id": DM_CHANNEL, "name": "directmessage"},
        "message": {"type": "message", "ts": "1503435956.000247", "text": REPLY_BUTTONS[0]["title"]},
        "actions": [{"action_id": "a1", "block_id": "b1", "type": "button", "value": value,
                     "text": {"type": "plain_text", "text": "Oily"}, "action_ts": "1503435957.111"}],
    }


def slack_headers(body: bytes, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def slack_api(method: str, path: str, body: bytes) -> tuple[int, Any]:
    return 200, {"ok": True, "channel": DM_CHANNEL, "ts": "1503435956.000247"}


@pytest.fixture
def web_api(monkeypatch: pytest.MonkeyPatch) -> Any:
    with PlatformApi(slack_api) as api:
        monkeypatch.setattr(rasa_slack, "AsyncWebClient", partial(AsyncWebClient, base_url=f"{api.base_url}/api/"))
        yield api


def channel() -> CheckedSlackInput:
    return CheckedSlackInput.from_credentials({"slack_token": BOT_TOKEN, "slack_signing_secret": SIGNING_SECRET})


Request = tuple[bytes, str, dict[str, str]]  # body, content type, extra headers


def signed(body: bytes, content_type: str = JSON) -> Request:
    return body, content_type, slack_headers(body)


def post_all(*requests: Request) -> tuple[list[tuple[int, str]], RecordingAgent]:
    """Serve the channel, post each request in turn, wait for the background work; statuses and the agent."""

    async def scenario() -> tuple[list[tuple[int, str]], RecordingAgent]:
        agent = RecordingAgent()
        slack = channel()
        answers = []
        async with serve_channel(slack, agent) as base, aiohttp.ClientSession() as session:
            for body, content_type, headers in requests:
                async with session.post(f"{base}/webhooks/slack/webhook", data=body,
                                        headers={"Content-Type": content_type, **headers}) as reply:
                    answers.append((reply.status, await reply.text()))
            # The channel answers Slack at once and hands the message on in background tasks.
            while slack._background_tasks:
                await asyncio.gather(*slack._background_tasks)
        return answers, agent

    return asyncio.run(scenario())


def posted_texts(api: PlatformApi) -> list[str]:
    return [call.json()["text"] for call in api.calls_to("/api/chat.postMessage")]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="unsigned"),
        pytest.param(slack_headers(event_body("hello"), secret="other"), id="other-secret"),
        pytest.param(slack_headers(event_body("hello"), timestamp=int(time.time()) - 3600), id="replayed"),
        pytest.param(slack_headers(event_body("hello, signed")), id="signed-for-another-body"),
        pytest.param({"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"}, id="malformed"),
    ],
)
def test_forged_unsigned_or_replayed_requests_are_refused_before_the_bot_sees_them(
    web_api: PlatformApi, headers: dict[str, str]
) -> None:
    answers, agent = post_all((event_body("hello"), JSON, headers))
    assert answers == [(403, "invalid signature")]
    assert agent.messages == []
    assert web_api.calls == []


def test_signed_direct_message_reaches_the_bot_in_its_own_id_space_and_the_reply_is_posted(
    web_api: PlatformApi,
) -> None:
    body = event_body("what does it do for oily skin?")
    answers, agent = post_all(signed(body))
    assert [status for status, _ in answers] == [200]
    assert [(m.text, m.sender_id, m.input_channel) for m in agent.messages] == [
        ("what does it do for oily skin?", CONVERSATION, "slack")
    ]
    (posted,) = web_api.calls_to("/api/chat.postMessage")
    assert posted.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    sent = posted.json()
    assert sent["channel"] == DM_CHANNEL  # Slack's own id, not the conversation id
    assert [b["text"]["text"] for b in sent["blocks"][1]["elements"]] == ["Oily", "Dry", "Sensitive"]


def test_a_rest_caller_cannot_address_a_slack_conversation() -> None:
    assert "another channel" in str(request_problem({"sender": CONVERSATION, "message": "what do I have?"}))


def test_a_button_press_sends_its_payload_in_the_same_conversation(web_api: PlatformApi) -> None:
    payload = REPLY_BUTTONS[0]["payload"]
    answers, agent = post_all(signed(button_body(block_actions(payload)), FORM))
    assert [status for status, _ in answers] == [200]
    assert [(m.text, m.sender_id) for m in agent.messages] == [(payload, CONVERSATION)]
    assert web_api.calls_to("/api/chat.postMessage")[0].json()["channel"] == DM_CHANNEL


def test_self_mentions_and_control_characters_are_removed_and_an_empty_message_gets_a_clear_reply(
    web_api: PlatformApi,
) -> None:
    answers, agent = post_all(
        signed(event_body(f"<@{BOT_USER}> is it\x00 vegan?\u202e\x1b")),
        signed(event_body(f"<@{BOT_USER}> \x00\u202e")),
        signed(event_body("")),
    )
    assert [status for status, _ in answers] == [200, 200, 200]
    assert [m.text for m in agent.messages] == ["is it vegan?"]  # the other two never reached the bot
    empty = [text for text in posted_texts(web_api) if "empty" in text]
    assert len(empty) == 2


def test_an_oversize_message_gets_a_too_long_reply_and_never_reaches_the_bot(web_api: PlatformApi) -> None:
    answers, agent = post_all(signed(event_body("is retinol ok? " * (MAX_MESSAGE_CHARS // 10))))
    assert [status for status, _ in answers] == [200]
    assert agent.messages == []
    (reply,) = posted_texts(web_api)
    assert "too long" in reply and str(MAX_MESSAGE_CHARS) in reply


def test_a_flood_from_one_person_gets_one_polite_reply(web_api: PlatformApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_LIMIT_PER_CONVERSATION", "2")
    answers, agent = post_all(*(signed(event_body(f"message {i}", ts=f"1355517523.00000{i}")) for i in range(6)))
    assert [status for status, _ in answers] == [200] * 6
    assert [m.text for m in agent.messages] == ["message 0", "message 1"]
    notices = [text for text in posted_texts(web_api) if "faster" in text]
    assert len(notices) == 1  # told once, then the flood is dropped quietly


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        pytest.param(b"{not json", JSON, "not valid JSON", id="not-json"),
        pytest.param(b"[1, 2]", JSON, "not a JSON object", id="json-list"),
        pytest.param(b"", JSON, "not a JSON object", id="empty-body"),
        pytest.param(json.dumps({"type": "event_callback", "event": "hi"}).encode(), JSON, '"event"', id="event-text"),
        pytest.param(event_body(["a", "list"]), JSON, "event.text", id="text-not-string"),
        pytest.param(b"token=x", FORM, '"payload"', id="form-without-payload"),
        pytest.param(button_body("{oops"), FORM, "not valid JSON", id="payload-not-json"),
        pytest.param(button_body({**block_actions("/greet"), "actions": "click"}), FORM, "actions", id="actions"),
        pytest.param(button_body({**block_actions("/greet"), "user": {}}), FORM, "user.id", id="no-user"),
        pytest.param(button_body({**block_actions("/greet"), "actions": [{"type": "select", "selected_options": "x"}]}),
                     FORM, "select", id="select-with-bad-options"),
        pytest.param(b"hello", "text/plain", "application/json", id="text-plain"),
    ],
)
def test_a_signed_but_malformed_request_gets_a_clear_error_not_a_500(
    web_api: PlatformApi, body: bytes, content_type: str, problem: str
) -> None:
    ((status, text),), agent = post_all(signed(body, content_type))
    assert status in (400, 415)
    assert problem in text
    assert agent.messages == []


def test_events_that_are_not_a_person_writing_are_acknowledged_quietly(web_api: PlatformApi) -> None:
    answers, agent = post_all(
        signed(event_body("Which skin type fits you best?", bot_id="B123")),  # our own reply, echoed back
        signed(event_body(None, subtype="message_changed", message={"text": "edited"})),
        signed(event_body("hi all", channel="C0LAN2Q65", channel_type="channel")),  # not a DM, no mention
        signed(json.dumps({"type": "url_verification", "challenge": CHALLENGE}).encode()),
    )
    assert [status for status, _ in answers] == [200, 200, 200, 200]
    assert answers[-1][1] == CHALLENGE
    assert agent.messages == []
    assert web_api.calls == []


def test_slack_will_not_start_without_a_signing_secret() -> None:
    with pytest.raises(RasaException, match="signing secret"):
        CheckedSlackInput.from_credentials({"slack_token": BOT_TOKEN})
