"""The staff relay: how an agent speaks in a conversation, from inside the Rasa server.

The dashboard (bot/triage/takeover.py, in the web server) calls these routes; each needs
``Authorization: Bearer $STAFF_RELAY_TOKEN`` (`make run` makes one per start and gives it to both
servers) and answers 503 while it is unset:

- ``POST /webhooks/staff_relay/conversations/<id>/takeover`` ``{"agent": name, "agent_id": n}``:
  the slot ``human_agent`` holds the agent's name, so the assistant only listens (bot/human_takeover.py);
  any form the assistant was running is dropped, and the person is told who joined.
- ``.../handback`` ``{"agent": ..., "agent_id": ...}``: the slot is cleared and the person is told they are
  back with the assistant (a line the assistant's tracker keeps too).
- ``.../messages`` ``{"agent": ..., "agent_id": ..., "text": ...}``: the agent's words.

Each request appends its events to the conversation under the conversation's lock (as Rasa does for a
message), saves them, and sends what the person should read through the channel they last wrote on:
the widget live over socket.io (with the agent's name as its own field; a closed widget shows it when it
is opened again, bot/channels/socketio.py), a messaging app through its connector's output, signed with
the agent's name. Every line carries ``metadata.staff`` ({agent, agent_id, kind}), so the transcript
shows who wrote it.

Why not Rasa's HTTP API (``POST /conversations/<id>/tracker/events?output_channel=latest``): it would
expose the whole API (models, any tracker) to hold one token, and its output channel is built without
the conversation: Twilio would answer from the configured number instead of the one the person wrote
to (SMS and WhatsApp differ), and the widget would get the agent's name as a second message.

Answers: 200 ``{"channel", "human_agent"}``; 400 bad body; 404 unknown conversation; 409 a conversation
whose channel cannot be written to later (the REST channel answers only within its own request), a
takeover of a conversation someone else has, or a hand back of one nobody has.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import ActiveLoop, BotUttered, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers import channel_notices
from bot.human_takeover import HUMAN_AGENT_SLOT
from bot.settings import current_settings
from bot.triage.models import MAX_DISPLAY_NAME_CHARS, MAX_NOTE_CHARS

logger = logging.getLogger(__name__)

RELAY_TOKEN_ENV = "STAFF_RELAY_TOKEN"  # noqa: S105 - the variable's name, not a secret
#: Key of a bot message's metadata that marks a line written by (or about) a staff member.
STAFF_METADATA_KEY = "staff"


@dataclass(frozen=True)
class StaffLine:
    """One line an agent's action puts in front of the person."""

    kind: str  # "joined", "message" or "handed_back"
    agent: str
    agent_id: int | None
    text: str  # the words as stored in the tracker
    at: float

    def metadata(self) -> dict[str, Any]:
        """The bot message's metadata in the tracker."""
        return {STAFF_METADATA_KEY: {"kind": self.kind, "agent": self.agent, "agent_id": self.agent_id}}

    def as_widget_message(self) -> dict[str, Any]:
        """What the widget receives: the words, and the agent's name and the line's time as fields."""
        return {"text": self.text, "staff": {"kind": self.kind, "agent": self.agent, "at": self.at}}

    def as_plain_text(self) -> str:
        """What a messaging app shows: an agent's message signed with their name."""
        return channel_notices.from_agent(self.agent, self.text) if self.kind == "message" else self.text

    @classmethod
    def from_event(cls, event: Event) -> StaffLine | None:
        """The staff line a stored bot message is, or None for the assistant's own messages."""
        if not isinstance(event, BotUttered) or not isinstance(event.metadata, dict):
            return None
        staff = event.metadata.get(STAFF_METADATA_KEY)
        if not isinstance(staff, dict) or not isinstance(staff.get("agent"), str):
            return None
        return cls(str(staff.get("kind") or "message"), staff["agent"], staff.get("agent_id"), event.text or "",
                   float(event.timestamp or 0))


