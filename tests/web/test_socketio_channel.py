"""The widget's socket.io channel: only configured sites, and each conversation owned by its browser."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import websockets
import websockets.exceptions

from bot.channels.socketio import OriginConfigError, RestrictedSocketIOInput, resolve_allowed_origins
from bot.channels.widget_sessions import WidgetSessions
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


SESSION_KEY = "k" * 40  # the channel app's signing key, so a test can make an expired token
PER_CONVERSATION_LIMIT = 12


@pytest.fixture(scope="module")
def channel_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The channel in a bare Sanic app that echoes every message, allowing only SHOP."""
    port = free_port()
    server = ServerProcess(
        "channel_app",
        python_module("tests.web.channel_app", str(port)),
        ready_url=f"http://127.0.0.1:{port}/webhooks/socketio/",
        env={"WIDGET_ALLOWED_ORIGINS": SHOP, "WIDGET_SESSION_KEY": SESSION_KEY,
             "CHAT_LIMIT_PER_CONVERSATION": str(PER_CONVERSATION_LIMIT), "CHAT_LIMIT_PER_ADDRESS": "0"},
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
    aiohttp than Rasa pins, and its polling transport takes ~30 s to disconnect). `origin=None` is a
    scripted client that sends no Origin header at all, as an attacker's would.
    """

    def __init__(self, connection: websockets.WebSocketClientProtocol) -> None:
        self.connection = connection
        self.session_id = ""
        self.session_token = ""

    @classmethod
    async def open(
        cls, url: str, origin: str | None, session_token: str | None = None, **claims: Any
    ) -> Conversation:
        """Connect and ask for a session (with `session_token`, and any other fields in `claims`)."""
        ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        connection = await websockets.connect(ws_url, origin=origin, open_timeout=10)
        chat = cls(connection)
        assert (await chat._packet()).startswith("0{")  # Engine.IO open
        await connection.send("40")  # Socket.IO connect to the default namespace
        assert (await chat._packet()).startswith("40")
        await chat.emit("session_request", {"session_token": session_token, **claims})
        confirm = await chat.next("session_confirm")
        chat.session_id, chat.session_token = confirm["session_id"], confirm["session_token"]
        chat.resumed = confirm["resumed"]
        return chat

    async def _packet(self, timeout: float = 10) -> str:
        while True:
            packet = await asyncio.wait_for(self.connection.recv(), timeout)
            if packet == "2":  # server ping
                await self.connection.send("3")
                continue
            return str(packet)

    async def emit(self, event: str, data: Any) -> None:
        await self.connection.send("42" + json.dumps([event, data]))

    async def say(self, text: str, **extra: Any) -> None:
        await self.emit("user_uttered", {"message": text, **extra})

    async def next(self, event: str) -> Any:
        packet = await self._packet()
        assert packet.startswith("42"), packet
        name, data = json.loads(packet[2:])
        assert name == event, (name, data)
        return data

    async def reply(self) -> str:
        return str((await self.next("bot_uttered"))["text"])

    async def close(self) -> None:
        await self.connection.close()


def test_shop_page_gets_its_replies_in_a_persistent_session(channel_url: str) -> None:
    async def scenario() -> None:
        chat = await Conversation.open(channel_url, SHOP)
        assert chat.session_id.startswith("web-") and not chat.resumed
        await chat.say("is niacinamide vegan?")
        reply = await chat.next("bot_uttered")
        assert reply["text"] == "echo: is niacinamide vegan?"
        assert reply["quick_replies"][0]["title"] == "Again"
        await chat.close()

        # After a reload the widget presents its token and is back in the same conversation.
        again = await Conversation.open(channel_url, SHOP, session_token=chat.session_token)
        assert again.session_id == chat.session_id and again.resumed
        await again.say("and retinol?")
        assert await again.reply() == "echo: and retinol?"
        await again.close()

    asyncio.run(scenario())


def test_a_scripted_client_cannot_take_over_another_visitors_conversation(channel_url: str) -> None:
    async def scenario() -> None:
        victim = await Conversation.open(channel_url, SHOP)
        forged = f"{victim.session_id}.ffffffffff.{'A' * 43}"
        # No Origin header, the victim's id, a forged token: a new conversation of its own, every time.
        for token, claims in ((None, {"session_id": victim.session_id}), (forged, {})):
            attacker = await Conversation.open(channel_url, None, session_token=token, **claims)
            assert attacker.session_id != victim.session_id and not attacker.resumed
            # A message naming the victim's conversation goes to the attacker's own.
            await attacker.say("I'm breastfeeding", session_id=victim.session_id)
            assert await attacker.reply() == "echo: I'm breastfeeding"
            # The victim's next reply reaches the victim only: the attacker's next packet is its own echo.
            await victim.say("is it vegan?")
            assert await victim.reply() == "echo: is it vegan?"
            await attacker.say("anything for me?")
            assert await attacker.reply() == "echo: anything for me?"
            await attacker.close()
        await victim.close()

    asyncio.run(scenario())


def test_a_second_tab_with_the_same_token_shares_the_conversation(channel_url: str) -> None:
    async def scenario() -> None:
        first = await Conversation.open(channel_url, SHOP)
        second = await Conversation.open(channel_url, SHOP, session_token=first.session_token)
        assert second.session_id == first.session_id
        await second.say("from the second tab")
        assert await second.reply() == "echo: from the second tab"
        assert await first.reply() == "echo: from the second tab"
        await first.close()
        await second.close()

    asyncio.run(scenario())


def test_an_expired_token_starts_a_new_conversation(channel_url: str) -> None:
    async def scenario() -> None:
        chat = await Conversation.open(channel_url, SHOP)
        sessions = WidgetSessions(SESSION_KEY.encode(), lifetime_seconds=60)
        expired = sessions.token_for(chat.session_id, now=time.time() - 3600)
        again = await Conversation.open(channel_url, SHOP, session_token=expired)
        assert again.session_id != chat.session_id and not again.resumed
        renewed = sessions.token_for(chat.session_id, now=time.time())  # same key: accepted
        third = await Conversation.open(channel_url, SHOP, session_token=renewed)
        assert third.session_id == chat.session_id
        for conversation in (chat, again, third):
            await conversation.close()

    asyncio.run(scenario())


def test_websocket_from_another_site_is_refused(channel_url: str) -> None:
    # Browsers apply no CORS to WebSockets: this server-side check is the only protection.
    async def scenario() -> None:
        with pytest.raises(websockets.exceptions.InvalidStatusCode) as refused:
            await Conversation.open(channel_url, OTHER_SITE)
        assert refused.value.status_code == 400

    asyncio.run(scenario())


def test_unusable_messages_get_a_clear_reply_and_the_conversation_goes_on(channel_url: str) -> None:
    async def scenario() -> None:
        chat = await Conversation.open(channel_url, SHOP)
        await chat.emit("user_uttered", "just a string")
        assert "couldn't read" in await chat.reply()
        await chat.say(42)  # type: ignore[arg-type]
        assert "couldn't read" in await chat.reply()
        await chat.say("bad meta", metadata="{")
        assert "couldn't read" in await chat.reply()
        # Nested deeper than the JSON decoder's recursion limit: written out by hand.
        deep = '{"a":' * 5000 + "1" + "}" * 5000
        await chat.connection.send('42["user_uttered",{"message":"hello","metadata":' + deep + "}]")
        assert "couldn't read" in await chat.reply()
        for blank in ("", "   \n\t", "\ud800", "\x00\u202e"):
            await chat.say(blank)
            assert "empty" in await chat.reply()
        await chat.say("x" * (MAX_MESSAGE_CHARS + 1))
        assert "too long" in await chat.reply()
        await chat.say("still\x00 here\u202e?\x1b[2J")
        assert await chat.reply() == "echo: still here?[2J"
        await chat.close()

    asyncio.run(scenario())


def test_a_long_message_reporting_an_emergency_is_passed_on_not_refused(channel_url: str) -> None:
    async def scenario() -> None:
        chat = await Conversation.open(channel_url, SHOP)
        text = "so many creams " * (MAX_MESSAGE_CHARS // 10) + "and now my lips are swelling and I can't breathe"
        await chat.say(text)
        assert await chat.reply() == f"echo: {text}"
        await chat.close()

    asyncio.run(scenario())


def test_a_message_before_any_session_request_is_told_to_reload(channel_url: str) -> None:
    async def scenario() -> None:
        ws_url = channel_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        connection = await websockets.connect(ws_url, open_timeout=10)
        chat = Conversation(connection)
        assert (await chat._packet()).startswith("0{")
        await connection.send("40")
        assert (await chat._packet()).startswith("40")
        await chat.say("hello?", session_id="web-" + "0" * 32)
        assert "reload the page" in await chat.reply()
        await chat.close()

    asyncio.run(scenario())


def test_a_flood_in_one_conversation_gets_one_polite_reply(channel_url: str) -> None:
    async def scenario() -> None:
        chat = await Conversation.open(channel_url, SHOP)
        for i in range(PER_CONVERSATION_LIMIT):
            await chat.say(f"message {i}")
            assert await chat.reply() == f"echo: message {i}"
        await chat.say("one too many")
        assert "faster than I can answer" in await chat.reply()
        await chat.say("and another")  # refused without another notice...
        other = await Conversation.open(channel_url, SHOP)  # ...while other conversations go on
        await other.say("hello")
        assert await other.reply() == "echo: hello"
        await chat.close()
        await other.close()

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
