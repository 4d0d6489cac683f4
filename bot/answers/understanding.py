"""What was really asked: the topic of a question from its intent and the things it names.

The one place that turns the NLU's reading of a message (intent + entities) into the topic the answer is
about, and that topic into the label of the phrasing set (tests/nlu/phrasings, bot.quality). A question
that names a medicine, an allergy, a life stage, a skin condition or a child is about that, whichever
general intent ("can I use it?", "any side effects?") the classifier chose for its wording.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.answers.topics import Topic

#: Intents whose wording is general ("is it ok?", "what should I do if...", "any side effects?"): the
#: things the message names decide what it is about.
_GENERAL = {Topic.SUITABILITY, Topic.LIFE_STAGE, Topic.ALLERGY, Topic.SIDE_EFFECTS, Topic.REACTION_ADVICE,
            Topic.USAGE, Topic.MEDICINES}
#: Intents asking about the one thing named, even when it is a medicine ("am I allergic to tretinoin?").
_ABOUT_THE_NAMED = {Topic.USAGE, Topic.ALLERGY}
#: Intents asking about a reaction, whatever caused it (an ingredient, a medicine, a combination).
_ABOUT_A_REACTION = {Topic.SIDE_EFFECTS, Topic.REACTION_ADVICE}
ADULT_LIFE_STAGES = ("pregnancy", "breastfeeding")
#: Skin conditions that are the signs of an allergy (hives; contact dermatitis, the vocabulary's "dermatitis"):
#: asked whether something causes them, or in an allergy question, the question is about allergy.
ALLERGY_SIGNS = ("hives", "dermatitis")
#: Intents under which a named allergy sign makes the question an allergy question ("does it cause hives?").
_ALLERGY_SIGN_INTENTS = {Topic.SIDE_EFFECTS, Topic.ALLERGY}
CHILD = "child"
#: Skin conditions that are breakouts: asked whether something causes them, the question is whether it clogs pores.
BREAKOUT_SIGNS = ("acne",)

#: Labels of the phrasing set for intents that are not ingredient questions.
_INTENT_LABELS = {
    "greet": "greet", "goodbye": "goodbye", "thank": "thank", "request_human": "human",
    "out_of_scope": "out_of_scope", "nlu_fallback": "out_of_scope", "help": "out_of_scope",
    "report_reaction": "reaction_advice", "red_flag": "reaction_advice", "inform_profile": "out_of_scope",
}


#: The words around the names in a message that asks the previous question again about them ("what about
#: retinol?", "and niacinamide?", "how about for squalane?", "same question for X").
_FOLLOW_UP_WORDS = frozenset("and what about how same question for also then ok okay so too".split())
_FOLLOW_UP_STARTS = frozenset({"and", "what", "how", "same"})


def follow_up_topic(text: str, name_spans: Sequence[tuple[int, int]], previous: Topic | None) -> Topic | None:
    """``previous`` (the topic last answered) when ``text`` only names something else in the words of a
    follow-up ("what about retinol?" after "is it vegan?"), else None. ``name_spans`` are the character
    spans of the names in ``text``. A bare name ("retinol?") is not a follow-up: it asks about the name."""
    if previous is None or not name_spans:
        return None
    rest = text
    for start, end in sorted(name_spans, reverse=True):
        rest = f"{rest[:start]} {rest[end:]}"
    words = re.findall(r"[a-z]+", rest.lower())
    if words and words[0] in _FOLLOW_UP_STARTS and all(word in _FOLLOW_UP_WORDS for word in words):
        return previous
    return None


def resolve_topic(base: Topic, named: Mapping[str, Sequence[str]]) -> Topic:
    """The topic a question is about, given the intent's topic and the entity values it names (by type)."""
    if base not in _GENERAL:
        return base
    life_stages = tuple(named.get("life_stage", ()))
    if named.get("allergen") or named.get("intolerance"):
        return Topic.ALLERGY
    conditions = tuple(named.get("skin_condition", ()))
    if base in _ALLERGY_SIGN_INTENTS and conditions and all(c in ALLERGY_SIGNS for c in conditions):
        return Topic.ALLERGY
    if any(stage in ADULT_LIFE_STAGES for stage in life_stages):
        return Topic.LIFE_STAGE
    # What to do about a reaction is asked the same whatever condition the skin has ("what should I do about
    # dryness from retinol I use for acne?"): the condition is the setting, not the question.
    if conditions and base is Topic.REACTION_ADVICE:
        return Topic.REACTION_ADVICE
    # Whether it causes breakouts ("can it cause acne?") is the pore-clogging question, as hives are allergy.
    if base is Topic.SIDE_EFFECTS and conditions and all(c in BREAKOUT_SIGNS for c in conditions):
        return Topic.COMEDOGENIC
    # "safe with rosacea?" is about the condition; "with my steroid cream for eczema" about the medicine.
    if named.get("skin_condition") and not (base is Topic.MEDICINES and named.get("medicine")):
        return Topic.SKIN_CONDITION
    # Asked how to use a medicine, or whether one can be allergic to it, with no ingredient named besides it
    # ("how often should I use Differin?"), the medicine is what is asked about, not something to combine.
    about_the_medicine = base in _ABOUT_THE_NAMED and not named.get("ingredient")
    # Whether a medicine suits a skin type ("is tretinoin ok for sensitive skin?") is asked about the medicine;
    # "is it ok with tretinoin?", with no skin type named, still asks about combining it.
    about_the_medicine = about_the_medicine or (
        base is Topic.SUITABILITY and bool(named.get("skin_type")) and not named.get("ingredient"))
    # Whether a child may use one medicine ("is benzoyl peroxide safe for teens?") is asked about the child using
    # it, as "is it safe in pregnancy?" is; two medicines, an ingredient besides one, or the combination intent
    # still ask about combining them.
    about_the_medicine = about_the_medicine or (
        CHILD in life_stages and base is not Topic.MEDICINES and not named.get("ingredient")
        and len(set(named.get("medicine", ()))) == 1)
    # A medicine in a side-effects or reaction question ("how do I calm redness after a chemical peel?") is
    # what may cause or has caused the reaction: the question is about the reaction, not a combination.
    about_a_reaction = base in _ABOUT_A_REACTION
    if base is Topic.MEDICINES or (named.get("medicine") and not about_a_reaction and not about_the_medicine):
        return Topic.MEDICINES
    # "I had anaphylaxis as a kid, can I use it?" is an allergy question: the child is the past, not the user.
    if CHILD in life_stages and base is not Topic.ALLERGY:
        return Topic.CHILDREN
    if named.get("diet"):
        return Topic.DIET
    return base


def topic_label(topic: Topic | None, named: Mapping[str, Sequence[str]], intent: str | None = None) -> str:
    """The phrasing-set label for a decided topic (or for a non-question intent when topic is None)."""
    if topic is None:
        return _INTENT_LABELS.get(intent or "", "out_of_scope")
    if topic is Topic.SUITABILITY:
        return "skin_type"
    if topic is Topic.LIFE_STAGE:
        stages = [s for s in named.get("life_stage", ()) if s in ADULT_LIFE_STAGES]
        return stages[0] if stages else "pregnancy"
    return topic.value
