"""Facebook Messenger with the app-secret signature enforced by a 403.

Rasa 3.6's FacebookInput already checks `X-Hub-Signature` against the app secret, but it answers a bad
signature with 200 "not validated", compares with `==`, ignores the SHA-256 header Meta now sends, and a
malformed header such as "abc=def" raises (a 500). `SignedFacebookInput` keeps Rasa's message handling
(its `Messenger` class) behind its own routes: a POST without a valid `X-Hub-Signature-256` (or, failing
that, `X-Hub-Signature`) is refused with 403 before the body is read, and signed events that are not
messages (page feed changes) are acknowledged instead of crashing the handler.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels import facebook as rasa_facebook
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.edge import admit_message
from bot.channels.rate_limits import MessageRateLimits, rate_limits_from_env
from bot.channels.scoped_ids import FACEBOOK_PREFIX, ScopedRecipientOutput, scoped

logger = logging.getLogger(__name__)

_DIGESTS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


def hub_signature_valid(app_secret: str, body: bytes, header: str) -> bool:
    """True when `header` ("sha256=<hex>" or "sha1=<hex>") is the HMAC of `body` with the app secret."""
    method, _, given = (header or "").partition("=")
    digest = _DIGESTS.get(method.strip().lower())
    if digest is None or not given or not app_secret:
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, digest).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), given.strip().lower().encode("utf-8", "replace"))


def _messaging_payload(request: Request) -> dict[str, Any] | None:
    """The body when it has the shape Rasa's Messenger handler reads (entry[].messaging[]), else None."""
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        return None
    entries = payload.get("entry") if isinstance(payload, dict) else None
    if (
        isinstance(entries, list)
        and entries
        and all(isinstance(entry, dict) and isinstance(entry.get("messaging"), list) for entry in entries)
    ):
        return payload
    return None


class SignedFacebookInput(FacebookInput):
    """Facebook Messenger webhook that refuses unsigned or wrongly signed POSTs with 403."""

    def __init__(self, fb_verify: str, fb_secret: str, fb_access_token: str) -> None:
        if not fb_secret:
            raise ValueError(
                "Messenger channel: 'secret' (FACEBOOK_APP_SECRET) is required to check request signatures."
            )
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.rate_limits = rate_limits_from_env()

    @staticmethod
    def validate_hub_signature(app_secret: str, request_payload: bytes, hub_signature_header: str) -> bool:
        """Rasa's check, made constant-time and unable to raise on a malformed header."""
        return hub_signature_valid(app_secret, request_payload, hub_signature_header)

    def is_signed(self, request: Request) -> bool:
        """Prefer the SHA-256 signature; accept the legacy SHA-1 one when it is the only one sent."""
        header = request.headers.get("X-Hub-Signature-256") or request.headers.get("X-Hub-Signature", "")
        return hub_signature_valid(self.fb_secret, request.body or b"", header)

    def get_output_channel(self) -> OutputChannel:
        """Output for messages sent later (by staff): to the page-scoped id inside the conversation id.
        (Rasa's own would send to "facebook-<id>" itself.)"""
        return ScopedMessengerBot(rasa_facebook.MessengerClient(self.fb_access_token))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's Messenger routes (health, webhook verification, messages), signature checked first."""
        fb_webhook = Blueprint("fb_webhook", __name__)

        @fb_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @fb_webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            given = request.args.get("hub.verify_token") or ""
            if self.fb_verify and hmac.compare_digest(given.encode(), str(self.fb_verify).encode()):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("Messenger webhook verification with a wrong verify token (FACEBOOK_VERIFY_TOKEN).")
            return response.text("invalid verify token", status=403)

        @fb_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.is_signed(request):
                logger.warning("Refused a Messenger webhook call without a valid X-Hub-Signature.")
                return response.text("invalid signature", status=403)
            payload = _messaging_payload(request)
            if payload is None:
                # e.g. page feed changes: nothing to answer; 200 so Meta does not retry them.
                return response.text("ignored")
            messenger = ScopedMessenger(self.fb_access_token, on_new_message, self.rate_limits)
            try:
                await messenger.handle(payload, self.get_metadata(request))
            except OSError:  # requests' errors: the Graph API is unreachable (Rasa sends "mark_seen" first)
                logger.exception("Could not reach the Graph API while handling a Messenger event.")
            return response.text("success")

        return fb_webhook


class ScopedMessengerBot(ScopedRecipientOutput, MessengerBot):
    """Rasa's Messenger output, sending to the page-scoped id inside a "facebook-<id>" conversation id."""

    id_prefix = FACEBOOK_PREFIX


class ScopedMessenger(Messenger):
    """Rasa's Messenger event handling, with the edge checks and the channel's own id space."""

    def __init__(
        self,
        page_access_token: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        rate_limits: MessageRateLimits,
    ) -> None:
        super().__init__(page_access_token, on_new_message)
        self.rate_limits = rate_limits

    async def _handle_user_message(self, text: str, sender_id: str, metadata: dict[str, Any] | None) -> None:
        """Rasa's hand-over to the assistant (seen, typing on, message, typing off), checked first."""
        out_channel = ScopedMessengerBot(self.client)
        conversation_id = scoped(FACEBOOK_PREFIX, sender_id)
        admission = await admit_message(text, conversation_id, self.rate_limits)
        if not admission.admitted:
            if admission.reply:
                await out_channel.send_text_message(sender_id, admission.reply)
            return
        await out_channel.send_action(sender_id, sender_action="mark_seen")
        message = UserMessage(
            admission.text, out_channel, conversation_id, input_channel=self.name(), metadata=metadata
        )
        await out_channel.send_action(sender_id, sender_action="typing_on")
        try:
            await self.on_new_message(message)
        except Exception:
            logger.exception("Exception when trying to handle webhook for facebook message.")
        finally:
            await out_channel.send_action(sender_id, sender_action="typing_off")
