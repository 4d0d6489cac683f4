""""Forget me" in the chat widget, in Debian's chromium against the real servers: after the person confirms with
the Yes button, the server has nothing of the conversation, the browser keeps nothing of it either (only the
confirmation is shown), and what they say next starts a new conversation that knows nothing about them."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from tests.web.test_widget_browser import (  # noqa: F401 (pytest fixtures)
    ANSWER_TIMEOUT_MS,
    STORED,
    Visitor,
    browser,
    typed_by_visitor,
    visitor,
)

pytestmark = [pytest.mark.browser, pytest.mark.servers]


def stored_events(stack, sender: str) -> int:
    with sqlite3.connect(stack.tracker_db_path) as connection:
        return connection.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_forget_me_confirmed_clears_the_server_and_the_browser(visitor: Visitor, stack) -> None:  # noqa: F811
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    assert "pregnant" in visitor.ask("I'm pregnant")
    session = visitor.page.evaluate(f"{STORED}.sessionId")
    assert stored_events(stack, session) > 0

    visitor.ask("please forget everything I told you")
    choices = visitor.page.get_by_role("group", name="Suggested replies").get_by_role("button")
    expect(choices).to_have_count(2)
    choices.filter(has_text="Yes").click()

    expect(visitor.user_messages()).to_have_count(0, timeout=ANSWER_TIMEOUT_MS)  # the transcript is gone...
    expect(visitor.bot_messages()).to_have_count(1)
    expect(visitor.bot_messages().first).to_contain_text("deleted")  # ...but for the confirmation
    assert stored_events(stack, session) == 0
    visitor.page.wait_for_function(f"{STORED} && {STORED}.sessionId && {STORED}.sessionId !== '{session}'",
                                   timeout=ANSWER_TIMEOUT_MS)
    stored = visitor.page.evaluate(STORED)
    assert typed_by_visitor(stored) == [] and "pregnant" not in str(stored["history"])

    visitor.page.reload()
    expect(visitor.panel).to_be_visible()
    visitor.wait_online()
    expect(visitor.user_messages()).to_have_count(0)
    visitor.ask("can I use milk exosomes?")
    answer = visitor.bot_messages().last.inner_text()  # (a greeting may come first: it names pregnancy as an example)
    assert "milk exosomes" in answer.lower() and "pregnan" not in answer.lower()  # nothing about them
    assert visitor.page.evaluate(f"{STORED}.sessionId") != session
