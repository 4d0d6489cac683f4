"""The production set-up for runtime tests: PostgreSQL tracker store, atomic Redis lock store, replicas.

Each test module gets its own tracker database on the machine's PostgreSQL (dropped afterwards) and its
own Redis key prefix, so it never sees another test's conversations or locks.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.run import Stack, StackSettings, free_port
from tests.bot.dependencies import POSTGRES_PORT, REDIS_PORT, require_redis, require_service
from tests.fixtures.store import POSTGRES_URL, require_postgres, scratch_database
from tests.servers import REPO_ROOT, RunningAssistant, start_assistant

PRODUCTION_ENDPOINTS = REPO_ROOT / "endpoints.production.yml"
# The production set-up refuses to start without REST_TOKEN (bot/run.py): one random token per test run.
REST_TOKEN = secrets.token_urlsafe(32)
WIDGET_SESSION_KEY = secrets.token_urlsafe(32)


@contextmanager
def tracker_database() -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL database for conversations: yields (name, user), drops it afterwards."""
    require_service("PostgreSQL", "127.0.0.1", POSTGRES_PORT)
    require_postgres()
    require_redis()
    with scratch_database("skincare_tracker_") as name:
        yield name, make_url(POSTGRES_URL).username or "root"


def production_env(database: str, user: str, *, postgres_port: int = POSTGRES_PORT,
                   redis_port: int = REDIS_PORT) -> dict[str, str]:
    """Environment for endpoints.production.yml (ports may point at a TcpProxy)."""
    return {
        "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": str(postgres_port), "TRACKER_DB_NAME": database,
        "TRACKER_DB_USER": user, "TRACKER_DB_PASSWORD": "", "TRACKER_DB_URL": "",
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis_port), "REDIS_DB": "0", "REDIS_PASSWORD": "",
        "REST_TOKEN": REST_TOKEN,
        # Replicas must share the key that signs widget sessions (the launcher makes one per stack otherwise).
        "WIDGET_SESSION_KEY": WIDGET_SESSION_KEY,
    }


def start_production(work_dir: Path, env: dict[str, str]) -> RunningAssistant:
    """Action, Rasa and web servers on endpoints.production.yml with this environment."""
    return start_assistant(work_dir, endpoints=PRODUCTION_ENDPOINTS, extra_env=env)


def start_rasa_replica(primary: RunningAssistant) -> Stack:
    """A second Rasa server with the primary's settings (same stores, same action server), own port."""
    first = primary.stack.settings
    settings = StackSettings(
        rasa_port=free_port(), action_port=first.action_port, web_port=first.web_port,
        endpoints=first.endpoints, runtime_dir=first.runtime_dir, tracker_sqlite_path=first.tracker_sqlite_path,
        # Same action server, so the same secret for it (a new Stack would make its own).
        extra_env={**first.extra_env, "ACTION_SERVER_TOKEN": primary.stack.action_token},
    )
    replica = Stack(settings, log_dir=primary.log_dir / f"replica-{settings.rasa_port}")
    service = replica.service("rasa server")
    replica.start_service(service)
    try:
        replica.wait_ready(service)
    except Exception:
        replica.stop()
        raise
    return replica


def post_message(rasa_url: str, sender: str, text: str, timeout: float = 60.0) -> list[dict[str, Any]]:
    """One message over the REST channel of the Rasa server at rasa_url; the replies."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"{rasa_url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {REST_TOKEN}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
        return json.load(response)


def get_json(url: str, timeout: float = 10.0) -> tuple[int, dict[str, Any]]:
    """GET a JSON endpoint: (status, body), also for error statuses."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def get_text(url: str, timeout: float = 10.0) -> str:
    """GET a text endpoint's body."""
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
        return response.read().decode()


def stored_events(database: str, user: str, sender: str) -> list[dict[str, Any]]:
    """The conversation's events as Rasa stored them in PostgreSQL, in order."""
    engine = create_engine(f"postgresql+psycopg2://{user}@127.0.0.1:{POSTGRES_PORT}/{database}", future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            return [json.loads(row[0]) for row in rows]
    finally:
        engine.dispose()
