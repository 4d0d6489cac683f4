"""Wording for what the assistant remembers about the person."""

from __future__ import annotations

from bot.answers.answer import Answer, PersonProfile
from bot.answers.topics import Button, Topic, ask_button
from bot.answers.wording import join_words, skin_label
from bot.safety.policy import Risk, disclaimer_for

_LIFE_STAGE_WORDS = {"pregnancy": "you're pregnant", "breastfeeding": "you're breastfeeding"}


def describe_profile(profile: PersonProfile) -> list[str]:
    """Each remembered fact as a short phrase ('oily skin', 'vegan', 'a milk protein allergy')."""
    facts = []
    if profile.skin_type:
        facts.append(skin_label(profile.skin_type))
    if profile.diet:
        facts.append(f"you're {profile.diet}")
    if profile.life_stage:
        facts.append(_LIFE_STAGE_WORDS.get(profile.life_stage, profile.life_stage))
    facts += [f"a {allergen} allergy" for allergen in profile.allergies]
    facts += list(profile.skin_conditions)
    return facts


def compose_profile_acknowledgement(profile: PersonProfile, ingredient_in_focus: str | None) -> Answer:
    """Confirm what we'll keep in mind, and offer to check the ingredient in focus against it."""
    facts = describe_profile(profile)
    if not facts:
        return Answer(
            text=("Thanks! I didn't quite catch that. You can tell me your skin type (dry, normal, combination, "
                  "oily, acne-prone, sensitive or mature), whether you're vegan or vegetarian, pregnant or "
                  "breastfeeding, or any allergy, and I'll keep it in mind."),
        )
    risk = Risk.SKIN_CONDITION if profile.skin_conditions else Risk.NONE
    if ingredient_in_focus:
        follow_up = f"Want me to check {ingredient_in_focus} against what you've told me?"
        buttons: tuple[Button, ...] = (ask_button("Does it suit me?", Topic.SUITABILITY, ingredient_in_focus),)
    else:
        follow_up = "Ask me about an ingredient and I'll answer for you."
        buttons = (ask_button("Which ingredients do you know?", Topic.SUMMARY, None),)
    return Answer(
        text=f"Got it, I'll keep in mind: {join_words(facts)}. {follow_up}",
        disclaimer=disclaimer_for(risk),
        buttons=buttons,
        tags=("profile",),
        risk=risk,
    )
