"""How long a message may be, in one place, and the NLU component that bounds the classifiers' work.

`MessageLengthGuard` runs first in the pipeline. A message longer than `CLASSIFIER_MAX_CHARS` is cut
(at a word boundary) before tokenising and entity matching, so the work per message stays bounded;
the full text is still stored in the conversation and kept aside for the emergency layer
(`full_text`), which always reads the whole message. The cut is reported in the parse data as
`truncated`.

Channels take messages of up to `MAX_MESSAGE_CHARS`; a longer one is refused as too long, except
when the emergency layer finds a (possible) emergency in it: that one is answered like any other.
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

from bot.safety.emergency import SafetyVerdict, assess_message

#: Longest part of a message the tokeniser and classifiers work on (the longest question in our data is
#: ~200 characters); the emergency layer still reads the whole message.
CLASSIFIER_MAX_CHARS = 1000
#: Longest message every channel (REST, the widget's socket.io) takes as a question.
MAX_MESSAGE_CHARS = 5000
#: Longer than this, a message is refused without being read at all (bounds the emergency check's work).
EMERGENCY_SCAN_MAX_CHARS = 20_000
#: Where the guard keeps the whole text of a message it cut (not part of the parse data).
FULL_TEXT_KEY = "full_text"


def refused_as_too_long(text: str) -> bool:
    """Whether a channel should refuse this message as too long.

    Only over MAX_MESSAGE_CHARS, and never when it may report an emergency (up to
    EMERGENCY_SCAN_MAX_CHARS): a red flag at the end of a long message must still be answered.
    """
    if len(text) <= MAX_MESSAGE_CHARS:
        return False
    if len(text) > EMERGENCY_SCAN_MAX_CHARS:
        return True
    return assess_message(text).verdict is SafetyVerdict.NONE


def full_text(message: Message) -> str:
    """The whole text of a message, even when the guard cut what the classifiers see."""
    text = message.get(FULL_TEXT_KEY) or message.get(TEXT)
    return text if isinstance(text, str) else ""


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
        """Default limit: CLASSIFIER_MAX_CHARS (config.yml does not repeat it)."""
        return {"max_characters": CLASSIFIER_MAX_CHARS}

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
        """Cut each overly long message (its whole text is kept for the emergency layer)."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and len(text) > self.max_characters:
                message.set(FULL_TEXT_KEY, text)
                message.set(TEXT, cut_text(text, self.max_characters))
                message.set("truncated", True, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is ours and short: nothing to cut."""
        return training_data
