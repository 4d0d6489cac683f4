"""Rasa NLU component: keep one huge message from costing everyone else time.

Runs first in the pipeline. A message longer than `max_characters` is cut (at a word boundary)
before tokenising and entity matching, so the work per message stays bounded; the full text is
still stored in the conversation. The cut is reported in the parse data as `truncated`.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def cut_text(text: str, limit: int) -> str:
    """The text, cut to at most `limit` characters at the last space before the limit."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MessageLengthGuard(GraphComponent):
    """Cuts overly long messages before any expensive NLU step."""

    def __init__(self, max_characters: int) -> None:
        self.max_characters = max_characters

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Default limit: far above any real question (the longest in our data is ~200 characters)."""
        return {"max_characters": 1000}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageLengthGuard:
        """Creates the component from its config."""
        return cls(int(config["max_characters"]))

    def process(self, messages: list[Message]) -> list[Message]:
        """Cut each overly long message."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and len(text) > self.max_characters:
                message.set(TEXT, cut_text(text, self.max_characters))
                message.set("truncated", True, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is ours and short: nothing to cut."""
        return training_data
