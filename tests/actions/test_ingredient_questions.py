"""The answering action: facts come from the store, follow-ups, unknown ingredients, missing store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from actions.ingredient_questions import ActionAnswerIngredientQuestion, ActionRememberProfile
from bot.safety.claims import treatment_claims
from bot.triage.db import use_engine
from bot.triage.recorder import wait_for_queued_topics
from knowledge.database import get_engine
from tests.actions.conftest import entity, make_tracker, run_action, slot_events, texts
from tests.fixtures.store import FAMILY_PROFILES, FICTIONAL_NAME, REAL_PROFILES, make_store

ANSWER = ActionAnswerIngredientQuestion()


def test_vegan_question_is_answered_from_the_store(store_url: str) -> None:
    tracker = make_tracker("ask_diet", "are milk exosomes vegan?",
                           [entity("ingredient", "milk exosomes"), entity("diet", "vegan")])
    messages, events = run_action(ANSWER, tracker)
    reply = texts(messages)
    # The source says vegans "may choose to avoid" it: a caution, worded no stronger.
    assert messages[0]["answer"]["verdict"] == "caution"
    assert reply.startswith("It depends: vegans may choose to avoid milk exosomes.")
    assert "cow milk" in reply
    assert "no plant-based or synthetic alternative" in reply
    assert slot_events(events)["ingredient"] == "milk exosomes"
    assert any("/ask_life_stage" in b["payload"] for b in messages[0]["buttons"])


def test_a_second_ingredient_gets_its_own_facts(store_url: str) -> None:
    """The fictional test-only profile is vegan: nothing about milk exosomes is hard-coded."""
    tracker = make_tracker("ask_diet", "is examplium vegan", [entity("ingredient", FICTIONAL_NAME),
                                                              entity("diet", "vegan")])
    reply = texts(run_action(ANSWER, tracker)[0])
    assert reply.startswith(f"Yes: {FICTIONAL_NAME} is suitable for vegans.")
    assert "made from a plant" in reply
    assert "cow" not in reply


def test_comedogenic_rating_follows_the_store(store_url: str) -> None:
    real = texts(run_action(ANSWER, make_tracker("ask_comedogenic", "will it clog pores",
                                                 [entity("ingredient", "milk exosomes")]))[0])
    fictional = texts(run_action(ANSWER, make_tracker("ask_comedogenic", "will it clog pores",
                                                      [entity("ingredient", FICTIONAL_NAME)]))[0])
    assert "1/5" in real and "3/5" not in real
    assert "3/5" in fictional and "1/5" not in fictional


def test_follow_up_with_it_uses_the_ingredient_in_focus(store_url: str) -> None:
    tracker = make_tracker("ask_life_stage", "is it ok while nursing?", [entity("life_stage", "breastfeeding")],
                           slots={"ingredient": "milk exosomes"})
    messages, _ = run_action(ANSWER, tracker)
    reply = texts(messages)
    assert reply.startswith("No known risk while breastfeeding")
    assert "not medical advice" in reply.lower()


def named_at(kind: str, value: str, text: str) -> dict:
    """An entity with its span in ``text``, as the NLU reports it."""
    start = text.lower().index(value.lower())
    return {**entity(kind, value), "start": start, "end": start + len(value)}


@pytest.mark.parametrize("text", [f"what about {FICTIONAL_NAME}?", f"and {FICTIONAL_NAME}?",
                                  f"How about {FICTIONAL_NAME} then", f"same question for {FICTIONAL_NAME}"])
def test_a_follow_up_naming_another_ingredient_asks_the_last_question_again(store_url: str, text: str) -> None:
    first = make_tracker("ask_diet", "are milk exosomes vegan?",
                         [entity("ingredient", "milk exosomes"), entity("diet", "vegan")])
    last_topic = slot_events(run_action(ANSWER, first)[1])["last_topic"]
    assert last_topic == "diet"
    # whatever general intent the classifier gives the follow-up, it is the diet question again
    follow_up = make_tracker("ask_summary", text, [named_at("ingredient", FICTIONAL_NAME, text)],
                             slots={"ingredient": "milk exosomes", "last_topic": last_topic})
    messages, events = run_action(ANSWER, follow_up)
    assert messages[0]["answer"]["topic"] == "diet" and "vegan" in texts(messages)
    assert slot_events(events)["last_topic"] == "diet" and slot_events(events)["ingredient"] == FICTIONAL_NAME


@pytest.mark.parametrize("text", [f"{FICTIONAL_NAME}?", f"tell me about {FICTIONAL_NAME}",
                                  f"what about {FICTIONAL_NAME} for oily skin?"])
def test_a_name_alone_or_a_new_question_is_not_a_follow_up(store_url: str, text: str) -> None:
    tracker = make_tracker("ask_summary", text, [named_at("ingredient", FICTIONAL_NAME, text)],
                           slots={"last_topic": "diet"})
    messages, events = run_action(ANSWER, tracker)
    assert messages[0]["answer"]["topic"] == "summary"
    assert slot_events(events)["last_topic"] == "summary"


def test_unknown_ingredient_is_never_answered_with_another_ingredients_facts(store_url: str) -> None:
    tracker = make_tracker("ask_diet", "is snail mucin vegan?", [entity("ingredient", "snail mucin"),
                                                                 entity("diet", "vegan")],
                           slots={"ingredient": "milk exosomes"})
    messages, events = run_action(ANSWER, tracker)
    reply = texts(messages)
    assert "I don't have verified information on snail mucin" in reply
    assert "cow" not in reply and "aren't vegan" not in reply
    assert slot_events(events)["ingredient"] == "snail mucin"
    assert slot_events(events)["unanswered_in_a_row"] == 1
    assert any(b["payload"] == "/request_human" for b in messages[0]["buttons"])


def test_several_ingredients_and_none_named_asks_which_with_buttons(store_url: str) -> None:
    messages, _ = run_action(ANSWER, make_tracker("ask_diet", "is it vegan?", [entity("diet", "vegan")]))
    assert texts(messages) == "Which ingredient do you mean?"
    titles = {b["title"] for b in messages[0]["buttons"]}
    assert titles == {"milk exosomes", FICTIONAL_NAME}
    assert all(b["payload"].startswith("/ask_diet{") for b in messages[0]["buttons"])


def test_only_one_ingredient_and_none_named_assumes_it_and_says_so(real_only_store_url: str) -> None:
    messages, events = run_action(ANSWER, make_tracker("ask_comedogenic", "will it clog my pores?"))
    reply = texts(messages)
    assert reply.startswith("Assuming you mean milk exosomes")
    assert "1/5" in reply
    assert slot_events(events)["ingredient"] == "milk exosomes"


def test_missing_store_gets_an_apology_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SKINCARE_DB_URL", f"sqlite:///{tmp_path / 'absent.sqlite'}")
    messages, _ = run_action(ANSWER, make_tracker("ask_diet", "are milk exosomes vegan?",
                                                  [entity("ingredient", "milk exosomes")]))
    assert "can't reach my ingredient information" in texts(messages)
    assert not (tmp_path / "absent.sqlite").exists()


def test_profile_with_several_facts_is_answered_in_one_reply(store_url: str) -> None:
    slots = {"skin_type": "oily", "life_stage": "breastfeeding", "diet": "vegan", "ingredient": "milk exosomes"}
    messages, _ = run_action(ANSWER, make_tracker("ask_suitability", "does it suit me?", slots=slots))
    assert len(messages) == 1
    reply = texts(messages)
    assert "oily skin usually tolerates milk exosomes" in reply
    assert "vegans may choose to avoid" in reply
    assert "breastfeeding" in reply
    assert "not medical advice" in reply.lower()
    assert reply.index("oily") < reply.index("vegan") < reply.index("breastfeeding")
    assert set(messages[0]["answer"]["considered"]) == {"skin_type:oily", "diet:vegan", "life_stage:breastfeeding"}


def test_stated_profile_inside_a_question_is_remembered(store_url: str) -> None:
    tracker = make_tracker("ask_suitability", "I have oily skin, would examplium suit me?",
                           [entity("skin_type", "oily"), entity("ingredient", FICTIONAL_NAME)])
    messages, events = run_action(ANSWER, tracker)
    assert slot_events(events)["skin_type"] == "oily"
    assert texts(messages).startswith(f"Go carefully: {FICTIONAL_NAME} may not suit oily skin.")


def test_treatment_question_is_answered_as_cosmetic_not_medicine(store_url: str) -> None:
    tracker = make_tracker("ask_treatment", "does it cure eczema", [entity("skin_condition", "eczema")],
                           slots={"ingredient": "milk exosomes"})
    reply = texts(run_action(ANSWER, tracker)[0])
    assert "not a medicine" in reply or "not medicines" in reply
    assert "dermatologist" in reply
    assert treatment_claims(reply) == []


def test_every_question_about_every_ingredient_is_answered_without_treatment_claims(store_url: str) -> None:
    intents = ["ask_what_is", "ask_contents", "ask_how_made", "ask_products", "ask_benefits", "ask_suitability",
               "ask_diet", "ask_life_stage", "ask_sun", "ask_allergy", "ask_side_effects", "ask_reaction_advice",
               "ask_comedogenic", "ask_patch_test", "ask_summary", "ask_treatment", "ask_medicines",
               "ask_results_timing", "ask_usage"]
    for name in ("milk exosomes", FICTIONAL_NAME):
        for intent in intents:
            reply = texts(run_action(ANSWER, make_tracker(intent, "question", [entity("ingredient", name)]))[0])
            assert reply, (name, intent)
            assert "I don't have verified information on" not in reply or intent == "ask_products", (name, intent)
            assert treatment_claims(reply) == [], (name, intent, reply)


def test_health_adjacent_answers_carry_a_disclaimer_and_everyday_ones_do_not(store_url: str) -> None:
    def reply(intent: str) -> str:
        return texts(run_action(ANSWER, make_tracker(intent, "q", [entity("ingredient", "milk exosomes")]))[0])

    for intent in ("ask_life_stage", "ask_allergy", "ask_side_effects", "ask_treatment"):
        assert "ℹ️" in reply(intent), intent
    for intent in ("ask_what_is", "ask_benefits", "ask_comedogenic", "ask_diet"):
        assert "ℹ️" not in reply(intent), intent


def test_remember_profile_acknowledges_and_offers_the_ingredient_in_focus(store_url: str) -> None:
    tracker = make_tracker("inform_profile", "I have oily skin", [entity("skin_type", "oily")],
                           slots={"skin_type": "oily", "ingredient": "milk exosomes"})
    messages, _ = run_action(ActionRememberProfile(), tracker)
    assert "oily skin" in texts(messages)
    assert "Want me to check milk exosomes against what you've told me?" in texts(messages)
    assert messages[0]["buttons"][0]["payload"].startswith("/ask_suitability")


@pytest.fixture
def two_exosomes_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real profiles plus a fictional second kind of exosomes."""
    url = make_store(tmp_path, [REAL_PROFILES, FAMILY_PROFILES], name="family.sqlite")
    monkeypatch.setenv("SKINCARE_DB_URL", url)
    use_engine(get_engine(url))
    yield url
    wait_for_queued_topics()
    use_engine(None)


