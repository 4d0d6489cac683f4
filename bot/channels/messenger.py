"""Facebook Messenger with the app-secret signature enforced by a 403.

Rasa 3.6's FacebookInput already checks `X-Hub-Signature` against the app secret, but it answers a bad
signature with 200 "not validated", compares with `==`, ignores the SHA-256 header Meta now sends, and a
malformed header such as "abc=def" raises (a 500). `SignedFacebookInput` keeps Rasa's message handling
and puts a check in front of it: a POST without a valid `X-Hub-Signature-256` (or, failing that,
`X-Hub-Signature`) is refused with 403 before the body is read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

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


def _has_messaging_entries(request: Request) -> bool:
    """The body has the shape Rasa's Messenger handler reads: entry[].messaging[]."""
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        return False
    entries = payload.get("entry") if isinstance(payload, dict) else None
    return (
        isinstance(entries, list)
        and bool(entries)
        and all(isinstance(entry, dict) and isinstance(entry.get("messaging"), list) for entry in entries)
    )


class SignedFacebookInput(FacebookInput):
    """Facebook Messenger webhook that refuses unsigned or wrongly signed POSTs with 403."""

    def __init__(self, fb_verify: str, fb_secret: str, fb_access_token: str) -> None:
        if not fb_secret:
            raise ValueError(
                "Messenger channel: 'secret' (FACEBOOK_APP_SECRET) is required to check request signatures."
            )
        super().__init__(fb_verify, fb_secret, fb_access_token)

    @staticmethod
    def validate_hub_signature(app_secret: str, request_payload: bytes, hub_signature_header: str) -> bool:
        """Rasa's check, made constant-time and unable to raise on a malformed header."""
        return hub_signature_valid(app_secret, request_payload, hub_signature_header)

    def is_signed(self, request: Request) -> bool:
        """Prefer the SHA-256 signature; accept the legacy SHA-1 one when it is the only one sent."""
        header = request.headers.get("X-Hub-Signature-256") or request.headers.get("X-Hub-Signature", "")
        return hub_signature_valid(self.fb_secret, request.body or b"", header)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's Messenger routes, with a signature check in front of every POST."""
        fb_webhook = super().blueprint(on_new_message)

        @fb_webhook.middleware("request")
        async def require_signature(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            if not self.is_signed(request):
                logger.warning("Refused a Messenger webhook call without a valid X-Hub-Signature.")
                return response.text("invalid signature", status=403)
            if not _has_messaging_entries(request):
                # e.g. page feed changes: Rasa's handler would fail on them; 200 so Meta does not retry.
                return response.text("ignored")
            return None

        return fb_webhook
