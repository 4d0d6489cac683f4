"""What was really asked: the topic from the intent plus what the message names, and its phrasing label."""

from __future__ import annotations

import pytest

from bot.answers.topics import Topic
from bot.answers.understanding import resolve_topic, topic_label


@pytest.mark.parametrize(("base", "named", "expected"), [
    (Topic.SUITABILITY, {"medicine": ("tretinoin",)}, Topic.MEDICINES),  # "is it ok with tretinoin?"
    (Topic.USAGE, {"medicine": ("adapalene",)}, Topic.USAGE),  # "how often should I use Differin?"
    # "is tretinoin ok for sensitive skin?": the medicine is what is asked about
    (Topic.SUITABILITY, {"medicine": ("tretinoin",), "skin_type": ("sensitive",)}, Topic.SUITABILITY),
    (Topic.SUITABILITY, {"medicine": ("tretinoin",), "skin_type": ("sensitive",), "ingredient": ("retinol",)},
     Topic.MEDICINES),
    (Topic.ALLERGY, {"medicine": ("tretinoin",)}, Topic.ALLERGY),  # "am I allergic to tretinoin?"
    (Topic.USAGE, {"ingredient": ("niacinamide",), "medicine": ("tretinoin",)}, Topic.MEDICINES),
    (Topic.REACTION_ADVICE, {"life_stage": ("pregnancy",)}, Topic.LIFE_STAGE),
    # the medicine caused the reaction asked about: "how do I calm redness after a chemical peel?"
    (Topic.REACTION_ADVICE, {"ingredient": ("retinol",), "medicine": ("acids",)}, Topic.REACTION_ADVICE),
    (Topic.SIDE_EFFECTS, {"medicine": ("tretinoin",)}, Topic.SIDE_EFFECTS),
    (Topic.LIFE_STAGE, {"life_stage": ("child",)}, Topic.CHILDREN),
    # a child using one medicine is a children question ("is benzoyl peroxide safe for teens?")...
    (Topic.LIFE_STAGE, {"medicine": ("benzoyl peroxide",), "life_stage": ("child", "child")}, Topic.CHILDREN),
    (Topic.SUITABILITY, {"medicine": ("adapalene",), "life_stage": ("child",)}, Topic.CHILDREN),
    # ...but combining it with something else stays a medicines question
    (Topic.LIFE_STAGE, {"medicine": ("tretinoin", "benzoyl peroxide"), "life_stage": ("child",)}, Topic.MEDICINES),
    (Topic.LIFE_STAGE, {"medicine": ("isotretinoin",), "ingredient": ("niacinamide",), "life_stage": ("child",)},
     Topic.MEDICINES),
    (Topic.MEDICINES, {"medicine": ("tretinoin",), "life_stage": ("child",)}, Topic.MEDICINES),
    (Topic.SUITABILITY, {"medicine": ("adapalene",)}, Topic.MEDICINES),  # no child: "is it ok with Differin?"
    (Topic.ALLERGY, {"life_stage": ("child",)}, Topic.ALLERGY),  # "anaphylaxis to milk as a kid"
    (Topic.LIFE_STAGE, {"life_stage": ("breastfeeding", "child")}, Topic.LIFE_STAGE),
    (Topic.SUITABILITY, {"skin_condition": ("eczema",), "life_stage": ("child",)}, Topic.SKIN_CONDITION),
    (Topic.SIDE_EFFECTS, {"intolerance": ("dairy products",)}, Topic.ALLERGY),
    (Topic.SUITABILITY, {"allergen": ("milk protein",), "life_stage": ("pregnancy",)}, Topic.ALLERGY),
    (Topic.SUITABILITY, {"diet": ("dairy-free",)}, Topic.DIET),
    (Topic.SUITABILITY, {"skin_type": ("oily",)}, Topic.SUITABILITY),
    (Topic.COMEDOGENIC, {"skin_condition": ("acne",)}, Topic.COMEDOGENIC),
    (Topic.TREATMENT, {"skin_condition": ("eczema",)}, Topic.TREATMENT),
    (Topic.DIET, {"life_stage": ("pregnancy",), "diet": ("vegan",)}, Topic.DIET),
    # a sign of an allergy: "does it cause hives?" is an allergy question; "ok with hives?" one about the condition
    (Topic.SIDE_EFFECTS, {"ingredient": ("retinol",), "skin_condition": ("hives",)}, Topic.ALLERGY),
    (Topic.ALLERGY, {"skin_condition": ("dermatitis",)}, Topic.ALLERGY),
    (Topic.SUITABILITY, {"skin_condition": ("hives",)}, Topic.SKIN_CONDITION),
    (Topic.SIDE_EFFECTS, {"skin_condition": ("hives", "rosacea")}, Topic.SKIN_CONDITION),
    # breakouts: "can it cause acne?" is the pore-clogging question; "will it irritate my rosacea?" the condition's
    (Topic.SIDE_EFFECTS, {"ingredient": ("niacinamide",), "skin_condition": ("acne",)}, Topic.COMEDOGENIC),
    (Topic.SIDE_EFFECTS, {"skin_condition": ("rosacea",)}, Topic.SKIN_CONDITION),
    (Topic.SIDE_EFFECTS, {"skin_condition": ("acne", "rosacea")}, Topic.SKIN_CONDITION),
    (Topic.SUITABILITY, {"skin_condition": ("acne",)}, Topic.SKIN_CONDITION),  # "is it ok for acne?"
    # what to do about a reaction, whatever condition the skin has; other general intents keep the condition
    (Topic.REACTION_ADVICE, {"ingredient": ("retinol",), "skin_condition": ("acne",)}, Topic.REACTION_ADVICE),
    (Topic.REACTION_ADVICE, {"skin_condition": ("eczema",), "life_stage": ("child",)}, Topic.REACTION_ADVICE),
    (Topic.USAGE, {"ingredient": ("retinol",), "skin_condition": ("eczema",)}, Topic.SKIN_CONDITION),
])
def test_named_things_decide_general_questions(base: Topic, named: dict, expected: Topic) -> None:
    assert resolve_topic(base, named) is expected


def test_labels() -> None:
    assert topic_label(Topic.SUITABILITY, {}) == "skin_type"
    assert topic_label(Topic.LIFE_STAGE, {"life_stage": ("breastfeeding",)}) == "breastfeeding"
    assert topic_label(Topic.LIFE_STAGE, {}) == "pregnancy"
    assert topic_label(Topic.CHILDREN, {}) == "children"
    assert topic_label(None, {}, "request_human") == "human"
    assert topic_label(None, {}, "nlu_fallback") == "out_of_scope"
