"""The embedded set-up keeps conversations in SQLite (WAL mode) across a Rasa restart."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from tests.servers import RunningAssistant

pytestmark = pytest.mark.servers


def test_tracker_store_is_sqlite_in_wal_mode(assistant: RunningAssistant) -> None:
    sender = f"wal-{uuid.uuid4().hex[:8]}"
    assistant.send(sender, "are milk exosomes vegan?")
    with sqlite3.connect(assistant.tracker_db_path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        count = connection.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]
    assert count >= 4


def test_profile_is_remembered_after_a_restart(assistant: RunningAssistant) -> None:
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    assistant.send(sender, "I have dry skin")
    assistant.restart_rasa()
    reply = assistant.reply_text(sender, "would milk exosomes suit me?")
    assert "dry skin" in reply
