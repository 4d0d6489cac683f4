"""The reply to one ingredient question: decide it (``bot.answers.deciders``), then say it (``render``)."""

from __future__ import annotations

from bot.answers.answer import Answer, PersonProfile, Question
from bot.answers.deciders import decide
from bot.answers.render import render
from knowledge.facts import IngredientFacts


def compose_answer(facts: IngredientFacts, question: Question, profile: PersonProfile) -> Answer:
    """The reply to one ingredient question, for this person."""
    return render(decide(facts, question, profile))
