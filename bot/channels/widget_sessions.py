"""Widget conversations that belong to the browser that started them: signed, expiring session tokens.

The socket.io channel issues every conversation id itself (``web-`` + 32 random hex digits) together
with a token ``<id>.<expiry>.<signature>``: an HMAC-SHA256 over id and expiry with a key only the Rasa
server knows. The browser keeps the token and presents it to resume; an id without a valid token grants
nothing (the channel starts a new conversation instead). Each resume issues a fresh token, so the
lifetime is counted from the visitor's last visit.

Settings (environment):

- ``WIDGET_SESSION_KEY``: the signing key, at least 32 characters. `make run` (bot/run.py) generates
  one per start when it is unset, so every Rasa worker and restart within that run shares it; set it
  yourself to keep widget conversations across restarts or with several Rasa processes.
- ``WIDGET_SESSION_HOURS``: how long a token stays valid after the last visit (default 24).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import uuid
from collections.abc import Mapping

from bot.settings import SettingsError, settings_for

logger = logging.getLogger(__name__)

SESSION_KEY_ENV = "WIDGET_SESSION_KEY"
# Conversation ids of the widget; no other channel may use this prefix (see bot/channels/rest.py).
WIDGET_ID_PREFIX = "web-"


#: The widget session settings are not usable (bot/settings.py checks them).
SessionConfigError = SettingsError


def _signature(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class WidgetSessions:
    """Issues widget conversation ids with their tokens, and tells which id a token proves."""

    def __init__(self, key: bytes, lifetime_seconds: float) -> None:
        self._key = key
        self.lifetime_seconds = lifetime_seconds

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WidgetSessions:
        """Key and lifetime from WIDGET_SESSION_KEY / WIDGET_SESSION_HOURS (see the module docstring)."""
        settings = settings_for(env)  # SettingsError names a short key or a lifetime out of range
        hours, key = settings.widget_session_hours, settings.widget_session_key
        if not key:
            logger.warning(
                "%s is not set: widget sessions are signed with a key made at start and end when the "
                "Rasa server restarts.", SESSION_KEY_ENV,
            )
            return cls(secrets.token_bytes(32), hours * 3600)
        return cls(key.encode("utf-8"), hours * 3600)

    @staticmethod
    def new_id() -> str:
        """A fresh widget conversation id."""
        return WIDGET_ID_PREFIX + uuid.uuid4().hex

    def token_for(self, session_id: str, now: float) -> str:
        """The token proving ownership of `session_id` until `now` + the lifetime."""
        payload = f"{session_id}.{int(now + self.lifetime_seconds):x}"
        return f"{payload}.{_signature(self._key, payload)}"

    def verify(self, token: object, now: float) -> str | None:
        """The conversation id `token` proves, or None (malformed, forged or expired)."""
        if not isinstance(token, str) or len(token) > 200 or not token.isascii():
            return None
        parts = token.split(".")
        if len(parts) != 3 or not parts[0].startswith(WIDGET_ID_PREFIX):
            return None
        session_id, expiry, signature = parts
        payload = f"{session_id}.{expiry}"
        if not hmac.compare_digest(signature, _signature(self._key, payload)):
            return None
        try:
            expires_at = int(expiry, 16)
        except ValueError:
            return None
        return session_id if now < expires_at else None
