"""Twilio SMS and WhatsApp, with the request signature checked and buttons sent as numbered options.

Rasa 3.6's TwilioInput accepts any POST to its webhook. `SignedTwilioInput` answers 403 to a request
whose `X-Twilio-Signature` is missing or wrong before reading the message. Twilio signs the URL it was
told to call, which behind a proxy is not the URL this server sees, so the public URL is configured
(`webhook_url`, TWILIO_WEBHOOK_URL).

One webhook serves both SMS and WhatsApp: WhatsApp senders arrive as "whatsapp:+..." and the reply goes
out from the number the person wrote to (the request's `To`), so it carries the same prefix.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioException

from bot.channels.edge import admit_message
from bot.channels.numbered_options import (
    format_numbered_options,
    offered_buttons,
    out_of_range_prompt,
    resolve_reply,
)
from bot.channels.rate_limits import rate_limits_from_env
from bot.channels.scoped_ids import TWILIO_PREFIX, ScopedRecipientOutput, scoped

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
# Said when a message has no text (a photo, a voice note, a location): we can only read text.
TEXT_ONLY_REPLY = "Sorry, I can only read text messages. Please type your question."
_EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
#: Message metadata naming the number the person wrote to: a staff member's later message goes out from it.
TO_NUMBER_KEY = "twilio_to"


def twilio_signature(auth_token: str, url: str, params: Mapping[str, Sequence[str]]) -> str:
    """Twilio's request signature: base64 HMAC-SHA1 of the URL followed by each POST name+value, sorted."""
    signed = url
    for name in sorted(params):
        for value in sorted(params[name]):
            signed += name + value
    digest = hmac.new(auth_token.encode("utf-8"), signed.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _signed_url(configured_url: str, query_string: str) -> str:
    """The URL Twilio signed: the configured one, plus the query string it called with if not in it."""
    if query_string and "?" not in configured_url:
        return f"{configured_url}?{query_string}"
    return configured_url


class NumberedOptionsTwilioOutput(ScopedRecipientOutput, TwilioOutput):
    """Twilio output that writes buttons as numbered options and never blocks the event loop.

    Conversation ids are "twilio-<From>" (bot/channels/scoped_ids.py); replies go to the number itself.
    """

    id_prefix = TWILIO_PREFIX

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        twilio_number: str | None,
        api_base_url: str | None = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        if api_base_url:
            # Only tests and Twilio-compatible gateways set this; the default is api.twilio.com.
            self.api.base_url = api_base_url.rstrip("/")

    async def _send_message(self, message_data: dict[str, Any]) -> Any:
        """Send one message through Twilio's REST API in a worker thread (the SDK is synchronous)."""
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except (TwilioException, OSError) as error:  # OSError: requests' connection errors
            logger.error("Twilio did not accept the message to %s: %s", message_data.get("to"), error)
            return None

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """SMS and WhatsApp (via Twilio) show no buttons: send "Reply 1 for ..., 2 for ..." instead."""
        await self.send_text_message(recipient_id, format_numbered_options(text, buttons))

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Quick replies are buttons by another name here."""
        await self.send_text_with_buttons(recipient_id, text, quick_replies)


class SignedTwilioInput(TwilioInput):
    """Twilio webhook (SMS and WhatsApp) that only accepts requests signed with the account's auth token."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build from the credentials.yml entry: account_sid, auth_token, webhook_url, twilio_number."""
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("account_sid"),
            credentials.get("auth_token"),
            credentials.get("twilio_number"),
            webhook_url=credentials.get("webhook_url"),
            api_base_url=credentials.get("api_base_url"),
        )

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        twilio_number: str | None = None,
        debug_mode: bool = False,
        webhook_url: str | None = None,
        api_base_url: str | None = None,
    ) -> None:
        if not auth_token or not webhook_url:
            raise ValueError(
                "Twilio channel: 'auth_token' (TWILIO_AUTH_TOKEN) and 'webhook_url' (TWILIO_WEBHOOK_URL, the "
                "public URL set as the messaging webhook in Twilio) are both required to check signatures."
            )
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.webhook_url = webhook_url
        self.api_base_url = api_base_url
        self.rate_limits = rate_limits_from_env()

    def is_signed(self, request: Request, params: Mapping[str, Sequence[str]]) -> bool:
        """True when X-Twilio-Signature matches the configured URL and the POST parameters."""
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not given:
            return False
        expected = twilio_signature(
            self.auth_token or "", _signed_url(self.webhook_url, request.query_string), params
        )
        return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace"))

    def get_output_channel(self, from_number: str | None = None) -> OutputChannel:
        """Output that replies from `from_number` (the number written to) or the configured number."""
        return NumberedOptionsTwilioOutput(
            self.account_sid, self.auth_token, from_number or self.twilio_number, self.api_base_url
        )

    def output_channel_for(self, tracker: DialogueStateTracker) -> OutputChannel:
        """Output for a message sent later (by staff): from the number the person last wrote to."""
        metadata = (tracker.latest_message.metadata if tracker.latest_message else None) or {}
        to_number = metadata.get(TO_NUMBER_KEY) if isinstance(metadata, dict) else None
        return self.get_output_channel(to_number if isinstance(to_number, str) and to_number else None)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: GET / (health) and POST /webhook (signed messages from Twilio)."""
        twilio_webhook = Blueprint("twilio_webhook", __name__)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            # Sanic's request.form drops empty fields, but Twilio signs them ("FromCity=" and the like).
            params = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
            if not self.is_signed(request, params):
                logger.warning("Refused a Twilio webhook call without a valid %s header.", SIGNATURE_HEADER)
                return response.text("invalid signature", status=403)

            sender = (params.get("From") or [""])[0]
            text = (params.get("Body") or [""])[0].replace("¡", "@")  # some carriers turn @ into ¡
            if not sender:
                return response.text("missing From", status=400)
            to_number = (params.get("To") or [""])[0] or None
            out_channel = self.get_output_channel(to_number)
            if not text.strip():
                await out_channel.send_text_message(sender, TEXT_ONLY_REPLY)
                return response.text(_EMPTY_TWIML, content_type="text/xml")
            conversation_id = scoped(TWILIO_PREFIX, sender)
            admission = await admit_message(text, conversation_id, self.rate_limits)
            if not admission.admitted:
                if admission.reply:
                    await out_channel.send_text_message(sender, admission.reply)
                return response.text(_EMPTY_TWIML, content_type="text/xml")
            text = admission.text

            buttons: list[dict[str, Any]] = []
            try:
                buttons = await offered_buttons(getattr(request.app.ctx, "agent", None), conversation_id)
            except Exception:  # a tracker store outage must not cost the person their message
                logger.exception("Could not read the options last offered to a Twilio sender.")
            choice = resolve_reply(text, buttons)
            if choice.out_of_range:
                await out_channel.send_text_message(sender, out_of_range_prompt(len(buttons)))
                return response.text(_EMPTY_TWIML, content_type="text/xml")

            try:
                await on_new_message(
                    UserMessage(
                        choice.text,
                        out_channel,
                        conversation_id,
                        input_channel=self.name(),
                        metadata={**(self.get_metadata(request) or {}), TO_NUMBER_KEY: to_number},
                    )
                )
            except Exception:
                logger.exception("Exception when handling a Twilio message.")
                if self.debug_mode:
                    raise
            return response.text(_EMPTY_TWIML, content_type="text/xml")

        return twilio_webhook
