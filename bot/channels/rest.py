"""Rasa's REST channel for server-to-server integrations: authenticated, checked and rate limited.

Rasa 3.6's own REST channel answers anyone: any caller may name any `sender` and so read and steer
that conversation, including a widget visitor's; it accepts any content type (a cross-site `text/plain`
form post from any web page is answered), files a request without `sender` under the shared id
"default", answers a JSON list with a 500, and silently returns [] when handling fails. This channel
keeps the same URL and reply format (`POST /webhooks/rest/webhook` with `{"sender": ..., "message":
...}`) and, before anything reaches Rasa:

- with `REST_TOKEN` set, requires `Authorization: Bearer $REST_TOKEN` (401 otherwise); without it,
  answers only clients on this machine (loopback, no proxy forwarding headers; 403 otherwise) and
  says so at start. The production launcher refuses to start without `REST_TOKEN` (bot/run.py).
- requires `Content-Type: application/json` (415 otherwise);
- refuses malformed requests with a 400 that says what is wrong, and sender ids outside a safe
  alphabet or in another channel's id space (widget ids start with `web-`);
- removes control characters from the message and metadata (bot/channels/input_hygiene.py);
- limits messages per conversation (429 with Retry-After; bot/channels/rate_limits.py);
- answers an empty message and a failure while handling with a clear reply instead of silence.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers import channel_notices
from bot.answers.decision import ANSWER_DATA_KEY
from bot.channels.input_hygiene import clean_metadata, clean_text, is_blank, metadata_problem, sender_id_problem
from bot.channels.rate_limits import rate_limits_from_env
from bot.channels.scoped_ids import reserved_prefix_of
from bot.nlu.message_limits import MAX_MESSAGE_CHARS, refused_as_too_long
from bot.settings import current_settings

logger = logging.getLogger(__name__)

REST_TOKEN_ENV = "REST_TOKEN"  # noqa: S105 - the variable's name, not a secret
SORRY = channel_notices.something_went_wrong()
# Headers a reverse proxy adds: a request carrying one did not come from this machine's own client.
_FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def request_problem(body: Any) -> str | None:
    """What is wrong with a REST request body, in words a developer can act on; None when it is fine."""
    if not isinstance(body, dict):
        return 'expected a JSON object like {"sender": "user-123", "message": "are milk exosomes vegan?"}'
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return '"sender" is required: a non-empty string that identifies the conversation'
    problem = sender_id_problem(sender)
    if problem:
        return f'"sender" cannot name a conversation: {problem}'
    reserved = reserved_prefix_of(sender)
    if reserved:
        return f'"sender" may not start with "{reserved}": those ids belong to another channel'
    message = body.get("message")
    if not isinstance(message, str):
        return '"message" is required and must be a string (the text the person typed)'
    if refused_as_too_long(message):  # a longer message reporting an emergency is still answered
        return f'"message" is too long: at most {MAX_MESSAGE_CHARS} characters'
    problem = metadata_problem(body.get("metadata"))
    if problem:
        return f'"metadata", when given, must be a small JSON object: {problem}'
    return None


def is_local_request(request: Request) -> bool:
    """True for a client on this machine: a loopback peer address and no proxy forwarding headers."""
    if any(header in request.headers for header in _FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.ip).is_loopback
    except ValueError:  # a Unix socket or an unknown peer: not provably local
        return False


def bearer_token_matches(request: Request, token: str) -> bool:
    """True when the request carries `Authorization: Bearer <token>` (constant-time comparison)."""
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


class AnswerDataCollector(CollectingOutputChannel):
    """Rasa's collector, plus the decided answer (topic, verdict, disclaimer...) on the message it came with.

    Rasa passes a bot message's extra keys to the output channel as keyword arguments and its collector
    drops them; this one keeps ``answer`` (on the first part of a text Rasa splits at blank lines).
    """

    def __init__(self, messages: list[dict[str, Any]]) -> None:
        super().__init__()
        self.messages = messages  # the list the REST route returns

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Each paragraph as Rasa sends it; the answer data rides on the first."""
        before = len(self.messages)
        await super().send_text_message(recipient_id, text, **kwargs)
        if isinstance(kwargs.get(ANSWER_DATA_KEY), dict) and len(self.messages) > before:
            self.messages[before][ANSWER_DATA_KEY] = kwargs[ANSWER_DATA_KEY]

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        """Text and buttons as Rasa sends them, plus the answer data."""
        await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
        if isinstance(kwargs.get(ANSWER_DATA_KEY), dict):
            self.messages[-1][ANSWER_DATA_KEY] = kwargs[ANSWER_DATA_KEY]


