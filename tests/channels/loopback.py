"""Loopback stand-ins for the messaging platforms, shared by the channel tests.

- `PlatformApi`: a real HTTP server on 127.0.0.1 (own thread) that plays the platform's send API
  (Twilio REST, Telegram Bot API, Graph API), records every call and answers with a canned body.
  It runs in its own thread because some SDKs (Twilio, fbmessenger) send with blocking `requests`.
- `RecordingAgent`: what Rasa's agent is to a channel: `handle_message` records the UserMessage,
  keeps a real Rasa tracker in a real InMemoryTrackerStore, and answers with a message with buttons
  through the channel's output, as a Rasa response with buttons would.
- `serve_channel`: a real Sanic server on a free loopback port with the channel registered by Rasa's own
  `register` (so the routes are /webhooks/<name>/...) and `app.ctx.agent` set, as `rasa run` does.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, UserMessage, register
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic

from bot.run import free_port

# Sanic rewrites some of its own methods when an app starts; without test mode a second app started in
# the same process fails (KeyError '_run_request_middleware'). sanic-testing sets the same flag.
Sanic.test_mode = True

REPLY_TEXT = "Which skin type fits you best?"
REPLY_BUTTONS = [
    {"title": "Oily", "payload": '/inform_profile{"skin_type": "oily"}'},
    {"title": "Dry", "payload": '/inform_profile{"skin_type": "dry"}'},
    {"title": "Sensitive", "payload": '/inform_profile{"skin_type": "sensitive"}'},
]


@dataclass
class ApiCall:
    """One request the channel made to the platform's API."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, list[str]]:
        """The body as form fields (Twilio, Telegram via aiogram)."""
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def json(self) -> Any:
        """The body as JSON (Graph API)."""
        return json.loads(self.body.decode("utf-8"))


Responder = Callable[[str, str, bytes], tuple[int, Any]]


class PlatformApi:
    """A loopback HTTP server answering like a platform's API and recording each call."""

    def __init__(self, responder: Responder) -> None:
        self.calls: list[ApiCall] = []
        self._responder = responder
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                api.calls.append(ApiCall(self.command, self.path, dict(self.headers), body))
                status, payload = api._responder(self.command, self.path, body)
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer  # noqa: N815 - http.server's naming

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> PlatformApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def calls_to(self, fragment: str) -> list[ApiCall]:
        """Calls whose path contains `fragment`, in order."""
        return [call for call in self.calls if fragment in call.path]


@dataclass
class RecordingAgent:
    """Stands in for rasa.core.agent.Agent on the Sanic app: records messages, replies with buttons."""

    reply_text: str = REPLY_TEXT
    reply_buttons: list[dict[str, Any]] = field(default_factory=lambda: [dict(b) for b in REPLY_BUTTONS])
    messages: list[UserMessage] = field(default_factory=list)
    tracker_store: InMemoryTrackerStore = field(default_factory=lambda: InMemoryTrackerStore(Domain.empty()))

    async def handle_message(self, message: UserMessage) -> None:
        """Record the message, log it and the reply in the tracker, and send the reply through the channel."""
        self.messages.append(message)
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text))
        reply = {"text": self.reply_text, "buttons": [dict(b) for b in self.reply_buttons]}
        tracker.update(BotUttered(reply["text"], {"buttons": reply["buttons"]}))
        await self.tracker_store.save(tracker)
        await message.output_channel.send_response(message.sender_id, dict(reply))


@asynccontextmanager
async def serve_channel(channel: InputChannel, agent: Any, *more: InputChannel) -> AsyncIterator[str]:
    """Serve `channel` (and `more` channels beside it) as `rasa run` would, on a free loopback port;
    yields the server's base URL."""
    app = Sanic(f"channel_test_{uuid.uuid4().hex[:12]}")
    app.ctx.agent = agent
    register([channel, *more], app, "/webhooks/")
    # A free port chosen here: Sanic reads port=0 as "use the default", 8000, which may be taken.
    server = await app.create_server(
        host="127.0.0.1", port=free_port(), return_asyncio_server=True, access_log=False
    )
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    port = server.server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
