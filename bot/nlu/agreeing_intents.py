"""Rasa NLU component: intents that lead to the same answer are not in competition.

The answer to an ingredient question depends on its topic, which comes from the intent and the things the
message names (bot.answers.understanding.resolve_topic): "Can teens use retinol?" gets the children answer
whether the classifier reads it as `ask_life_stage` or `ask_suitability`, because a child is named. When the
classifier splits its confidence between two such intents, the fallback classifier sees two close intents
and answers neither, although both would have given the same answer.

So, before the fallback decides, the intents of the ranking whose topic (given what this message names) is
the same as a higher-ranked intent's are folded into that intent: their confidences are added to it and
they leave the ranking. The fallback then compares answers that differ. Intents that are not ingredient
questions (greetings, out_of_scope, help...) have no topic and are never folded; a ranking where every
intent leads to a different answer is left exactly as classified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

from bot.answers.topics import Topic
from bot.answers.understanding import resolve_topic


def named_in(message: Message) -> dict[str, tuple[str, ...]]:
    """The entity values a message names, by entity type."""
    named: dict[str, list[str]] = {}
    for entity in message.get(ENTITIES) or []:
        named.setdefault(str(entity.get(ENTITY_ATTRIBUTE_TYPE)), []).append(str(entity.get(ENTITY_ATTRIBUTE_VALUE)))
    return {kind: tuple(values) for kind, values in named.items()}


def answer_topic(intent: str | None, named: Mapping[str, Sequence[str]]) -> Topic | None:
    """The topic the answer to this intent would have, or None for intents that are not ingredient questions."""
    base = Topic.from_intent(intent)
    return None if base is None else resolve_topic(base, named)


def folded_ranking(ranking: list[dict[str, Any]], named: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """The ranking with each intent folded into the highest-ranked intent that leads to the same topic.

    Returns the ranking itself (the same object) when no two intents lead to the same topic.
    """
    kept: list[dict[str, Any]] = []
    by_topic: dict[Topic, dict[str, Any]] = {}
    for entry in sorted(ranking, key=lambda r: -float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0)):
        topic = answer_topic(entry.get(INTENT_NAME_KEY), named)
        if topic is not None and topic in by_topic:
            head = by_topic[topic]
            head[PREDICTED_CONFIDENCE_KEY] = float(head[PREDICTED_CONFIDENCE_KEY] or 0.0) + float(
                entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            continue
        copy = dict(entry)
        kept.append(copy)
        if topic is not None:
            by_topic[topic] = copy
    if len(kept) == len(ranking):
        return ranking
    return sorted(kept, key=lambda r: -float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AgreeingIntentsFolder(GraphComponent):
    """Folds intents that would be answered with the same topic into one before the fallback decides."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options."""
        return {}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> AgreeingIntentsFolder:
        """Creates the component (it has no state of its own)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Fold each message's ranking; messages whose intents all lead to different answers are untouched."""
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            folded = folded_ranking(ranking, named_in(message))
            if folded is ranking:
                continue
            message.set(INTENT, folded[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, folded, add_to_output=True)
        return messages
