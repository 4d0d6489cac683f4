"""A person on the staff has taken over a conversation: the assistant stays silent, except for emergencies.

Rasa's own pause (``ConversationPaused``) makes the processor drop every message the person sends while
paused: nothing reaches the tracker, so the agent would never see it. Instead the conversation keeps
running and the slot ``human_agent`` (set and cleared by the staff relay, bot/channels/staff_relay.py)
holds the display name of the agent who took over. While it is set, ``HumanTakeoverPolicy`` predicts
``action_listen`` right after each of the person's messages, so every message is stored (the agent reads
it live from the tracker store) and the assistant says nothing. It outranks the rules (priority 7 > 6,
both at confidence 1) and marks its prediction as not based on user input, so not even a form's happy
path wins over it.

Emergencies are the exception: an emergency message (``red_flag``) or one the detector is unsure about
(``possible_emergency``), and "yes" to the triage question, still get the emergency rules (first aid,
urgent ticket) as in any other conversation.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

#: The slot naming the agent who has the conversation (unset: the assistant answers).
HUMAN_AGENT_SLOT = "human_agent"
#: Intents that always reach the emergency rules (bot/nlu/red_flags.py sets them).
EMERGENCY_INTENTS = frozenset({"red_flag", "possible_emergency"})
TRIAGE_QUESTION = "utter_ask_emergency_triage"
TRIAGE_YES = "affirm"
#: Above RulePolicy (6), so a tie at confidence 1 goes to the takeover.
TAKEOVER_PRIORITY = 7


def _action_before_latest_message(tracker: DialogueStateTracker) -> str | None:
    """The last action the assistant ran before the person's latest message (``action_listen`` skipped)."""
    seen_message = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_message:
                return None
            seen_message = True
        elif seen_message and isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name
    return None


def assistant_stays_silent(tracker: DialogueStateTracker) -> bool:
    """Whether the assistant must only listen now: an agent has the conversation, the person has just
    written, and it is not (or may not be) an emergency."""
    if not tracker.get_slot(HUMAN_AGENT_SLOT) or tracker.latest_action_name != ACTION_LISTEN_NAME:
        return False
    intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
    if intent in EMERGENCY_INTENTS:
        return False
    return not (intent == TRIAGE_YES and _action_before_latest_message(tracker) == TRIAGE_QUESTION)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class HumanTakeoverPolicy(Policy):
    """Listen only, while an agent has the conversation (see the module docstring). Nothing to learn."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Priority above the rules."""
        return {"priority": TAKEOVER_PRIORITY}

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing is learnt; the resource is written so the model can be loaded like any other."""
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """``action_listen`` at confidence 1 while the assistant must stay silent, else no opinion (all 0)."""
        probabilities = self._default_predictions(domain)
        if not assistant_stays_silent(tracker):
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)
