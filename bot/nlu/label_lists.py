"""Rasa NLU component: a pasted ingredient list is a label check, whatever the classifiers guessed.

A list of INCI names is not a sentence the intent classifier was trained on, and reading it is
deterministic (bot.nlu.ingredient_lists): this component sets the intent `check_label` (confidence 1.0)
when the whole message reads as a list, or is clearly meant as one ("Ingredients: ..."). It sits before
the emergency layer, which still overrules it.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.ingredient_lists import looks_like_a_list
from bot.nlu.message_limits import full_text

CHECK_LABEL_INTENT = "check_label"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IngredientListDetector(GraphComponent):
    """Sets `check_label` on messages that are pasted ingredient lists."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: what a list is, is decided by bot.nlu.ingredient_lists."""
        return {}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IngredientListDetector:
        """Creates the component (it has no state of its own)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark each message that is a pasted ingredient list."""
        for message in messages:
            text = full_text(message)
            if not text.strip() or text.startswith("/") or not looks_like_a_list(text):
                continue
            intent = {INTENT_NAME_KEY: CHECK_LABEL_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != CHECK_LABEL_INTENT]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
        return messages
