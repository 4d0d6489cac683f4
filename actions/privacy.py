"""Forgetting the conversation when the person asks ("forget me", confirmed with Yes: data/privacy.yml).

The wording lives in domain.yml (`utter_forgotten`). The reply carries a small view (`custom`) so the website
widget also clears what it keeps in the browser (bot/web/static/chat.js). What is deleted where:
bot/triage/privacy.py.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.triage import recorder
from bot.triage.privacy import FORGET_ACTION

logger = logging.getLogger(__name__)

#: The ``custom`` view of the confirmation: the widget forgets its stored copy of the conversation.
FORGOTTEN_VIEW = {"type": "conversation_forgotten"}


class ActionForgetConversation(Action):
    """Delete the conversation's triage records; the tracker store drops its events when it saves this turn."""

    def name(self) -> str:
        """The action's name in domain.yml, which the tracker store recognises."""
        return FORGET_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Forget, then say so; if triage cannot be reached, say that instead and forget nothing yet."""
        try:
            report = await recorder.forget_records(tracker.sender_id)
        except Exception:  # the database is down: nothing was deleted, and the person must hear that
            logger.exception("forgetting a conversation failed; nothing was deleted")
            dispatcher.utter_message(response="utter_forget_failed")
            return []
        logger.info("conversation forgotten on request: %s", report.summary())
        dispatcher.utter_message(response="utter_forgotten", json_message=dict(FORGOTTEN_VIEW))
        return [AllSlotsReset()]
