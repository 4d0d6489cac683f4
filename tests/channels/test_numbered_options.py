"""Numbered options: what an SMS/WhatsApp user reads, and how their reply is understood."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.channels.numbered_options import (
    buttons_from_last_bot_turn,
    format_numbered_options,
    resolve_reply,
)

BUTTONS = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
]


def test_options_are_listed_on_one_line_under_the_text() -> None:
    assert format_numbered_options("Shall I go on?", BUTTONS) == "Shall I go on?\nReply 1 for Yes, 2 for No."


def test_text_without_buttons_is_unchanged() -> None:
    assert format_numbered_options("Hello", []) == "Hello"


@pytest.mark.parametrize("reply", ["2", " 2 ", "2.", "#2", "no", "NO"])
def test_number_or_title_gives_the_payload(reply: str) -> None:
    assert resolve_reply(reply, BUTTONS).text == "/deny"


@pytest.mark.parametrize("reply", ["0", "3", "12"])
def test_a_number_that_is_no_option_is_flagged(reply: str) -> None:
    choice = resolve_reply(reply, BUTTONS)
    assert choice.out_of_range and choice.text == reply


def test_free_text_and_numbers_without_options_pass_through() -> None:
    assert resolve_reply("what about 2 drops?", BUTTONS).text == "what about 2 drops?"
    assert resolve_reply("2", []).text == "2"


def test_options_of_the_last_bot_turn_count_even_after_a_following_note() -> None:
    events = [
        UserUttered("hi"),
        ActionExecuted("utter_ask"),
        BotUttered("Shall I go on?", {"buttons": BUTTONS}),
        BotUttered("This is general information, not medical advice."),
    ]
    assert buttons_from_last_bot_turn(events) == BUTTONS


def test_options_from_an_earlier_turn_do_not_count() -> None:
    events = [BotUttered("Shall I go on?", {"buttons": BUTTONS}), UserUttered("yes"), BotUttered("Great.")]
    assert buttons_from_last_bot_turn(events) == []
