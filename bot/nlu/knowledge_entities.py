"""Rasa NLU component: entities from the knowledge-store entity ruler, with normalised values.

Rasa's own SpacyEntityExtractor reports the matched text ("nursing"); the rest of the assistant needs
the normalised value ("breastfeeding"), which our generated ruler stores as the entity id.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class KnowledgeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds the entities found by the store-generated spaCy ruler, value = normalised id."""

    @classmethod
    def required_components(cls) -> list[type]:
        """SpacyNLP must run first: it produces the doc this component reads."""
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: what is recognised is decided by the knowledge store."""
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeEntityExtractor:
        """Creates the component (it has no state of its own)."""
        return cls()

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        """Add knowledge-store entities to each message."""
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            doc = message.get(SPACY_DOCS[TEXT]) or model.model(text.lower())
            found = [
                {
                    "entity": ent.label_,
                    "value": ent.ent_id_ or ent.text.lower(),
                    "start": ent.start_char,
                    "end": ent.end_char,
                    "confidence": 1.0,
                }
                for ent in doc.ents
                if not ent.label_.startswith("_")  # blockers such as "sun sensitive", not entities
            ]
            message.set(
                ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True
            )
        return messages
