"""Triage settings, all from the environment (nothing secret has a default)."""

from __future__ import annotations

import math
import os

DEFAULT_RETENTION_DAYS = 90
DEFAULT_PURGE_EVERY_HOURS = 24.0


class SettingError(ValueError):
    """An environment variable has a value triage cannot use; the message says which and why."""


def tracker_db_url() -> str | None:
    """Rasa's tracker store database, where transcripts are read and old conversations deleted.

    In order: env TRACKER_DB_URL; else PostgreSQL from the TRACKER_DB_HOST / _PORT / _NAME / _USER /
    _PASSWORD variables that endpoints.production.yml gives Rasa (so the password is set once); else
    ``sqlite:///$TRACKER_SQLITE_PATH`` (the embedded set-up). ``None`` when none of them is set.
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
    path = os.environ.get("TRACKER_SQLITE_PATH", "").strip()
    return f"sqlite:///{path}" if path else None


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
    """The staff area's shared secret (env STAFF_TOKEN); ``None`` switches the staff area off."""
    token = os.environ.get("STAFF_TOKEN", "").strip()
    return token or None
