"""What the NLU components that decide an intent from the words share (bot.nlu.forget_requests,
bot.nlu.red_flags): the fallback threshold, and what the message means when their intent is taken away."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY

FALLBACK_INTENT = "nlu_fallback"


class IntentDecider(GraphComponent):
    """A component that sets or withdraws intents by rule; ``fallback_threshold`` is the FallbackClassifier's."""

    def __init__(self, fallback_threshold: float) -> None:
        self.fallback_threshold = fallback_threshold

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`fallback_threshold`: the FallbackClassifier's (config.yml passes the same YAML anchor)."""
        return {"fallback_threshold": 0.3}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentDecider:
        """Creates the component (stateless apart from its threshold)."""
        return cls(float(config["fallback_threshold"]))

    def best_or_fallback(self, ranking: list[dict[str, Any]]) -> dict[str, Any]:
        """The best of the classifiers' remaining intents if it passes the fallback threshold, else the fallback."""
        best = next(iter(ranking), None)
        if best is None or (best.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < self.fallback_threshold:
            return {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        return dict(best)
