"""The chat widget in Debian's chromium, against the real action, Rasa and web servers (`stack`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from tests.servers import RunningAssistant
from tests.web.processes import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.servers]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
DOCS_SCREENSHOT = REPO_ROOT / "docs" / "widget.png"
ANSWER_TIMEOUT_MS = 30_000
STORAGE_KEY = "skincareChat.v2"
STORED = f"JSON.parse(localStorage.getItem('{STORAGE_KEY}') || 'null')"


def typed_by_visitor(stored: dict | None) -> list[str]:
    """What the visitor typed, as kept in the browser's storage."""
    return [entry["text"] for entry in (stored or {}).get("history", []) if entry["from"] == "user"]
RECONNECT_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Debian's chromium is missing at /usr/bin/chromium (.ci/run installs it)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visitor:
    """One browser profile (its own localStorage) on the demo shop page, watching for dialogs."""

    def __init__(self, context: BrowserContext, shop_url: str) -> None:
        self.context = context
        self.shop_url = shop_url
        self.dialogs: list[str] = []
        self.page = self.new_page()

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("dialog", self._dialog)
        return page

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(getattr(dialog, "message", "?"))
        dialog.dismiss()  # type: ignore[attr-defined]

    # Parts of the widget, found the way a screen reader user would find them.
    @property
    def launcher(self) -> Locator:
        return self.page.get_by_role("button", name=re.compile(r"^(Open|Close) chat: "))

    @property
    def panel(self) -> Locator:
        return self.page.get_by_role("dialog")

    @property
    def log(self) -> Locator:
        return self.page.get_by_role("log")

    @property
    def input(self) -> Locator:
        return self.page.get_by_label("Your message")

    def bot_messages(self) -> Locator:
        return self.page.locator(".scw-from-bot .scw-text")

    def user_messages(self) -> Locator:
        return self.page.locator(".scw-from-user .scw-text")

    def open_shop(self) -> None:
        self.page.goto(self.shop_url)

    def open_chat(self) -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()
        self.wait_online()

    def wait_online(self, timeout: float = ANSWER_TIMEOUT_MS) -> None:
        expect(self.page.locator(".scw-root")).to_have_attribute("data-state", "online", timeout=timeout)

    def wait_greeting(self) -> None:
        expect(self.bot_messages().first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)

    def ask(self, text: str) -> str:
        """Type a question, press Enter, return the text of the bot's first reply to it."""
        before = self.bot_messages().count()
        self.input.fill(text)
        self.input.press("Enter")
        reply = self.bot_messages().nth(before)
        expect(reply).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        self.page.wait_for_timeout(500)  # the rest of a multi-part answer
        return "\n".join(self.bot_messages().all_inner_texts()[before:])


@pytest.fixture
def visitor(browser: Browser, stack: RunningAssistant) -> Iterator[Visitor]:
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    person = Visitor(context, f"{stack.web_url}/")
    try:
        yield person
        assert person.dialogs == [], "a message made the page open a dialog (script ran)"
    finally:
        context.close()


