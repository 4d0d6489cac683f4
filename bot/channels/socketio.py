"""The website widget's Socket.IO channel: allowed sites only, and each conversation owned by its browser.

Rasa 3.6's ``SocketIOInput`` builds ``AsyncServer(cors_allowed_origins=[])``, which switches the
Origin check off: any web page could open a conversation. This subclass builds the server with an
explicit list of allowed origins (a handshake from any other ``Origin`` is refused with HTTP 400).

Rasa's channel also lets a client name any ``session_id`` and then reads and steers that conversation
(a scripted client sends no Origin header at all). Here the server issues every conversation id with a
signed, expiring token (bot/channels/widget_sessions.py): ``session_request`` with a token resumes that
conversation (a second tab with the same token shares it), anything else starts a new one, and
``user_uttered`` always goes to the socket's own conversation, whatever id the event names. Replies go
to the conversation's room, which only sockets that proved ownership join.

Every message is checked at the edge before Rasa sees it (bot/channels/input_hygiene.py, rate_limits.py):
control characters removed; empty, over-long, malformed or over-the-limit messages get a clear reply
from the channel itself, never silence. It also fixes python-socketio 5.x details the stock channel
gets wrong: ``enter_room`` is a coroutine there (never awaited by Rasa, so replies never arrived), and a
payload nested deeper than the JSON decoder's recursion limit was dropped without a word.

A staff member's lines (bot/channels/staff_relay.py) reach every open widget of the conversation with
the agent's name as a field (``deliver_staff_line``); a widget that was closed gets the ones it has not
shown when it resumes (it says when it last showed one, ``staff_seen``), read in the same tracker-store
call that checks the conversation still exists.

Configured in ``credentials.yml`` under its module path. Allowed origins, first match wins:
the ``cors_allowed_origins`` credential (a list or a comma-separated string), the
``WIDGET_ALLOWED_ORIGINS`` environment variable (comma-separated), else the demo page's own origins
``http://localhost:${WEB_PORT}`` and ``http://127.0.0.1:${WEB_PORT}`` (WEB_PORT's default: bot/settings.py).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.answers import channel_notices
from bot.channels.input_hygiene import clean_metadata, clean_text, is_blank, metadata_problem
from bot.channels.rate_limits import rate_limits_from_env
from bot.channels.staff_relay import StaffLine, staff_lines_since
from bot.channels.widget_output import WidgetOutput
from bot.channels.widget_sessions import WidgetSessions
from bot.human_takeover import HUMAN_AGENT_SLOT
from bot.nlu.message_limits import MAX_MESSAGE_CHARS, refused_as_too_long
from bot.settings import SettingsError, settings_for
from bot.settings import normalise_origin as settings_origin
from bot.socketio_replicas import socketio_client_manager

logger = logging.getLogger(__name__)

# Marks an event whose payload the JSON decoder could not read (see GuardedJson).
UNREADABLE = "__unreadable__"


class OriginConfigError(ValueError):
    """The configured list of allowed widget origins is not usable."""


def normalise_origin(origin: str, where: str) -> str:
    """Return ``origin`` as browsers send it (``scheme://host[:port]``, lower case, no slash).

    ``where`` names the setting the value came from, for the error message.
    """
    try:
        return settings_origin(origin)
    except ValueError as error:
        raise OriginConfigError(f"{where}: {error}") from None


def resolve_allowed_origins(
    configured: str | Iterable[str] | None, environ: Mapping[str, str] | None = None
) -> list[str]:
    """Work out which page origins may open a widget conversation.

    ``configured`` is the ``cors_allowed_origins`` credential (None when absent); then the
    ``WIDGET_ALLOWED_ORIGINS`` variable; then the local demo page on ``WEB_PORT``.
    """
    if configured:
        raw = configured.split(",") if isinstance(configured, str) else list(configured)
        where = "credentials.yml socketio.cors_allowed_origins"
        origins = [normalise_origin(str(item), where) for item in raw if str(item).strip()]
        if not origins:
            raise OriginConfigError(f"{where}: no origins listed; name at least one site origin")
        return list(dict.fromkeys(origins))
    try:
        settings = settings_for(environ)  # WIDGET_ALLOWED_ORIGINS checked and normalised there
    except SettingsError as error:
        raise OriginConfigError(str(error)) from None
    if settings.widget_allowed_origins:
        return list(settings.widget_allowed_origins)
    return [f"http://localhost:{settings.web_port}", f"http://127.0.0.1:{settings.web_port}"]


class GuardedJson:
    """The json module python-socketio decodes packets with, minus the silent drop of deep payloads.

    A payload nested deeper than Python's recursion limit made ``json.loads`` raise inside
    python-socketio, which logged it and dropped the packet: the person got no answer. Here such an
    event still reaches its handler, with ``{UNREADABLE: True}`` as its data, so it can say so.
    """

    _EVENT_NAME = re.compile(r'\s*\[\s*"([A-Za-z0-9_]{1,64})"')

    @staticmethod
    def dumps(*args: Any, **kwargs: Any) -> str:
        return json.dumps(*args, **kwargs)

    @classmethod
    def loads(cls, text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        try:
            return json.loads(text, *args, **kwargs)
        except RecursionError:
            event = cls._EVENT_NAME.match(text if isinstance(text, str) else text.decode("utf-8", "replace"))
            if event is None:
                raise ValueError("a packet nested too deeply to read") from None
            return [event.group(1), {UNREADABLE: True}]


class _Client:
    """One connected socket: where it connects from and the conversation it has proved it owns."""

    __slots__ = ("address", "session_id")

    def __init__(self, address: str | None) -> None:
        self.address = address
        self.session_id: str | None = None


def _client_address(environ: dict[str, Any]) -> str | None:
    """The client's address as Sanic sees it (PROXIES_COUNT / REAL_IP_HEADER honoured), else the peer."""
    request = environ.get("sanic.request")
    if request is None:
        return environ.get("REMOTE_ADDR")
    return request.remote_addr or request.ip


class RestrictedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel for the configured site origins, with server-issued conversations."""

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
            credentials.get("session_persistence", True),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
            cors_allowed_origins=credentials.get("cors_allowed_origins"),
        )

    def __init__(
        self, *args: Any, cors_allowed_origins: str | Iterable[str] | None = None, **kwargs: Any
    ) -> None:
        """Same arguments as Rasa's ``SocketIOInput``, plus the allowed page origins (see module doc).

        Sessions are always server-issued and persistent (``session_persistence`` is accepted for
        compatibility with Rasa's configuration and otherwise ignored).
        """
        super().__init__(*args, **kwargs)
        self.cors_allowed_origins = resolve_allowed_origins(cors_allowed_origins)
        self.sessions = WidgetSessions.from_env()
        self.rate_limits = rate_limits_from_env()
        self._clients: dict[str, _Client] = {}
        self._app: Sanic | None = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Build the Socket.IO server and the Sanic blueprint that attaches it to Rasa's app."""
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.cors_allowed_origins, json=GuardedJson,
                          client_manager=socketio_client_manager())  # Redis across replicas, if set
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # Rasa's get_output_channel() reads it
        logger.info("Widget socket.io channel accepts origins: %s", ", ".join(self.cors_allowed_origins))

        @socketio_webhook.listener("after_server_start")
        async def remember_app(app: Sanic, _: Any) -> None:
            self._app = app  # its ctx.agent tells whether a resumed conversation still exists

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            if self.jwt_key:
                token = auth.get("token") if isinstance(auth, dict) else None
                if not (token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm)):
                    logger.debug("Refused socket %s: missing or invalid token", sid)
                    return False
            self._clients[sid] = _Client(_client_address(environ))
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            self._clients.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            await self._start_or_resume(sio, sid, data)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            await self._handle_user_message(sio, sid, data, on_new_message)

        return socketio_webhook

    def get_output_channel(self) -> OutputChannel | None:
        """The widget's output (bot/channels/widget_output.py) for messages Rasa sends on its own."""
        return WidgetOutput(self.sio, self.bot_message_evt) if self.sio is not None else super().get_output_channel()

    async def _stored_conversation(self, session_id: str) -> tuple[bool, DialogueStateTracker | None]:
        """Whether the server still holds this conversation (False: forgotten or purged), and its tracker
        when it could be read (one read of the store, as the existence check alone was)."""
        agent = getattr(getattr(self._app, "ctx", None), "agent", None)
        store = getattr(agent, "tracker_store", None)
        if store is None:  # no agent (a bare channel app): nothing to check against
            return True, None
        try:
            tracker = await store.retrieve(session_id)
        except Exception:  # the store is down: keep the conversation, the next message will tell
            logger.exception("Could not check whether widget conversation %s exists", session_id)
            return True, None
        return tracker is not None, tracker

    async def _start_or_resume(self, sio: AsyncServer, sid: str, data: Any) -> None:
        """Resume the conversation the token proves (if it still exists), else start a new one. On a
        resume, staff messages written since the widget last showed one (``staff_seen``, their time) are
        sent again: the person may have left before they arrived."""
        client = self._clients.get(sid)
        if client is None:
            return
        now = time.time()
        token = data.get("session_token") if isinstance(data, dict) else None
        session_id = self.sessions.verify(token, now)
        tracker = None
        resumed = False
        if session_id is not None:
            resumed, tracker = await self._stored_conversation(session_id)
        if not resumed:
            session_id = self.sessions.new_id()
        if client.session_id and client.session_id != session_id:
            await sio.leave_room(sid, client.session_id, namespace=self.namespace)
        client.session_id = session_id
        await sio.enter_room(sid, session_id, namespace=self.namespace)
        confirm = {"session_id": session_id, "session_token": self.sessions.token_for(session_id, now),
                   "resumed": resumed,
                   "human_agent": tracker.get_slot(HUMAN_AGENT_SLOT) if tracker is not None else None}
        await sio.emit("session_confirm", confirm, room=sid, namespace=self.namespace)
        if tracker is not None:
            seen = data.get("staff_seen") if isinstance(data, dict) else None
            seen_until = float(seen) if isinstance(seen, (int, float)) and not isinstance(seen, bool) else None
            for line in staff_lines_since(tracker, seen_until):
                await sio.emit(self.bot_message_evt, line.as_widget_message(), room=sid, namespace=self.namespace)

    async def deliver_staff_line(self, session_id: str, line: StaffLine) -> None:
        """A staff member's line to every open widget of this conversation (bot/channels/staff_relay.py);
        a widget that is closed now gets it when it resumes."""
        if self.sio is None:
            raise RuntimeError("the widget channel has not started")
        await self.sio.emit(self.bot_message_evt, line.as_widget_message(), room=session_id,
                            namespace=self.namespace)

    async def _handle_user_message(
        self,
        sio: AsyncServer,
        sid: str,
        data: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        client = self._clients.get(sid)
        if client is None or client.session_id is None:  # no session_request yet: tell this socket only
            await sio.emit(self.bot_message_evt, {"text": channel_notices.session_expired()}, room=sid,
                           namespace=self.namespace)
            return
        session_id = client.session_id
        output_channel = WidgetOutput(sio, self.bot_message_evt)
        refusal = await self.rate_limits.admit(session_id, client.address)
        if refusal is not None:
            if refusal.first:
                await output_channel.send_text_message(session_id, channel_notices.too_many_messages())
            return
        text = data.get("message", "") if isinstance(data, dict) else None
        metadata = _metadata_from(data.get(self.metadata_key)) if isinstance(data, dict) else None
        if not isinstance(text, str) or data.get(UNREADABLE) or metadata is None:
            logger.warning("Widget conversation %s: unreadable %s event", session_id, self.user_message_evt)
            await output_channel.send_text_message(session_id, channel_notices.unreadable_message())
            return
        text = clean_text(text)
        if is_blank(text):
            await output_channel.send_text_message(session_id, channel_notices.empty_message())
            return
        if refused_as_too_long(text):  # an emergency at the end of a long message is still answered
            await output_channel.send_text_message(session_id, channel_notices.too_long(MAX_MESSAGE_CHARS))
            return
        message = UserMessage(text, output_channel, session_id, input_channel=self.name(), metadata=metadata)
        try:
            await on_new_message(message)
        except Exception:  # the person gets a reply either way; the error goes to the log
            logger.exception("socketio: could not handle a message in %s", session_id)
            await output_channel.send_text_message(session_id, channel_notices.something_went_wrong())


def _metadata_from(value: Any) -> dict[str, Any] | None:
    """The message metadata as a clean dict ({} when absent); None when it cannot be used."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return None
    problem = metadata_problem(value)
    if problem:
        logger.warning("Refused message metadata: %s", problem)
        return None
    return clean_metadata(value)
