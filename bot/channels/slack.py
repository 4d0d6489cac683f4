"""Slack, with the signature checked first, its own conversation ids and the same edge checks as the others.

Rasa 3.6's SlackInput checks `X-Slack-Signature` (and refuses to start without a signing secret), but
after that it trusts the event: the conversation id is the bare Slack user id (a REST caller could
name it), the text reaches the assistant uncleaned and unlimited in length and rate, an empty message
is dropped without a word, and a malformed body (not JSON, a JSON list, an interactivity form without
`payload`, an unsupported component) ends in a 500. `CheckedSlackInput` keeps Rasa's pieces that read
Slack's formats (self-mention and link clean-up, interactive values, retries, conversation
granularity, the output client) behind its own webhook:

- a request without a valid signature (or older than five minutes) is refused with 403, before its
  body is read;
- conversation ids are "slack-<user>[_<channel>[_<thread>]]" (bot/channels/scoped_ids.py); replies go
  to the Slack channel the message came from;
- each text goes through bot/channels/edge.py (rate limit, control characters, empty, too long), and
  what is refused there is answered in Slack by the channel itself;
- a malformed body gets a 400 naming what is wrong; events that are not a person's message (the bot's
  own posts, edits, joins) and unsupported components are acknowledged with 200 so Slack does not retry.

Like Rasa's channel it answers Slack at once and lets the assistant work in a background task (Slack
retries a request not answered within three seconds).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers import channel_notices
from bot.channels.edge import admit_message
from bot.channels.input_hygiene import sender_id_problem
from bot.channels.rate_limits import rate_limits_from_env
from bot.channels.scoped_ids import SLACK_PREFIX, ScopedRecipientOutput, scoped

logger = logging.getLogger(__name__)

# Event subtypes that are still a person writing; every other subtype (bot_message, message_changed,
# channel_join...) is not a message to answer.
_PERSON_SUBTYPES = (None, "file_share", "thread_broadcast")


class ScopedSlackBot(ScopedRecipientOutput, SlackBot):
    """Rasa's Slack output, posting to the Slack channel (or user) behind a "slack-..." conversation id."""

    id_prefix = SLACK_PREFIX


class SlackRequestError(ValueError):
    """A signed request whose body is not what Slack sends; the message says what is wrong."""