def staff_lines_since(tracker: DialogueStateTracker, seen_until: float | None) -> list[StaffLine]:
    """The staff lines of a conversation written after ``seen_until`` (all of them when None)."""
    lines = [line for event in tracker.events if (line := StaffLine.from_event(event)) is not None]
    return [line for line in lines if seen_until is None or line.at > seen_until]


class RelayRefused(Exception):
    """A relay request that cannot be carried out: ``status`` and a message saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _body(request: Request, needs_text: bool) -> tuple[str, int | None, str]:
    try:
        body = request.json
    except Exception:  # Sanic's own InvalidUsage for malformed JSON
        body = None
    if not isinstance(body, dict):
        raise RelayRefused(400, "the body must be a JSON object")
    agent, agent_id, text = body.get("agent"), body.get("agent_id"), body.get("text", "")
    if not isinstance(agent, str) or not agent.strip() or len(agent) > MAX_DISPLAY_NAME_CHARS:
        raise RelayRefused(400, f"'agent' must be the agent's display name (1-{MAX_DISPLAY_NAME_CHARS} characters)")
    if agent_id is not None and (not isinstance(agent_id, int) or isinstance(agent_id, bool)):
        raise RelayRefused(400, "'agent_id' must be a whole number or null")
    if needs_text and (not isinstance(text, str) or not text.strip() or len(text) > MAX_NOTE_CHARS):
        raise RelayRefused(400, f"'text' must be the message (1-{MAX_NOTE_CHARS} characters)")
    return agent.strip(), agent_id, text.strip() if isinstance(text, str) else ""


class StaffRelayInput(InputChannel):
    """The relay's routes (see the module docstring); it takes no messages from people."""

    @classmethod
    def name(cls) -> str:
        """URL prefix /webhooks/staff_relay/."""
        return "staff_relay"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """No credentials: the token comes from STAFF_RELAY_TOKEN."""
        return cls()

    def __init__(self) -> None:
        """Reads STAFF_RELAY_TOKEN (a short one is refused at start, naming the variable)."""
        self.token = current_settings().staff_relay_token

    def _authorised(self, request: Request) -> None:
        if self.token is None:
            raise RelayRefused(503, f"the staff relay is off: set {RELAY_TOKEN_ENV} for the Rasa and web servers")
        scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            raise RelayRefused(401, "a valid Authorization: Bearer token is required")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The three routes; ``on_new_message`` is not used (no person writes here)."""
        relay = Blueprint("staff_relay", __name__)

        async def handle(request: Request, conversation_id: str, kind: str) -> HTTPResponse:
            conversation_id = unquote(conversation_id)  # Sanic leaves "%2B" (Twilio's "+") and the like as sent
            try:
                self._authorised(request)
                agent, agent_id, text = _body(request, needs_text=kind == "message")
                result = await self._act(request, conversation_id, kind, agent, agent_id, text)
            except RelayRefused as refused:
                return response.json({"error": str(refused)}, status=refused.status)
            except Exception:  # the conversation or lock store is down: say so, never a bare 500
                logger.exception("staff relay: could not %s in %s", kind, conversation_id)
                return response.json({"error": "the conversation store cannot be reached right now; try again "
                                               "in a moment"}, status=503)
            return response.json(result)

        @relay.post("/conversations/<conversation_id>/takeover")
        async def take_over(request: Request, conversation_id: str) -> HTTPResponse:
            return await handle(request, conversation_id, "joined")

        @relay.post("/conversations/<conversation_id>/handback")
        async def hand_back(request: Request, conversation_id: str) -> HTTPResponse:
            return await handle(request, conversation_id, "handed_back")

        @relay.post("/conversations/<conversation_id>/messages")
        async def message(request: Request, conversation_id: str) -> HTTPResponse:
            return await handle(request, conversation_id, "message")

        return relay

    async def _act(self, request: Request, conversation_id: str, kind: str, agent: str, agent_id: int | None,
                   text: str) -> dict[str, Any]:
        rasa_agent = getattr(request.app.ctx, "agent", None)
        if rasa_agent is None or rasa_agent.tracker_store is None:
            raise RelayRefused(503, "the assistant is still starting; try again in a moment")
        async with rasa_agent.lock_store.lock(conversation_id):
            tracker = await rasa_agent.tracker_store.retrieve(conversation_id)
            if tracker is None:
                raise RelayRefused(404, f"there is no conversation {conversation_id[:80]!r}")
            channel, output = self._person_channel(request, tracker)
            holder = tracker.get_slot(HUMAN_AGENT_SLOT)
            events: list[Event] = []
            if kind == "joined":
                if holder and holder != agent:
                    raise RelayRefused(409, f"{holder} has already taken over this conversation")
                if tracker.active_loop_name:  # a question the assistant was asking is moot now
                    events.append(ActiveLoop(None))
                events.append(SlotSet(HUMAN_AGENT_SLOT, agent))
                text = channel_notices.agent_joined(agent)
            elif kind == "handed_back":
                if not holder:
                    raise RelayRefused(409, "nobody has taken over this conversation")
                events.append(SlotSet(HUMAN_AGENT_SLOT, None))
                text = channel_notices.handed_back()
            line = StaffLine(kind, agent, agent_id, text, time.time())
            events.append(BotUttered(line.text, metadata=line.metadata(), timestamp=line.at))
            domain = rasa_agent.domain
            for event in events:
                tracker.update(event, domain)
            await rasa_agent.tracker_store.save(tracker)
        await self._deliver(channel, output, conversation_id, line)
        return {"channel": channel.name(), "human_agent": tracker.get_slot(HUMAN_AGENT_SLOT)}

    @staticmethod
    def _person_channel(request: Request, tracker: DialogueStateTracker) -> tuple[InputChannel, OutputChannel | None]:
        """The channel the person last wrote on and its output, if a message can reach them there later
        (the widget delivers staff lines itself: no output)."""
        name = tracker.get_latest_input_channel()
        for channel in getattr(request.app.ctx, "input_channels", None) or []:
            if channel.name() != name:
                continue
            if hasattr(channel, "deliver_staff_line"):
                return channel, None
            output = _output_for(channel, tracker)
            if output is not None:
                return channel, output
        raise RelayRefused(409, f"this conversation came in on the {name or 'unknown'} channel, which cannot "
                                "receive messages afterwards; reply by email instead")

    @staticmethod
    async def _deliver(channel: InputChannel, output: OutputChannel | None, conversation_id: str,
                       line: StaffLine) -> None:
        try:
            if output is None:
                await channel.deliver_staff_line(conversation_id, line)  # type: ignore[attr-defined]
            else:
                await output.send_response(conversation_id, {"text": line.as_plain_text()})
        except Exception as error:  # stored already: the agent is told it did not go out
            logger.exception("staff relay: %s could not deliver to %s", channel.name(), conversation_id)
            raise RelayRefused(502, f"saved in the conversation, but {channel.name()} did not take the message "
                                    f"({type(error).__name__}); try again") from None


def _slack_output(channel: InputChannel, tracker: DialogueStateTracker) -> OutputChannel:
    """Rasa's Slack channel keeps where the person wrote (a DM, a channel, a thread) in each message's
    metadata (``out_channel``, ``thread_id``): a later message goes there, as its replies do."""
    metadata = (tracker.latest_message.metadata if tracker.latest_message else None) or {}
    return channel.get_output_channel(metadata.get("out_channel"), metadata.get("thread_id"))  # type: ignore[call-arg]


#: Outputs of Rasa's own channels that need the conversation to reach the person later.
_RASA_CHANNEL_OUTPUTS = {"slack": _slack_output}


def _output_for(channel: InputChannel, tracker: DialogueStateTracker) -> OutputChannel | None:
    """The channel's output for this conversation (``output_channel_for`` when it needs the conversation,
    e.g. Twilio's reply-from number), or None when it has none that reaches a person later."""
    pick = getattr(channel, "output_channel_for", None)
    rasa_pick = _RASA_CHANNEL_OUTPUTS.get(channel.name())
    if pick is not None:
        output = pick(tracker)
    elif rasa_pick is not None:
        output = rasa_pick(channel, tracker)
    else:
        output = channel.get_output_channel()
    return None if output is None or isinstance(output, CollectingOutputChannel) else output
