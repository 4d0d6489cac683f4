"""Staff credentials: the bearer token for the API, the key that signs session cookies, CSRF tokens.

The token (STAFF_TOKEN) only ever proves itself; it never signs anything, so a captured cookie gives
nothing to guess the token offline with. Cookies are signed with STAFF_SESSION_KEY when configured,
else with a key derived from the token HKDF-style (RFC 5869: extract with a random salt kept in the
triage database, then expand per purpose). Sessions themselves live server-side
(bot/triage/staff_sessions.py). All comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.triage.db import triage_engine, triage_session
from bot.triage.models import TriageSecret

SESSION_COOKIE = "staff_session"
_SALT_NAME = "staff_cookie_salt"
_salts: dict[int, tuple[Engine, bytes]] = {}  # per engine (the engine kept so its id is never reused)
_salt_lock = threading.Lock()


def token_matches(given: str | None, staff_token: str) -> bool:
    """Whether ``given`` is the staff token (constant-time)."""
    return given is not None and hmac.compare_digest(given.encode(), staff_token.encode())


def bearer_matches(authorization: str | None, staff_token: str) -> bool:
    """Whether an ``Authorization: Bearer <token>`` header carries the staff token."""
    if not authorization:
        return False
    scheme, _, credentials = authorization.strip().partition(" ")
    return scheme.lower() == "bearer" and token_matches(credentials.strip(), staff_token)


def _read_salt(engine: Engine) -> bytes | None:
    with triage_session(engine) as session:
        row = session.get(TriageSecret, _SALT_NAME)
        return bytes.fromhex(row.value) if row else None


def _salt(engine: Engine) -> bytes:
    """The random salt for deriving the cookie key: created once, kept in the triage database (so every
    web process derives the same key), cached per process."""
    cached = _salts.get(id(engine))
    if cached is not None and cached[0] is engine:
        return cached[1]
    with _salt_lock:
        salt = _read_salt(engine)
        if salt is None:
            try:
                with triage_session(engine, write=True) as session:
                    session.add(TriageSecret(name=_SALT_NAME, value=secrets.token_hex(32)))
            except IntegrityError:  # another process created it first: use theirs
                pass
            salt = _read_salt(engine)
        assert salt is not None  # noqa: S101 (just written or read)
        _salts[id(engine)] = (engine, salt)
        return salt


def cookie_key(staff_token: str, configured_key: str | None, engine: Engine | None = None) -> bytes:
    """The key that signs session cookies and CSRF tokens: derived from the configured key, or from the
    staff token with the stored random salt (HKDF-extract). Never the token itself. Blocking."""
    if configured_key:
        return hmac.new(b"skincare-staff/cookie-key/v2", configured_key.encode(), hashlib.sha256).digest()
    return hmac.new(_salt(engine or triage_engine()), staff_token.encode(), hashlib.sha256).digest()


def sign(key: bytes, purpose: str, message: str) -> str:
    """HMAC-SHA256 of ``message`` under ``key``, separated by ``purpose`` (HKDF-expand style)."""
    purpose_key = hmac.new(key, f"skincare-staff/{purpose}/v2".encode(), hashlib.sha256).digest()
    return hmac.new(purpose_key, message.encode(), hashlib.sha256).hexdigest()


def token_fingerprint(key: bytes, staff_token: str) -> str:
    """Which staff token a session was started with (rotating STAFF_TOKEN ends every session)."""
    return sign(key, "token-fingerprint", staff_token)


def csrf_token(key: bytes, session_id: str) -> str:
    """The CSRF token for forms in one session."""
    return sign(key, "csrf", session_id)


def csrf_matches(given: str | None, key: bytes, session_id: str) -> bool:
    """Whether a submitted form carries this session's CSRF token (constant-time)."""
    return given is not None and hmac.compare_digest(given.encode(), csrf_token(key, session_id).encode())
