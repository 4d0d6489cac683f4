"""Emergencies through the chat widget in Debian's chromium (real servers): one emergency per kind and per
language, in three conversations of the same visitor, reading each reply bubble."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_emergencies import EMERGENCIES, KEY_STEP, NUMBERS
from tests.web.test_widget_browser import Visitor, browser, visitor  # noqa: F401 (pytest fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.servers]


def test_every_kind_and_language_gets_its_first_aid_in_the_widget(visitor: Visitor) -> None:  # noqa: F811
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    for index, ((kind, language), text) in enumerate(EMERGENCIES.items()):
        if index and index % 8 == 0:  # a new conversation now and then: one may send 20 messages a minute
            visitor.page.get_by_role("button", name="Clear conversation").click()
            expect(visitor.user_messages()).to_have_count(0)
            visitor.wait_greeting()
        bubbles = visitor.ask(text)
        assert all(number in bubbles for number in NUMBERS), f"{kind}/{language}: {bubbles!r}"
        assert KEY_STEP[kind, language] in bubbles.lower(), f"{kind}/{language}: {bubbles!r}"
        assert bubbles.startswith("⚠️"), f"{kind}/{language}: the emergency reply comes first: {bubbles!r}"
