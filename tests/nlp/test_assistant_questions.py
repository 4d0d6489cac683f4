"""A message naming an ingredient or a medicine is never read as a question about the assistant (help)."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.assistant_questions import AssistantQuestionFilter, without_assistant_questions


def classified(ranking: list[tuple[str, float]], entities: list[str]) -> Message:
    """A message as the intent classifier leaves it: a ranking, and the entity types the ruler found."""
    message = Message({TEXT: "how do you use it"})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, entries[0])
    message.set(INTENT_RANKING_KEY, entries)
    message.set(ENTITIES, [{"entity": kind, "value": "x", "start": 0, "end": 1} for kind in entities])
    return message


def run(message: Message) -> Message:
    return AssistantQuestionFilter().process([message])[0]


def test_help_leaves_the_ranking_when_an_ingredient_is_named() -> None:
    message = run(classified([("help", 0.46), ("ask_usage", 0.44), ("ask_what_is", 0.10)], ["ingredient"]))
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking] == ["ask_usage", "ask_what_is"]
    assert message.get(INTENT)["name"] == "ask_usage"
    # rescaled: the top intent is now far ahead of the next, so the fallback's ambiguity check passes
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-9
    assert ranking[0]["confidence"] > 0.8


def test_a_medicine_counts_as_a_name() -> None:
    message = run(classified([("ask_usage", 0.5), ("help", 0.4), ("ask_medicines", 0.1)], ["medicine"]))
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["ask_usage", "ask_medicines"]


def test_messages_naming_no_ingredient_keep_their_help_intent() -> None:
    for entities in ([], ["skin_type"]):
        message = run(classified([("help", 0.9), ("ask_usage", 0.1)], entities))
        assert message.get(INTENT)["name"] == "help"
        assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["help", "ask_usage"]


def test_a_ranking_of_help_alone_is_left_as_it_is() -> None:
    ranking = [{"name": "help", "confidence": 1.0}]
    assert without_assistant_questions(ranking) is ranking
