"""PostgreSQL + Redis by configuration alone: endpoints.production.yml and environment variables."""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.fixtures.store import POSTGRES_URL, REAL_PROFILES, postgres_store, require_postgres, scratch_database
from tests.servers import REPO_ROOT, RunningAssistant, start_assistant

pytestmark = [pytest.mark.servers, pytest.mark.postgres, pytest.mark.redis]


def require_redis(host: str = "127.0.0.1", port: int = 6379) -> None:
    """Skip when Redis is unreachable, unless CI=true (then fail)."""
    try:
        with socket.create_connection((host, port), timeout=3):
            return
    except OSError as error:
        reason = f"Redis not reachable at {host}:{port}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: Redis is required)")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def production_assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningAssistant, str]]:
    """The servers on PostgreSQL (knowledge store, tracker store) and Redis (lock store)."""
    require_postgres()
    require_redis()
    user = make_url(POSTGRES_URL).username or "root"
    with scratch_database("skincare_tracker_") as tracker_db, postgres_store([REAL_PROFILES]) as knowledge_url:
        env = {
            "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": "5432", "TRACKER_DB_NAME": tracker_db,
            "TRACKER_DB_USER": user, "TRACKER_DB_PASSWORD": "",
            "TRACKER_DB_URL": "",  # the staff side finds the tracker store from the variables above
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": "0", "REDIS_PASSWORD": "",
            "REST_TOKEN": secrets.token_urlsafe(32),  # production refuses to start without it
        }
        running = start_assistant(tmp_path_factory.mktemp("production"), knowledge_db_url=knowledge_url,
                                  endpoints=REPO_ROOT / "endpoints.production.yml", extra_env=env)
        try:
            yield running, f"postgresql+psycopg2://{user}@127.0.0.1:5432/{tracker_db}"
        finally:
            running.stack.stop()


def test_answers_come_from_the_postgresql_store(production_assistant: tuple[RunningAssistant, str]) -> None:
    running, _ = production_assistant
    assert "may choose to avoid" in running.reply_text("pg-vegan", "are milk exosomes vegan?")


def test_conversations_survive_a_restart_in_postgresql(production_assistant: tuple[RunningAssistant, str]) -> None:
    running, tracker_url = production_assistant
    sender = f"pg-{uuid.uuid4().hex[:8]}"
    running.send(sender, "I have oily skin")
    running.restart_rasa()
    reply = running.reply_text(sender, "would milk exosomes suit me?")
    assert "oily skin usually tolerates" in reply
    engine = create_engine(tracker_url, future=True)
    try:
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender})
            assert count.scalar_one() > 4
    finally:
        engine.dispose()


def test_the_redis_lock_store_is_used(production_assistant: tuple[RunningAssistant, str]) -> None:
    """Watch Redis (MONITOR) while a message is handled: the conversation's lock goes through it."""
    running, _ = production_assistant
    sender = f"lock-{uuid.uuid4().hex[:8]}"
    seen: list[str] = []
    client = redis.Redis(host="127.0.0.1", port=6379, socket_timeout=10)
    with client.monitor() as monitor:
        worker = threading.Thread(target=running.send, args=(sender, "will milk exosomes clog my pores?"))
        worker.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(sender in c for c in seen):
            seen.append(monitor.next_command()["command"])
        worker.join(timeout=30)
    assert any(sender in command for command in seen), seen[-5:]


def test_staff_read_transcripts_from_postgresql_without_a_separate_url(
    production_assistant: tuple[RunningAssistant, str],
) -> None:
    running, _ = production_assistant
    sender = f"pg-staff-{uuid.uuid4().hex[:8]}"
    running.send(sender, "my lips are swelling and I can't breathe")
    headers = {"Authorization": f"Bearer {running.staff_token}"}

    def ticket() -> dict | None:
        listing = requests.get(f"{running.web_url}/staff/api/tickets", headers=headers, timeout=10).json()
        return next((t for t in listing["tickets"] if t["conversation_id"] == sender), None)

    deadline = time.monotonic() + 10
    while (found := ticket()) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found is not None
    detail = requests.get(f"{running.web_url}/staff/api/tickets/{found['id']}", headers=headers, timeout=10).json()
    assert detail["transcript_error"] is None
    assert detail["transcript"][0]["text"] == "my lips are swelling and I can't breathe"
