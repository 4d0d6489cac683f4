"""The REST channel: authenticated or local only, JSON only, checked, rate limited, never silent."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.error
import urllib.request
import uuid
from contextlib import closing

import aiohttp
import pytest

from bot.channels.rest import MAX_MESSAGE_CHARS, CheckedRestInput, request_problem
from tests.channels.loopback import RecordingAgent, serve_channel
from tests.servers import RunningAssistant

JSON = {"Content-Type": "application/json"}


def post(assistant: RunningAssistant, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, object, dict]:
    request = urllib.request.Request(assistant.rest_url, data=body, headers=JSON if headers is None else headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310 (loopback)
            return reply.status, json.load(reply), dict(reply.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error), dict(error.headers)


def message(sender: str, text: str, **extra: object) -> bytes:
    return json.dumps({"sender": sender, "message": text, **extra}).encode()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([], "expected a JSON object"),
        ({"message": "hi"}, '"sender" is required'),
        ({"sender": "  ", "message": "hi"}, '"sender" is required'),
        ({"sender": "x" * 200, "message": "hi"}, "longer than 128"),
        ({"sender": "a\x00b", "message": "hi"}, "use only letters"),
        ({"sender": "a\nb", "message": "hi"}, "use only letters"),
        ({"sender": "a\u200fb", "message": "hi"}, "use only letters"),
        ({"sender": "web-" + "0" * 32, "message": "hi"}, 'may not start with "web-"'),
        ({"sender": "Telegram-12345", "message": "hi"}, 'may not start with "telegram-"'),
        ({"sender": "a"}, '"message" is required'),
        ({"sender": "a", "message": 123}, '"message" is required and must be a string'),
        ({"sender": "a", "message": "x" * (MAX_MESSAGE_CHARS + 1)}, '"message" is too long'),
        ({"sender": "a", "message": "hi", "metadata": "zzz"}, '"metadata"'),
    ],
)
def test_request_problems_are_named(body: object, expected: str) -> None:
    assert expected in (request_problem(body) or "")


def test_a_good_request_has_no_problem() -> None:
    assert request_problem({"sender": "a", "message": "", "metadata": {"page": "/"}}) is None


# ---------------------------------------------------------------- the real assistant (no REST_TOKEN: local only)


@pytest.mark.servers
@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"message": "hi"}', b'{"sender": "x", "message": 123}',
     json.dumps({"sender": "x", "message": "a" * 100_000}).encode(),
     b'{"sender": "x", "message": "hi", "metadata": ' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"}"],
)
def test_the_running_channel_answers_malformed_requests_with_400(assistant: RunningAssistant, body: bytes) -> None:
    status, reply, _ = post(assistant, body)
    assert status == 400
    assert isinstance(reply, dict) and reply["error"]


@pytest.mark.servers
def test_the_running_channel_still_answers_good_requests(assistant: RunningAssistant) -> None:
    status, reply, _ = post(assistant, message("rest-ok", "are milk exosomes vegan?"))
    assert status == 200
    assert "may choose to avoid" in reply[0]["text"]
    assert reply[0]["answer"]["topic"] == "diet"  # the decided answer rides along as data


@pytest.mark.servers
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_cross_site_form_post_is_refused_with_415(assistant: RunningAssistant, content_type: str) -> None:
    # What a page on another site can send without a CORS preflight: never answered.
    status, reply, _ = post(assistant, message("rest-csrf", "hi"), {"Content-Type": content_type})
    assert status == 415
    assert "application/json" in reply["error"]


@pytest.mark.servers
def test_without_rest_token_a_request_through_a_proxy_is_refused(assistant: RunningAssistant) -> None:
    status, reply, _ = post(assistant, message("rest-proxied", "hi"), {**JSON, "X-Forwarded-For": "203.0.113.9"})
    assert status == 403
    assert "REST_TOKEN" in reply["error"]


@pytest.mark.servers
def test_control_characters_never_reach_the_conversation(assistant: RunningAssistant) -> None:
    sender = f"rest-nul-{uuid.uuid4().hex[:8]}"
    status, reply, _ = post(assistant, message(sender, "is snail\x00 mucin\u202e vegan?\x1b", input_channel="socketio"))
    assert status == 200 and reply[0]["text"]
    with closing(sqlite3.connect(assistant.tracker_db_path)) as db, db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)).fetchall()
    (event,) = [json.loads(row[0]) for row in rows]
    assert event["text"] == "is snail mucin vegan?"
    assert event["input_channel"] == "rest"  # a caller cannot file its message under another channel


@pytest.mark.servers
@pytest.mark.parametrize("text", ["", "   ", "\x00\ud800"])
def test_an_empty_message_gets_a_clear_reply(assistant: RunningAssistant, text: str) -> None:
    status, reply, _ = post(assistant, message(f"rest-empty-{uuid.uuid4().hex[:8]}", text))
    assert status == 200
    assert "empty" in reply[0]["text"]


@pytest.mark.servers
def test_a_flood_in_one_conversation_is_answered_429_with_retry_after(assistant: RunningAssistant) -> None:
    sender = f"rest-flood-{uuid.uuid4().hex[:8]}"
    statuses = [post(assistant, message(sender, " "))[0] for _ in range(20)]  # blank: answered at the edge
    assert statuses == [200] * 20
    status, reply, headers = post(assistant, message(sender, " "))
    assert status == 429
    assert int(headers["Retry-After"]) >= 1
    assert "faster" in reply["error"]
    assert post(assistant, message(sender + "-other", " "))[0] == 200


# ---------------------------------------------------------------- with REST_TOKEN (the channel on a loopback server)


async def post_json(url: str, body: object, headers: dict[str, str]) -> tuple[int, object]:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=json.dumps(body), headers={**JSON, **headers}) as reply:
            return reply.status, await reply.json(content_type=None)


def test_with_rest_token_only_the_bearer_token_is_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "t" * 40
    monkeypatch.setenv("REST_TOKEN", token)
    body = {"sender": "integration-1", "message": "hello"}

    async def scenario() -> None:
        agent = RecordingAgent()
        async with serve_channel(CheckedRestInput.from_credentials(None), agent) as base:
            url = f"{base}/webhooks/rest/webhook"
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {token}"},
                            {"Authorization": f"Bearer {token[:-1]}"}):
                status, reply = await post_json(url, body, headers)
                assert status == 401, headers
                assert "REST_TOKEN" in reply["error"]
            assert agent.messages == []
            status, reply = await post_json(url, body, {"Authorization": f"Bearer {token}"})
            assert status == 200
            assert reply[0]["text"]
            assert [m.text for m in agent.messages] == ["hello"]

    asyncio.run(scenario())
