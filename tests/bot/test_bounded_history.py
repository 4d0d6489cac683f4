"""Bounded per-message work (bot/bounded_history.py) gives Rasa's own results on the same inputs."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    StoryExported,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import bounded_history

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL = REPO_ROOT / "models" / "skincare.tar.gz"
RASA_APPLIED_EVENTS = DialogueStateTracker.applied_events
RASA_PREDICTION_STATES = RulePolicy._prediction_states
RASA_COPY = DialogueStateTracker.copy
DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture
def patched() -> Iterator[None]:
    bounded_history.install_all()
    try:
        yield
    finally:
        DialogueStateTracker.applied_events = RASA_APPLIED_EVENTS  # type: ignore[method-assign]
        DialogueStateTracker.copy = RASA_COPY  # type: ignore[method-assign]
        RulePolicy._prediction_states = RASA_PREDICTION_STATES  # type: ignore[method-assign]


def test_refuses_another_rasa_version() -> None:
    bounded_history.check_rasa_version(bounded_history.RASA_VERSION)
    with pytest.raises(RuntimeError, match="changes Rasa 3.6.21, but Rasa 3.7.0 is installed"):
        bounded_history.check_rasa_version("3.7.0")


def random_event(rng: random.Random) -> Event:
    """Any event that changes what Rasa counts as applied: reverts, restarts, sessions, loops, rejections."""
    loop = rng.choice(["handoff_form", "other_form"])
    return rng.choice([
        lambda: ActionExecuted(ACTION_LISTEN_NAME),
        lambda: UserUttered("hi", {"name": rng.choice(["greet", "affirm", "ask_diet"]), "confidence": 0.9}),
        lambda: ActionExecuted(rng.choice(["utter_greet", "action_answer", loop])),
        lambda: ActiveLoop(rng.choice([loop, None])),
        lambda: ActionExecutionRejected(loop),
        lambda: LoopInterrupted(rng.choice([True, False])),
        lambda: SlotSet("contact_email", rng.choice([None, "a@b.example"])),
        lambda: ActionReverted(),
        lambda: UserUtteranceReverted(),
        lambda: Restarted(),
        lambda: SessionStarted(),
        lambda: FollowupAction("action_offer_handoff"),
        lambda: ConversationPaused() if rng.random() < 0.5 else ConversationResumed(),
        lambda: BotUttered("an answer"),
    ])() if rng.random() < 0.3 else rng.choice([
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("is it vegan", {"name": "ask_diet", "confidence": 0.9}),
        ActionExecuted("action_answer"),
    ])


@pytest.mark.parametrize("seed", range(40))
def test_applied_events_match_rasa_after_every_event(patched: None, seed: int) -> None:
    rng = random.Random(seed)
    tracker = DialogueStateTracker("applied", [])
    for _ in range(rng.randint(1, 120)):
        tracker.update(random_event(rng))
        if rng.random() < 0.6:  # sometimes several events arrive between two calls
            assert tracker.applied_events() == RASA_APPLIED_EVENTS(tracker)
    assert tracker.applied_events() == RASA_APPLIED_EVENTS(tracker)


def test_a_loop_named_later_refolds_earlier_loop_actions(patched: None) -> None:
    # Rasa reads loop names from all events: a loop's name first activated after two of its runs changes
    # which of those runs count as applied, so what was remembered must be recomputed.
    tracker = DialogueStateTracker("applied", [])
    for text in ("my email", "it is a@b.example"):
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        tracker.update(UserUttered(text, {"name": "inform"}))
        tracker.update(ActionExecuted("handoff_form"))
    before = tracker.applied_events()
    tracker.update(ActiveLoop("handoff_form"))
    assert tracker.applied_events() == RASA_APPLIED_EVENTS(tracker)
    assert len(tracker.applied_events()) < len(before) + 1  # the loop name did change the fold


def test_applied_events_follow_a_replaced_or_bounded_event_list(patched: None) -> None:
    tracker = DialogueStateTracker("applied", [], max_event_history=5)
    for i in range(12):  # a bounded deque drops its oldest events: the remembered fold is stale
        tracker.update(UserUttered(f"message {i}", {"name": "greet"}))
        assert tracker.applied_events() == RASA_APPLIED_EVENTS(tracker)
    copy = tracker.copy()
    copy.update(ActionExecuted("utter_greet"))
    assert copy.applied_events() == RASA_APPLIED_EVENTS(copy)
    assert tracker.applied_events() == RASA_APPLIED_EVENTS(tracker)
    returned = tracker.applied_events()
    returned.clear()  # callers may change the list they get
    assert tracker.applied_events() == RASA_APPLIED_EVENTS(tracker) != []


@pytest.fixture(scope="module")
def agent() -> Agent:
    if not MODEL.exists():
        pytest.fail(f"needs the trained model {MODEL} (make train)")
    return Agent.load(str(MODEL))


def rule_policy(agent: Agent) -> RulePolicy:
    for node in agent.processor.graph_runner._instantiated_nodes.values():
        component = getattr(node, "_component", None)
        if isinstance(component, RulePolicy):
            return component
    raise AssertionError("the model has no RulePolicy")


def conversation_tracker(domain: Domain, turns: int, seed: int) -> DialogueStateTracker:
    """A long conversation with the model's own intents, actions, slots and the handoff form."""
    rng = random.Random(seed)
    tracker = DialogueStateTracker("states", domain.slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    custom = [name for name in domain.user_actions if name.startswith("action_")] or ["action_listen"]
    for _ in range(turns):
        intent = rng.choice(domain.intents)
        tracker.update(UserUttered("text", {"name": intent, "confidence": 0.9},
                                   [{"entity": entity, "value": "x"} for entity in domain.entities[:1]
                                    if rng.random() < 0.3]))
        for slot in rng.sample(list(domain.slots), k=min(2, len(domain.slots))):
            if rng.random() < 0.3:
                tracker.update(SlotSet(slot.name, rng.choice([None, "oily", ["a"], 1.0, True])))
        if rng.random() < 0.05:
            tracker.update(ActionExecuted("handoff_form"))
            tracker.update(ActiveLoop("handoff_form"))
        elif rng.random() < 0.05:
            tracker.update(ActiveLoop(None))
        tracker.update(ActionExecuted(rng.choice(custom)))
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    return tracker


@pytest.mark.parametrize("seed", range(6))
def test_rule_states_and_predictions_match_rasa(patched: None, agent: Agent, seed: int) -> None:
    domain = agent.domain
    policy = rule_policy(agent)
    assert bounded_history.longest_rule_states(policy) >= 2
    for turns in (0, 1, 3, 40):
        tracker = conversation_tracker(domain, turns, seed)
        for use_text in (False, True):
            bounded = policy._prediction_states(tracker, domain, use_text, policy._get_rule_only_data())
            full = RASA_PREDICTION_STATES(policy, tracker, domain, use_text, policy._get_rule_only_data())
            assert bounded == full[-len(bounded):]
            assert len(bounded) == min(len(full), bounded_history.longest_rule_states(policy))
            # what the policy does with them: the same rule keys match
            assert policy._get_possible_keys(policy.lookup["rules"], bounded) == \
                policy._get_possible_keys(policy.lookup["rules"], full)
        bounded_prediction = policy.predict_action_probabilities(tracker, domain)
        RulePolicy._prediction_states = RASA_PREDICTION_STATES  # type: ignore[method-assign]
        try:
            full_prediction = policy.predict_action_probabilities(tracker, domain)
        finally:
            bounded_history.install_bounded_rule_states()
        assert bounded_prediction == full_prediction


def state_of(tracker: DialogueStateTracker) -> dict:
    """Everything a tracker holds, slots by their contents (each tracker has its own Slot objects)."""
    state = {key: value for key, value in vars(tracker).items() if key != "_replayable"}  # a memo of ours
    state["slots"] = {name: vars(slot) for name, slot in tracker.slots.items()}
    state["events"] = list(tracker.events)
    return state


@pytest.mark.parametrize("seed", range(30))
def test_copies_hold_what_rasas_replay_gives(seed: int) -> None:
    rng = random.Random(seed)
    tracker = DialogueStateTracker("copied", DOMAIN.slots)
    for _ in range(rng.randint(0, 80)):
        tracker.update(random_event(rng))
        if rng.random() < 0.2:
            tracker.update(SlotSet(rng.choice(list(DOMAIN.slots)).name, rng.choice([None, "oily", ["a"], 2.0])))
    copied, replayed = bounded_history.replayed_copy(tracker), RASA_COPY(tracker)
    assert copied is not None
    assert state_of(copied) == state_of(replayed)
    if tracker.active_loop is not None:  # the copy's loop is its own: later events change it in place
        copied.interrupt_loop(not tracker.active_loop.is_interrupted)
        assert copied.active_loop != tracker.active_loop


def test_copies_replay_where_the_state_may_not_come_from_the_events() -> None:
    bounded = DialogueStateTracker("copied", DOMAIN.slots, max_event_history=3)
    exported = DialogueStateTracker("copied", DOMAIN.slots)
    exported.update(StoryExported("/dev/null"))
    without_domain = DialogueStateTracker("copied", None)
    for tracker in (bounded, exported, without_domain):
        assert bounded_history.replayed_copy(tracker) is None


def test_rule_states_of_a_growing_conversation_match_rasa(patched: None, agent: Agent) -> None:
    # One conversation growing turn by turn (its replay resumes from checkpoints), interleaved now and
    # then with an unrelated tracker of the same id (whose events are other objects) and with copies
    # that end earlier.
    domain, policy = agent.domain, rule_policy(agent)
    growing, data = conversation_tracker(domain, 0, 1), policy._get_rule_only_data()
    rng = random.Random(7)
    for turn in range(60):
        extra = conversation_tracker(domain, 2, turn)
        for event in list(extra.events)[3:]:
            growing.update(event)
        trackers = [growing]
        if turn % 10 == 9:
            trackers.append(conversation_tracker(domain, rng.randint(0, 30), turn))
        if turn % 5 == 4:
            trackers.append(growing.travel_back_in_time(list(growing.events)[-9].timestamp))
        for tracker in trackers:
            full = RASA_PREDICTION_STATES(policy, tracker, domain, False, data)
            bounded = policy._prediction_states(tracker, domain, False, data)
            assert bounded == full[-len(bounded):]


def test_a_conversation_read_back_from_the_store_reuses_what_was_remembered(patched: None, agent: Agent) -> None:
    # The next message's tracker holds the latest turns as new objects (deserialised from the store):
    # equal events are recognised, a changed one is not.
    domain, policy = agent.domain, rule_policy(agent)
    data = policy._get_rule_only_data()
    tracker = conversation_tracker(domain, 30, 3)
    tracker.applied_events()
    policy._prediction_states(tracker, domain, False, data)
    events = [event.as_dict() for event in tracker.events]
    reloaded = DialogueStateTracker.from_dict(tracker.sender_id, events, domain.slots)
    changed = [dict(event) for event in events]
    changed[-3] = {**changed[-3], "timestamp": changed[-3]["timestamp"] + 1, "name": "utter_greet"} \
        if changed[-3]["event"] == "action" else {**changed[-3], "timestamp": changed[-3]["timestamp"] + 1}
    for other in (reloaded, DialogueStateTracker.from_dict(tracker.sender_id, changed, domain.slots)):
        for event in list(conversation_tracker(domain, 3, 9).events)[3:]:
            other.update(event)
        assert other.applied_events() == RASA_APPLIED_EVENTS(other)
        full = RASA_PREDICTION_STATES(policy, other, domain, False, data)
        assert policy._prediction_states(other, domain, False, data) == full[-bounded_history.longest_rule_states(
            policy):]
    assert bounded_history._starts_with(reloaded.events, list(tracker.events))
    assert not bounded_history._starts_with(
        DialogueStateTracker.from_dict(tracker.sender_id, changed, domain.slots).events, list(tracker.events))


def test_what_is_remembered_stays_within_its_bounds() -> None:
    remembered = bounded_history._PerConversation[str](size=3, events=100)
    for name in ("a", "b", "c"):
        remembered.put(name, name, 30)
    remembered.get("a")
    remembered.put("d", "d", 30)  # over 100 events: the least recently put goes first
    assert [remembered.get(name) for name in "abcd"] == [None, "b", "c", "d"]
    remembered.put("e", "e", 5)
    remembered.put("f", "f", 5)  # over 3 conversations
    assert [remembered.get(name) for name in "bcdef"] == [None, None, "d", "e", "f"]
    remembered.put("huge", "huge", 1000)  # one conversation over the limit is still remembered, alone
    assert remembered.get("huge") == "huge" and remembered.get("f") is None
