"""The questions the assistant answers, and the follow-up buttons that suit each one."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass


class Topic(str, enum.Enum):
    """One kind of ingredient question; values double as the Rasa intent suffix (`ask_<value>`)."""

    WHAT_IS = "what_is"
    CONTENTS = "contents"
    HOW_MADE = "how_made"
    PRODUCTS = "products"
    BENEFITS = "benefits"
    SUITABILITY = "suitability"
    DIET = "diet"
    LIFE_STAGE = "life_stage"
    SUN = "sun"
    ALLERGY = "allergy"
    SIDE_EFFECTS = "side_effects"
    REACTION_ADVICE = "reaction_advice"
    COMEDOGENIC = "comedogenic"
    PATCH_TEST = "patch_test"
    SUMMARY = "summary"
    TREATMENT = "treatment"
    MEDICINES = "medicines"
    RESULTS_TIMING = "results_timing"
    USAGE = "usage"
    REGULATION = "regulation"  # what EU rules say (the annex layer, bot.answers.regulation)
    # Decided from what the question names (bot.answers.understanding), not asked by an intent of their own.
    SKIN_CONDITION = "skin_condition"
    CHILDREN = "children"

    @property
    def intent(self) -> str:
        """The Rasa intent that asks this question."""
        return f"ask_{self.value}"

    @classmethod
    def from_intent(cls, intent: str | None) -> Topic | None:
        """The topic an intent asks about, or None for intents that are not ingredient questions."""
        if intent and intent.startswith("ask_"):
            try:
                return cls(intent[4:])
            except ValueError:
                return None
        return None


#: Triage tag per topic (the support dashboard filters on these).
TOPIC_TAGS: dict[Topic, str] = {
    Topic.WHAT_IS: "ingredient_info",
    Topic.CONTENTS: "ingredient_info",
    Topic.HOW_MADE: "ingredient_info",
    Topic.PRODUCTS: "ingredient_info",
    Topic.BENEFITS: "ingredient_info",
    Topic.SUMMARY: "ingredient_info",
    Topic.SUITABILITY: "skin_type",
    Topic.DIET: "diet",
    Topic.LIFE_STAGE: "pregnancy",
    Topic.SUN: "sun",
    Topic.ALLERGY: "allergy",
    Topic.SIDE_EFFECTS: "side_effects",
    Topic.REACTION_ADVICE: "side_effects",
    Topic.COMEDOGENIC: "comedogenic",
    Topic.PATCH_TEST: "patch_test",
    Topic.TREATMENT: "treatment_claim",
    Topic.MEDICINES: "medicines",
    Topic.RESULTS_TIMING: "ingredient_info",
    Topic.USAGE: "usage",
    Topic.REGULATION: "regulation",
    Topic.SKIN_CONDITION: "skin_condition",
    Topic.CHILDREN: "children",
}

_FOLLOW_UP_TITLES: dict[Topic, str] = {
    Topic.WHAT_IS: "What is it?",
    Topic.BENEFITS: "What does it do?",
    Topic.SUITABILITY: "Does it suit my skin?",
    Topic.DIET: "Is it vegan?",
    Topic.LIFE_STAGE: "Pregnancy & breastfeeding",
    Topic.ALLERGY: "Allergies",
    Topic.SIDE_EFFECTS: "Side effects",
    Topic.COMEDOGENIC: "Will it clog pores?",
    Topic.PATCH_TEST: "How do I patch test?",
    Topic.PRODUCTS: "Which products have it?",
    Topic.SUMMARY: "Tell me everything",
    Topic.USAGE: "How do I use it?",
    Topic.SUN: "Sun sensitivity",
    Topic.REGULATION: "What do EU rules say?",
}

_FOLLOW_UPS: dict[Topic, tuple[Topic, ...]] = {
    Topic.WHAT_IS: (Topic.BENEFITS, Topic.SUITABILITY, Topic.DIET),
    Topic.CONTENTS: (Topic.BENEFITS, Topic.ALLERGY, Topic.DIET),
    Topic.HOW_MADE: (Topic.DIET, Topic.PRODUCTS, Topic.SIDE_EFFECTS),
    Topic.PRODUCTS: (Topic.SUITABILITY, Topic.COMEDOGENIC, Topic.PATCH_TEST),
    Topic.BENEFITS: (Topic.SUITABILITY, Topic.COMEDOGENIC, Topic.SIDE_EFFECTS),
    Topic.SUITABILITY: (Topic.COMEDOGENIC, Topic.SIDE_EFFECTS, Topic.PATCH_TEST),
    Topic.DIET: (Topic.LIFE_STAGE, Topic.ALLERGY, Topic.SUITABILITY),
    Topic.LIFE_STAGE: (Topic.SIDE_EFFECTS, Topic.PATCH_TEST, Topic.DIET),
    Topic.SUN: (Topic.SUITABILITY, Topic.SIDE_EFFECTS, Topic.PATCH_TEST),
    Topic.ALLERGY: (Topic.PATCH_TEST, Topic.SIDE_EFFECTS, Topic.DIET),
    Topic.SIDE_EFFECTS: (Topic.PATCH_TEST, Topic.ALLERGY, Topic.COMEDOGENIC),
    Topic.REACTION_ADVICE: (Topic.SIDE_EFFECTS, Topic.PATCH_TEST, Topic.ALLERGY),
    Topic.COMEDOGENIC: (Topic.SUITABILITY, Topic.SIDE_EFFECTS, Topic.PATCH_TEST),
    Topic.PATCH_TEST: (Topic.SIDE_EFFECTS, Topic.ALLERGY, Topic.SUITABILITY),
    Topic.SUMMARY: (Topic.SUITABILITY, Topic.DIET, Topic.LIFE_STAGE),
    Topic.TREATMENT: (Topic.BENEFITS, Topic.SUITABILITY, Topic.SIDE_EFFECTS),
    Topic.MEDICINES: (Topic.SIDE_EFFECTS, Topic.PATCH_TEST, Topic.SUN),
    Topic.RESULTS_TIMING: (Topic.BENEFITS, Topic.USAGE, Topic.PATCH_TEST),
    Topic.USAGE: (Topic.PATCH_TEST, Topic.SUN, Topic.SIDE_EFFECTS),
    Topic.SKIN_CONDITION: (Topic.SIDE_EFFECTS, Topic.PATCH_TEST, Topic.SUITABILITY),
    Topic.CHILDREN: (Topic.SIDE_EFFECTS, Topic.PATCH_TEST, Topic.ALLERGY),
    Topic.REGULATION: (Topic.SUMMARY, Topic.SIDE_EFFECTS, Topic.ALLERGY),
}


@dataclass(frozen=True)
class Button:
    """A quick reply: what the person sees and what it sends."""

    title: str
    payload: str

    def as_dict(self) -> dict[str, str]:
        """The shape Rasa and rasa-sdk expect."""
        return {"title": self.title, "payload": self.payload}


def ask_button(title: str, topic: Topic, ingredient: str | None) -> Button:
    """A button that asks one topic about one ingredient (entity set in the payload)."""
    entities = json.dumps({"ingredient": ingredient}) if ingredient else ""
    return Button(title=title, payload=f"/{topic.intent}{entities}")


def follow_up_topics(topic: Topic) -> tuple[Topic, ...]:
    """The natural next questions after an answer on `topic`."""
    return _FOLLOW_UPS.get(topic, ())


def follow_up_title(topic: Topic) -> str:
    """The button title that asks `topic`."""
    return _FOLLOW_UP_TITLES.get(topic, topic.value.replace("_", " ").capitalize())


def follow_up_buttons(topic: Topic, ingredient: str) -> list[Button]:
    """Natural next questions after an answer on `topic`."""
    return [ask_button(_FOLLOW_UP_TITLES[t], t, ingredient) for t in _FOLLOW_UPS.get(topic, ())]