class CheckedRestInput(RestInput):
    """REST channel (same name and URL as Rasa's), authenticated, checked and never failing silently."""

    def __init__(self) -> None:
        """Reads REST_TOKEN and the rate limits from the environment."""
        self.token = current_settings().rest_token
        self.rate_limits = rate_limits_from_env()

    @classmethod
    def name(cls) -> str:
        """Keeps Rasa's URL: /webhooks/rest/webhook."""
        return "rest"

    def _extract_input_channel(self, req: Request) -> str:
        """Always "rest": a caller may not file its messages under another channel's name."""
        return self.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's REST routes, behind the checks above and with an apology when handling fails."""
        if self.token:
            logger.info("REST channel: requests need 'Authorization: Bearer $%s'.", REST_TOKEN_ENV)
        else:
            logger.warning("REST channel: %s is not set, so it answers only clients on this machine.",
                           REST_TOKEN_ENV)

        async def answer_or_apologise(message: UserMessage) -> None:
            if type(message.output_channel) is CollectingOutputChannel:  # not the streaming queue
                message.output_channel = AnswerDataCollector(message.output_channel.messages)
            try:
                await on_new_message(message)
            except Exception:  # the person gets a reply either way; the error goes to the log
                logger.exception("rest: could not handle a message from %s", message.sender_id)
                await message.output_channel.send_text_message(message.sender_id, SORRY)

        blueprint = super().blueprint(answer_or_apologise)

        @blueprint.middleware("request")
        async def check_request(request: Request) -> HTTPResponse | None:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            return await self._refusal(request)

        return blueprint

    async def _refusal(self, request: Request) -> HTTPResponse | None:
        """The answer to a request that must not reach Rasa, or None (its body is cleaned in place)."""
        if self.token:
            if not bearer_token_matches(request, self.token):
                return response.json({"error": f"send 'Authorization: Bearer <{REST_TOKEN_ENV}>'"}, status=401,
                                     headers={"WWW-Authenticate": "Bearer"})
        elif not is_local_request(request):
            return response.json(
                {"error": f"this REST channel answers only on its own machine; set {REST_TOKEN_ENV} to use it "
                          "from elsewhere"}, status=403)
        if (request.content_type or "").split(";")[0].strip().lower() != "application/json":
            return response.json({"error": "send the request as Content-Type: application/json"}, status=415)
        try:
            body = request.json
        except (SanicException, ValueError, RecursionError):  # RecursionError: nested too deeply
            return response.json({"error": "the request body is not valid JSON"}, status=400)
        problem = request_problem(body)
        if problem:
            return response.json({"error": problem}, status=400)
        sender = body["sender"]
        refusal = await self.rate_limits.admit(sender)
        if refusal is not None:
            return response.json({"error": channel_notices.too_many_messages()}, status=429,
                                 headers={"Retry-After": str(refusal.retry_after_seconds)})
        body["message"] = clean_text(body["message"])
        if body.get("metadata") is not None:
            body["metadata"] = clean_metadata(body["metadata"])
        if is_blank(body["message"]):
            return response.json([{"recipient_id": sender, "text": channel_notices.empty_message()}])
        return None
