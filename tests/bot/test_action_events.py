"""Action calls carrying the latest events only (bot/action_events.py): the action server runs the action
on exactly the call Rasa would have sent whole, or asks for it whole."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot import action_events
from bot.action_events import ACCEPTS_KEY, BEFORE_KEY, EventHistory, IncompleteCall, TailCall, tail_call

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
RASA_CALL_FORMAT = RemoteAction._action_call_format
RASA_REQUEST = EndpointConfig.request


def conversation(sender: str, turns: int, first_turn: int = 0) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    for turn in range(first_turn, first_turn + turns):
        add_turn(tracker, turn)
    return tracker


def add_turn(tracker: DialogueStateTracker, turn: int) -> None:
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered(f"question {turn}", {"name": "ask_diet", "confidence": 0.9}))
    tracker.update(SlotSet("ingredient", f"ingredient {turn}"))
    tracker.update(ActionExecuted("action_answer_ingredient_question"))
    tracker.update(BotUttered(f"answer {turn}"))


def wire(body: dict[str, Any]) -> dict[str, Any]:
    """What the action server receives: the call as JSON."""
    return json.loads(json.dumps(body))


def rasas_call(tracker: DialogueStateTracker) -> dict[str, Any]:
    return RASA_CALL_FORMAT(RemoteAction("action_answer_ingredient_question", None), tracker, DOMAIN)


def our_call(tracker: DialogueStateTracker, tail: int = 50) -> dict[str, Any]:
    action = RemoteAction("action_answer_ingredient_question", None)
    return tail_call(action, tracker, DOMAIN, lambda: rasas_call(tracker), tail)


def test_the_action_server_completes_a_tail_into_rasas_whole_call() -> None:
    history, tracker = EventHistory(), conversation("alice", 30)
    first = rasas_call(tracker)
    assert our_call(tracker, tail=1000) == first  # not longer than the tail: Rasa's own call
    assert history.complete(wire(first)) == wire(first)
    for turn in range(30, 45):  # Rasa's next calls: the server saw the events before their tails
        add_turn(tracker, turn)
        call = our_call(tracker)
        assert isinstance(call, TailCall) and len(call["tracker"]["events"]) == 50
        assert call[BEFORE_KEY]["count"] == len(tracker.events) - 50
        assert {k: v for k, v in call.items() if k != BEFORE_KEY} | {"tracker": None} == \
            rasas_call(tracker) | {"tracker": None}
        assert history.complete(wire(call)) == wire(rasas_call(tracker))
        assert call.whole() == rasas_call(tracker)


def test_a_forgotten_conversation_is_no_longer_held() -> None:
    history, tracker, other = EventHistory(), conversation("alice", 30), conversation("bob", 30)
    history.complete(wire(rasas_call(tracker)))
    history.complete(wire(rasas_call(other)))
    history.forget("alice")
    history.forget("nobody")  # nothing held: nothing to do
    add_turn(tracker, 30)
    add_turn(other, 30)
    with pytest.raises(IncompleteCall):  # Rasa must send the whole call again: nothing of alice's is kept here
        history.complete(wire(our_call(tracker)))
    assert history.complete(wire(our_call(other))) == wire(rasas_call(other))


def test_calls_it_cannot_complete_are_refused() -> None:
    tracker = conversation("bob", 30)
    call = wire(our_call(tracker))
    with pytest.raises(IncompleteCall):  # never saw this conversation (another replica, a restart)
        EventHistory().complete(call)
    history = EventHistory()
    history.complete(wire(rasas_call(conversation("bob", 30, first_turn=100))))  # same length, other events
    with pytest.raises(IncompleteCall):
        history.complete(call)
    history = EventHistory()
    history.complete(wire(rasas_call(conversation("bob", 5))))  # saw it too long ago: fewer events held
    with pytest.raises(IncompleteCall):
        history.complete(call)


def test_the_least_recently_used_conversation_is_forgotten_first() -> None:
    history = EventHistory(size=2)
    trackers = {name: conversation(name, 30) for name in ("ann", "ben", "cat")}
    for name in ("ann", "ben", "ann", "cat"):
        history.complete(wire(rasas_call(trackers[name])))
    assert history.complete(wire(our_call(trackers["ann"])))["tracker"]["events"] == \
        wire(rasas_call(trackers["ann"]))["tracker"]["events"]
    with pytest.raises(IncompleteCall):
        history.complete(wire(our_call(trackers["ben"])))


@pytest.fixture
def rasa_side(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Rasa's side installed over a fake action server that holds nothing until it gets a whole call."""
    sent: list[dict[str, Any]] = []
    history = EventHistory()

    async def fake_server(self: EndpointConfig, *args: Any, json: dict[str, Any], **kwargs: Any) -> Any:
        sent.append(json)
        try:
            history.complete(wire(json))
        except IncompleteCall:
            raise ClientResponseError(409, "Conflict", "send it whole") from None
        return {"events": [], "responses": [], ACCEPTS_KEY: True}

    monkeypatch.setattr(EndpointConfig, "request", fake_server)
    monkeypatch.setattr(RemoteAction, "_action_call_format", RASA_CALL_FORMAT)
    action_events.install_event_tail(tail=50)
    yield sent


def test_rasa_sends_tails_once_accepted_and_resends_whole_on_409(rasa_side: list[dict[str, Any]]) -> None:
    endpoint = EndpointConfig("http://actions.invalid/webhook")
    tracker = conversation("dana", 30)

    async def run_action() -> None:
        action = RemoteAction("action_answer_ingredient_question", endpoint)
        await action.run(None, None, tracker, DOMAIN)

    asyncio.run(run_action())
    assert rasa_side[-1] == rasas_call(tracker)  # the server has not said it accepts tails: whole
    add_turn(tracker, 30)
    asyncio.run(run_action())
    assert BEFORE_KEY in rasa_side[-1] and len(rasa_side[-1]["tracker"]["events"]) == 50
    endpoint.__dict__["_accepts_event_tails"] = True
    other = conversation("erin", 30)  # a conversation the server never saw: 409, then the whole call
    tracker = other
    asyncio.run(run_action())
    assert BEFORE_KEY in rasa_side[-2] and rasa_side[-1] == rasas_call(other)


def test_rasa_version_is_checked() -> None:
    action_events.check_rasa_version(action_events.RASA_VERSION)
    with pytest.raises(RuntimeError, match="Rasa 3.6.21's action calls, but Rasa 3.7.0 is installed"):
        action_events.check_rasa_version("3.7.0")


@pytest.mark.servers
def test_the_action_server_asks_for_a_whole_call_and_then_completes_tails(assistant: Any) -> None:
    tracker = conversation("tails-over-http", 30)
    headers = {"Authorization": f"Bearer {assistant.action_token}"}

    def post(body: dict[str, Any]) -> requests.Response:
        return requests.post(f"{assistant.action_url}/webhook", json=body, headers=headers, timeout=30)

    refused = post(wire(our_call(tracker)))
    assert refused.status_code == 409
    whole = post(wire(rasas_call(tracker)))
    assert whole.status_code == 200 and whole.json()[ACCEPTS_KEY] is True
    add_turn(tracker, 30)
    tail = post(wire(our_call(tracker)))
    assert tail.status_code == 200
    assert tail.json()["responses"] == post(wire(rasas_call(tracker))).json()["responses"]
