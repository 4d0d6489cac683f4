"""Intents that would be answered with the same topic are folded into one before the fallback decides."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.agreeing_intents import AgreeingIntentsFolder, folded_ranking


def classified(ranking: list[tuple[str, float]], entities: list[tuple[str, str]]) -> Message:
    """A message as the intent classifier leaves it: a ranking, and the entities the ruler found."""
    message = Message({TEXT: "can teens use retinol"})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, entries[0])
    message.set(INTENT_RANKING_KEY, entries)
    message.set(ENTITIES, [{"entity": kind, "value": value, "start": 0, "end": 1} for kind, value in entities])
    return message


def run(message: Message) -> Message:
    return AgreeingIntentsFolder().process([message])[0]


def test_two_intents_answered_alike_become_one_clear_intent() -> None:
    # A child is named: "is it ok?" and "is it ok at this age?" both get the children answer.
    message = run(classified([("ask_life_stage", 0.34), ("ask_suitability", 0.30), ("ask_medicines", 0.12),
                              ("greet", 0.04)], [("life_stage", "child"), ("ingredient", "retinol")]))
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking] == ["ask_life_stage", "ask_medicines", "greet"]
    assert abs(ranking[0]["confidence"] - 0.64) < 1e-9
    assert message.get(INTENT)["name"] == "ask_life_stage"


def test_intents_with_different_answers_stay_apart() -> None:
    # Nothing named: a suitability question and a treatment question have different answers.
    ranking = [{"name": "ask_suitability", "confidence": 0.51}, {"name": "ask_treatment", "confidence": 0.49}]
    assert folded_ranking(ranking, {}) is ranking
    message = run(classified([("ask_suitability", 0.51), ("ask_treatment", 0.49)], []))
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["ask_suitability", "ask_treatment"]


def test_intents_that_are_not_ingredient_questions_are_never_folded() -> None:
    ranking = [{"name": "out_of_scope", "confidence": 0.4}, {"name": "help", "confidence": 0.35},
               {"name": "greet", "confidence": 0.25}]
    assert folded_ranking(ranking, {"ingredient": ("retinol",)}) is ranking


def test_a_lower_intent_can_be_folded_into_a_higher_one_below_the_top() -> None:
    # A condition is named: suitability and side effects both become skin-condition questions, under
    # the higher of the two, while the what-is question above them keeps its place.
    ranking = [{"name": "ask_what_is", "confidence": 0.5}, {"name": "ask_suitability", "confidence": 0.3},
               {"name": "ask_side_effects", "confidence": 0.2}]
    folded = folded_ranking(ranking, {"skin_condition": ("rosacea",)})
    assert [(r["name"], round(r["confidence"], 9)) for r in folded] == [("ask_what_is", 0.5), ("ask_suitability", 0.5)]
    assert ranking[1]["confidence"] == 0.3  # the classifier's own entries are not changed
