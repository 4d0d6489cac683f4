"""Rasa NLU component: a message naming an ingredient or a medicine is not a question about the assistant.

"How do you use bakuchiol?" and "how do you use this chat?" share their wording; the intent classifier may
rank `help` (what the assistant can do) as high as `ask_usage` when the name is one it rarely saw, and the
fallback then answers neither. A message that names an ingredient or a medicine the store recognises asks
about that thing, so `help` is taken out of its ranking (the other confidences rescaled to sum as before)
before the fallback classifier decides. Messages naming nothing are left exactly as classified.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

#: Intents about the assistant itself, never what a message naming an ingredient asks.
ABOUT_THE_ASSISTANT = frozenset({"help"})
#: Entity types that name the thing a question is about.
NAMES = frozenset({"ingredient", "medicine"})


def without_assistant_questions(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranking without intents about the assistant, confidences rescaled to their former total."""
    kept = [dict(r) for r in ranking if r.get(INTENT_NAME_KEY) not in ABOUT_THE_ASSISTANT]
    if len(kept) == len(ranking) or not kept:
        return ranking
    before = sum(float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for r in ranking)
    after = sum(float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for r in kept)
    if after > 0:
        for r in kept:
            r[PREDICTED_CONFIDENCE_KEY] = float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) * before / after
    return kept


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AssistantQuestionFilter(GraphComponent):
    """Drops `help` from the ranking of messages that name an ingredient or a medicine."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options."""
        return {}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> AssistantQuestionFilter:
        """Creates the component (it has no state of its own)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-rank each message that names an ingredient or a medicine."""
        for message in messages:
            if not any(e.get(ENTITY_ATTRIBUTE_TYPE) in NAMES for e in message.get(ENTITIES) or []):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            kept = without_assistant_questions(ranking)
            if kept is ranking:
                continue
            message.set(INTENT, kept[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, kept, add_to_output=True)
        return messages
