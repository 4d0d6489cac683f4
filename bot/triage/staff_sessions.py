"""Server-side staff sessions: signing in, checking a cookie, signing out.

The cookie is ``<session id>.<signature>``; the triage database keeps only the id's SHA-256, the
fingerprint of the staff token it was started with, and when it began and was last used. A session
ends after STAFF_SESSION_IDLE_MINUTES without a request and STAFF_SESSION_MAX_HOURS after sign-in,
whatever the cookie claims; signing out deletes it, so the old cookie stops working everywhere;
rotating STAFF_TOKEN ends every session. Blocking functions: call them from a worker thread.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from bot.triage import settings, staff_auth
from bot.triage.db import triage_session
from bot.triage.models import StaffSession, utcnow

#: last_seen is rewritten at most this often (a page view need not always be a database write).
_TOUCH_EVERY = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class SignedIn:
    """A valid session: its id (for the CSRF token) and the key its cookie is signed with."""

    session_id: str
    key: bytes

    @property
    def csrf(self) -> str:
        """The CSRF token forms in this session carry."""
        return staff_auth.csrf_token(self.key, self.session_id)

    def csrf_matches(self, given: str | None) -> bool:
        """Whether a submitted form carries this session's CSRF token."""
        return staff_auth.csrf_matches(given, self.key, self.session_id)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _key(staff_token: str) -> bytes:
    return staff_auth.cookie_key(staff_token, settings.staff_session_key())


def _lifetimes() -> tuple[dt.timedelta, dt.timedelta]:
    return (dt.timedelta(seconds=settings.staff_session_idle_seconds()),
            dt.timedelta(seconds=settings.staff_session_max_seconds()))


def max_age_seconds() -> int:
    """How long a browser should keep the cookie (the absolute lifetime; the server decides anyway)."""
    return int(settings.staff_session_max_seconds())


def sign_in(staff_token: str) -> str:
    """Start a session for someone who gave the right token; returns the cookie value."""
    key = _key(staff_token)
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    idle, longest = _lifetimes()
    with triage_session(write=True) as session:
        # Sessions that have ended are removed as new ones start: the table stays small.
        session.execute(sa.delete(StaffSession).where(
            sa.or_(StaffSession.last_seen < now - idle, StaffSession.created_at < now - longest)))
        session.add(StaffSession(id_hash=_hash(session_id), token_fingerprint=staff_auth.token_fingerprint(
            key, staff_token), created_at=now, last_seen=now))
    return f"{session_id}.{staff_auth.sign(key, 'session', session_id)}"


def _session_id(cookie: str | None, key: bytes) -> str | None:
    if not cookie or cookie.count(".") != 1:
        return None
    session_id, signature = cookie.split(".")
    if not hmac.compare_digest(signature.encode(), staff_auth.sign(key, "session", session_id).encode()):
        return None
    return session_id


def check(cookie: str | None, staff_token: str) -> SignedIn | None:
    """The session a cookie belongs to if it is genuine, still running and from the current token."""
    if not cookie:
        return None
    key = _key(staff_token)
    session_id = _session_id(cookie, key)
    if session_id is None:
        return None
    now = utcnow()
    idle, longest = _lifetimes()
    with triage_session(write=True) as session:
        row = session.get(StaffSession, _hash(session_id))
        if row is None:
            return None
        fingerprint_ok = hmac.compare_digest(row.token_fingerprint, staff_auth.token_fingerprint(key, staff_token))
        if not fingerprint_ok or row.last_seen < now - idle or row.created_at < now - longest:
            session.delete(row)
            return None
        if now - row.last_seen >= _TOUCH_EVERY:
            row.last_seen = now
    return SignedIn(session_id, key)


def sign_out(cookie: str | None, staff_token: str) -> None:
    """End the cookie's session (if it is one): the same cookie is refused from now on."""
    session_id = _session_id(cookie, _key(staff_token))
    if session_id is None:
        return
    with triage_session(write=True) as session:
        session.execute(sa.delete(StaffSession).where(StaffSession.id_hash == _hash(session_id)))
