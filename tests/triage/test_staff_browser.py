"""A staff member in a real browser (Debian's chromium through Playwright): log in, find the ticket of a
conversation just held over REST, read its transcript, resolve it; a <script> typed by a person stays text."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.servers, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
# Written where test output goes (gitignored); docs/staff-dashboard.png is a copy of one run.
SCREENSHOT = REPO / "test-artifacts" / "staff-dashboard.png"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def page():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed: apt-get install chromium (the CI script does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            yield context.new_page()
        finally:
            browser.close()


def test_staff_find_read_and_resolve_a_ticket_and_script_stays_text(stack, page):
    sender = f"browser-{uuid.uuid4().hex[:8]}"
    marker = uuid.uuid4().hex[:6]
    question = (f"my throat is swelling and I can't breathe after <script>window.pwned=1;"
                f"alert('{marker}')</script> serum")
    stack.reply_text(sender, question)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"{stack.web_url}/staff")
    page.fill("input[name=token]", stack.staff_token)
    page.click("button[type=submit]")
    page.wait_for_selector("table.tickets")

    row = page.locator("tr", has_text=marker).first
    row.wait_for()
    assert "urgent" in row.inner_text()
    assert f"alert('{marker}')</script>" in row.locator("a.question").inner_text()  # shown as text
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    row.locator("a.question").click()
    page.wait_for_selector("ol.transcript")
    transcript = page.locator("ol.transcript").inner_text()
    assert "<script>window.pwned=1;" in transcript
    assert "Assistant" in transcript
    assert page.evaluate("() => window.pwned === undefined")

    page.select_option("select[name=status]", "resolved")
    page.click("text=Save status")
    page.wait_for_load_state()
    assert page.locator("dd.status").inner_text() == "Resolved"
    page.reload()
    assert page.locator("dd.status").inner_text() == "Resolved"

    page.goto(f"{stack.web_url}/staff?status=resolved")
    assert page.locator("tr", has_text=marker).count() == 1
    assert dialogs == []
