"""Facebook Messenger webhook against a real loopback server, with the Graph API stubbed on loopback.

Payload shape follows Meta's Messenger Platform webhook docs (object=page, entry[].messaging[]).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
from typing import Any

import aiohttp
import pytest
import rasa.core.channels.facebook as rasa_facebook
from fbmessenger import MessengerClient
from rasa.core.channels.facebook import FacebookInput

from bot.channels.messenger import SignedFacebookInput
from tests.channels.loopback import PlatformApi, RecordingAgent, serve_channel

APP_SECRET = "loopback-app-secret"
VERIFY_TOKEN = "loopback-verify-token"
PAGE_TOKEN = "loopback-page-access-token"
PSID = "6728512913864823"
PAGE_ID = "109876543210987"


def text_event(text: str) -> bytes:
    payload = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": 1458692752478,
                "messaging": [
                    {
                        "sender": {"id": PSID},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": 1458692752478,
                        "message": {"mid": "m_1457764197618:41d102a3e1ae206a38", "text": text},
                    }
                ],
            }
        ],
    }
    return json.dumps(payload).encode()


def feed_change_event() -> bytes:
    change = {"field": "feed", "value": {"item": "status", "verb": "add", "post_id": "1_2", "message": "hi"}}
    return json.dumps({"object": "page", "entry": [{"id": PAGE_ID, "time": 1, "changes": [change]}]}).encode()


def sign(body: bytes, secret: str = APP_SECRET, method: str = "sha256") -> str:
    digest = hashlib.sha256 if method == "sha256" else hashlib.sha1
    return f"{method}={hmac.new(secret.encode(), body, digest).hexdigest()}"


def graph_api(method: str, path: str, body: bytes) -> tuple[int, Any]:
    return 200, {"recipient_id": PSID, "message_id": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM"}


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The Graph API on loopback: Rasa's Messenger handler builds its MessengerClient per request."""
    with PlatformApi(graph_api) as api:

        class LoopbackMessengerClient(MessengerClient):
            def __init__(self, page_access_token: str, **kwargs: Any) -> None:
                super().__init__(page_access_token, **kwargs)
                self.graph_url = f"{api.base_url}/v2.12"

        monkeypatch.setattr(rasa_facebook, "MessengerClient", LoopbackMessengerClient)
        yield api


def post(channel: Any, body: bytes, headers: dict[str, str]) -> tuple[int, str, RecordingAgent]:
    async def scenario() -> tuple[int, str, RecordingAgent]:
        agent = RecordingAgent()
        async with serve_channel(channel, agent) as base:
            async with aiohttp.ClientSession() as session:
                async with session.post(
                    f"{base}/webhooks/facebook/webhook",
                    data=body,
                    headers={"Content-Type": "application/json", **headers},
                ) as reply:
                    return reply.status, await reply.text(), agent

    return asyncio.run(scenario())


def ours() -> SignedFacebookInput:
    return SignedFacebookInput.from_credentials(
        {"verify": VERIFY_TOKEN, "secret": APP_SECRET, "page-access-token": PAGE_TOKEN}
    )


def sent_messages(api: PlatformApi) -> list[dict[str, Any]]:
    return [call.json() for call in api.calls_to("/me/messages") if "message" in call.json()]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="unsigned"),
        pytest.param({"X-Hub-Signature-256": sign(text_event("hello"), secret="other")}, id="other-secret"),
        pytest.param({"X-Hub-Signature-256": sign(text_event("changed"))}, id="body-changed"),
        pytest.param({"X-Hub-Signature": sign(text_event("hello"), "other", "sha1")}, id="sha1-other-secret"),
        pytest.param({"X-Hub-Signature": "abc=def"}, id="unknown-hash"),
        pytest.param({"X-Hub-Signature-256": "sha256"}, id="no-digest"),
        pytest.param({"X-Hub-Signature": "md5=" + hashlib.md5(b"x").hexdigest()}, id="md5"),
    ],
)
def test_unsigned_or_wrongly_signed_posts_are_refused_before_the_bot_sees_them(
    graph: PlatformApi, headers: dict[str, str]
) -> None:
    status, _, agent = post(ours(), text_event("hello"), headers)
    assert status == 403
    assert agent.messages == []
    assert graph.calls == []


