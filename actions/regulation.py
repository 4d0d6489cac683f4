"""Answers about EU rules that name no single substance (the labelled fragrance allergens)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send_answer, tell_triage_soon
from bot.answers.fallback import store_unavailable
from bot.answers.regulation import decide_labelled_allergens
from bot.answers.render import render
from bot.triage import recorder
from knowledge.annexes.facts import Annex
from knowledge.annexes.queries import aannex_dataset, alabelled_fragrance_allergens
from knowledge.queries import KnowledgeStoreUnavailable


class ActionListLabelledAllergens(Action):
    """The fragrance allergens EU rules require on the label above 0.001 % (leave-on) / 0.01 % (rinse-off)."""

    def name(self) -> str:
        """Action name used in the domain and rules."""
        return "action_list_labelled_allergens"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Read the list from the store, decide, render and send it."""
        try:
            entries = await alabelled_fragrance_allergens()
            dataset = await aannex_dataset()
        except KnowledgeStoreUnavailable:
            send_answer(dispatcher, render(store_unavailable()))
            return []
        last_update = dataset.last_updates.get(Annex.III) if dataset else None
        answer = render(decide_labelled_allergens(entries, last_update))
        send_answer(dispatcher, answer)
        tell_triage_soon(recorder.record_topics_soon, tracker.sender_id, answer.tags, what="record topics")
        return []
