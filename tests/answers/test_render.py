"""The renderer: every decided answer can be said, agrees with the ingredient's name, and carries its data.

Copy is asserted here only where the wording itself is the behaviour (a plain "yes" first, no stronger
verdict than the source, grammar); everything else is asserted on decisions."""

from __future__ import annotations

import itertools

import pytest

from bot.answers.answer import PersonProfile, Question
from bot.answers.deciders import decide, decide_reaction
from bot.answers.render import render
from bot.answers.templates import TEMPLATES
from bot.answers.topics import Topic
from bot.safety.claims import treatment_claims
from knowledge.facts import IngredientFacts

PEOPLE = (
    PersonProfile(),
    PersonProfile(skin_type="sensitive", diet="vegan", life_stage="pregnancy", allergies=("milk protein",),
                  skin_conditions=("eczema",), intolerances=("lactose",), medicines=("tretinoin",)),
)
QUESTIONS = [Question(t) for t in Topic] + [
    Question(Topic.CHILDREN, life_stages=("child",)),
    Question(Topic.SKIN_CONDITION, skin_conditions=("rosacea",), life_stages=("child",)),
    Question(Topic.ALLERGY, intolerances=("dairy products",)),
    Question(Topic.DIET, diets=("dairy-free", "vegan")),
]


@pytest.fixture(params=["milk", "examplium"])
def facts(request: pytest.FixtureRequest) -> IngredientFacts:
    return request.getfixturevalue(request.param)


def test_every_decision_renders_in_agreement_with_the_name(facts: IngredientFacts) -> None:
    plural_slips = [f"{facts.name} is ", f"{facts.name} isn't", f"{facts.name} does", "whether them", "to it."]
    singular_slips = [f"{facts.name} are ", f"{facts.name} don't", "whether they would", "whether they're"]
    wrong = plural_slips if facts.name.endswith("s") else singular_slips
    for question, person in itertools.product(QUESTIONS, PEOPLE):
        answer = render(decide(facts, question, person))
        assert answer.text and treatment_claims(answer.text) == [], (question, answer.text)
        for phrase in wrong:
            assert phrase not in answer.text, (question.topic, phrase, answer.text)
        assert answer.data["topic"] == question.topic.value
        assert (answer.disclaimer is None) is (answer.data["disclaimer"] is None)


def test_verdicts_are_no_stronger_than_the_source(milk: IngredientFacts) -> None:
    text = render(decide(milk, Question(Topic.DIET, diets=("vegan",)), PersonProfile())).text
    assert "may choose to avoid" in text
    assert not text.startswith("No") and "aren't vegan" not in text


def test_patch_test_starts_with_a_plain_yes_and_results_timing_says_the_source_does_not_say(
        milk: IngredientFacts) -> None:
    assert render(decide(milk, Question(Topic.PATCH_TEST), PersonProfile())).text.startswith("Yes")
    assert "doesn't say" in render(decide(milk, Question(Topic.RESULTS_TIMING), PersonProfile())).text


def test_every_template_the_deciders_use_exists(milk: IngredientFacts, examplium: IngredientFacts) -> None:
    used = {p.template for facts in (milk, examplium) for q, person in itertools.product(QUESTIONS, PEOPLE)
            for p in decide(facts, q, person).points}
    assert used <= set(TEMPLATES)


def test_a_reaction_reply_says_what_to_do_offers_support_and_names_who_to_ask() -> None:
    answer = render(decide_reaction("milk exosomes", "Wash it off with lukewarm water."))
    assert "Wash it off with lukewarm water." in answer.text  # the profile's own advice, as written
    assert "emergency help" in answer.text  # the red flags to watch for are always said
    assert [b.payload for b in answer.buttons] == ["/request_human"]
    assert answer.disclaimer and "doctor or pharmacist" in answer.disclaimer
    assert answer.data["kind"] == "reaction" and answer.data["disclaimer"] == "reaction"
    assert not treatment_claims(answer.text)


def test_every_diet_of_the_vocabulary_is_said_in_plain_english(facts: IngredientFacts) -> None:
    from knowledge.vocabulary import load_vocabulary

    for diet in load_vocabulary().values("diet"):
        text = render(decide(facts, Question(Topic.DIET, diets=(diet,)), PersonProfile())).text
        if diet not in ("vegan", "vegetarian"):  # the diets whose name, plural, is its people
            assert f"{diet}s" not in text, text  # not "for halals", "for cruelty-frees"
        if facts.diet(diet) is None:
            # neither a yes nor a no: the same words answer "is it haram?" and "is it halal?"
            assert f"whether {facts.name}" in text and not text.startswith(("Yes", "No")), text
