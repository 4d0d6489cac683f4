"""Issue 13's label check over REST against the real servers: real-looking labels of 20-60 entries, the
person's profile applied, flagged entries first, every entry accounted for, and every bad-input case."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.test_regulation import csv_rows, flat
from tests.servers import RunningAssistant

pytestmark = pytest.mark.servers

MOISTURISER = (
    "Ingredients: Aqua, Glycerin, Caprylic/Capric Triglyceride, Cetearyl Alcohol, Butyrospermum Parkii Butter, "
    "Dimethicone, Glyceryl Stearate, PEG-100 Stearate, Niacinamide, Panthenol, Tocopheryl Acetate, Sodium "
    "Hyaluronate, Allantoin, Xanthan Gum, Carbomer, Sodium Hydroxide, Disodium EDTA, Phenoxyethanol, "
    "Ethylhexylglycerin, Parfum (Fragrance), Linalool, Limonene, Citronellol, Geraniol, Benzyl Alcohol, CI 77891"
)
SUNSCREEN = "\n".join([
    "INGREDIENTS:", "• Aqua", "• Homosalate", "• Octocrylene", "• Butyl Methoxydibenzoylmethane",
    "• Ethylhexyl Salicylate", "• Titanium Dioxide", "• Zinc Oxide", "• Milk Exosomes", "• Glycerin",
    "• Butylphenyl Methylpropional", "• Alcohol Denat.", "• Silica", "• Tocopherol", "• Dimethicone",
    "• Sodium Benzoate", "• Potassium Sorbate", "• Citric Acid", "• Hydroquinone", "• Salicylic Acid",
    "• Benzophenone-3", "• Parfum", "• Coumarin", "• Eugenol", "• Hexyl Cinnamal", "• Zinc Unicornium",
    "• Aqua",
])


def check(assistant: RunningAssistant, text: str, sender: str | None = None) -> tuple[str, dict[str, Any]]:
    messages = assistant.send(sender or f"label-{uuid.uuid4().hex[:12]}", text)
    reply = "\n".join(m.get("text", "") for m in messages)
    data = next((m["answer"] for m in messages if "answer" in m), None)
    assert data is not None, f"no decided answer in {messages!r}"
    return reply, data


def rows_by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in data["regulation"]["label"]}


def test_a_moisturiser_label_with_every_entry_accounted_for(assistant: RunningAssistant) -> None:
    reply, data = check(assistant, MOISTURISER)
    assert data["kind"] == "label_check"
    rows = rows_by_name(data)
    assert len(rows) == 26 and [r["number"] for r in data["regulation"]["label"]] == list(range(1, 27))
    assert reply.splitlines()[0] == "I checked the 26 ingredients on this label:"
    allergens = next(line for line in reply.splitlines() if line.startswith("Fragrance allergens"))
    for number, name in ((21, "Linalool"), (22, "Limonene"), (23, "Citronellol"), (24, "Geraniol"),
                         (25, "Benzyl Alcohol")):
        assert f"{number}. {name}" in allergens
    roles = next(line for line in reply.splitlines() if line.startswith("Allowed in the EU"))
    assert "18. Phenoxyethanol (preservative)" in roles and "26. ci 77891 (colourant)" in roles
    assert rows["Sodium Hydroxide"]["status"] == "restricted"
    unknown = next(line for line in reply.splitlines() if line.startswith("I have no verified information on"))
    assert "1. Aqua" in unknown and "20. Parfum (Fragrance)" in unknown and "Linalool" not in unknown
    assert "CosIng, © European Union" in reply


def test_every_cited_entry_is_a_csv_row_that_names_the_ingredient(assistant: RunningAssistant) -> None:
    _, data = check(assistant, SUNSCREEN)
    for row in data["regulation"]["label"]:
        for annex, reference in row["entries"]:
            names_it = any(flat(row["name"]).replace("-", " ") in flat(" ".join(r.values())).replace("-", " ")
                           for r in csv_rows()[(annex, reference)])
            assert names_it, f"{row['name']} cites Annex {annex} entry {reference}, whose row never names it"


def test_a_sunscreen_label_flags_first_and_applies_the_profile(assistant: RunningAssistant) -> None:
    sender = f"label-{uuid.uuid4().hex[:12]}"
    check(assistant, "I'm vegan", sender)
    reply, data = check(assistant, SUNSCREEN, sender)
    lines = reply.splitlines()
    assert lines[1].startswith("Prohibited in EU cosmetics (Annex II): 10. Butylphenyl Methylpropional")
    assert lines[2].startswith("Restricted in the EU (Annex III):")
    # Annex II prohibits it except as its Annex III entry allows
    assert "18. Hydroquinone (prohibited except in Artificial nail systems, max 0.02%" in lines[2]
    assert "19. Salicylic Acid (max (a) 3.0%" in lines[2]
    profiled = next(line for line in lines if line.startswith("From my verified profiles, for you"))
    assert "8. Milk Exosomes (take care)" in profiled  # vegans may choose to avoid milk-derived ingredients
    roles = next(line for line in lines if line.startswith("Allowed in the EU"))
    for expected in ("2. Homosalate (UV filter, only in Face products", "3. Octocrylene (UV filter)",
                     "7. Zinc Oxide (UV filter and "
                     "colourant)", "15. Sodium Benzoate (preservative)", "20. Benzophenone-3 (UV filter)"):
        assert expected in roles
    allergens = next(line for line in lines if line.startswith("Fragrance allergens"))
    assert "22. Coumarin" in allergens and "23. Eugenol" in allergens and "24. Hexyl Cinnamal" in allergens
    assert "25. Zinc Unicornium" in next(line for line in lines if line.startswith("I have no verified"))
    assert "Listed more than once (checked once): Aqua." in reply
    order = [line.split(" ", 1)[0] for line in lines[1:5]]
    assert order == ["Prohibited", "Restricted", "Fragrance", "From"]  # flagged groups first


def test_a_fragrance_allergy_moves_the_fragrance_entries_into_the_for_you_group(assistant: RunningAssistant) -> None:
    sender = f"label-{uuid.uuid4().hex[:12]}"
    check(assistant, "I'm allergic to fragrance", sender)
    reply, data = check(assistant, MOISTURISER, sender)
    lines = reply.splitlines()
    mine = next(line for line in lines if line.startswith("For you (you told me you react to fragrance)"))
    for number, name in ((20, "Parfum (Fragrance)"), (21, "Linalool"), (22, "Limonene"), (23, "Citronellol"),
                         (24, "Geraniol"), (25, "Benzyl Alcohol")):
        assert f"{number}. {name}" in mine
        assert rows_by_name(data)[name]["your_allergies"] == ["fragrance"]
    assert not any(line.startswith("Fragrance allergens") for line in lines)
    assert "Parfum" not in next((line for line in lines if line.startswith("I have no verified")), "")
    assert data["disclaimer"] == "allergy" and "allergist" in reply
    assert "your_allergies" not in rows_by_name(data)["Phenoxyethanol"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Ingredients: <b>Aqua</b>, Glycerin, Linalool, Limonene", "looks like HTML"),
    ("Ingredients: " + ", ".join(f"Plant Extract {i}" for i in range(151)), "I can check up to 150 at a time"),
    ("Ingredients: I saw this heading on the back of a jar in the shop yesterday and would like to know what "
     "it means, and what the brand is about", "doesn't look like an ingredient list"),
])
def test_bad_input_gets_a_clear_reply(assistant: RunningAssistant, text: str, expected: str) -> None:
    reply, data = check(assistant, text)
    assert data["kind"] == "label_problem" and expected in reply and "To check a label, paste" in reply


def test_a_sixty_entry_label_is_read_whole(assistant: RunningAssistant) -> None:
    """Longer than what the classifiers read (bot.nlu.message_limits): the check still reads every entry."""
    extra = ["Squalane", "Ceramide NP", "Cholesterol", "Propanediol", "Pentylene Glycol", "Caprylyl Glycol",
             "Sodium PCA", "Urea", "Lactic Acid", "Bisabolol", "Hydrogenated Lecithin", "Helianthus Annuus Seed Oil",
             "Simmondsia Chinensis Seed Oil", "Camellia Sinensis Leaf Extract", "Centella Asiatica Extract",
             "Polyglyceryl-3 Diisostearate", "Phytosphingosine"]
    names = MOISTURISER.removeprefix("Ingredients: ").split(", ")
    names += [line.removeprefix("• ") for line in SUNSCREEN.splitlines()[1:]] + extra
    unique = list(dict.fromkeys(name.casefold() for name in names))
    text = "Ingredients: " + ", ".join(names)
    assert len(text) > 1000 and 60 <= len(unique) <= 70
    reply, data = check(assistant, text)
    assert reply.splitlines()[0] == f"I checked the {len(unique)} ingredients on this label:"
    assert data["regulation"]["label"][-1] == {**data["regulation"]["label"][-1], "number": len(unique),
                                               "name": "Phytosphingosine"}


def test_tell_me_more_about_a_number_answers_for_that_entry(assistant: RunningAssistant) -> None:
    sender = f"label-{uuid.uuid4().hex[:12]}"
    check(assistant, MOISTURISER, sender)
    reply, data = check(assistant, "tell me more about number 21", sender)
    assert data["ingredient"] == "Linalool" and data["kind"] == "regulation"
    assert "must be named in the ingredient list" in reply
    reply, data = check(assistant, "what about number 18?", sender)
    assert data["ingredient"] == "Phenoxyethanol" and data["regulation"]["status"] == "allowed"
