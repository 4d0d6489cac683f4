"""Handing a conversation to the support team: offer, optional email (a form), ticket, what happens next.

The wording lives in domain.yml (plain responses); these actions decide which one to send and
open the ticket through ``bot.triage.recorder``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.triage import recorder

logger = logging.getLogger(__name__)

OFFER_ACTION = "action_offer_handoff"
FORM = "handoff_form"
EMAIL_SLOT = "contact_email"
SKIPPED_SLOT = "contact_email_skipped"

#: Messages that are about the handoff itself, not the question staff should answer.
_NOT_A_QUESTION = {"request_human", "affirm", "deny", "inform_email", "greet", "goodbye", "thank", "help"}
#: What people type (or the Skip button sends) to go on without an email.
_SKIP_WORDS = {
    "no", "nope", "skip", "no thanks", "no thank you", "none", "no email", "rather not", "i'd rather not",
    "/deny", "/skip", "n",
}


def find_email(text: str) -> str | None:
    """The first plausible email address in ``text`` (domain lower-cased), or ``None``."""
    match = recorder.EMAIL.search(text or "")
    return recorder.valid_email(match.group(0)) if match else None


def wants_to_skip(text: str, intent: str | None) -> bool:
    """Whether the person declined to give an email ("no", "skip", the Skip button)."""
    normalised = re.sub(r"[\s.!]+", " ", (text or "").strip().lower()).strip()
    return intent == "deny" or normalised in _SKIP_WORDS


def _question_for_staff(tracker: Tracker) -> tuple[str, bool]:
    """The person's question before the latest handoff offer, and whether they asked for a person.

    Walks back from the most recent offer: the message just before it says why it was offered
    (asked for a person, or the assistant failed twice); the latest message that is not about the
    handoff itself is the question.
    """
    events = list(tracker.events)
    offer_at = max(
        (i for i, e in enumerate(events) if e.get("event") == "action" and e.get("name") == OFFER_ACTION),
        default=len(events),
    )
    asked_for_person = False
    first_user_seen = False
    for event in reversed(events[:offer_at]):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if not first_user_seen:
            first_user_seen = True
            asked_for_person = intent == "request_human"
        text = (event.get("text") or "").strip()
        if intent not in _NOT_A_QUESTION and text and not text.startswith("/"):
            return text, asked_for_person
    return "", asked_for_person


class ActionOfferHandoff(Action):
    """Offer to pass the conversation to the support team (Yes/No buttons)."""

    def name(self) -> str:
        """Action name used in rules and by the fallback action's FollowupAction."""
        return OFFER_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask whether the person wants a person; forget any email from an earlier handoff."""
        dispatcher.utter_message(response="utter_offer_handoff")
        return [SlotSet(EMAIL_SLOT, None), SlotSet(SKIPPED_SLOT, False)]


class ValidateHandoffForm(FormValidationAction):
    """Checks the optional contact email; "no"/"skip" completes the form without one."""

    def name(self) -> str:
        """Validation action for ``handoff_form``."""
        return "validate_handoff_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        """No email is needed once the person has said they would rather not give one."""
        if tracker.get_slot(SKIPPED_SLOT):
            return [slot for slot in domain_slots if slot != EMAIL_SLOT]
        return domain_slots

    def validate_contact_email(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        """Keep a plausible email, accept a refusal, or explain and ask again."""
        text = str(slot_value or "")
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        email = find_email(text)
        if email:
            return {EMAIL_SLOT: email, SKIPPED_SLOT: False}
        if wants_to_skip(text, intent):
            return {EMAIL_SLOT: None, SKIPPED_SLOT: True}
        dispatcher.utter_message(response="utter_invalid_contact_email")
        return {EMAIL_SLOT: None}


class ActionOpenHandoffTicket(Action):
    """After the form: open a high-urgency ticket tagged "handoff" and say what happens next."""

    def name(self) -> str:
        """Runs when ``handoff_form`` completes."""
        return "action_open_handoff_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Open (or update) the conversation's ticket; the email slot is cleared once it is stored."""
        # Checked again here: the slot arrives in the request, and only a plausible address is stored.
        email = recorder.valid_email(str(tracker.get_slot(EMAIL_SLOT) or ""))
        question, asked_for_person = _question_for_staff(tracker)
        reason = "Asked to talk to a person" if asked_for_person else "Assistant could not answer; handoff accepted"
        try:
            await recorder.open_ticket(
                tracker.sender_id,
                urgency=recorder.Urgency.HIGH,
                reason=reason,
                question=question,
                tags=["handoff"],
                contact_email=email,
            )
        except Exception:  # the person must hear that it did not work, whatever broke
            logger.exception("handoff: could not open a ticket for %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return [SlotSet(EMAIL_SLOT, None), SlotSet(SKIPPED_SLOT, False)]
        if email:
            dispatcher.utter_message(response="utter_handoff_opened_with_email", contact_email=email)
        else:
            dispatcher.utter_message(response="utter_handoff_opened_without_email")
        return [SlotSet(EMAIL_SLOT, None), SlotSet(SKIPPED_SLOT, False)]
