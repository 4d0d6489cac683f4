"""Triage settings, from the environment through bot/settings.py (nothing secret has a default).

The servers (bot/run.py, bot/web) and the command line (python -m bot.triage) read the same
functions, so `forget` and `purge` find the databases the servers use, the embedded defaults included.
"""

from __future__ import annotations

from pathlib import Path

from bot.settings import MIN_SECRET_CHARS, SettingsError, current_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Rasa's conversations in the embedded set-up (endpoints.yml), unless TRACKER_SQLITE_PATH says otherwise.
DEFAULT_TRACKER_SQLITE_PATH = REPO_ROOT / "var" / "conversations.sqlite"
MIN_STAFF_TOKEN_CHARS = MIN_SECRET_CHARS

#: An environment variable has a value triage cannot use; the message says which and why.
SettingError = SettingsError


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
    env = current_settings()
    if env.tracker_db_url:
        return env.tracker_db_url
    if env.tracker_db_host:
        from sqlalchemy.engine import URL

        return URL.create(
            "postgresql+psycopg2",
            username=env.tracker_db_user,
            password=env.tracker_db_password,
            host=env.tracker_db_host,
            port=env.tracker_db_port,
            database=env.tracker_db_name,
        ).render_as_string(hide_password=False)
    path = env.tracker_sqlite_path or str(DEFAULT_TRACKER_SQLITE_PATH)
    return f"sqlite:///{Path(path).resolve()}"


def retention_days() -> int:
    """How many days resolved tickets and finished conversations are kept (env RETENTION_DAYS, 90)."""
    return current_settings().retention_days


def purge_every_hours() -> float | None:
    """How often the web server runs the retention clean-up (env RETENTION_PURGE_HOURS, 24; 0 = never,
    for deployments that schedule ``python -m bot.triage purge`` themselves)."""
    return current_settings().retention_purge_hours or None


def staff_token() -> str | None:
    """The staff area's shared secret (env STAFF_TOKEN, at least MIN_STAFF_TOKEN_CHARS); ``None`` switches
    the staff area off."""
    return current_settings().staff_token


def staff_session_key() -> str | None:
    """A configured key for signing staff session cookies (env STAFF_SESSION_KEY), else ``None``
    (a key is then derived from STAFF_TOKEN with a random salt kept in the triage database)."""
    return current_settings().staff_session_key


def staff_session_idle_seconds() -> float:
    """A staff session ends after this long without a request (env STAFF_SESSION_IDLE_MINUTES, 30)."""
    return current_settings().staff_session_idle_minutes * 60


def staff_session_max_seconds() -> float:
    """A staff session ends this long after sign-in whatever happens (env STAFF_SESSION_MAX_HOURS, 8)."""
    return current_settings().staff_session_max_hours * 3600
