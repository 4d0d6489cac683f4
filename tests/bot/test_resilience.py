"""Honest failure pieces without servers: settings, the tracker-store wrapper, JSON logs, socket.io manager."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from socketio import AsyncRedisManager

from bot.observability import JsonLogFormatter, use_json_logs_if_asked
from bot.resilience import (
    DEFAULT_ACTION_TIMEOUT_SECONDS,
    ConversationStoreUnavailable,
    HonestTrackerStore,
    action_timeout_seconds,
)
from bot.socketio_replicas import socketio_client_manager

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


def test_action_timeout_is_read_and_checked_once() -> None:
    assert action_timeout_seconds({}) == DEFAULT_ACTION_TIMEOUT_SECONDS < 5
    assert action_timeout_seconds({"ACTION_TIMEOUT_SECONDS": " 2.5 "}) == 2.5
    for bad in ("0", "-1", "soon", "nan", "inf"):
        with pytest.raises(ValueError, match="ACTION_TIMEOUT_SECONDS must be a positive number"):
            action_timeout_seconds({"ACTION_TIMEOUT_SECONDS": bad})


class BrokenStore(InMemoryTrackerStore):
    """A tracker store whose database is down."""

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        raise ConnectionError("database is down")

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise ConnectionError("database is down")


def test_a_store_outage_is_an_error_not_a_fresh_conversation() -> None:
    tracker = DialogueStateTracker("person", DOMAIN.slots)
    tracker.update(UserUttered("I have oily skin"))

    async def scenario() -> None:
        rasas = FailSafeTrackerStore(BrokenStore(DOMAIN))
        fresh = await rasas.get_or_create_tracker("person")  # what Rasa does: a new, empty conversation
        assert fresh is not None and not list(fresh.events)[1:]
        ours = HonestTrackerStore(BrokenStore(DOMAIN))
        with pytest.raises(ConversationStoreUnavailable, match="could not read conversation person"):
            await ours.get_or_create_tracker("person")
        with pytest.raises(ConversationStoreUnavailable, match="could not save"):
            await ours.save(tracker)
        assert not await ours.fallback_tracker_store.keys()  # nothing went to a throw-away store

    asyncio.run(scenario())


def test_json_log_lines() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("bot.resilience", logging.ERROR, __file__, 1, "failed for %s", ("x",),
                                   sys.exc_info())
    entry = json.loads(JsonLogFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["logger"] == "bot.resilience" and entry["message"] == "failed for x"
    assert "RuntimeError: boom" in entry["error"] and entry["time"].endswith("Z")
    assert use_json_logs_if_asked({"LOG_FORMAT": "text"}) is False
    with pytest.raises(ValueError, match="LOG_FORMAT must be 'json' or 'text'"):
        use_json_logs_if_asked({"LOG_FORMAT": "xml"})


def test_socketio_uses_redis_only_when_configured() -> None:
    assert socketio_client_manager({}) is None
    assert isinstance(socketio_client_manager({"SOCKETIO_REDIS_URL": "redis://127.0.0.1:6379/0"}), AsyncRedisManager)
    with pytest.raises(ValueError, match="SOCKETIO_REDIS_URL must be a redis://"):
        socketio_client_manager({"SOCKETIO_REDIS_URL": "127.0.0.1:6379"})
