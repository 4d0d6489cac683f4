"""Issue 14, point 4 in Debian's chromium: an agent takes over in the dashboard while the customer's widget is
open in a second browser context; messages go both ways (the agent's shown with their name, the person's
appearing live on the ticket while the assistant stays silent); hand back, and the assistant answers again;
then a reply to the customer who left, shown by the widget when they come back; and a reply by email (to a
loopback SMTP server) to a customer who left after giving their address.

Runs on its own servers: it creates a staff account, and the shared stack's first-time sign-in with the
staff token (tests/triage/test_staff_browser.py) only works while none exists.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot.run import free_port
from tests.servers import RunningAssistant, start_assistant
from tests.triage.conftest import Mailbox
from tests.triage.test_staff_browser import CHROMIUM, CHROMIUM_ARGS
from tests.web.test_widget_browser import ANSWER_TIMEOUT_MS, STORED, Visitor

pytestmark = [pytest.mark.browser, pytest.mark.servers]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
AGENT_EMAIL = "sam@example.com"
AGENT_NAME = "Sam Support"
PASSWORD = "takeover browser password"
LIVE_MS = 15_000


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[int, Mailbox]]:
    """A loopback SMTP server for the dashboard's email replies."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, box
    controller.stop()


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, mailbox: tuple[int, Mailbox]) -> Iterator[RunningAssistant]:
    smtp = {"ALERT_SMTP_HOST": "127.0.0.1", "ALERT_SMTP_PORT": str(mailbox[0]), "ALERT_SMTP_TO": "oncall@example.com",
            "STAFF_REPLY_FROM": "support@brand.example"}
    running = start_assistant(tmp_path_factory.mktemp("takeover"),
                              extra_env={"STAFF_LIVE_POLL_SECONDS": "0.3", **smtp})
    try:
        created = subprocess.run(
            [sys.executable, "-m", "bot.triage", "agents", "add", "--email", AGENT_EMAIL, "--name", AGENT_NAME,
             "--password-stdin"], input=PASSWORD + "\n", text=True, capture_output=True, cwd=REPO, timeout=120,
            env={**os.environ, "SKINCARE_DB_URL": running.knowledge_db_url})
        assert created.returncode == 0, created.stderr
        yield running
    finally:
        running.stack.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Debian's chromium is missing at /usr/bin/chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sign_in(browser: Browser, base: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/staff")
    page.fill("input[name=email]", AGENT_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return page


def ticket_of(desk: RunningAssistant, conversation_id: str) -> int:
    def find() -> list[dict]:
        answer = requests.get(f"{desk.web_url}/staff/api/tickets", timeout=10,
                              headers={"Authorization": f"Bearer {desk.staff_token}"})
        answer.raise_for_status()
        return [t for t in answer.json()["tickets"] if t["conversation_id"] == conversation_id]

    for _ in range(100):
        found = find()
        if found:
            return found[0]["id"]
        time.sleep(0.2)  # the action server writes the ticket right after its reply
    raise AssertionError(f"no ticket for {conversation_id}")


def handed_off(desk: RunningAssistant, browser: Browser, email_answer: str, confirmation: str) -> tuple[Visitor, int]:
    """A customer asks for a person in the widget and answers the email question: their ticket."""
    visitor = Visitor(browser.new_context(viewport={"width": 1100, "height": 760}), f"{desk.web_url}/")
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    visitor.ask("I want to talk to a person")
    visitor.page.get_by_role("button", name="Yes, please").click()
    expect(visitor.log).to_contain_text("What email address", timeout=ANSWER_TIMEOUT_MS)
    before = visitor.bot_messages().count()
    visitor.input.fill(email_answer)
    visitor.input.press("Enter")
    expect(visitor.bot_messages().nth(before)).to_contain_text(confirmation, timeout=ANSWER_TIMEOUT_MS)
    return visitor, ticket_of(desk, visitor.page.evaluate(STORED)["sessionId"])


def staff_lines(visitor: Visitor):
    return visitor.page.locator(".scw-from-staff")


def test_take_over_talk_hand_back_and_reply_to_a_customer_who_left(desk: RunningAssistant, browser: Browser) -> None:
    visitor, ticket = handed_off(desk, browser, "skip", "passed this conversation")

    agent = sign_in(browser, desk.web_url)
    agent.goto(f"{desk.web_url}/staff/tickets/{ticket}")
    with agent.expect_navigation():
        agent.get_by_role("button", name="Take over the chat").click()
    expect(agent.locator(".takeover-state")).to_contain_text(f"{AGENT_NAME} has taken over")

    # The customer sees who joined, by name.
    expect(staff_lines(visitor).last.locator(".scw-agent")).to_have_text(AGENT_NAME, timeout=LIVE_MS)
    expect(staff_lines(visitor).last).to_contain_text("has joined the chat")

    # Agent -> customer, in the same widget, with the agent's name.
    agent.fill("#chat-text", "Hi, I'm Sam. Which product are you using?")
    with agent.expect_navigation():
        agent.get_by_role("button", name="Send in the chat").click()
    expect(staff_lines(visitor).last).to_contain_text("Which product are you using?", timeout=LIVE_MS)
    expect(staff_lines(visitor).last.locator(".scw-agent")).to_have_text(AGENT_NAME)

    # Customer -> agent: appears on the open ticket without a reload; the assistant says nothing.
    assistant_lines = visitor.page.locator(".scw-from-bot:not(.scw-from-staff)")
    quiet_count = assistant_lines.count()
    visitor.input.fill("The night cream with retinol")
    visitor.input.press("Enter")
    expect(agent.locator("ol.transcript li.person").last).to_have_text(
        re.compile("The night cream with retinol"), timeout=LIVE_MS)
    expect(visitor.page.locator(".scw-typing")).to_be_hidden()
    visitor.page.wait_for_timeout(1500)
    assert assistant_lines.count() == quiet_count, "the assistant answered during the takeover"
    expect(agent.locator("ol.transcript li.agent").last).to_contain_text(f"{AGENT_NAME} (staff)")
    ARTIFACTS.mkdir(exist_ok=True)
    agent.locator("section.chat").scroll_into_view_if_needed()
    agent.screenshot(path=str(ARTIFACTS / "takeover-agent.png"))
    visitor.page.screenshot(path=str(ARTIFACTS / "takeover-widget.png"))
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":  # docs/ is committed: rewritten only on request
        shutil.copyfile(ARTIFACTS / "takeover-agent.png", REPO / "docs" / "support-desk-takeover.png")

    # Hand back: the customer is told, and the assistant answers again.
    with agent.expect_navigation():
        agent.get_by_role("button", name="Hand back to the assistant").click()
    expect(agent.locator(".takeover-state")).to_contain_text("The assistant is answering")
    expect(staff_lines(visitor).last).to_contain_text("back with the assistant", timeout=LIVE_MS)
    answer = visitor.ask("is niacinamide vegan?")
    assert "niacinamide" in answer.lower()
    assert assistant_lines.count() > quiet_count

    # The customer leaves; the agent replies; the widget shows it when they come back.
    visitor.page.close()
    agent.fill("#chat-text", "We checked: that night cream is fragrance free.")
    with agent.expect_navigation():
        agent.get_by_role("button", name="Send in the chat").click()
    expect(agent.locator("ol.audit")).to_contain_text("wrote in the chat (socketio): We checked")
    visitor.page = visitor.new_page()
    visitor.open_shop()
    if visitor.panel.is_hidden():
        visitor.open_chat()
    expect(staff_lines(visitor).last).to_contain_text("fragrance free", timeout=LIVE_MS)
    expect(staff_lines(visitor).filter(has_text="fragrance free")).to_have_count(1)
    assert visitor.dialogs == []
    visitor.context.close()
    agent.context.close()


def test_a_customer_who_left_after_giving_their_email_gets_the_agents_reply_by_email(
        desk: RunningAssistant, browser: Browser, mailbox: tuple[int, Mailbox]) -> None:
    visitor, ticket = handed_off(desk, browser, "ana.left@example.org", "ana.left@example.org")
    visitor.context.close()  # the customer leaves the site

    agent = sign_in(browser, desk.web_url)
    agent.goto(f"{desk.web_url}/staff/tickets/{ticket}")
    expect(agent.locator("section.reply")).to_contain_text("ana.left@example.org")
    agent.fill("#reply-text", "Thanks for waiting: the night cream is fragrance free.")
    with agent.expect_navigation():
        agent.get_by_role("button", name="Send reply by email").click()
    expect(agent.locator("ol.audit")).to_contain_text("fragrance free")
    replies = [message for recipients, message in mailbox[1].messages if recipients == ["ana.left@example.org"]]
    assert len(replies) == 1
    assert replies[0]["From"] == "support@brand.example"
    body = replies[0].get_payload()
    assert "fragrance free" in body and AGENT_NAME in body
    agent.context.close()
