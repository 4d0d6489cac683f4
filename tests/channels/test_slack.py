"""Rasa's Slack channel as we configure it: the signing secret is required and checked on every request.

Real loopback server; Slack's Web API stubbed on loopback. Event shape from Slack's Events API docs.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from functools import partial
from typing import Any

import aiohttp
import pytest
import rasa.core.channels.slack as rasa_slack
from rasa.core.channels.slack import SlackInput
from rasa.shared.exceptions import RasaException
from slack_sdk.web.async_client import AsyncWebClient

from tests.channels.loopback import PlatformApi, RecordingAgent, serve_channel

SIGNING_SECRET = "loopback-signing-secret"
BOT_TOKEN = "xoxb-loopback-not-a-real-token"
USER = "U2147483697"
DM_CHANNEL = "D024BE91L"


def dm_event(text: str) -> bytes:
    event = {
        "type": "message",
        "channel": DM_CHANNEL,
        "user": USER,
        "text": text,
        "ts": "1355517523.000005",
        "event_ts": "1355517523.000005",
        "channel_type": "im",
    }
    envelope = {
        "token": "XXYYZZ",
        "team_id": "T123ABC456",
        "api_app_id": "A123ABC456",
        "event": event,
        "type": "event_callback",
        "authed_users": ["U123ABC456"],
        "event_id": "Ev123ABC456",
        "event_time": 1355517523,
    }
    return json.dumps(envelope).encode()


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


def channel() -> SlackInput:
    return SlackInput.from_credentials({"slack_token": BOT_TOKEN, "slack_signing_secret": SIGNING_SECRET})


def post(body: bytes, headers: dict[str, str], wait_for_reply: bool) -> tuple[int, RecordingAgent]:
    async def scenario() -> tuple[int, RecordingAgent]:
        agent = RecordingAgent()
        async with serve_channel(channel(), agent) as base, aiohttp.ClientSession() as session:
            async with session.post(
                f"{base}/webhooks/slack/webhook",
                data=body,
                headers={"Content-Type": "application/json", **headers},
            ) as reply:
                status = reply.status
            # Rasa hands Slack messages to the bot in a background task.
            for _ in range(100 if wait_for_reply else 10):
                if agent.messages:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.2)
        return status, agent

    return asyncio.run(scenario())


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="unsigned"),
        pytest.param(slack_headers(dm_event("hello"), secret="other"), id="other-secret"),
        pytest.param(slack_headers(dm_event("hello"), timestamp=int(time.time()) - 3600), id="replayed"),
    ],
)
def test_unsigned_wrongly_signed_or_replayed_events_never_reach_the_bot(
    web_api: PlatformApi, headers: dict[str, str]
) -> None:
    status, agent = post(dm_event("hello"), headers, wait_for_reply=False)
    assert status == 400
    assert agent.messages == []
    assert web_api.calls == []


def test_signed_direct_message_reaches_the_bot_and_the_reply_is_posted(web_api: PlatformApi) -> None:
    body = dm_event("what does it do for oily skin?")
    status, agent = post(body, slack_headers(body), wait_for_reply=True)
    assert status == 200
    assert [(m.text, m.sender_id) for m in agent.messages] == [("what does it do for oily skin?", USER)]
    (posted,) = web_api.calls_to("/api/chat.postMessage")
    assert posted.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    sent = posted.json()
    assert sent["channel"] == DM_CHANNEL
    assert [b["text"]["text"] for b in sent["blocks"][1]["elements"]] == ["Oily", "Dry", "Sensitive"]


def test_slack_will_not_start_without_a_signing_secret() -> None:
    with pytest.raises(RasaException, match="signing secret"):
        SlackInput.from_credentials({"slack_token": BOT_TOKEN})
