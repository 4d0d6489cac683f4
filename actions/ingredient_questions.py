"""Answering ingredient questions from the knowledge store, and remembering the person's profile."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    apply_profile_updates,
    entity_values,
    latest_intent,
    latest_text,
    profile_from,
    question_from,
    self_described_profile,
)
from actions.dispatch import send_answer, tell_triage, tell_triage_soon
from bot.answers.composer import compose_answer
from bot.answers.fallback import (
    compose_no_ingredients,
    compose_store_unavailable,
    compose_unknown_ingredient,
    compose_which_ingredient,
    with_assumed_ingredient,
)
from bot.answers.profile import compose_profile_acknowledgement
from bot.answers.topics import Topic
from bot.triage import recorder
from knowledge.queries import KnowledgeStoreUnavailable, afind_ingredient, alist_ingredients

MAX_INGREDIENTS_PER_MESSAGE = 3


class ActionAnswerIngredientQuestion(Action):
    """Answers any `ask_*` question about the ingredient named, in focus, or the only one we know."""

    def name(self) -> str:
        """Action name used in the domain and rules."""
        return "action_answer_ingredient_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Resolve the ingredient(s), query the store, compose and send the answer."""
        topic = Topic.from_intent(latest_intent(tracker)) or Topic.SUMMARY
        profile_updates = self_described_profile(tracker)
        events: list[EventType] = [SlotSet(slot, value) for slot, value in profile_updates.items()]
        profile = apply_profile_updates(profile_from(tracker), profile_updates)
        question = question_from(tracker, topic)
        try:
            names = self._ingredients_named_or_in_focus(tracker)
            known: list[str] | None = None  # the store's ingredient list, read once when needed
            assumed = False
            if not names:
                known = await alist_ingredients()
                if len(known) != 1:
                    answer = compose_which_ingredient(known, topic) if known else compose_no_ingredients()
                    send_answer(dispatcher, answer)
                    return events
                names, assumed = [known[0]], True
            answered_any = False
            for name in names:
                facts = await afind_ingredient(name)
                if facts is None:
                    known = known if known is not None else await alist_ingredients()
                    answer = compose_unknown_ingredient(name, known)
                    await tell_triage(recorder.record_knowledge_gap(
                        tracker.sender_id, question=latest_text(tracker) or f"{topic.value}: {name}",
                        ingredient=name), "record a knowledge gap")
                else:
                    answer = compose_answer(facts, question, profile)
                    answered_any = True
                    name = facts.name
                if assumed:
                    answer = with_assumed_ingredient(answer, name)
                send_answer(dispatcher, answer)
                tell_triage_soon(recorder.record_topics_soon, tracker.sender_id, answer.tags, what="record topics")
            events.append(SlotSet("ingredient", name))
            failures = 0 if answered_any else (tracker.get_slot("unanswered_in_a_row") or 0) + 1
            events.append(SlotSet("unanswered_in_a_row", failures))
        except KnowledgeStoreUnavailable:
            send_answer(dispatcher, compose_store_unavailable())
        return events

    @staticmethod
    def _ingredients_named_or_in_focus(tracker: Tracker) -> list[str]:
        """Ingredients named in this message, else the one in focus (the only store read is left to run())."""
        named = list(entity_values(tracker, "ingredient"))[:MAX_INGREDIENTS_PER_MESSAGE]
        if named:
            return named
        in_focus = tracker.get_slot("ingredient")
        return [str(in_focus)] if in_focus else []


class ActionRememberProfile(Action):
    """Acknowledges what the person told us about themselves (the slots are filled by the domain)."""

    def name(self) -> str:
        """Action name used in the domain and rules."""
        return "action_remember_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Confirm what was remembered and suggest the natural next question."""
        answer = compose_profile_acknowledgement(profile_from(tracker), tracker.get_slot("ingredient"))
        send_answer(dispatcher, answer)
        tell_triage_soon(recorder.record_topics_soon, tracker.sender_id, answer.tags, what="record topics")
        return []
