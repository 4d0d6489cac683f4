"""Deciders on plain facts: the structured answer (topic, verdict, disclaimer kind, professional, what was
weighed), never exact sentences."""

from __future__ import annotations

from bot.answers.answer import PersonProfile, Question
from bot.answers.deciders import decide, decide_reaction
from bot.answers.decision import Professional, Verdict
from bot.answers.topics import Topic
from bot.safety.policy import Risk
from knowledge.facts import IngredientFacts

NOBODY = PersonProfile()


def templates(decision) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.template for p in decision.points]


def test_diet_verdict_is_as_strong_as_the_store(milk: IngredientFacts, examplium: IngredientFacts) -> None:
    vegan = decide(milk, Question(Topic.DIET, diets=("vegan",)), NOBODY)
    assert milk.diet("vegan").verdict.value == "caution"  # the source: vegans "may choose to avoid" it
    assert vegan.verdict is Verdict.CAUTION
    assert "no_alternative" in templates(vegan)
    assert decide(examplium, Question(Topic.DIET, diets=("vegan",)), NOBODY).verdict is Verdict.YES


def test_an_allergy_to_the_source_leads_a_skin_type_answer_and_the_rest_of_the_profile_follows(
        milk: IngredientFacts) -> None:
    person = PersonProfile(life_stage="pregnancy", allergies=("milk protein",))
    decision = decide(milk, Question(Topic.SUITABILITY, skin_types=("sensitive",)), person)
    assert templates(decision)[0] == "allergen_verdict"
    assert decision.verdict is Verdict.CAUTION
    assert decision.risk is Risk.ALLERGY and decision.professional is Professional.ALLERGIST
    assert decision.considered[:3] == ("allergy:milk protein", "skin_type:sensitive", "life_stage:pregnancy")


def test_sensitive_skin_keeps_the_stores_caveat_about_very_sensitive_skin(milk: IngredientFacts) -> None:
    decision = decide(milk, Question(Topic.SUITABILITY, skin_types=("sensitive",)), NOBODY)
    assert decision.verdict is Verdict.YES
    caveats = [p for p in decision.points if p.template == "skin_type_caveat"]
    assert caveats and "very sensitive" in caveats[0].values["at_risk"]


def test_can_i_use_it_answers_for_the_person(milk: IngredientFacts) -> None:
    decision = decide(milk, Question(Topic.SUITABILITY), PersonProfile(life_stage="breastfeeding"))
    assert decision.verdict is Verdict.NO_KNOWN_RISK
    assert decision.risk is Risk.LIFE_STAGE and decision.considered == ("life_stage:breastfeeding",)


def test_children_are_a_life_stage_the_store_says_nothing_about(milk: IngredientFacts) -> None:
    decision = decide(milk, Question(Topic.CHILDREN, life_stages=("child",)), PersonProfile(life_stage="pregnancy"))
    assert decision.verdict is Verdict.UNKNOWN
    assert decision.risk is Risk.CHILDREN and decision.professional is Professional.PAEDIATRICIAN
    assert "life_stage:pregnancy" not in decision.considered  # the child is not the pregnant asker


def test_medicines_have_no_interaction_data_and_point_to_a_pharmacist(milk: IngredientFacts) -> None:
    decision = decide(milk, Question(Topic.MEDICINES, medicines=("tretinoin",)), NOBODY)
    assert decision.verdict is Verdict.UNKNOWN
    assert decision.risk is Risk.MEDICINES and decision.professional is Professional.PHARMACIST
    assert decision.considered == ("medicine:tretinoin",)
    used_with = decide(milk, Question(Topic.MEDICINES, used_with=("glycolic acid",)), NOBODY)
    assert used_with.considered == ("medicine:glycolic acid",)


def test_a_childs_skin_condition_is_a_health_context_for_a_dermatologist_and_paediatrician(
        milk: IngredientFacts) -> None:
    decision = decide(milk, Question(Topic.SKIN_CONDITION, life_stages=("child",), skin_conditions=("eczema",)),
                      NOBODY)
    assert set(decision.considered) == {"skin_condition:eczema", "life_stage:child"}
    assert decision.risk is Risk.CHILDREN
    assert {p.template for p in decision.points} >= {"ask_dermatologist", "ask_paediatrician"}


def test_intolerance_is_not_an_allergy_but_the_allergy_caution_is_said(milk: IngredientFacts) -> None:
    decision = decide(milk, Question(Topic.ALLERGY, intolerances=("lactose",)), NOBODY)
    assert decision.considered[0] == "intolerance:lactose"
    assert {"intolerance_not_allergy", "if_allergy", "no_info_intolerance"} <= set(templates(decision))
    assert decision.verdict is Verdict.CAUTION and decision.risk is Risk.ALLERGY


def test_dairy_free_choice_gets_the_origin_not_a_verdict_the_store_lacks(milk: IngredientFacts) -> None:
    decision = decide(milk, Question(Topic.DIET, diets=("dairy-free",)), NOBODY)
    assert decision.verdict is Verdict.UNKNOWN
    assert [p.values.get("text") for p in decision.points if p.template == "what_i_know"] == [milk.origin.text]


def test_patch_test_starts_with_yes_and_results_timing_says_the_source_does_not_say(milk: IngredientFacts) -> None:
    patch = decide(milk, Question(Topic.PATCH_TEST), NOBODY)
    assert patch.verdict is Verdict.YES and templates(patch)[0] == "patch_test_yes"
    timing = decide(milk, Question(Topic.RESULTS_TIMING), NOBODY)
    assert timing.verdict is Verdict.UNKNOWN and templates(timing)[0] == "results_timing_unknown"


def test_everyday_answers_carry_no_disclaimer_even_for_a_person_with_a_profile(milk: IngredientFacts) -> None:
    person = PersonProfile(life_stage="pregnancy", diet="vegan")
    for topic in (Topic.WHAT_IS, Topic.COMEDOGENIC, Topic.BENEFITS, Topic.SUN):
        assert decide(milk, Question(topic), person).risk is Risk.NONE, topic


def test_an_allergy_leads_side_effect_answers_too(milk: IngredientFacts) -> None:
    decision = decide(milk, Question(Topic.SIDE_EFFECTS), PersonProfile(allergies=("milk protein",)))
    assert templates(decision)[0] == "allergen_verdict" and decision.risk is Risk.ALLERGY


def test_the_fictional_profile_is_decided_from_its_own_facts(examplium: IngredientFacts) -> None:
    decision = decide(examplium, Question(Topic.SUITABILITY, skin_types=("oily",)), NOBODY)
    assert decision.verdict.value == examplium.skin_type("oily").verdict.value == "caution"
    assert decision.ingredient == examplium.name


def test_a_reaction_now_is_advice_with_the_profiles_own_words_and_a_follow_up() -> None:
    decision = decide_reaction("milk exosomes", "Rinse with lukewarm water.")
    assert decision.kind == "reaction" and decision.risk is Risk.REACTION
    assert decision.professional is Professional.PHARMACIST and decision.tags == ("reaction",)
    steps = [p for p in decision.points if p.template == "reaction_steps"]
    assert [p.values["advice"] for p in steps] == ["Rinse with lukewarm water."]
    unknown = decide_reaction(None, None)
    assert unknown.ingredient is None and [p.values["advice"] for p in unknown.points if p.values] == [None]
