"""Rasa's REST channel with its input checked first.

Rasa 3.6's own REST channel files a request without `sender` under the shared id "default" (mixing
strangers' conversations), answers a JSON list with a 500, and silently returns [] for a missing or
non-text message or for a failure while handling it. This channel keeps the same URL and reply format
(`POST /webhooks/rest/webhook` with `{"sender": ..., "message": ...}`) but refuses malformed requests
with a 400 that says what is wrong, and answers a failure with an apology instead of silence.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.nlu.message_limits import MAX_MESSAGE_CHARS, refused_as_too_long

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
SORRY = "Sorry, something went wrong on my side and I couldn't answer that. Please try again in a moment."


def request_problem(body: Any) -> str | None:
    """What is wrong with a REST request body, in words a developer can act on; None when it is fine."""
    if not isinstance(body, dict):
        return 'expected a JSON object like {"sender": "user-123", "message": "are milk exosomes vegan?"}'
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return '"sender" is required: a non-empty string that identifies the conversation'
    if len(sender) > MAX_SENDER_CHARS:
        return f'"sender" is too long: at most {MAX_SENDER_CHARS} characters'
    message = body.get("message")
    if not isinstance(message, str):
        return '"message" is required and must be a string (the text the person typed)'
    if refused_as_too_long(message):  # a longer message reporting an emergency is still answered
        return f'"message" is too long: at most {MAX_MESSAGE_CHARS} characters'
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return '"metadata", when given, must be a JSON object'
    return None


class CheckedRestInput(RestInput):
    """REST channel (same name and URL as Rasa's) that checks requests and never fails silently."""

    @classmethod
    def name(cls) -> str:
        """Keeps Rasa's URL: /webhooks/rest/webhook."""
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's REST routes, behind a request check and with an apology when handling fails."""

        async def answer_or_apologise(message: UserMessage) -> None:
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
            try:
                body = request.json
            except SanicException:
                return response.json({"error": "the request body is not valid JSON"}, status=400)
            problem = request_problem(body)
            return response.json({"error": problem}, status=400) if problem else None

        return blueprint
