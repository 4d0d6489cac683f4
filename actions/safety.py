"""Safety actions: emergency symptoms and reported reactions. Wording comes from bot.safety.policy."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text
from actions.dispatch import send_answer, tell_triage
from bot.answers.answer import Answer
from bot.answers.topics import Button
from bot.safety.policy import Risk, disclaimer_for, emergency_reply, reaction_steps
from bot.safety.red_flags import RedFlag, RedFlagMatch, detect_red_flag
from bot.triage import recorder
from knowledge.facts import UsageTopic
from knowledge.queries import KnowledgeStoreUnavailable, afind_ingredient


class ActionSafetyRedFlag(Action):
    """Emergency symptoms: urgent-care advice and nothing else; then an urgent ticket for staff."""

    def name(self) -> str:
        """Action name used in the domain and rules."""
        return "action_safety_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the emergency reply first; only then tell triage."""
        text = latest_text(tracker)
        match = detect_red_flag(text) or RedFlagMatch(flag=RedFlag.ANAPHYLAXIS, evidence=text)
        dispatcher.utter_message(text=emergency_reply(match))
        await tell_triage(recorder.open_ticket(
            tracker.sender_id, urgency=recorder.Urgency.URGENT, reason=f"Red flag: {match.flag.value}",
            question=text, tags=["red_flag"]), "open an urgent ticket")
        return []


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
        answer = Answer(
            text=("I'm sorry your skin is reacting. " + reaction_steps(ingredient_advice)
                  + " I've flagged this conversation so our support team can follow up."),
            disclaimer=disclaimer_for(Risk.REACTION),
            buttons=(Button("Leave my email for support", "/request_human"),),
            tags=("reaction",),
            risk=Risk.REACTION,
        )
        send_answer(dispatcher, answer)
        text = latest_text(tracker)
        await tell_triage(recorder.open_ticket(
            tracker.sender_id, urgency=recorder.Urgency.HIGH, reason="Adverse reaction reported",
            question=text, tags=["reaction", "side_effects"]), "open a ticket")
        return []
