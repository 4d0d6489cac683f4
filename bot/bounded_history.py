"""A message late in a long conversation costs what an early one does: Rasa's per-message work, bounded.

Rasa 3.6 replays the whole conversation session several times for every message, so the cost of a
message grows with the number of turns before it (README "Benchmark": p50 20 ms over turns 1-50,
123 ms at turns 250-300). Each change below keeps Rasa's results (same predictions, same events, same
errors; tests/bot/test_bounded_history.py compares each with Rasa's own code on the same inputs) and
drops work whose result cannot differ:

- Rule states: RulePolicy featurises every turn of the conversation (Domain.get_active_state per
  turn, three times per message) and then only compares the latest turns with its rules: a rule of
  n turns looks at the last n states and passes every state before them (`_is_rule_applicable`,
  "further in the conversation history than the rule's length"). States are built for the last
  `longest rule` turns only. The replay that produces them (every applied event applied to a fresh
  tracker) starts from a remembered replay of the same events (`_Checkpoint`), when there is one.
- Applied events: `DialogueStateTracker.applied_events()` folds over every event of the tracker and
  runs about five times per message. Its result for the conversation's events seen so far is
  remembered and only the events after them are folded in.
- Tracker copies: `DialogueStateTracker.copy()` (before every action) replays every event onto a new
  tracker; the copy is built from the state those events produced instead (`replayed_copy`).

What is remembered is per conversation and only reused for a tracker whose events start with the same
events (checked on each use: the same objects, or the latest turns as the tracker store wrote them);
anything else (another conversation, a rewritten history, a new loop name, other slot definitions)
recomputes from the start as Rasa does. tests/bot/test_flat_cost_equivalence.py runs long conversations
through Rasa as released and with these changes: same replies, same stored events.

Fails at start-up if the installed Rasa is not the version these were written for.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import operator
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import rasa
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    StoryExported,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.idle_memory import LastUse

#: The Rasa release whose code these changes were checked against (tests/bot/test_bounded_history.py).
RASA_VERSION = "3.6.21"
#: Conversations, and events in all, whose remembered folds and replays are kept (the least recently used
#: are dropped first): memory stays bounded however many or long the conversations.
REMEMBERED_CONVERSATIONS = 1000
REMEMBERED_EVENTS = 50_000


def check_rasa_version(installed: str = rasa.__version__) -> None:
    """Fail at start-up, not in production, if Rasa is not the version this module was written for."""
    if installed != RASA_VERSION:
        raise RuntimeError(f"bot/bounded_history.py changes Rasa {RASA_VERSION}, but Rasa {installed} is "
                           "installed: check each change against the new Rasa, then update RASA_VERSION")



T = TypeVar("T")


class _PerConversation(Generic[T]):
    """What was last remembered for recent conversations: at most `size` conversations and `events` events
    (what an item holds, as counted by `put`'s caller), the least recently used dropped first."""

    def __init__(self, size: int = REMEMBERED_CONVERSATIONS, events: int = REMEMBERED_EVENTS,
                 last_use: LastUse | None = None) -> None:
        self.size, self.events = size, events
        self._items: OrderedDict[Any, tuple[T, int]] = OrderedDict()
        self._held = 0
        self._last_use = last_use or LastUse()  # idle conversations leave memory (bot/idle_memory.py)

    def get(self, sender_id: Any) -> T | None:
        self._drop_idle()
        held = self._items.get(sender_id)
        return None if held is None else held[0]

    def put(self, sender_id: Any, item: T, events: int) -> None:
        previous = self._items.pop(sender_id, None)
        if previous is not None:
            self._held -= previous[1]
        self._items[sender_id] = (item, events)
        self._held += events
        self._last_use.touch(sender_id)
        while len(self._items) > 1 and (len(self._items) > self.size or self._held > self.events):
            dropped_id, (_, dropped) = self._items.popitem(last=False)
            self._held -= dropped
            self._last_use.forget(dropped_id)
        self._drop_idle()

    def _drop_idle(self) -> None:
        for sender_id in self._last_use.idle():
            dropped = self._items.pop(sender_id, None)
            if dropped is not None:
                self._held -= dropped[1]


def _starts_with(events: Sequence[Event], prefix: Sequence[Event]) -> bool:
    """Whether `events` begins with the events of `prefix`: the very objects, or, from the first that is
    not (the latest turns read back from the tracker store are new objects), events the store writes
    identically (type, timestamp and every other field)."""
    if len(prefix) > len(events):
        return False
    differs = next(itertools.compress(itertools.count(), map(operator.is_not, events, prefix)), None)
    if differs is None:
        return True
    return all(_stored_form(ours) == _stored_form(known)
               for ours, known in zip(itertools.islice(events, differs, None), prefix[differs:], strict=False))


def _stored_form(event: Event) -> str:
    """The event as the tracker store writes it (JSON: in memory a token span is a tuple, read back a list)."""
    return json.dumps(event.as_dict(), sort_keys=True)


# --- Tracker copies ----------------------------------------------------------------------------------


def replayed_copy(tracker: DialogueStateTracker) -> DialogueStateTracker | None:
    """What `tracker.copy()` returns (a new tracker with every event replayed onto it), built by copying
    the state those events produced; None where that could differ (then Rasa's replay must run).

    Differs only if the tracker's state did not come from its events: a bounded event history (older
    events dropped), slots created on the fly, a timestamp a replay stops at, or an event whose replay
    does more than set tracker state (StoryExported writes a file).
    """
    if tracker._max_event_history is not None or type(tracker.slots) is not dict:
        return None
    events = tracker.events
    checked_events, checked = tracker.__dict__.get("_replayable", (None, 0))
    if checked_events is not events:  # the event list was replaced: check it all
        checked = 0
    for event in itertools.islice(events, checked, None):  # events are only ever appended: check the new
        if not event.timestamp <= math.inf or isinstance(event, StoryExported):
            return None
    tracker.__dict__["_replayable"] = (events, len(events))
    # tracker.init_copy() without its slot copies, which the line after next replaces
    replayed = DialogueStateTracker(tracker.sender_id or DEFAULT_SENDER_ID, None, tracker._max_event_history,
                                    is_rule_tracker=tracker.is_rule_tracker)
    replayed.events.extend(events)
    replayed.__dict__["_replayable"] = (replayed.events, len(events))
    replayed.slots = {name: copy.copy(slot) for name, slot in tracker.slots.items()}
    replayed._paused = tracker._paused
    replayed.followup_action = tracker.followup_action
    replayed.latest_action = copy.copy(tracker.latest_action)
    replayed.latest_message = tracker.latest_message
    replayed.latest_bot_utterance = tracker.latest_bot_utterance
    replayed.active_loop = copy.copy(tracker.active_loop)  # changed in place by later events
    return replayed


def install_fast_copy() -> None:
    """`DialogueStateTracker.copy()` copies the replayed state instead of replaying (Rasa's where unsure)."""
    rasa_copy = DialogueStateTracker.copy

    def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
        return replayed_copy(self) or rasa_copy(self)

    DialogueStateTracker.copy = copy_tracker  # type: ignore[method-assign]


# --- Applied events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _AppliedFold:
    """Rasa's applied-events fold over `seen` (a conversation's first events)."""

    seen: list[Event]
    loop_names: frozenset[str]
    applied: list[Event]


_applied_folds: _PerConversation[_AppliedFold] = _PerConversation()


def _fold(tracker: DialogueStateTracker, events: Iterable[Event], loop_names: frozenset[str],
          applied: list[Event]) -> None:
    """The loop body of Rasa's `DialogueStateTracker.applied_events`, over `events`, into `applied`."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def _loop_names(events: Iterable[Event]) -> frozenset[str]:
    return frozenset(event.name for event in events if isinstance(event, ActiveLoop) and event.name)


def applied_events(tracker: DialogueStateTracker) -> list[Event]:
    """Rasa's `applied_events()`, folding in only the events after those already folded for the conversation."""
    events = tracker.events
    fold = _applied_folds.get(tracker.sender_id)
    if fold is not None and len(fold.seen) <= len(events) and _starts_with(events, fold.seen):
        new_events = list(itertools.islice(events, len(fold.seen), None))
        if _loop_names(new_events) <= fold.loop_names:  # a new loop name changes how earlier events fold
            applied = list(fold.applied)
            _fold(tracker, new_events, fold.loop_names, applied)
            # remembered with this tracker's objects: the next call is likely to hold the same ones
            _applied_folds.put(tracker.sender_id, _AppliedFold(list(events), fold.loop_names, applied), len(events))
            return list(applied)
    seen = list(events)
    loop_names, applied = _loop_names(seen), []
    _fold(tracker, seen, loop_names, applied)
    _applied_folds.put(tracker.sender_id, _AppliedFold(seen, loop_names, applied), len(seen))
    return list(applied)


def install_applied_events_memo() -> None:
    """`DialogueStateTracker.applied_events()` folds only events it has not folded for the conversation."""
    DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]


