"""Rasa NLU component: the deterministic red-flag layer (see bot.safety.red_flags).

It sits last in the pipeline. When a message describes emergency symptoms it sets the intent to
`red_flag` with full confidence, whatever the classifiers (or the fallback classifier) decided.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety.red_flags import detect_red_flag

RED_FLAG_INTENT = "red_flag"
INTENT_RANKING = "intent_ranking"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagDetector(GraphComponent):
    """Overrides the predicted intent with `red_flag` when emergency symptoms are described."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: the symptom rules live in bot.safety.red_flags."""
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagDetector:
        """Creates the component (stateless)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Set intent `red_flag` (confidence 1.0) on messages describing emergency symptoms."""
        for message in messages:
            match = detect_red_flag(message.get(TEXT))
            if match is None:
                continue
            intent = {INTENT_NAME_KEY: RED_FLAG_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                r for r in message.get(INTENT_RANKING, []) if r.get(INTENT_NAME_KEY) != RED_FLAG_INTENT
            ]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING, [intent, *ranking], add_to_output=True)
            message.set("red_flag", {"symptom": match.flag.name.lower(), "evidence": match.evidence},
                        add_to_output=True)
        return messages
