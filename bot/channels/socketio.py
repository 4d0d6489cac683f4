"""The website widget's Socket.IO channel, restricted to the sites allowed to embed the widget.

Rasa 3.6's ``SocketIOInput`` builds ``AsyncServer(cors_allowed_origins=[])``, which switches the
Origin check off: any web page could open a conversation. This subclass builds the server with an
explicit list of allowed origins (a handshake from any other ``Origin`` is refused with HTTP 400),
and fixes two things the stock channel gets wrong with python-socketio 5.x:

* ``enter_room`` is a coroutine there; the stock channel never awaits it, so with
  ``session_persistence: true`` the browser never joins its session room and never sees a reply.
* malformed events (not an object, a non-text message, metadata that is not JSON) raised inside the
  handler; here they are ignored with a log line, and an over-long message gets a clear reply.

Configured in ``credentials.yml`` under its module path. Allowed origins, first match wins:
the ``cors_allowed_origins`` credential (a list or a comma-separated string), the
``WIDGET_ALLOWED_ORIGINS`` environment variable (comma-separated), else the demo page's own origins
``http://localhost:${WEB_PORT}`` and ``http://127.0.0.1:${WEB_PORT}`` (WEB_PORT defaults to 8080).
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.socketio_replicas import socketio_client_manager

logger = logging.getLogger(__name__)

ALLOWED_ORIGINS_ENV = "WIDGET_ALLOWED_ORIGINS"
DEFAULT_WEB_PORT = "8080"
# Longest user message accepted from the widget (it enforces the same limit in its input box).
MAX_MESSAGE_CHARS = 1000
# Session ids become Rasa conversation ids; the widget uses uuid4().hex, anything else is replaced.
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class OriginConfigError(ValueError):
    """The configured list of allowed widget origins is not usable."""


def normalise_origin(origin: str, where: str) -> str:
    """Return ``origin`` as browsers send it (``scheme://host[:port]``, lower case, no slash).

    ``where`` names the setting the value came from, for the error message.
    """
    text = origin.strip().rstrip("/")
    if text == "*" or "*" in text:
        raise OriginConfigError(
            f"{where}: '*' would let any website talk to the assistant; "
            "list the site origins instead, e.g. https://shop.example.com"
        )
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise OriginConfigError(
            f"{where}: {origin!r} is not an origin; expected scheme://host[:port] "
            "such as https://shop.example.com or http://localhost:8080"
        )
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme}://{host}{port}"


def resolve_allowed_origins(
    configured: str | Iterable[str] | None, environ: dict[str, str] | None = None
) -> list[str]:
    """Work out which page origins may open a widget conversation.

    ``configured`` is the ``cors_allowed_origins`` credential (None when absent); then the
    ``WIDGET_ALLOWED_ORIGINS`` variable; then the local demo page on ``WEB_PORT``.
    """
    env = os.environ if environ is None else environ
    if configured:
        raw = configured.split(",") if isinstance(configured, str) else list(configured)
        where = "credentials.yml socketio.cors_allowed_origins"
    elif env.get(ALLOWED_ORIGINS_ENV, "").strip():
        raw = env[ALLOWED_ORIGINS_ENV].split(",")
        where = f"environment variable {ALLOWED_ORIGINS_ENV}"
    else:
        port = env.get("WEB_PORT", "").strip() or DEFAULT_WEB_PORT
        raw = [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]
        where = "environment variable WEB_PORT"
    origins = [normalise_origin(str(item), where) for item in raw if str(item).strip()]
    if not origins:
        raise OriginConfigError(f"{where}: no origins listed; name at least one site origin")
    return list(dict.fromkeys(origins))


class RestrictedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, accepting connections only from the configured site origins."""

    @classmethod
    def name(cls) -> str:
        """Keep Rasa's channel name, so webhooks and tracker events read ``socketio`` as before."""
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from its ``credentials.yml`` entry."""
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", False),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
            cors_allowed_origins=credentials.get("cors_allowed_origins"),
        )

    def __init__(
        self, *args: Any, cors_allowed_origins: str | Iterable[str] | None = None, **kwargs: Any
    ) -> None:
        """Same arguments as Rasa's ``SocketIOInput``, plus the allowed page origins (see module doc)."""
        super().__init__(*args, **kwargs)
        self.cors_allowed_origins = resolve_allowed_origins(cors_allowed_origins)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Build the Socket.IO server and the Sanic blueprint that attaches it to Rasa's app."""
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.cors_allowed_origins,
                          client_manager=socketio_client_manager())  # Redis across replicas, if set
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # Rasa's get_output_channel() reads it
        logger.info("Widget socket.io channel accepts origins: %s", ", ".join(self.cors_allowed_origins))

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            if token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm):
                return True
            logger.debug("Refused socket %s: missing or invalid token", sid)
            return False

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = (
                requested if isinstance(requested, str) and _SESSION_ID.match(requested) else uuid.uuid4().hex
            )
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            await self._handle_user_message(sio, sid, data, on_new_message)

        return socketio_webhook

    async def _handle_user_message(
        self,
        sio: AsyncServer,
        sid: str,
        data: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
            logger.warning("Ignored a %s event that is not {message: text}", self.user_message_evt)
            return
        output_channel = SocketIOOutput(sio, self.bot_message_evt)
        if self.session_persistence:
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not _SESSION_ID.match(session_id):
                logger.warning("Ignored a message without a valid session_id (send session_request first)")
                return
            sender_id = session_id
        else:
            sender_id = sid
        text = data.get("message", "")
        if len(text) > MAX_MESSAGE_CHARS:
            await output_channel.send_text_message(
                sender_id,
                f"That message is too long for me (over {MAX_MESSAGE_CHARS} characters). "
                "Could you ask it in fewer words?",
            )
            return
        message = UserMessage(
            text,
            output_channel,
            sender_id,
            input_channel=self.name(),
            metadata=_metadata_from(data.get(self.metadata_key)),
        )
        await on_new_message(message)


def _metadata_from(value: Any) -> dict[str, Any]:
    """The message metadata as a dict; anything unusable becomes empty (and is logged)."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            logger.warning("Ignored message metadata that is not valid JSON")
            return {}
    if not isinstance(value, dict):
        logger.warning("Ignored message metadata that is not a JSON object")
        return {}
    return value
