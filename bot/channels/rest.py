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

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers.decision import ANSWER_DATA_KEY

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
MAX_MESSAGE_CHARS = 5000
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
    if len(message) > MAX_MESSAGE_CHARS:
        return f'"message" is too long: at most {MAX_MESSAGE_CHARS} characters'
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return '"metadata", when given, must be a JSON object'
    return None


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
    """REST channel (same name and URL as Rasa's) that checks requests and never fails silently."""

    @classmethod
    def name(cls) -> str:
        """Keeps Rasa's URL: /webhooks/rest/webhook."""
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's REST routes, behind a request check and with an apology when handling fails."""

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
            try:
                body = request.json
            except SanicException:
                return response.json({"error": "the request body is not valid JSON"}, status=400)
            problem = request_problem(body)
            return response.json({"error": problem}, status=400) if problem else None

        return blueprint