def _as_dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SlackRequestError(f"{what} is not a JSON object")
    return value


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class CheckedSlackInput(SlackInput):
    """Slack webhook (Events API and interactivity) with scoped ids, edge checks and no 500 on bad input.

    Same credentials as Rasa's `slack` entry (slack_token, slack_signing_secret, ...), same URL
    (/webhooks/slack/webhook).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # Rasa's checks: no signing secret, no channel
        self.rate_limits = rate_limits_from_env()

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> ScopedSlackBot:
        """The Slack client for replies in `channel` (a thread when use_threads is set)."""
        return ScopedSlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)

    def conversation_id(self, user: str, channel: str | None, thread: str | None) -> str:
        """Our id for a Slack conversation: the channel prefix, then Rasa's granularity (user/channel/thread)."""
        return scoped(SLACK_PREFIX, self._get_conversation_id(user, channel, thread) or user)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: GET / (health) and POST /webhook (signed events and button presses from Slack)."""
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.is_request_from_slack_authentic(request):
                logger.warning("Refused a Slack webhook call without a valid X-Slack-Signature.")
                return response.text("invalid signature", status=HTTPStatus.FORBIDDEN)
            content_type = (request.content_type or "").split(";")[0].strip().lower()
            try:
                if content_type == "application/json":
                    return await self._handle_event(request, on_new_message)
                if content_type == "application/x-www-form-urlencoded":
                    return await self._handle_interaction(request, on_new_message)
            except SlackRequestError as problem:
                logger.warning("Refused a signed Slack request: %s", problem)
                return response.text(str(problem), status=HTTPStatus.BAD_REQUEST)
            return response.text("send application/json (events) or a form (interactivity)",
                                  status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE)

        return slack_webhook

    def _is_ignored_retry(self, request: Request) -> bool:
        """Rasa's rule: a retry Slack sends only because we were slow is a duplicate of a handled event."""
        retry_count = request.headers.get(self.retry_num_header)
        return bool(retry_count) and request.headers.get(self.retry_reason_header) in self.errors_ignore_retry

    async def _handle_event(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """An Events API callback (or the URL verification challenge)."""
        try:
            envelope = json.loads(request.body or b"null")
        except (ValueError, RecursionError) as error:
            raise SlackRequestError("the body is not valid JSON") from error
        envelope = _as_dict(envelope, "the body")
        if envelope.get("type") == "url_verification":
            return response.text(str(envelope.get("challenge") or ""))
        event = _as_dict(envelope.get("event", {}), '"event"')
        user = _text_or_none(event.get("user"))
        if (
            event.get("type") not in ("message", "app_mention")
            or event.get("bot_id")
            or event.get("subtype") not in _PERSON_SUBTYPES
            or user is None
        ):
            return response.text("not a message to answer")
        if self._is_ignored_retry(request):
            return response.text("", status=HTTPStatus.CREATED, headers={"X-Slack-No-Retry": "1"})
        channel = _text_or_none(event.get("channel"))
        if not (event.get("channel_type") == "im" or event.get("type") == "app_mention"
                or (channel and channel == self.slack_channel)):
            return response.text("channel not supported")
        text = event.get("text")
        if not isinstance(text, str):
            raise SlackRequestError('"event.text" is not a string')
        thread = _text_or_none(event.get("thread_ts")) or _text_or_none(event.get("ts"))
        authed = envelope.get("authed_users")
        if not isinstance(authed, list):
            authorizations = envelope.get("authorizations")
            first = authorizations[0] if isinstance(authorizations, list) and authorizations else {}
            authed = [first.get("user_id")] if isinstance(first, dict) and first.get("user_id") else []
        bot_users = [uid for uid in authed if isinstance(uid, str)]
        metadata = {"out_channel": channel, "thread_id": thread, "users": bot_users}
        text = self._sanitize_user_message(text, bot_users)
        return await self._admit(request, on_new_message, text, user, metadata)

    async def _handle_interaction(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """A button press (or another interactive component) in a message the bot sent."""
        fields = parse_qs(request.body.decode("utf-8", "replace"))
        if not fields.get("payload"):
            raise SlackRequestError('the form has no "payload" field')
        try:
            payload = _as_dict(json.loads(fields["payload"][0]), '"payload"')
        except (ValueError, RecursionError) as error:
            raise SlackRequestError('"payload" is not valid JSON') from error
        actions = payload.get("actions")
        if not (isinstance(actions, list) and actions and isinstance(actions[0], dict)):
            raise SlackRequestError('"payload.actions" is not a list of actions')
        user = _text_or_none(_as_dict(payload.get("user", {}), '"payload.user"').get("id"))
        if user is None:
            raise SlackRequestError('"payload.user.id" is missing')
        if not self._is_interactive_message(payload):
            return response.text("component not supported")  # logged by Rasa's check; 200: Slack shows no error
        try:
            value = self._get_interactive_response(actions[0])
        except (AttributeError, IndexError, KeyError, TypeError) as error:
            raise SlackRequestError(f'"payload.actions[0]" is not a {actions[0].get("type")} action') from error
        if not isinstance(value, str):
            return response.text("User clicked link button")  # link buttons carry no value
        channel = payload.get("channel")
        message = payload.get("message")
        message = message if isinstance(message, dict) else {}
        metadata = {
            "out_channel": _text_or_none(channel.get("id")) if isinstance(channel, dict) else None,
            "thread_id": _text_or_none(message.get("thread_ts")) or _text_or_none(message.get("ts")),
            "users": [user],
        }
        return await self._admit(request, on_new_message, value, user, metadata)

    async def _admit(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        user: str,
        metadata: dict[str, Any],
    ) -> HTTPResponse:
        """The edge checks, then the message to the assistant (or the channel's own reply) in the background."""
        channel, thread = metadata["out_channel"], metadata["thread_id"]
        conversation_id = self.conversation_id(user, channel, thread)
        problem = sender_id_problem(conversation_id)
        if problem:
            raise SlackRequestError(f"the user, channel or thread id cannot name a conversation: {problem}")
        out_channel = self.get_output_channel(channel, thread if self.use_threads else None)
        admission = await admit_message(text, conversation_id, self.rate_limits)
        if not admission.admitted:
            if admission.reply:
                self._in_background(self._send_safely(out_channel, conversation_id, admission.reply))
            return response.text("")
        message = UserMessage(admission.text, out_channel, conversation_id, input_channel=self.name(),
                              metadata=metadata)
        self._in_background(self._answer_or_apologise(on_new_message, message))
        return response.text("")

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the response is sent, keeping a reference so the task is not collected."""
        task = asyncio.create_task(work)
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)

    @staticmethod
    async def _answer_or_apologise(
        on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
    ) -> None:
        try:
            await on_new_message(message)
        except Exception:  # the person gets a reply either way; the error goes to the log
            logger.exception("slack: could not handle a message in %s", message.sender_id)
            await CheckedSlackInput._send_safely(
                message.output_channel, message.sender_id, channel_notices.something_went_wrong()
            )

    @staticmethod
    async def _send_safely(out_channel: Any, conversation_id: str, text: str) -> None:
        try:
            await out_channel.send_response(conversation_id, {"text": text})
        except Exception:  # slack_sdk raises its own errors and aiohttp's; a lost notice must not crash
            logger.exception("Could not post a Slack message in %s", conversation_id)
