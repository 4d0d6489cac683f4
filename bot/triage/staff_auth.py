"""Staff credentials: the bearer token for the API, signed session cookies and CSRF tokens for the page.

Everything derives from STAFF_TOKEN, so any web process can check a session without shared state,
and changing STAFF_TOKEN signs every session out. The cookie holds an expiry, a random nonce and a
signature — never the token itself. All comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SESSION_COOKIE = "staff_session"
SESSION_SECONDS = 8 * 60 * 60


def _key(staff_token: str, purpose: str) -> bytes:
    return hmac.new(staff_token.encode(), f"skincare-staff/{purpose}/v1".encode(), hashlib.sha256).digest()


def _sign(staff_token: str, purpose: str, message: str) -> str:
    return hmac.new(_key(staff_token, purpose), message.encode(), hashlib.sha256).hexdigest()


def token_matches(given: str | None, staff_token: str) -> bool:
    """Whether ``given`` is the staff token (constant-time)."""
    return given is not None and hmac.compare_digest(given.encode(), staff_token.encode())


def bearer_matches(authorization: str | None, staff_token: str) -> bool:
    """Whether an ``Authorization: Bearer <token>`` header carries the staff token."""
    if not authorization:
        return False
    scheme, _, credentials = authorization.strip().partition(" ")
    return scheme.lower() == "bearer" and token_matches(credentials.strip(), staff_token)


def new_session(staff_token: str, now: float | None = None) -> str:
    """A fresh session cookie value: ``<expiry>.<nonce>.<signature>``."""
    expires = int((now or time.time()) + SESSION_SECONDS)
    body = f"{expires}.{secrets.token_urlsafe(24)}"
    return f"{body}.{_sign(staff_token, 'session', body)}"


def session_nonce(cookie: str | None, staff_token: str, now: float | None = None) -> str | None:
    """The session's nonce if the cookie is genuine and unexpired, else ``None``."""
    if not cookie or cookie.count(".") != 2:
        return None
    expires, nonce, signature = cookie.split(".")
    if not hmac.compare_digest(signature.encode(), _sign(staff_token, "session", f"{expires}.{nonce}").encode()):
        return None
    if not expires.isdigit() or int(expires) < (now or time.time()):
        return None
    return nonce


def csrf_token(nonce: str, staff_token: str) -> str:
    """The CSRF token for forms in one session (tied to the session's nonce)."""
    return _sign(staff_token, "csrf", nonce)


def csrf_matches(given: str | None, nonce: str, staff_token: str) -> bool:
    """Whether a submitted form carries this session's CSRF token (constant-time)."""
    return given is not None and hmac.compare_digest(given.encode(), csrf_token(nonce, staff_token).encode())
