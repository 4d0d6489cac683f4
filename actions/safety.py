"""Safety actions: emergencies (ticket, and the triage question's "No") and reported reactions.

The emergency reply itself is the domain response `utter_emergency`, sent by Rasa before these
actions run, so it never depends on the action server. Wording comes from domain.yml and
bot.answers (the reaction reply is a decision rendered like every other answer).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text
from actions.dispatch import send_answer, tell_triage
from bot.answers.deciders import decide_reaction
from bot.answers.render import render
from bot.safety.nlu_labels import (
    DEFAULT_KIND,
    EMERGENCY_ENTITIES,
    EMERGENCY_KIND_ENTITY,
    OPEN_EMERGENCY_TICKET_ACTION,
    POSSIBLE_EMERGENCY_INTENT,
    RED_FLAG_INTENT,
    REPLACED_INTENT_KEY,
    SAFETY_INTENTS,
    SAFETY_PARSE_KEY,
)
from bot.safety.policy import emergency_ticket_reason
from bot.triage import recorder
from knowledge.facts import UsageTopic
from knowledge.queries import KnowledgeStoreUnavailable, afind_ingredient

FALLBACK_INTENT = "nlu_fallback"


def _user_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The user messages of the conversation, latest first."""
    return [e for e in reversed(tracker.events) if e.get("event") == "user"]


def _intent_of(event: dict[str, Any]) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def latest_triage_message(tracker: Tracker) -> dict[str, Any] | None:
    """The latest message that got the triage question (intent possible_emergency), as a user event."""
    return next((e for e in _user_events(tracker) if _intent_of(e) == POSSIBLE_EMERGENCY_INTENT), None)


def emergency_report(tracker: Tracker) -> str:
    """The person's own words about the emergency, whole (Rasa's parse keeps only the guarded part).

    The latest message, or after "Yes" to the triage question, the message that prompted it.
    """
    events = _user_events(tracker)
    if events and _intent_of(events[0]) not in (RED_FLAG_INTENT, None):
        triage = latest_triage_message(tracker)
        if triage is not None:
            return str(triage.get("text") or "")
    return str(events[0].get("text") or "") if events else latest_text(tracker)


class ActionOpenEmergencyTicket(Action):
    """After the emergency reply: an urgent ticket naming the kind (reason and tag), for staff."""

    def name(self) -> str:
        """Action name used in the domain and rules (data/emergency.yml)."""
        return OPEN_EMERGENCY_TICKET_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Open (or raise to urgent) the conversation's ticket; say nothing, the reply is already sent."""
        kind = str(tracker.get_slot(EMERGENCY_KIND_ENTITY) or DEFAULT_KIND)
        await tell_triage(recorder.open_ticket(
            tracker.sender_id, urgency=recorder.Urgency.URGENT, reason=emergency_ticket_reason(kind),
            question=emergency_report(tracker), tags=["red_flag", kind]), "open an urgent ticket")
        return []


class ActionAnswerAfterTriage(Action):
    """"No" to the triage question: answer the message that prompted it, as it would have been answered.

    The message is handed back to Rasa with the intent the classifiers gave it (kept by the emergency
    layer in its parse data), after an `action_listen`, so the ordinary rule for that intent answers it.
    """

    def name(self) -> str:
        """Action name used in the domain and rules (data/emergency.yml)."""
        return "action_answer_after_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Replay the original message with its own intent and entities (without the emergency ones)."""
        original = latest_triage_message(tracker)
        if original is None:  # nothing left to answer (e.g. a new session began): say what we can do
            dispatcher.utter_message(response="utter_help")
            return []
        parse = dict(original.get("parse_data") or {})
        replaced = (parse.get(SAFETY_PARSE_KEY) or {}).get(REPLACED_INTENT_KEY) or {}
        if replaced.get("name") in (None, *SAFETY_INTENTS):
            replaced = {"name": FALLBACK_INTENT, "confidence": 1.0}
        parse["intent"] = replaced
        parse["intent_ranking"] = [r for r in parse.get("intent_ranking") or [] if r.get("name") not in SAFETY_INTENTS]
        parse["entities"] = [e for e in parse.get("entities") or [] if e.get("entity") not in EMERGENCY_ENTITIES]
        parse.pop(SAFETY_PARSE_KEY, None)
        return [ActionExecuted("action_listen"),
                UserUttered(str(original.get("text") or ""), parse, input_channel=original.get("input_channel"))]


class ActionSafetyReaction(Action):
    """A reaction happening now (not an emergency): what to do, then a high-urgency ticket."""

    def name(self) -> str:
        """Action name used in the domain and rules."""
        return "action_safety_reaction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Stop-using advice (with the profile's own advice when the ingredient is known)."""
        ingredient_advice = None
        ingredient = tracker.get_slot("ingredient")
        if ingredient:
            try:
                facts = await afind_ingredient(str(ingredient))
            except KnowledgeStoreUnavailable:
                facts = None
            advice = facts.usage_advice(UsageTopic.ON_REACTION) if facts else None
            ingredient_advice = advice.advice if advice else None
        answer = render(decide_reaction(str(ingredient) if ingredient else None, ingredient_advice))
        send_answer(dispatcher, answer)
        text = latest_text(tracker)
        await tell_triage(recorder.open_ticket(
            tracker.sender_id, urgency=recorder.Urgency.HIGH, reason="Adverse reaction reported",
            question=text, tags=["reaction", "side_effects"]), "open a ticket")
        return []
