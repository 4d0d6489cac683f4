"""When the assistant cannot help: out-of-scope questions and messages it did not understand."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_intent, latest_text
from actions.dispatch import send_answer, tell_triage, tell_triage_soon
from bot.answers.fallback import NAMED_INGREDIENTS, cannot_help, empty_message
from bot.answers.render import render
from bot.triage import recorder
from knowledge.queries import IngredientNames, KnowledgeStoreUnavailable, afirst_ingredients

#: After this many unanswered turns in a row the assistant offers a person.
HANDOFF_AFTER_FAILURES = 2
HANDOFF_OFFER_ACTION = "action_offer_handoff"


class ActionUnanswerable(Action):
    """Say plainly that we have no verified information, suggest what we can answer, offer a human."""

    def name(self) -> str:
        """Action name used in the domain, rules and as the core fallback."""
        return "action_unanswerable"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply, record the gap or the out-of-scope tag, and offer a handoff after repeated failures."""
        text = latest_text(tracker)
        if not text.strip():
            send_answer(dispatcher, render(empty_message()))
            return []
        out_of_scope = latest_intent(tracker) == "out_of_scope"
        try:
            known = await afirst_ingredients(NAMED_INGREDIENTS)
        except KnowledgeStoreUnavailable:
            known = IngredientNames((), 0)
        failures = int(tracker.get_slot("unanswered_in_a_row") or 0) + 1
        offer_handoff = failures >= HANDOFF_AFTER_FAILURES
        send_answer(dispatcher, render(cannot_help(known.names, out_of_scope=out_of_scope, offer_handoff=offer_handoff,
                                                   more=known.more)))
        tag = "out_of_scope" if out_of_scope else "unanswered"
        tell_triage_soon(recorder.record_topics_soon, tracker.sender_id, [tag], what="record topics")
        if not out_of_scope:
            await tell_triage(recorder.record_knowledge_gap(tracker.sender_id, question=text, ingredient=None),
                              "record a knowledge gap")
        events: list[EventType] = [SlotSet("unanswered_in_a_row", 0 if offer_handoff else failures)]
        if offer_handoff:
            events.append(FollowupAction(HANDOFF_OFFER_ACTION))
        return events
