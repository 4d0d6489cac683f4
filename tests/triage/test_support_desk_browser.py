"""Two agents at work in a real browser (Debian's chromium through Playwright), issue 14: each signs in
with their own account, finds a ticket by search, takes it (the history names who), pages through the
queue, resolves several at once with the filters kept, and the queue fits a phone."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.triage import agents
from bot.triage.db import triage_session
from bot.triage.models import Conversation, Ticket, TicketStatus, Urgency, utcnow
from bot.triage.recorder import open_ticket
from tests.triage.conftest import STAFF_LOGIN_THROTTLE
from tests.triage.test_staff_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
TOKEN = "browser-desk-token-" + "b" * 24
PASSWORD = "browser password 1"


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed: apt-get install chromium (the CI script does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=[*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def desk(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    monkeypatch.setenv("STAFF_LIVE_POLL_SECONDS", "0.2")
    STAFF_LOGIN_THROTTLE.clear()
    agents.create_agent("ada@example.com", "Ada Admin", PASSWORD, "admin")
    agents.create_agent("ben@example.com", "Ben Agent", PASSWORD)
    now = utcnow()
    with triage_session(write=True) as session:
        for n in range(60):
            at = now - dt.timedelta(hours=n + 1)
            session.add(Conversation(id=f"conv-{n}", first_seen=at, last_seen=at))
            session.add(Ticket(conversation_id=f"conv-{n}", urgency=Urgency.NORMAL, status=TicketStatus.OPEN,
                               reason="Asked for a person", question=f"routine question number {n}",
                               created_at=at, updated_at=at))
        at = now - dt.timedelta(minutes=25)
        session.add(Conversation(id="lips-conv", first_seen=at, last_seen=at))
        session.add(Ticket(conversation_id="lips-conv", urgency=Urgency.URGENT, status=TicketStatus.OPEN,
                           reason="Red flag: anaphylaxis", question="my lips are swelling after the lip mask",
                           created_at=at, updated_at=at))
    return staff_server


# Records what the page asks of the browser's Notification API (headless Chromium shows none itself).
NOTIFICATION_SPY = """
window.__shown = [];
window.Notification = class { constructor(title, options) { window.__shown.push([title, options.body]); }
  static requestPermission() { return Promise.resolve("granted"); } };
window.Notification.permission = "granted";
"""


def sign_in(browser, base: str, email: str, **context_options):
    context = browser.new_context(**context_options)
    context.add_init_script(NOTIFICATION_SPY)
    page = context.new_page()
    page.goto(f"{base}/staff")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("table.tickets")
    return page


def test_two_agents_search_assign_page_bulk_resolve_and_a_phone(desk, browser):
    ada = sign_in(browser, desk, "ada@example.com", viewport={"width": 1280, "height": 900})
    ben = sign_in(browser, desk, "ben@example.com", viewport={"width": 390, "height": 844}, is_mobile=True)
    assert "Ada Admin" in ada.locator("header").inner_text() and "Ben Agent" in ben.locator("header").inner_text()

    # The newest emergency is the first row, shown as over its 10-minute target.
    first = ada.locator("table.tickets tbody tr").first
    assert "lips are swelling" in first.inner_text() and "over target" in first.inner_text()

    # Ben, on a phone, searches, takes the ticket; the page fits the screen.
    ben.fill("input[name=q]", "lips")
    with ben.expect_navigation():
        ben.click("text=Show")
    ben.wait_for_selector("text=1 matching", state="attached")
    assert ben.evaluate("() => document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    ben.screenshot(path=str(ARTIFACTS / "support-desk-phone.png"), full_page=True)
    with ben.expect_navigation():
        ben.click("a.question")
    with ben.expect_navigation():
        ben.click("text=Assign to me")
    ben.wait_for_selector("ol.audit li[data-action=assign]")
    assert ben.locator("dd.assignee").inner_text() == "Ben Agent"
    assert "Ben Agent" in ben.locator("ol.audit").inner_text() and "assigned to Ben Agent" in ben.locator(
        "ol.audit").inner_text()
    with ben.expect_navigation():
        ben.click("a.back")
    assert "q=lips" in ben.url

    # Ada pages through 61 tickets 25 at a time and resolves three at once, staying on her page.
    ada.goto(f"{desk}/staff?per_page=25")
    assert "Page 1 of 3" in ada.locator(".pager").inner_text()
    assert "Ben Agent" in ada.locator("tr", has_text="lips are swelling").inner_text()
    with ada.expect_navigation():
        ada.click("a[rel=next]")
    assert "Page 2 of 3" in ada.locator(".pager").inner_text()
    picked = [ada.locator("tbody tr").nth(i).get_attribute("data-ticket-id") for i in range(3)]
    for ticket_id in picked:
        ada.check(f"input[name=ids][value='{ticket_id}']")
    with ada.expect_navigation():
        ada.click("text=Apply")
    assert "per_page=25" in ada.url and "page=2" in ada.url
    assert ada.locator("strong.total").inner_text() == "58"
    ada.screenshot(path=str(ARTIFACTS / "support-desk-queue.png"), full_page=True)
    ada.goto(f"{desk}/staff?status=resolved")
    assert sorted(ada.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.ticketId)")) == sorted(picked)


def test_a_new_urgent_ticket_appears_live_with_a_notification_and_a_sound(desk, browser):
    ada = sign_in(browser, desk, "ada@example.com", viewport={"width": 1280, "height": 900})
    ben = sign_in(browser, desk, "ben@example.com", viewport={"width": 1280, "height": 900})
    ben.goto(f"{desk}/staff/tickets/1")
    ada.wait_for_function("() => window.__staffLive !== undefined")
    ada.wait_for_timeout(500)  # the event stream is open
    with ThreadPoolExecutor(1) as elsewhere:  # Playwright's own loop runs in this thread
        ticket = elsewhere.submit(asyncio.run, open_ticket(
            "new-emergency", urgency=Urgency.URGENT, reason="Red flag: swallowed",
            question="my toddler drank the toner", tags=["red_flag"])).result()
    row = ada.locator(f"tr[data-ticket-id='{ticket}']")
    row.wait_for(timeout=15000)  # no reload: the list refreshed itself
    assert ada.locator("table.tickets tbody tr").first.get_attribute("data-ticket-id") == str(ticket)
    assert f"New urgent ticket {ticket}" in ada.locator("#live-alert").inner_text()
    assert ada.evaluate("() => window.__shown") == [[f"Urgent ticket {ticket}", "Red flag: swallowed"]]
    assert ada.evaluate("() => window.__staffLive.beeps") == 1
    ARTIFACTS.mkdir(exist_ok=True)
    ada.screenshot(path=str(ARTIFACTS / "support-desk-live.png"))
    # Ben, on another ticket, hears of it too (notification), without his page changing under him.
    ben.wait_for_function("() => window.__shown.length === 1")
    assert ben.evaluate("() => window.__staffLive.refreshed") == 0
