"""A pasted label for a person who told us they react to fragrance: the EU labelled fragrance allergens and the
fragrance entry itself go to their "for you" group, with their allergy as the reason (data in the decision, the
words only in templates.py) and the allergy disclaimer; nobody else gets them flagged (plain fixtures, no store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.answers.answer import PersonProfile
from bot.answers.decision import Decision, Verdict
from bot.answers.label_check import decide_label_check
from bot.answers.render import render
from bot.answers.templates import DISCLAIMERS
from bot.nlu.ingredient_lists import read_ingredient_list
from bot.safety.policy import Risk
from knowledge.annexes.facts import Annex, AnnexEntry
from knowledge.facts import IngredientFacts
from knowledge.vocabulary import load_vocabulary

ALLERGEN = AnnexEntry(
    annex=Annex.III, reference="84", chemical_name="Examplium salts", inci_names=("EXAMPLIUM",), cas_numbers=(),
    ec_numbers=(), identified_ingredients=(), product_types=None, max_concentration=None, other_conditions=None,
    warnings=None, colour=None, regulation=None, updated=date(2020, 3, 4), labelled_allergen=True,
    source_file="annex_III.csv", source_line=42,
)
LABEL = "Ingredients: Aqua, Milk Exosomes, Parfum (Fragrance), Linalool, Limonene, Keepol, Qwxyz"
LISTED = {
    "Linalool": [ALLERGEN],
    "Limonene": [replace(ALLERGEN, reference="88")],
    "Keepol": [replace(ALLERGEN, annex=Annex.V, reference="29", labelled_allergen=False)],
}
FRAGRANCE = PersonProfile(allergies=("fragrance",))
MILK = PersonProfile(allergies=("milk protein",))


def decided(milk: IngredientFacts, profile: PersonProfile, **kwargs: object) -> Decision:
    parsed = read_ingredient_list(LABEL)
    curated = {name: milk if name == "Milk Exosomes" else None for name in parsed.entries}
    return decide_label_check(parsed, curated, LISTED, profile, **kwargs)


def numbers(decision: Decision, template: str) -> list[int]:
    return [i["number"] for p in decision.points if p.template == template for i in p.values["items"]]


def rows(decision: Decision) -> dict[str, dict]:
    return {row["name"]: row for row in (decision.regulation or {})["label"]}


def test_the_vocabulary_ties_the_fragrance_allergy_to_labelled_allergens() -> None:
    vocabulary = load_vocabulary()
    assert "fragrance" in vocabulary.values("allergen") and "fragrance" in vocabulary.label_allergies
    assert "sensitive to fragrance" in vocabulary.surface_forms("allergen")["fragrance"]


def test_a_fragrance_allergy_puts_the_allergens_and_the_fragrance_entry_in_the_for_you_group(
        milk: IngredientFacts) -> None:
    decision = decided(milk, FRAGRANCE)
    assert numbers(decision, "label_your_allergy") == [3, 4, 5]
    assert numbers(decision, "label_allergens") == [] and 3 not in numbers(decision, "label_unknown")
    mine = next(p for p in decision.points if p.template == "label_your_allergy")
    assert mine.values["allergies"] == ["fragrance"]
    assert [i["allergen"] for i in mine.values["items"]] == [False, True, True]
    found = rows(decision)
    for name in ("Parfum (Fragrance)", "Linalool", "Limonene"):
        assert found[name]["concerns_you"] is True and found[name]["your_allergies"] == ["fragrance"]
    assert "your_allergies" not in found["Keepol"] and "your_allergies" not in found["Milk Exosomes"]
    assert decision.risk is Risk.ALLERGY and decision.verdict is Verdict.CAUTION


def test_without_a_fragrance_allergy_nothing_fragrant_is_flagged_for_the_person(milk: IngredientFacts) -> None:
    for profile in (PersonProfile(), MILK):
        decision = decided(milk, profile)
        assert numbers(decision, "label_your_allergy") == []
        assert numbers(decision, "label_allergens") == [4, 5] and 3 in numbers(decision, "label_unknown")
        assert not any(row.get("your_allergies") for row in rows(decision).values())
        assert decision.risk is Risk.NONE
    found = rows(decided(milk, MILK))
    assert found["Milk Exosomes"]["concerns_you"] is True  # the milk allergy concerns the milk entry only
    assert not any(found[n].get("concerns_you") for n in ("Parfum (Fragrance)", "Linalool", "Limonene"))


def test_which_allergies_count_comes_from_the_vocabulary(milk: IngredientFacts) -> None:
    vocabulary = replace(load_vocabulary(), label_allergies={})
    assert numbers(decided(milk, FRAGRANCE, vocabulary=vocabulary), "label_your_allergy") == []
    vocabulary = replace(load_vocabulary(), label_allergies={"milk protein": ("parfum",)})
    assert numbers(decided(milk, MILK, vocabulary=vocabulary), "label_your_allergy") == [3, 4, 5]


def test_the_chat_text_names_the_persons_allergy_and_carries_the_allergy_disclaimer(milk: IngredientFacts) -> None:
    answer = render(decided(milk, FRAGRANCE))
    lines = answer.text.splitlines()
    mine = next(line for line in lines if line.startswith("For you"))
    assert "you told me you react to fragrance" in mine
    assert "3. Parfum (Fragrance)" in mine and "4. Linalool" in mine and "5. Limonene" in mine
    assert not any(line.startswith("Fragrance allergens") for line in lines)
    assert lines[1].startswith("Restricted in the EU") and lines.index(mine) == 2  # then the person's own group
    assert answer.disclaimer == DISCLAIMERS[Risk.ALLERGY] and answer.full_text.endswith(DISCLAIMERS[Risk.ALLERGY])
    assert answer.data["disclaimer"] == Risk.ALLERGY.value
    plain = render(decided(milk, MILK))
    assert "react to fragrance" not in plain.text
    assert any(line.startswith("Fragrance allergens") for line in plain.text.splitlines())


def test_the_list_layout_puts_them_under_for_you_with_the_reason(milk: IngredientFacts) -> None:
    view = render(decided(milk, FRAGRANCE), "list").view
    assert view is not None
    groups = {g["group"]: [(i["number"], i["note"]) for i in g["items"]] for g in view["groups"]}
    assert [g["group"] for g in view["groups"]][0] == "for_you" and "allergen" not in groups
    assert groups["for_you"][-3:] == [
        (3, "you told me you react to fragrance"),
        (4, "you told me you react to fragrance; fragrance allergen to be named on labels"),
        (5, "you told me you react to fragrance; fragrance allergen to be named on labels"),
    ]
    assert view["footer"][-1] == f"ℹ️ {DISCLAIMERS[Risk.ALLERGY]}"
    other = render(decided(milk, MILK), "list").view
    assert other is not None
    assert [(i["number"], i["note"]) for g in other["groups"] if g["group"] == "allergen" for i in g["items"]] == [
        (4, ""), (5, "")]


def test_the_sms_lines_put_them_first_with_the_reason(milk: IngredientFacts) -> None:
    answer = render(decided(milk, FRAGRANCE), "sms")
    lines = answer.text.splitlines()
    assert lines[1:4] == [
        "3. Parfum (Fragrance): for you: take care (you told me you react to fragrance)",
        "4. Linalool: for you: take care (you told me you react to fragrance); allergen to be labelled",
        "5. Limonene: for you: take care (you told me you react to fragrance); allergen to be labelled",
    ]
    assert answer.disclaimer == DISCLAIMERS[Risk.ALLERGY]
    plain = render(decided(milk, MILK), "sms").text
    assert "react to fragrance" not in plain and "4. Linalool: EU-restricted; allergen to be labelled" in plain
