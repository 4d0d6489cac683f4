"""Wording for when the assistant cannot help."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.composer import Answer
from bot.answers.topics import Button, Topic, ask_button
from bot.answers.wording import join_words

_WHAT_I_CAN_DO = (
    "I can answer questions about the cosmetic ingredients I have verified profiles for: what they are, "
    "what they do, skin types, vegan, pregnancy and breastfeeding, allergies, side effects, sun "
    "sensitivity and pore-clogging."
)


def compose_cannot_help(known: Sequence[str], *, out_of_scope: bool, offer_handoff: bool) -> Answer:
    """Honest 'I don't have verified information on that', what we can do instead, and a person."""
    opening = ("That's outside what I can help with: I only answer skincare ingredient questions."
               if out_of_scope else "Sorry, I don't have verified information on that.")
    ingredients = f" Right now that's {join_words(list(known))}." if known else ""
    handoff = (" I haven't been able to help with your last questions, so let me offer you a person."
               if offer_handoff else " I can also pass your question to our support team.")
    buttons: list[Button] = [ask_button(f"About {k}", Topic.SUMMARY, k) for k in known[:2]]
    if not offer_handoff:
        buttons.append(Button("Talk to a person", "/request_human"))
    return Answer(text=f"{opening} {_WHAT_I_CAN_DO}{ingredients}{handoff}", buttons=tuple(buttons),
                  tags=("out_of_scope" if out_of_scope else "unanswered",))


def compose_empty_message() -> Answer:
    """A message with no text (an empty send, or only whitespace)."""
    return Answer(text="It looks like your message was empty. What would you like to know about an ingredient?",
                  buttons=(Button("What can you do?", "/help"),))
