"""Tracker fixtures for action tests: a temporary knowledge store and a way to build conversations."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.triage.db import use_engine
from bot.triage.recorder import wait_for_queued_topics
from knowledge.database import get_engine
from tests.fixtures.store import REAL_PROFILES, make_store


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Real profiles plus the fictional test-only ingredient, in a temp SQLite store (also triage's DB)."""
    url = make_store(tmp_path)
    monkeypatch.setenv("SKINCARE_DB_URL", url)
    use_engine(get_engine(url))
    yield url
    wait_for_queued_topics()
    use_engine(None)


@pytest.fixture
def real_only_store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Only the real profiles (one ingredient), in a temp SQLite store."""
    url = make_store(tmp_path, [REAL_PROFILES], name="real.sqlite")
    monkeypatch.setenv("SKINCARE_DB_URL", url)
    use_engine(get_engine(url))
    yield url
    wait_for_queued_topics()
    use_engine(None)


def entity(name: str, value: str) -> dict[str, Any]:
    """An entity as the NLU pipeline reports it."""
    return {"entity": name, "value": value, "extractor": "KnowledgeEntityExtractor"}


def make_tracker(
    intent: str,
    text: str,
    entities: Sequence[dict[str, Any]] = (),
    slots: dict[str, Any] | None = None,
    sender_id: str = "test-user",
) -> Tracker:
    """A tracker whose latest message has this intent, text and entities."""
    latest = {"intent": {"name": intent, "confidence": 0.99}, "entities": list(entities), "text": text}
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action the way the action server does; return (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def texts(messages: Sequence[dict[str, Any]]) -> str:
    """Every message text, joined."""
    return "\n".join(m.get("text") or "" for m in messages)


def slot_events(events: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Slot name -> value for the SlotSet events returned."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
