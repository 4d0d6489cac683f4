"""The widget's socket.io channel: only configured site origins may talk to the assistant."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import websockets
import websockets.exceptions

from bot.channels.socketio import OriginConfigError, RestrictedSocketIOInput, resolve_allowed_origins
from bot.nlu.message_limits import MAX_MESSAGE_CHARS
from bot.run import free_port
from tests.servers import RunningAssistant
from tests.web.processes import ServerProcess, python_module

SHOP = "http://shop.test:8080"
OTHER_SITE = "https://evil.example"


# ---------------------------------------------------------------- which origins are allowed


def test_default_origins_are_the_local_demo_page_on_web_port() -> None:
    assert resolve_allowed_origins(None, {"WEB_PORT": "9001"}) == [
        "http://localhost:9001",
        "http://127.0.0.1:9001",
    ]
    assert resolve_allowed_origins(None, {}) == ["http://localhost:8080", "http://127.0.0.1:8080"]


def test_environment_list_is_used_and_normalised_like_browser_origins() -> None:
    env = {"WIDGET_ALLOWED_ORIGINS": " https://Shop.Example.com/ , http://localhost:3000", "WEB_PORT": "1"}
    assert resolve_allowed_origins(None, env) == ["https://shop.example.com", "http://localhost:3000"]


def test_credentials_entry_wins_over_the_environment() -> None:
    env = {"WIDGET_ALLOWED_ORIGINS": "https://from-env.example"}
    assert resolve_allowed_origins(["https://from-credentials.example"], env) == [
        "https://from-credentials.example"
    ]
    channel = RestrictedSocketIOInput.from_credentials({"cors_allowed_origins": "https://a.example,https://b.example"})
    assert channel.cors_allowed_origins == ["https://a.example", "https://b.example"]
    assert channel.name() == "socketio"


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("*", "any website"),
        ("https://*.example.com", "any website"),
        ("shop.example.com", "not an origin"),
        ("https://shop.example.com/chat", "not an origin"),
        ("ftp://shop.example.com", "not an origin"),
        (" , ", "no origins"),
    ],
)
def test_unusable_origin_settings_are_refused_with_a_reason(value: str, complaint: str) -> None:
    with pytest.raises(OriginConfigError, match=complaint) as error:
        resolve_allowed_origins(None, {"WIDGET_ALLOWED_ORIGINS": value})
    assert "WIDGET_ALLOWED_ORIGINS" in str(error.value)


# ---------------------------------------------------------------- a real socket.io server


@pytest.fixture(scope="module")
def channel_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The channel in a bare Sanic app that echoes every message, allowing only SHOP."""
    port = free_port()
    server = ServerProcess(
        "channel_app",
        python_module("tests.web.channel_app", str(port)),
        ready_url=f"http://127.0.0.1:{port}/webhooks/socketio/",
        env={"WIDGET_ALLOWED_ORIGINS": SHOP},
        log_dir=Path(tmp_path_factory.mktemp("channel")),
    ).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def handshake(url: str, origin: str) -> requests.Response:
    return requests.get(
        f"{url}/socket.io/", params={"EIO": "4", "transport": "polling"}, headers={"Origin": origin}, timeout=5
    )


def test_handshake_from_the_shop_is_accepted_with_its_cors_header(channel_url: str) -> None:
    reply = handshake(channel_url, SHOP)
    assert reply.status_code == 200
    assert reply.text.startswith("0{")  # Engine.IO "open" packet with the session id
    assert reply.headers["Access-Control-Allow-Origin"] == SHOP


def test_handshake_from_another_site_is_refused(channel_url: str) -> None:
    reply = handshake(channel_url, OTHER_SITE)
    assert reply.status_code == 400
    assert "not an accepted origin" in reply.text
    assert "Access-Control-Allow-Origin" not in reply.headers


class Conversation:
    """A socket.io client speaking like the widget over a WebSocket: session_request, user_uttered.

    Engine.IO v4 framing written out by hand (python-socketio's own async client needs a newer
    aiohttp than Rasa pins, and its polling transport takes ~30 s to disconnect).
    """

    def __init__(self, connection: websockets.WebSocketClientProtocol) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, url: str, origin: str, session_id: str | None = None) -> tuple[Conversation, str]:
        ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        connection = await websockets.connect(ws_url, origin=origin, open_timeout=10)
        chat = cls(connection)
        assert (await chat._packet()).startswith("0{")  # Engine.IO open
        await connection.send("40")  # Socket.IO connect to the default namespace
        assert (await chat._packet()).startswith("40")
        await chat.emit("session_request", {"session_id": session_id})
        return chat, await chat.next("session_confirm")

    async def _packet(self, timeout: float = 10) -> str:
        while True:
            packet = await asyncio.wait_for(self.connection.recv(), timeout)
            if packet == "2":  # server ping
                await self.connection.send("3")
                continue
            return str(packet)

    async def emit(self, event: str, data: Any) -> None:
        await self.connection.send("42" + json.dumps([event, data]))

    async def next(self, event: str) -> Any:
        packet = await self._packet()
        assert packet.startswith("42"), packet
        name, data = json.loads(packet[2:])
        assert name == event, (name, data)
        return data

    async def close(self) -> None:
        await self.connection.close()