@pytest.mark.parametrize("method,header", [("sha256", "X-Hub-Signature-256"), ("sha1", "X-Hub-Signature")])
def test_signed_message_reaches_the_bot_and_the_reply_goes_to_the_graph_api(
    graph: PlatformApi, method: str, header: str
) -> None:
    body = text_event("can I use this with retinol?")
    status, _, agent = post(ours(), body, {header: sign(body, method=method)})
    assert status == 200
    assert [(m.text, m.sender_id, m.input_channel) for m in agent.messages] == [
        ("can I use this with retinol?", f"facebook-{PSID}", "facebook")  # its own id space
    ]
    (reply,) = sent_messages(graph)
    assert reply["recipient"] == {"id": PSID}
    template = reply["message"]["attachment"]["payload"]
    assert template["text"] == "Which skin type fits you best?"
    assert [b["title"] for b in template["buttons"]] == ["Oily", "Dry", "Sensitive"]
    assert all(call.path.endswith(f"access_token={PAGE_TOKEN}") for call in graph.calls_to("/me/messages"))


def test_signed_page_feed_changes_are_acknowledged_without_reaching_the_bot(graph: PlatformApi) -> None:
    body = feed_change_event()
    status, text, agent = post(ours(), body, {"X-Hub-Signature-256": sign(body)})
    assert (status, text) == (200, "ignored")
    assert agent.messages == []


def test_webhook_verification_echoes_the_challenge_only_for_the_right_token() -> None:
    async def scenario() -> list[str]:
        async with serve_channel(ours(), RecordingAgent()) as base, aiohttp.ClientSession() as session:
            answers = []
            for token in (VERIFY_TOKEN, "guess"):
                params = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"}
                async with session.get(f"{base}/webhooks/facebook/webhook", params=params) as reply:
                    answers.append(await reply.text())
            return answers

    right, wrong = asyncio.run(scenario())
    assert right == "1158201444"
    assert wrong == "invalid verify token"


def test_rasas_own_messenger_channel_checks_the_app_secret_too(graph: PlatformApi) -> None:
    """What we read in rasa/core/channels/facebook.py: a wrong X-Hub-Signature never reaches the bot.

    It answers 200 "not validated" rather than 403, hence SignedFacebookInput.
    """
    stock = FacebookInput(VERIFY_TOKEN, APP_SECRET, PAGE_TOKEN)
    body = text_event("hello")
    _, text, agent = post(stock, body, {"X-Hub-Signature": sign(body, "other", "sha1")})
    assert text == "not validated"
    assert agent.messages == []
    _, text, agent = post(stock, body, {"X-Hub-Signature": sign(body, method="sha1")})
    assert [m.text for m in agent.messages] == ["hello"]


def test_channel_refuses_to_start_without_the_app_secret() -> None:
    with pytest.raises(ValueError, match="FACEBOOK_APP_SECRET"):
        SignedFacebookInput.from_credentials({"verify": VERIFY_TOKEN, "page-access-token": PAGE_TOKEN})


def test_graph_api_unreachable_is_logged_not_a_server_error(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    class UnreachableGraphClient(MessengerClient):
        def __init__(self, page_access_token: str, **kwargs: Any) -> None:
            super().__init__(page_access_token, **kwargs)
            self.graph_url = f"http://127.0.0.1:{closed_port}/v2.12"

    monkeypatch.setattr(rasa_facebook, "MessengerClient", UnreachableGraphClient)
    body = text_event("hello")
    status, _, _ = post(ours(), body, {"X-Hub-Signature-256": sign(body)})
    assert status == 200
    assert "Could not reach the Graph API" in caplog.text
