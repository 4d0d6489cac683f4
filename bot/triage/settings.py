"""Triage settings, all from the environment (nothing secret has a default).

The servers (bot/run.py, bot/web) and the command line (python -m bot.triage) read the same
functions, so `forget` and `purge` find the databases the servers use, the embedded defaults included.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Rasa's conversations in the embedded set-up (endpoints.yml), unless TRACKER_SQLITE_PATH says otherwise.
DEFAULT_TRACKER_SQLITE_PATH = REPO_ROOT / "var" / "conversations.sqlite"
DEFAULT_RETENTION_DAYS = 90
DEFAULT_PURGE_EVERY_HOURS = 24.0
MIN_STAFF_TOKEN_CHARS = 32
#: A staff session ends after this long without a request, and in any case this long after sign-in.
DEFAULT_SESSION_IDLE_MINUTES = 30.0
DEFAULT_SESSION_MAX_HOURS = 8.0


class SettingError(ValueError):
    """An environment variable has a value triage cannot use; the message says which and why."""


def triage_db_url() -> str:
    """Where triage's tables live: the knowledge store's database (env SKINCARE_DB_URL, default
    var/skincare.sqlite). They share it but not its life: the store is rebuilt at will, triage's schema
    only changes through its migrations (bot/triage/migrations), with a version table of its own."""
    from knowledge.database import database_url  # imported late: knowledge/ is optional for the CLI tests

    return database_url()


def tracker_db_url() -> str:
    """Rasa's tracker store database, where transcripts are read and old conversations deleted.

    In order: env TRACKER_DB_URL; else PostgreSQL from the TRACKER_DB_HOST / _PORT / _NAME / _USER /
    _PASSWORD variables that endpoints.production.yml gives Rasa (so the password is set once); else
    ``sqlite:///$TRACKER_SQLITE_PATH``, whose default is the embedded set-up's var/conversations.sqlite
    (the same file bot/run.py gives Rasa).
    """
    url = os.environ.get("TRACKER_DB_URL", "").strip()
    if url:
        return url
    host = os.environ.get("TRACKER_DB_HOST", "").strip()
    if host:
        from sqlalchemy.engine import URL

        port = os.environ.get("TRACKER_DB_PORT", "").strip()
        if port and not port.isdigit():
            raise SettingError(f"TRACKER_DB_PORT must be a port number, got {port!r}")
        return URL.create(
            "postgresql+psycopg2",
            username=os.environ.get("TRACKER_DB_USER", "").strip() or None,
            password=os.environ.get("TRACKER_DB_PASSWORD") or None,
            host=host,
            port=int(port) if port else None,
            database=os.environ.get("TRACKER_DB_NAME", "").strip() or None,
        ).render_as_string(hide_password=False)
    path = os.environ.get("TRACKER_SQLITE_PATH", "").strip() or str(DEFAULT_TRACKER_SQLITE_PATH)
    return f"sqlite:///{Path(path).resolve()}"


def retention_days() -> int:
    """How many days resolved tickets and finished conversations are kept (env RETENTION_DAYS, 90)."""
    raw = os.environ.get("RETENTION_DAYS", "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise SettingError(f"RETENTION_DAYS must be a whole number of days, got {raw!r}") from None
    if days < 1:
        raise SettingError(f"RETENTION_DAYS must be at least 1, got {days}")
    return days


def purge_every_hours() -> float | None:
    """How often the web server runs the retention clean-up (env RETENTION_PURGE_HOURS, 24; 0 = never,
    for deployments that schedule ``python -m bot.triage purge`` themselves)."""
    raw = os.environ.get("RETENTION_PURGE_HOURS", "").strip()
    if not raw:
        return DEFAULT_PURGE_EVERY_HOURS
    try:
        hours = float(raw)
    except ValueError:
        raise SettingError(f"RETENTION_PURGE_HOURS must be a number of hours (0 = never), got {raw!r}") from None
    if not math.isfinite(hours) or hours < 0:
        raise SettingError(f"RETENTION_PURGE_HOURS must be 0 (never) or a positive number of hours, got {raw!r}")
    return hours or None


def staff_token() -> str | None:
    """The staff area's shared secret (env STAFF_TOKEN); ``None`` switches the staff area off.

    Raises SettingError for a token shorter than MIN_STAFF_TOKEN_CHARS: a short token can be guessed.
    """
    token = os.environ.get("STAFF_TOKEN", "").strip()
    if token and len(token) < MIN_STAFF_TOKEN_CHARS:
        raise SettingError(
            f"STAFF_TOKEN must be at least {MIN_STAFF_TOKEN_CHARS} characters long (it has {len(token)}); "
            "make one with `python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
        )
    return token or None


def staff_session_key() -> str | None:
    """A configured key for signing staff session cookies (env STAFF_SESSION_KEY), else ``None``
    (a key is then derived from STAFF_TOKEN with a random salt kept in the triage database)."""
    key = os.environ.get("STAFF_SESSION_KEY", "").strip()
    if key and len(key) < MIN_STAFF_TOKEN_CHARS:
        raise SettingError(f"STAFF_SESSION_KEY must be at least {MIN_STAFF_TOKEN_CHARS} characters long "
                           f"(it has {len(key)}), or unset to derive one")
    return key or None


def _positive_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingError(f"{name} must be a number, got {raw[:40]!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise SettingError(f"{name} must be a positive number, got {raw[:40]!r}")
    return value


def staff_session_idle_seconds() -> float:
    """A staff session ends after this long without a request (env STAFF_SESSION_IDLE_MINUTES, 30)."""
    return _positive_number("STAFF_SESSION_IDLE_MINUTES", DEFAULT_SESSION_IDLE_MINUTES) * 60


def staff_session_max_seconds() -> float:
    """A staff session ends this long after sign-in whatever happens (env STAFF_SESSION_MAX_HOURS, 8)."""
    return _positive_number("STAFF_SESSION_MAX_HOURS", DEFAULT_SESSION_MAX_HOURS) * 3600