def test_shop_page_gets_its_replies_in_a_persistent_session(channel_url: str) -> None:
    async def scenario() -> None:
        chat, session_id = await Conversation.open(channel_url, SHOP)
        await chat.emit("user_uttered", {"message": "is niacinamide vegan?", "session_id": session_id})
        reply = await chat.next("bot_uttered")
        assert reply["text"] == "echo: is niacinamide vegan?"
        assert reply["quick_replies"][0]["title"] == "Again"
        await chat.close()

        # After a reload the widget asks for the same session and still gets the replies.
        again, same_id = await Conversation.open(channel_url, SHOP, session_id=session_id)
        assert same_id == session_id
        await again.emit("user_uttered", {"message": "and retinol?", "session_id": session_id})
        assert (await again.next("bot_uttered"))["text"] == "echo: and retinol?"
        await again.close()

    asyncio.run(scenario())


def test_websocket_from_another_site_is_refused(channel_url: str) -> None:
    # Browsers apply no CORS to WebSockets: this server-side check is the only protection.
    async def scenario() -> None:
        with pytest.raises(websockets.exceptions.InvalidStatusCode) as refused:
            await Conversation.open(channel_url, OTHER_SITE)
        assert refused.value.status_code == 400

    asyncio.run(scenario())


def test_malformed_events_are_ignored_and_the_conversation_goes_on(channel_url: str) -> None:
    async def scenario() -> None:
        chat, session_id = await Conversation.open(channel_url, SHOP)
        await chat.emit("user_uttered", "just a string")
        await chat.emit("user_uttered", {"message": 42, "session_id": session_id})
        await chat.emit("user_uttered", {"message": "no session"})
        await chat.emit("user_uttered", {"message": "bad meta", "session_id": session_id, "metadata": "{"})
        assert (await chat.next("bot_uttered"))["text"] == "echo: bad meta"
        await chat.emit("user_uttered", {"message": "x" * (MAX_MESSAGE_CHARS + 1), "session_id": session_id})
        assert "too long" in (await chat.next("bot_uttered"))["text"]
        await chat.emit("user_uttered", {"message": "still here?", "session_id": session_id})
        assert (await chat.next("bot_uttered"))["text"] == "echo: still here?"
        await chat.close()

    asyncio.run(scenario())


def test_a_long_message_reporting_an_emergency_is_passed_on_not_refused(channel_url: str) -> None:
    async def scenario() -> None:
        chat, session_id = await Conversation.open(channel_url, SHOP)
        text = "so many creams " * (MAX_MESSAGE_CHARS // 10) + "and now my lips are swelling and I can't breathe"
        await chat.emit("user_uttered", {"message": text, "session_id": session_id})
        assert (await chat.next("bot_uttered"))["text"] == f"echo: {text}"
        await chat.close()

    asyncio.run(scenario())


def test_unusable_session_ids_are_replaced_by_a_fresh_one(channel_url: str) -> None:
    async def scenario() -> None:
        chat, session_id = await Conversation.open(channel_url, SHOP, session_id="../../etc/passwd")
        assert session_id != "../../etc/passwd"
        assert len(session_id) == 32 and session_id.isalnum()
        await chat.close()

    asyncio.run(scenario())


@pytest.mark.servers
def test_the_real_rasa_server_uses_the_restricted_channel(stack: RunningAssistant) -> None:
    # credentials.yml registers bot.channels.socketio.RestrictedSocketIOInput; Rasa gets WEB_PORT.
    demo_page = stack.web_url.rstrip("/")
    assert handshake(stack.rasa_url, demo_page).status_code == 200
    assert handshake(stack.rasa_url, demo_page.replace("127.0.0.1", "localhost")).status_code == 200
    refused = handshake(stack.rasa_url, OTHER_SITE)
    assert refused.status_code == 400
    assert "not an accepted origin" in refused.text
