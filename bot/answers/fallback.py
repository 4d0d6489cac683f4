"""Deciding what to say when the assistant cannot answer from a profile (worded by ``render``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.answers.decision import Decision, Verdict, point
from bot.answers.topics import Topic
from bot.safety.policy import Risk

#: A reply names at most this many of the store's ingredients, and counts the rest ("... and 9,990 more"): it
#: stays short, and the query behind it small, however large the store (also the most buttons offered).
NAMED_INGREDIENTS = 10


def _decision(kind: str, *points, **fields) -> Decision:  # type: ignore[no-untyped-def]
    fields.setdefault("verdict", Verdict.UNKNOWN)
    return Decision(topic=fields.pop("topic", None), ingredient=fields.pop("ingredient", None),
                    points=tuple(points), kind=kind, **fields)


def cannot_help(known: Sequence[str], *, out_of_scope: bool, offer_handoff: bool, more: int = 0) -> Decision:
    """Honest 'I don't have verified information on that', what we can do instead, and a person (``known``: a
    few ingredients we can talk about, ``more``: how many others)."""
    return _decision(
        "cannot_help", point("out_of_scope" if out_of_scope else "cannot_help"), point("what_i_can_do"),
        *([point("known_ingredients", known=list(known), more=more)] if known else []),
        point("offer_person_now" if offer_handoff else "offer_person_later"),
        offer_person=not offer_handoff, ingredient_choices=tuple(known),
        tags=("out_of_scope" if out_of_scope else "unanswered",))


def empty_message() -> Decision:
    """A message with no text (an empty send, or only whitespace)."""
    return _decision("empty_message", point("empty_message"))


def unknown_ingredient(name: str, known: Sequence[str], topic: Topic | None = None, more: int = 0) -> Decision:
    """An ingredient the store has no profile for: say so plainly, never borrow another's facts (``known``: a
    few we do know, ``more``: how many others)."""
    return _decision("unknown_ingredient", point("unknown_ingredient", name=name),
                     *([point("can_tell_about", known=list(known), more=more)] if known else []),
                     point("offer_support"),
                     topic=topic, ingredient=name, offer_person=True, ingredient_choices=tuple(known),
                     tags=("unknown_ingredient",))


def which_ingredient(known: Sequence[str], topic: Topic, family: str | None = None) -> Decision:
    """Several ingredients could be meant and none was named precisely: ask which, with buttons."""
    first = point("which_of_family", family=family, choices=list(known)) if family else point("which_ingredient")
    return _decision("which_ingredient", first, topic=topic, ingredient_choices=tuple(known), verdict=Verdict.INFO)


def with_assumed_ingredient(decision: Decision, name: str) -> Decision:
    """The decision, opened with a note that the only ingredient in the store was assumed (none was named)."""
    return replace(decision, points=(point("assumed_ingredient", name=name), *decision.points))


def store_unavailable() -> Decision:
    """The knowledge store cannot be read: apologise without guessing."""
    return _decision("store_unavailable", point("store_unavailable"), tags=("store_unavailable",))


def no_ingredients() -> Decision:
    """The store is reachable but holds no profile yet."""
    return _decision("no_ingredients", point("no_ingredients"))


def profile_acknowledgement(profile: dict[str, object], ingredient_in_focus: str | None,
                            has_condition: bool) -> Decision:
    """Confirm what we'll keep in mind, and offer to check the ingredient in focus against it."""
    if not any(profile.values()):
        return _decision("profile", point("profile_not_caught"), verdict=Verdict.INFO)
    follow_up = point("offer_check", ingredient=ingredient_in_focus) if ingredient_in_focus else point("ask_me")
    return _decision("profile", point("profile_remembered", profile=profile), follow_up,
                     ingredient=ingredient_in_focus, verdict=Verdict.INFO,
                     risk=Risk.SKIN_CONDITION if has_condition else Risk.NONE, tags=("profile",))
