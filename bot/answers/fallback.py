"""Wording for when the assistant cannot help."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.answers.answer import Answer
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


def compose_unknown_ingredient(name: str, known: Sequence[str]) -> Answer:
    """An ingredient the store has no profile for: say so plainly, never borrow another's facts."""
    offer = f" I can tell you about {join_words(list(known))}." if known else ""
    return Answer(
        text=(f"I don't have verified information on {name}, so I can't answer that for it.{offer} "
              "If you like, I can pass your question to our support team."),
        buttons=(*(ask_button(f"About {k}", Topic.SUMMARY, k) for k in known[:3]),
                 Button("Talk to a person", "/request_human")),
        tags=("unknown_ingredient",),
    )


def compose_which_ingredient(known: Sequence[str], topic: Topic) -> Answer:
    """Several ingredients are in the store and none was named: ask which, with buttons."""
    return Answer(
        text="Which ingredient do you mean?",
        buttons=tuple(ask_button(name, topic, name) for name in known[:10]),
    )


def with_assumed_ingredient(answer: Answer, name: str) -> Answer:
    """The answer, opened with a note that the only ingredient in the store was assumed (none was named)."""
    note = f"Assuming you mean {name}, the ingredient I have verified information on: "
    return replace(answer, text=note + answer.text[:1].lower() + answer.text[1:])


def compose_store_unavailable() -> Answer:
    """The knowledge store cannot be read: apologise without guessing."""
    return Answer(
        text=("Sorry, I can't reach my ingredient information right now, so I can't answer safely. "
              "Please try again in a moment, or ask to talk to a person."),
        buttons=(Button("Talk to a person", "/request_human"),),
        tags=("store_unavailable",),
    )


def compose_no_ingredients() -> Answer:
    """The store is reachable but holds no profile yet."""
    return Answer(text="I don't have verified information on any ingredient yet, so I can't answer that.",
                  buttons=(Button("Talk to a person", "/request_human"),))
