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
  `longest rule` turns only; the turns before are replayed (slots, loops) but not featurised.
- Applied events: `DialogueStateTracker.applied_events()` folds over every event of the tracker and
  runs about five times per message. Its result for the events seen so far is remembered on the
  tracker and only events appended since are folded in (a new loop name, or any other change to the
  events, recomputes from the start, as Rasa does).

Fails at start-up if the installed Rasa is not the version these were written for.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import rasa
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

#: The Rasa release whose code these changes were checked against (tests/bot/test_bounded_history.py).
RASA_VERSION = "3.6.21"


def check_rasa_version(installed: str = rasa.__version__) -> None:
    """Fail at start-up, not in production, if Rasa is not the version this module was written for."""
    if installed != RASA_VERSION:
        raise RuntimeError(f"bot/bounded_history.py changes Rasa {RASA_VERSION}, but Rasa {installed} is "
                           "installed: check each change against the new Rasa, then update RASA_VERSION")


# --- Rule states -------------------------------------------------------------------------------------


def longest_rule_states(policy: RulePolicy) -> int:
    """How many of the latest conversation states any of the policy's rules compares (at least 1)."""
    keys = [*policy.lookup.get(RULES, {}), *policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
    return max([1, *(len(json.loads(key)) for key in keys)])


def latest_states(domain: Domain, tracker: DialogueStateTracker, count: int) -> list[State]:
    """The last `count` of `domain.states_for_tracker_history(tracker)` (no rule-only turns hidden).

    Same replay as Rasa's (every applied event updates a fresh copy of the tracker, a state is taken
    before each action and at the end), but only the states that are kept are built.
    """
    events = tracker.applied_events()
    total = 1 + sum(isinstance(event, ActionExecuted) for event in events)
    first_kept = total - count
    replay, states, index = tracker.init_copy(), [], 0
    for event in events:
        if isinstance(event, ActionExecuted):
            if index >= first_kept:
                states.append(domain._clean_state(domain.get_active_state(replay)))
            index += 1
        replay.update(event)
    states.append(domain._clean_state(domain.get_active_state(replay)))
    return states


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
        states = self.featurizer.slice_state_history(latest_states(domain, tracker, count),
                                                     self.featurizer.max_history)
        self.featurizer._choose_last_user_input([states], use_text_for_last_user_input)
        return states

    RulePolicy._prediction_states = prediction_states  # type: ignore[method-assign]


# --- Applied events ----------------------------------------------------------------------------------


@dataclass
class _AppliedFold:
    """Rasa's applied-events fold after the first `seen` events of one tracker's event deque."""

    events: deque[Event]
    seen: int
    first: Event | None
    last: Event | None
    loop_names: frozenset[str]
    applied: list[Event] = field(default_factory=list)

    def still_prefix_of(self, events: deque[Event]) -> bool:
        """Whether `events` is the same deque, grown only by appending since the fold was made."""
        if events is not self.events or len(events) < self.seen:
            return False
        return self.seen == 0 or (events[0] is self.first and events[self.seen - 1] is self.last)


def _fold(tracker: DialogueStateTracker, events: Any, loop_names: frozenset[str], applied: list[Event]) -> None:
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


def _loop_names(events: Any) -> frozenset[str]:
    return frozenset(event.name for event in events if isinstance(event, ActiveLoop) and event.name)


def applied_events(tracker: DialogueStateTracker) -> list[Event]:
    """Rasa's `applied_events()`, folding in only the events appended since the last call."""
    events = tracker.events
    fold: _AppliedFold | None = tracker.__dict__.get("_applied_fold")
    if fold is not None and fold.still_prefix_of(events):
        new_events = [events[i] for i in range(fold.seen - len(events), 0)]  # indexed from the end: cheap
        if new_events and not _loop_names(new_events) <= fold.loop_names:
            fold = None  # a new loop name changes how earlier loop actions fold: start again
    else:
        fold = None
    if fold is None:
        fold = _AppliedFold(events, 0, None, None, _loop_names(events))
        new_events = list(events)
    if new_events:
        _fold(tracker, new_events, fold.loop_names, fold.applied)
        fold.seen, fold.first, fold.last = len(events), events[0], events[-1]
    tracker.__dict__["_applied_fold"] = fold
    return list(fold.applied)


def install_applied_events_memo() -> None:
    """`DialogueStateTracker.applied_events()` folds only the events appended since its last call."""
    DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]


def install_all() -> None:
    """Check the Rasa version, then apply every change in this module."""
    check_rasa_version()
    install_bounded_rule_states()
    install_applied_events_memo()
