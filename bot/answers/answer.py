"""The shape of a reply and of a question, shared by every answer composer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answers.topics import TOPIC_TAGS, Button, Topic, follow_up_buttons
from bot.answers.wording import sentence
from bot.safety.claims import treatment_claims
from bot.safety.policy import Risk, disclaimer_for
from knowledge.facts import IngredientFacts, UsageTopic


@dataclass(frozen=True)
class PersonProfile:
    """What the person has told us about themselves (normalised vocabulary values)."""

    skin_type: str | None = None
    diet: str | None = None
    life_stage: str | None = None
    allergies: tuple[str, ...] = ()
    skin_conditions: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing about the person is known."""
        return not (self.skin_type or self.diet or self.life_stage or self.allergies or self.skin_conditions)


@dataclass(frozen=True)
class Question:
    """One ingredient question: the topic plus whatever the person named in the message."""

    topic: Topic
    skin_types: tuple[str, ...] = ()
    diets: tuple[str, ...] = ()
    life_stages: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    skin_conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A composed reply: text, an optional disclaimer, buttons, and triage tags."""

    text: str
    disclaimer: str | None = None
    buttons: tuple[Button, ...] = ()
    tags: tuple[str, ...] = ()
    risk: Risk = Risk.NONE
    notes: tuple[str, ...] = field(default=())

    @property
    def full_text(self) -> str:
        """The text as the person reads it, disclaimer last."""
        return f"{self.text}\n\nℹ️ {self.disclaimer}" if self.disclaimer else self.text


def build_answer(facts: IngredientFacts, topic: Topic, parts: Sequence[str], risk: Risk = Risk.NONE,
            tags: Sequence[str] = ()) -> Answer:
    """An answer from sentence parts, with the disclaimer for its risk and the topic's follow-ups."""
    text = " ".join(p for p in (sentence(p) for p in parts) if p)
    claims = treatment_claims(text)  # the one claim definition, shared with the profile loader
    if claims:  # a profile must never make us claim a cure: refuse to compose it, and fail loudly in tests
        raise ValueError(f"answer for {facts.name!r} makes a treatment claim: {claims}")
    return Answer(
        text=text,
        disclaimer=disclaimer_for(risk),
        buttons=tuple(follow_up_buttons(topic, facts.name)),
        tags=tuple(dict.fromkeys(tags or [TOPIC_TAGS[topic]])),
        risk=risk,
    )


def not_covered(facts: IngredientFacts, what: str, topic: Topic) -> Answer:
    """The profile says nothing on this: say so honestly and offer a person."""
    return Answer(
        text=(
            f"I don't have verified information on {what} for {facts.name}, so I'd rather not guess. "
            "Our support team can look into it for you."
        ),
        buttons=(*follow_up_buttons(topic, facts.name)[:2], Button("Talk to a person", "/request_human")),
        tags=(TOPIC_TAGS[topic], "knowledge_gap"),
    )


def patch_test_advice(facts: IngredientFacts) -> str | None:
    """The profile's patch-test advice, if it gives one."""
    advice = facts.usage_advice(UsageTopic.PATCH_TEST)
    return advice.advice if advice else None

