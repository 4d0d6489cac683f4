"""A pasted ingredient label in the chat widget, in Debian's chromium against the real servers: the reply reads as
lists (a heading per group, flagged groups first, each entry under its label number, its source one click
away), survives a reload, and "tell me more about number N" answers about that entry."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, expect

from tests.web.test_widget_browser import (  # noqa: F401 (pytest fixtures)
    ANSWER_TIMEOUT_MS,
    Visitor,
    browser,
    save_screenshot,
    visitor,
)

pytestmark = [pytest.mark.browser, pytest.mark.servers]

#: A 34-entry moisturiser with sun protection: a prohibited entry (5), a restricted one with its maximum (11),
#: a profiled ingredient (8) for a person with a milk protein allergy, two fragrance allergens (25, 26),
#: preservatives (22, 27, 28), UV filters (3, 4), a colourant (29), a typo (21) and a made-up name (32).
LABEL = (
    "Ingredients: Aqua, Glycerin, Octocrylene, Homosalate, Butylphenyl Methylpropional, Caprylic/Capric "
    "Triglyceride, Cetearyl Alcohol, Milk Exosomes, Niacinamide, Dimethicone, Salicylic Acid, Glyceryl Stearate, "
    "PEG-100 Stearate, Panthenol, Tocopheryl Acetate, Sodium Hyaluronate, Allantoin, Xanthan Gum, Carbomer, "
    "Disodium EDTA, Phenoxyethanl, Phenoxyethanol, Ethylhexylglycerin, Parfum, Linalool, Limonene, Citric Acid, "
    "Sodium Benzoate, CI 77891, Silica, Squalane, Zinc Unicornium, Butyrospermum Parkii Butter, Bisabolol"
)
COUNT = 34
FLAGGED_FIRST = ["prohibited", "restricted", "for_you", "allergen", "role", "unknown"]


def entries_of(listing: Locator) -> dict[int, tuple[str, str]]:
    """Label number -> (group, the entry as shown: "5. Name: note"), read from the list items."""
    found: dict[int, tuple[str, str]] = {}
    for group in listing.locator(".scw-label-group").all():
        for item in group.get_by_role("listitem").all():
            number = int(item.get_attribute("value") or 0)
            assert number not in found, f"entry {number} is listed twice"
            assert item.locator(".scw-label-number").inner_text().strip() == f"{number}."
            note = item.locator(".scw-label-note")
            shown = f"{number}. {item.locator('.scw-label-name').inner_text()}"
            found[number] = (group.get_attribute("data-group") or "",
                             shown + (note.inner_text() if note.count() else ""))
    return found


def test_a_pasted_label_reads_as_lists_flagged_first_and_a_number_can_be_asked_about(visitor: Visitor) -> None:  # noqa: F811
    visitor.open_shop()
    visitor.open_chat()
    visitor.wait_greeting()
    assert "milk protein allergy" in visitor.ask("I'm allergic to milk protein")

    visitor.input.fill(LABEL)
    visitor.input.press("Enter")
    listing = visitor.page.locator(".scw-from-bot.scw-label-check").last
    expect(listing).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(listing.locator(".scw-label-title")).to_have_text(f"I checked the {COUNT} ingredients on this label:")

    # Flagged groups first; each group a real heading naming a real ordered list.
    groups = listing.locator(".scw-label-group")
    assert [g.get_attribute("data-group") for g in groups.all()] == FLAGGED_FIRST
    headings = listing.get_by_role("heading", level=3)
    expect(headings).to_have_count(len(FLAGGED_FIRST))
    for heading in headings.all():
        expect(listing.get_by_role("list", name=heading.inner_text(), exact=True)).to_have_count(1)
    assert listing.locator("ol > li").count() == COUNT

    # Every entry once, under the number it has on the label (the one a follow-up uses).
    entries = entries_of(listing)
    assert sorted(entries) == list(range(1, COUNT + 1))
    assert entries[5] == ("prohibited", "5. Butylphenyl Methylpropional: entry 1666")
    assert entries[11][0] == "restricted" and entries[11][1].startswith("11. Salicylic Acid: max (a) 3.0%")
    assert entries[8] == ("for_you", "8. Milk Exosomes: take care (milk protein allergy)")
    assert entries[25] == ("allergen", "25. Linalool") and entries[26] == ("allergen", "26. Limonene")
    assert entries[22] == ("role", "22. Phenoxyethanol: preservative")
    assert entries[3] == ("role", "3. Octocrylene: UV filter") and entries[29] == ("role", "29. CI 77891: colourant")
    assert entries[21] == ("unknown", "21. Phenoxyethanl") and entries[32] == ("unknown", "32. Zinc Unicornium")
    assert sum(group == "unknown" for group, _ in entries.values()) == 23  # listed honestly, none left out

    # The source of an entry is one click away; an unknown entry has none to show.
    prohibited = listing.locator("li[value='5']")
    source = prohibited.locator("details p").first
    expect(source).to_be_hidden()
    prohibited.get_by_text("Source", exact=True).click()
    expect(source).to_be_visible()
    expect(source).to_contain_text("CosIng, © European Union, Annex II entry 1666")
    expect(listing.locator("li[value='32'] details")).to_have_count(0)
    expect(listing).to_contain_text('"tell me more about number 5"')
    save_screenshot(visitor.page, "widget-label-check.png")

    # The same lists after a reload (read back from this browser's storage).
    visitor.page.reload()
    expect(visitor.panel).to_be_visible()
    listing = visitor.page.locator(".scw-from-bot.scw-label-check").last
    expect(listing.get_by_role("listitem")).to_have_count(COUNT)
    assert entries_of(listing) == entries
    visitor.wait_online()

    reply = visitor.ask("tell me more about number 5")
    assert re.search(r"Butylphenyl Methylpropional (is|are) prohibited in cosmetic products", reply), reply
    assert "Annex II, entry 1666" in reply
    reply = visitor.ask("what about number 8?")
    assert "milk protein allergy" in reply.lower() and "milk exosomes" in reply.lower(), reply