# --- Rule states -------------------------------------------------------------------------------------


def longest_rule_states(policy: RulePolicy) -> int:
    """How many of the latest conversation states any of the policy's rules compares (at least 1)."""
    keys = [*policy.lookup.get(RULES, {}), *policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
    return max([1, *(len(json.loads(key)) for key in keys)])


@dataclass(frozen=True)
class _Checkpoint:
    """A fresh tracker with a conversation's first applied events replayed onto it (never changed)."""

    applied: list[Event]
    actions: int  # ActionExecuted events among them: the prior trackers already passed
    slots: list[dict[str, Any]]  # the slot definitions it was made with
    replay: DialogueStateTracker


_checkpoints: _PerConversation[_Checkpoint] = _PerConversation()


def _slot_definitions(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    return [slot.persistence_info() for slot in tracker.slots.values()]


def latest_states(domain: Domain, tracker: DialogueStateTracker, count: int) -> list[State]:
    """The last `count` of `domain.states_for_tracker_history(tracker)` (no rule-only turns hidden).

    Same replay as Rasa's (every applied event updates a fresh copy of the tracker, a state is taken
    before each action and at the end), but only the states that are kept are built, and the replay
    resumes from the conversation's checkpoint when it holds the first of these events.
    """
    events = tracker.applied_events()
    slots = _slot_definitions(tracker)
    checkpoint = _checkpoints.get(tracker.sender_id)
    if (checkpoint is None or len(checkpoint.applied) > len(events) or checkpoint.slots != slots
            or checkpoint.replay.is_rule_tracker != tracker.is_rule_tracker
            or checkpoint.replay._max_event_history != tracker._max_event_history
            or not _starts_with(events, checkpoint.applied)):
        checkpoint = _Checkpoint([], 0, slots, tracker.init_copy())
    position = len(checkpoint.applied)
    total = 1 + checkpoint.actions + sum(isinstance(event, ActionExecuted) for event in events[position:])
    first_kept = total - count
    if first_kept < checkpoint.actions:  # the checkpoint is past the first state needed
        checkpoint, position = _Checkpoint([], 0, slots, tracker.init_copy()), 0
    replay = replayed_copy(checkpoint.replay) or checkpoint.replay.copy()
    states, index = [], checkpoint.actions
    for event in itertools.islice(events, position, None):
        if isinstance(event, ActionExecuted):
            if index == first_kept and index > checkpoint.actions:
                _checkpoints.put(tracker.sender_id, _Checkpoint(
                    events[:position], index, slots, replayed_copy(replay) or replay.copy()), position)
            if index >= first_kept:
                states.append(domain._clean_state(domain.get_active_state(replay)))
            index += 1
        replay.update(event)
        position += 1
    states.append(domain._clean_state(domain.get_active_state(replay)))
    return states


@dataclass
class _LatestStates:
    """The states `latest_states` returned for one tracker as it was (its event list, length and last event)."""

    tracker: DialogueStateTracker
    events: Any
    length: int
    last: Event | None
    domain: Domain
    count: int
    states: list[State]


_latest: list[_LatestStates] = []  # the last call only: RulePolicy asks twice in a row (text, then intent)


def states_once(domain: Domain, tracker: DialogueStateTracker, count: int) -> list[State]:
    """`latest_states(domain, tracker, count)`, computed once while the tracker's events stay the same.

    RulePolicy asks for the states twice per prediction after a user message (once to match the text,
    once the intent) and changes the last state in place (`_choose_last_user_input`), so each call gets
    its own copy of every state.
    """
    events = tracker.events
    last = events[-1] if events else None
    held = _latest[0] if _latest else None
    if held is None or not (held.tracker is tracker and held.events is events and held.length == len(events)
                            and held.last is last and held.domain is domain and held.count == count):
        held = _LatestStates(tracker, events, len(events), last, domain, count, latest_states(domain, tracker, count))
        _latest[:] = [held]
    return [{name: dict(features) for name, features in state.items()} for state in held.states]


def install_bounded_rule_states() -> None:
    """RulePolicy builds states for its longest rule's number of turns, not for the whole conversation.

    What RulePolicy's featurizer (MaxHistoryTrackerFeaturizer.prediction_states, with no rule-only turns
    hidden and no action_unlikely_intent removed, as for RulePolicy) does to the full list, applied to
    its tail: slice to max_history, then choose text or intent for the last user input.
    """
    rasa_prediction_states = RulePolicy._prediction_states
    longest: dict[int, int] = {}  # per policy object: its lookup is fixed once trained or loaded

    def prediction_states(self: RulePolicy, tracker: DialogueStateTracker, domain: Domain,
                          use_text_for_last_user_input: bool = False,
                          rule_only_data: dict[str, Any] | None = None) -> list[State]:
        if self.supported_data() != RulePolicy.supported_data() or not hasattr(self.featurizer, "max_history"):
            return rasa_prediction_states(self, tracker, domain, use_text_for_last_user_input, rule_only_data)
        count = longest.get(id(self))
        if count is None:
            count = longest[id(self)] = longest_rule_states(self)
        states = self.featurizer.slice_state_history(states_once(domain, tracker, count),
                                                     self.featurizer.max_history)
        self.featurizer._choose_last_user_input([states], use_text_for_last_user_input)
        return states

    RulePolicy._prediction_states = prediction_states  # type: ignore[method-assign]


def install_all() -> None:
    """Check the Rasa version, then apply every change in this module."""
    check_rasa_version()
    install_fast_copy()
    install_applied_events_memo()
    install_bounded_rule_states()
