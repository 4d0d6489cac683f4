"""Conversations remembered in a server's memory (to keep a message's cost flat) leave it once idle."""

from __future__ import annotations

from bot.action_events import EventHistory
from bot.bounded_history import _PerConversation
from bot.idle_memory import LastUse


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_only_the_conversations_idle_longer_than_the_limit_are_given_up_oldest_first() -> None:
    clock = Clock()
    last_use = LastUse(seconds=600, clock=clock)
    last_use.touch("a")
    clock.now += 300
    last_use.touch("b")
    last_use.touch("a")  # used again: now the most recent
    clock.now += 301
    assert last_use.idle() == []  # b was used 301 s ago, a 301 s ago: neither is idle yet
    clock.now += 300
    assert last_use.idle() == ["b", "a"]
    assert last_use.idle() == []  # given up once


def test_the_rasa_servers_memo_of_an_idle_conversation_is_dropped() -> None:
    clock = Clock()
    memo: _PerConversation[str] = _PerConversation(size=10, events=1000, last_use=LastUse(600, clock))
    memo.put("quiet", "what quiet said", events=5)
    clock.now += 500
    memo.put("busy", "what busy said", events=5)
    clock.now += 200
    assert memo.get("quiet") is None  # 700 s idle: read back from the store next time
    assert memo.get("busy") == "what busy said"
    assert memo._held == 5


def test_the_action_servers_copy_of_an_idle_conversation_is_dropped() -> None:
    clock = Clock()
    history = EventHistory(size=10, last_use=LastUse(600, clock))
    events = [{"event": "user", "text": "I'm breastfeeding"}]
    history.complete({"sender_id": "quiet", "tracker": {"events": events}, "next_action": "x"})
    clock.now += 601
    history.complete({"sender_id": "other", "tracker": {"events": []}, "next_action": "x"})
    assert "quiet" not in history._events and "other" in history._events