def test_bare_exosomes_asks_which_when_other_exosomes_exist(two_exosomes_store: str) -> None:
    messages, events = run_action(ANSWER, make_tracker("ask_diet", "are exosomes vegan?",
                                                       [entity("ingredient", "exosomes"), entity("diet", "vegan")]))
    assert messages[0]["answer"]["kind"] == "which_ingredient"
    assert {b["title"] for b in messages[0]["buttons"]} == {"milk exosomes", "examplium exosomes"}
    assert all(b["payload"].startswith("/ask_diet{") for b in messages[0]["buttons"])
    assert "ingredient" not in slot_events(events)  # nothing assumed


def test_a_medicine_asked_about_on_its_own_is_named_back_not_answered_with_milk_facts(store_url: str) -> None:
    tracker = make_tracker("ask_diet", "is tretinoin vegan?", [entity("medicine", "tretinoin"),
                                                               entity("diet", "vegan")],
                           slots={"ingredient": "milk exosomes"})
    messages, _ = run_action(ANSWER, tracker)
    assert messages[0]["answer"]["kind"] == "unknown_ingredient"
    assert "tretinoin" in texts(messages) and "cow" not in texts(messages)


def test_used_with_an_unprofiled_active_is_a_medicines_answer_about_the_ingredient_in_focus(store_url: str) -> None:
    tracker = make_tracker("ask_medicines", "can I use it with glycolic acid?",
                           [entity("ingredient", "glycolic acid")], slots={"ingredient": "milk exosomes"})
    messages, events = run_action(ANSWER, tracker)
    data = messages[0]["answer"]
    assert (data["topic"], data["ingredient"], data["professional"]) == ("medicines", "milk exosomes", "pharmacist")
    assert data["considered"] == ["medicine:glycolic acid"]
    assert slot_events(events)["ingredient"] == "milk exosomes"