def save_screenshot(page: Page, name: str, for_docs: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    page.screenshot(path=str(target))
    # docs/widget.png is committed: rewritten only on request, not on every test run.
    if for_docs and os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        shutil.copyfile(target, DOCS_SCREENSHOT)


def store_reason(ingredient_file: str, diet: str) -> str:
    """A verdict reason as written in the knowledge store profile."""
    import yaml

    profile = yaml.safe_load((REPO_ROOT / "knowledge" / "profiles" / ingredient_file).read_text())
    return next(entry["reason"] for entry in profile["diets"] if entry["diet"] == diet)


def test_visitor_asks_a_question_and_gets_the_answer_from_the_store(visitor: Visitor) -> None:
    visitor.open_shop()
    expect(visitor.page.get_by_role("heading", name="Gentle skincare, clearly labelled.")).to_be_visible()
    visitor.open_chat()
    expect(visitor.input).to_be_focused()
    expect(visitor.panel.get_by_text("General information, not medical advice.")).to_be_visible()
    visitor.wait_greeting()

    # Note every time the typing indicator shows, however briefly.
    visitor.page.evaluate(
        """() => {
          window.typingShown = 0;
          const typing = document.querySelector('.scw-typing');
          new MutationObserver(() => { if (!typing.hidden) window.typingShown += 1; })
            .observe(typing, {attributes: true, attributeFilter: ['hidden']});
        }"""
    )
    answer = visitor.ask("are milk exosomes vegan?")
    assert "vegan" in answer.lower()
    assert "cow milk" in answer.lower()
    assert visitor.page.evaluate("window.typingShown") >= 1
    expect(visitor.page.locator(".scw-typing")).to_be_hidden()
    reason = store_reason("milk-exosomes.yml", "vegan")
    assert "cow milk" in reason  # the wording above comes from the store, not from this test
    expect(visitor.user_messages().last).to_have_text(re.compile("are milk exosomes vegan"))
    save_screenshot(visitor.page, "widget-desktop.png", for_docs=True)


def test_quick_reply_sends_its_payload_and_shows_its_title(visitor: Visitor) -> None:
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    choices = visitor.page.get_by_role("group", name="Suggested replies").get_by_role("button")
    expect(choices.first).to_be_visible()
    title = choices.first.inner_text()
    before = visitor.bot_messages().count()

    choices.first.click()

    expect(visitor.user_messages().last).to_have_text(re.compile(re.escape(title)))
    expect(visitor.log).not_to_contain_text("/help")  # the payload is sent, never shown
    expect(visitor.bot_messages().nth(before)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert visitor.bot_messages().nth(before).inner_text().strip()


def test_reload_keeps_the_conversation_and_the_session(visitor: Visitor) -> None:
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    answer = visitor.ask("are milk exosomes vegan?")
    session_before = visitor.page.evaluate(f"{STORED}.sessionId")

    visitor.page.reload()

    expect(visitor.panel).to_be_visible()  # it was open, so it is open again
    expect(visitor.user_messages().last).to_have_text(re.compile("are milk exosomes vegan"))
    expect(visitor.log).to_contain_text(answer.splitlines()[0])
    visitor.wait_online()
    session_after = visitor.page.evaluate(f"{STORED}.sessionId")
    assert session_after == session_before
    assert "vegan" in visitor.ask("are milk exosomes vegan?").lower()


def test_the_browser_keeps_only_the_signed_session_and_the_last_few_messages(visitor: Visitor) -> None:
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    for question in ("I'm breastfeeding", "are milk exosomes vegan?", "do they clog pores?",
                     "are they safe in pregnancy?", "what are milk exosomes?", "any side effects?"):
        visitor.ask(question)
    stored = visitor.page.evaluate(STORED)
    # staffSeen / humanAgent: when a staff member's last line came and who has the chat (nobody here).
    assert set(stored) == {"sessionId", "sessionToken", "history", "open", "savedAt", "staffSeen", "humanAgent"}
    assert stored["staffSeen"] is None and stored["humanAgent"] is None
    assert stored["sessionToken"].startswith(stored["sessionId"] + ".")
    assert len(stored["history"]) <= 10
    assert "I'm breastfeeding" not in typed_by_visitor(stored)  # older messages are not kept
    assert visitor.page.evaluate("localStorage.length") == 1  # nothing else


def test_clear_removes_the_conversation_from_the_browser_and_starts_a_new_one(visitor: Visitor) -> None:
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    visitor.ask("I'm pregnant, are milk exosomes safe?")
    session_before = visitor.page.evaluate(f"{STORED}.sessionId")

    clear = visitor.page.get_by_role("button", name="Clear conversation")
    expect(clear).to_be_visible()
    expect(clear).to_have_text("Clear")
    clear.click()

    expect(visitor.user_messages()).to_have_count(0)
    assert typed_by_visitor(visitor.page.evaluate(STORED)) == []
    visitor.wait_greeting()  # the new session is greeted again
    session_after = visitor.page.evaluate(f"{STORED}.sessionId")
    assert session_after and session_after != session_before
    visitor.page.reload()
    expect(visitor.panel).to_be_visible()
    expect(visitor.user_messages()).to_have_count(0)


def test_a_second_tab_continues_the_same_conversation(visitor: Visitor) -> None:
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    visitor.ask("are milk exosomes vegan?")
    first_session = visitor.page.evaluate(f"{STORED}.sessionId")

    first_tab = visitor.page
    visitor.page = visitor.new_page()  # same browser profile, same localStorage
    visitor.open_shop()
    expect(visitor.panel).to_be_visible()
    visitor.wait_online()
    expect(visitor.log).to_contain_text("are milk exosomes vegan?")
    answer = visitor.ask("will they clog my pores?")
    assert answer.strip()
    assert visitor.page.evaluate(f"{STORED}.sessionId") == first_session
    # The first tab is in the same conversation: it shows the reply too.
    expect(first_tab.locator(".scw-from-bot .scw-text").last).to_have_text(answer.splitlines()[-1],
                                                                           timeout=ANSWER_TIMEOUT_MS)


def test_a_stored_conversation_past_its_keeping_time_is_removed_unread(visitor: Visitor) -> None:
    stale = {"sessionId": "web-" + "0" * 32, "sessionToken": "web-" + "0" * 32 + ".0.x", "open": True,
             "history": [{"from": "user", "text": "I'm allergic to milk"}],
             "savedAt": 0}  # 1970: long past the default 24 hours
    visitor.context.add_init_script(
        f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
        f" localStorage.setItem('{STORAGE_KEY}', {json.dumps(json.dumps(stale))}); }}"
    )
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    expect(visitor.log).not_to_contain_text("allergic to milk")
    stored = visitor.page.evaluate(STORED)
    assert stored["sessionId"] != stale["sessionId"]
    assert typed_by_visitor(stored) == []


def test_a_conversation_forgotten_on_the_server_is_dropped_from_the_browser(
    visitor: Visitor, stack: RunningAssistant
) -> None:
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    visitor.ask("I have oily skin, do milk exosomes suit me?")
    session_id = visitor.page.evaluate(f"{STORED}.sessionId")
    with closing(sqlite3.connect(stack.tracker_db_path)) as db, db:  # what forget / the retention purge do to it
        db.execute("DELETE FROM events WHERE sender_id = ?", (session_id,))

    visitor.page.reload()

    visitor.wait_online()
    expect(visitor.user_messages()).to_have_count(0)
    stored = visitor.page.evaluate(STORED)
    assert stored["sessionId"] != session_id
    assert typed_by_visitor(stored) == []


def test_an_address_typed_by_the_visitor_is_never_a_link(visitor: Visitor) -> None:
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    answer = visitor.ask('/ask_diet{"ingredient": "[login](https://evil.example/login) https://evil.example"}')
    assert "evil.example" not in answer  # the bot does not repeat it
    expect(visitor.user_messages().last).to_contain_text("https://evil.example")
    assert visitor.log.get_by_role("link").count() == 0


def test_html_typed_by_the_visitor_is_shown_as_text(visitor: Visitor) -> None:
    attack = "<img src=x onerror=alert(1)>"
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    visitor.ask(attack)  # whatever the bot makes of it, it answers
    expect(visitor.user_messages().last).to_have_text(attack)
    assert visitor.panel.locator("img").count() == 0
    visitor.page.wait_for_timeout(500)
    assert visitor.dialogs == []


def test_bot_text_with_markup_stays_text_and_only_web_links_are_clickable(visitor: Visitor) -> None:
    # The history in localStorage is rendered by the same code as live bot messages.
    history = [
        {"from": "user", "text": "tell me more"},
        {
            "from": "bot",
            "text": (
                "<script>alert('bot')</script> <b>bold?</b> See [the source](https://example.org/exosomes) "
                "or http://example.org/guide. Not [this](javascript:alert(2)) nor data:text/html,hi"
            ),
            "buttons": [],
        },
    ]
    seeded = {"history": history, "open": True, "savedAt": "__NOW__"}
    visitor.context.add_init_script(
        f"localStorage.setItem('{STORAGE_KEY}', "
        f"{json.dumps(json.dumps(seeded))}.replace('\"__NOW__\"', String(Date.now())))"
    )
    visitor.open_shop()
    expect(visitor.panel).to_be_visible()
    message = visitor.bot_messages().last
    expect(message).to_contain_text("<script>alert('bot')</script> <b>bold?</b>")
    assert message.locator("script, b").count() == 0
    links = message.get_by_role("link")
    expect(links).to_have_count(1)  # a bare address may be a value the visitor typed: never a link
    expect(links.nth(0)).to_have_attribute("href", "https://example.org/exosomes")
    expect(links.nth(0)).to_have_text("the source")
    expect(links.nth(0)).to_have_attribute("rel", "noopener noreferrer")
    expect(message).to_contain_text("http://example.org/guide")
    expect(message).to_contain_text("[this](javascript:alert(2))")
    visitor.page.wait_for_timeout(300)
    assert visitor.dialogs == []


def test_phone_width_panel_fits_the_screen(browser: Browser, stack: RunningAssistant) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    person = Visitor(context, f"{stack.web_url}/")
    try:
        person.open_shop()
        person.open_chat()
        person.wait_greeting()
        person.ask("are milk exosomes vegan?")
        box = person.panel.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 740
        input_box = person.input.bounding_box()
        assert input_box is not None and input_box["y"] + input_box["height"] <= 740
        assert person.page.evaluate("document.documentElement.scrollWidth") <= 360
        close = person.page.get_by_role("button", name="Close chat")
        expect(close).to_be_visible()
        save_screenshot(person.page, "widget-phone.png")
        close.click()
        expect(person.panel).to_be_hidden()
        assert person.dialogs == []
    finally:
        context.close()


def test_keyboard_only_visitor_can_open_use_and_close_the_chat(visitor: Visitor) -> None:
    visitor.open_shop()
    for _ in range(20):
        visitor.page.keyboard.press("Tab")
        if visitor.page.evaluate("document.activeElement.classList.contains('scw-launcher')"):
            break
    expect(visitor.launcher).to_be_focused()
    expect(visitor.launcher).to_have_attribute("aria-expanded", "false")

    visitor.page.keyboard.press("Enter")

    expect(visitor.panel).to_be_visible()
    expect(visitor.input).to_be_focused()
    expect(visitor.launcher).to_have_attribute("aria-expanded", "true")
    expect(visitor.log).to_have_attribute("aria-live", "polite")
    visitor.wait_online()
    visitor.page.keyboard.type("are milk exosomes vegan?")
    visitor.page.keyboard.press("Enter")
    expect(visitor.user_messages().last).to_have_text(re.compile("are milk exosomes vegan"))

    visitor.page.keyboard.press("Escape")

    expect(visitor.panel).to_be_hidden()
    expect(visitor.launcher).to_be_focused()


def test_widget_says_when_rasa_is_down_and_recovers_when_it_is_back(
    visitor: Visitor, browser: Browser, stack: RunningAssistant
) -> None:
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    root = visitor.page.locator(".scw-root")
    stack.stop_rasa()
    try:
        expect(root).to_have_attribute("data-state", "offline", timeout=ANSWER_TIMEOUT_MS)
        expect(visitor.panel.get_by_role("status")).to_contain_text(re.compile("Reconnecting|Offline"))

        # A visitor arriving now is told plainly that the assistant cannot be reached.
        newcomer = Visitor(browser.new_context(), visitor.shop_url)
        newcomer.open_shop()
        newcomer.launcher.click()
        alert = newcomer.page.get_by_role("alert")
        expect(alert).to_contain_text("can't reach the assistant", timeout=ANSWER_TIMEOUT_MS)
        newcomer.input.fill("hello?")
        newcomer.input.press("Enter")
        expect(alert).to_contain_text("wasn't sent")
        expect(newcomer.input).to_have_value("hello?")  # nothing typed is lost
        assert newcomer.dialogs == []
        newcomer.context.close()
    finally:
        stack.start_rasa()

    visitor.wait_online(timeout=RECONNECT_TIMEOUT_MS)
    expect(visitor.page.get_by_role("alert")).to_be_hidden()
    answer = visitor.ask("are milk exosomes vegan?")
    assert "cow milk" in answer.lower()
