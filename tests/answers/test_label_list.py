"""A checked label as the widget's lists (render(..., "list")): a heading per group, flagged groups first, every
entry once under its label number with a note and its source lines, from annex entries and profiles as data
(no servers, no store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.answers.answer import PersonProfile
from bot.answers.label_check import decide_label_check
from bot.answers.render import LABEL_LIST_TYPE, render
from bot.answers.templates import DISCLAIMERS, LABEL_LIST_HEADINGS
from bot.nlu.ingredient_lists import read_ingredient_list
from bot.safety.policy import Risk
from knowledge.annexes.facts import ATTRIBUTION, Annex, AnnexEntry
from knowledge.facts import IngredientFacts

ENTRY = AnnexEntry(
    annex=Annex.III, reference="99z", chemical_name="Examplium salts", inci_names=("EXAMPLIUM",), cas_numbers=(),
    ec_numbers=(), identified_ingredients=(), product_types=None, max_concentration=None, other_conditions=None,
    warnings=None, colour=None, regulation=None, updated=date(2020, 3, 4), labelled_allergen=False,
    source_file="annex_III.csv", source_line=42,
)
LABEL = ("Ingredients: Aqua, Bannedium, Limitol, Scentol, Milk Exosomes, Keepol, Sunblockium, Tintol, Qwxyz Extract, "
         "Limitol")
LISTED = {
    "Bannedium": [replace(ENTRY, annex=Annex.II, reference="1001")],
    "Limitol": [replace(ENTRY, reference="12", max_concentration="(a) 2 %;\n(b) 5 %")],
    "Scentol": [replace(ENTRY, reference="84", labelled_allergen=True)],
    "Keepol": [replace(ENTRY, annex=Annex.V, reference="29", updated=date(2021, 6, 1))],
    "Sunblockium": [replace(ENTRY, annex=Annex.VI, reference="3"), replace(ENTRY, annex=Annex.IV, reference="7")],
    "Tintol": [replace(ENTRY, annex=Annex.IV, reference="143")],
}


def label_view(milk: IngredientFacts, profile: PersonProfile) -> tuple[dict, str]:
    parsed = read_ingredient_list(LABEL)
    curated = {name: milk if name == "Milk Exosomes" else None for name in parsed.entries}
    answer = render(decide_label_check(parsed, curated, LISTED, profile), "list")
    assert answer.view is not None
    return answer.view, answer.text


def items_of(view: dict) -> dict[str, list[tuple[int, str, str]]]:
    return {g["group"]: [(i["number"], i["name"], i["note"]) for i in g["items"]] for g in view["groups"]}


def test_flagged_groups_come_first_and_every_entry_is_listed_once_by_its_label_number(milk: IngredientFacts) -> None:
    view, text = label_view(milk, PersonProfile(allergies=("milk protein",)))
    assert view["type"] == LABEL_LIST_TYPE and view["title"] == "I checked the 9 ingredients on this label:"
    assert [g["group"] for g in view["groups"]] == ["prohibited", "restricted", "for_you", "allergen", "role",
                                                     "unknown"]
    assert [g["heading"] for g in view["groups"]] == [LABEL_LIST_HEADINGS[g["group"]] for g in view["groups"]]
    groups = items_of(view)
    assert groups["prohibited"] == [(2, "Bannedium", "entry 1001")]
    assert groups["restricted"] == [(3, "Limitol", "max (a) 2 %; (b) 5 %")]
    assert groups["for_you"] == [(5, "Milk Exosomes", "take care (milk protein allergy)")]
    assert groups["allergen"] == [(4, "Scentol", "")]
    assert groups["role"] == [(6, "Keepol", "preservative"), (7, "Sunblockium", "UV filter and colourant"),
                              (8, "Tintol", "colourant")]
    assert groups["unknown"] == [(1, "Aqua", ""), (9, "Qwxyz Extract", "")]
    numbers = sorted(n for items in groups.values() for n, _, _ in items)
    assert numbers == list(range(1, 10))  # each entry once, repeats checked once
    assert text.splitlines()[0] == view["title"]  # the plain text (other clients, transcripts) is unchanged


def test_each_entry_has_its_source_lines_and_the_footer_says_how_to_ask_by_number(milk: IngredientFacts) -> None:
    view, _ = label_view(milk, PersonProfile())
    items = {i["name"]: i for g in view["groups"] for i in g["items"]}
    assert items["Keepol"]["sources"] == [f"Source: {ATTRIBUTION}, Annex V entry 29 of Regulation (EC) No "
                                          "1223/2009, entry updated 1 June 2021"]
    assert len(items["Sunblockium"]["sources"]) == 2
    assert items["Milk Exosomes"]["sources"][0].startswith("My verified profile of milk exosomes")
    assert items["Aqua"]["sources"] == []  # nothing to cite for an entry we don't know
    assert view["source_label"] == "Source"
    assert "Listed more than once (checked once): Limitol." in view["footer"]
    assert view["footer"][-1] == ('Ask me about any entry by its name or number, for example "tell me more about '
                                  'number 2".')


def test_without_a_concern_a_profiled_entry_is_not_flagged(milk: IngredientFacts) -> None:
    view, _ = label_view(milk, PersonProfile(skin_type="oily"))
    groups = items_of(view)
    assert "for_you" not in groups
    assert groups["fine"] == [(5, "Milk Exosomes", "generally suits you (oily skin)")]
    assert [g["group"] for g in view["groups"]][-2:] == ["fine", "unknown"]


def test_only_the_list_layout_carries_the_view(milk: IngredientFacts) -> None:
    parsed = read_ingredient_list(LABEL)
    decision = decide_label_check(parsed, dict.fromkeys(parsed.entries), LISTED, PersonProfile())
    assert render(decision).view is None and render(decision, "sms").view is None
    assert render(decision, "list").text == render(decision).text


def test_a_disclaimer_the_text_would_end_with_ends_the_lists_too(milk: IngredientFacts) -> None:
    parsed = read_ingredient_list(LABEL)
    decision = decide_label_check(parsed, dict.fromkeys(parsed.entries), LISTED, PersonProfile())
    assert render(decision, "list").view["footer"][-1].startswith("Ask me about any entry")  # none by default
    answer = render(replace(decision, risk=Risk.ALLERGY), "list")
    assert answer.view["footer"][-1] == f"ℹ️ {DISCLAIMERS[Risk.ALLERGY]}" and answer.full_text.endswith(
        DISCLAIMERS[Risk.ALLERGY])


def test_a_prohibition_with_an_exception_and_a_role_limited_to_some_products_are_said_everywhere() -> None:
    # As the register has them: Annex II prohibits it except as its Annex III entry allows (artificial nail
    # systems); a preservative of Annex V allowed in rinse-off products only; soft hyphens from the export.
    listed = {
        "Hydroquinone": [replace(ENTRY, annex=Annex.II, reference="1339"),
                         replace(ENTRY, reference="14", product_types="Artificial nail sys\u00adtems",
                                 max_concentration="0.02% (after mixing for use)")],
        "Methylisothiazolinone": [replace(ENTRY, annex=Annex.V, reference="39", product_types="Rinse-off",
                                          max_concentration="0.0015%")],
    }
    parsed = read_ingredient_list("Aqua, Hydroquinone, Methylisothiazolinone")
    decision = decide_label_check(parsed, {name: None for name in parsed.entries}, listed, PersonProfile())
    text, sms = render(decision).text, render(decision, "sms").text
    view = render(decision, "list").view
    assert view is not None
    groups = items_of(view)
    assert groups["restricted"] == [(2, "Hydroquinone", "prohibited except in Artificial nail systems, max 0.02% "
                                                        "(after mixing for use)")]
    assert groups["role"] == [(3, "Methylisothiazolinone", "preservative, only in Rinse-off (max 0.0015%)")]
    assert "2. Hydroquinone (prohibited except in Artificial nail systems, max 0.02%" in text
    assert "3. Methylisothiazolinone (preservative, only in Rinse-off (max 0.0015%))" in text
    assert "2. Hydroquinone: banned in EU cosmetics except in Artificial nail systems" in sms
    assert "3. Methylisothiazolinone: allowed as a preservative, only in Rinse-off" in sms
    assert "\u00ad" not in text + sms + str(view)
