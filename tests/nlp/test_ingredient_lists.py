"""Reading a pasted ingredient list: the usual label forms are split into entries, bad input is named."""

from __future__ import annotations

import pytest

from bot.nlu.ingredient_lists import MAX_ENTRIES, looks_like_a_list, read_ingredient_list

EXPECTED = ("Aqua", "Glycerin", "Parfum (Fragrance)", "1,2-Hexanediol", "Linalool", "Limonene")


@pytest.mark.parametrize("text", [
    "Ingredients: Aqua, Glycerin, Parfum (Fragrance), 1,2-Hexanediol, Linalool, Limonene.",
    "INCI: Aqua; Glycerin; Parfum (Fragrance); 1,2-Hexanediol; Linalool; Limonene",
    "Aqua\nGlycerin\nParfum (Fragrance)\n1,2-Hexanediol\nLinalool\nLimonene",
    "• Aqua\n• Glycerin\n• Parfum (Fragrance)\n• 1,2-Hexanediol\n• Linalool\n• Limonene",
    "- Aqua\n- Glycerin\n- Parfum (Fragrance)\n- 1,2-Hexanediol\n- Linalool\n- Limonene",
    "ingredients - Aqua,Glycerin , Parfum (Fragrance),1,2-Hexanediol,  Linalool,Limonene",
])
def test_the_usual_label_forms_give_the_same_entries(text: str) -> None:
    parsed = read_ingredient_list(text)
    assert (parsed.entries, parsed.problem) == (EXPECTED, None)
    assert looks_like_a_list(text)


def test_a_comma_inside_brackets_stays_in_the_name() -> None:
    parsed = read_ingredient_list("Ingredients: Aqua, Parfum (Fragrance, Aroma), Citral")
    assert parsed.entries == ("Aqua", "Parfum (Fragrance, Aroma)", "Citral")


def test_repeated_entries_are_checked_once_and_reported() -> None:
    parsed = read_ingredient_list("Ingredients: Aqua, Glycerin, AQUA, Linalool, glycerin")
    assert parsed.entries == ("Aqua", "Glycerin", "Linalool") and parsed.repeated == ("Aqua", "Glycerin")


@pytest.mark.parametrize(("text", "problem"), [
    ("Ingredients: <b>Aqua</b>, Glycerin, Linalool", "html"),
    ("Ingredients: Aqua, Glycerin &lt;script&gt;, Linalool", "html"),
    ("Ingredients: " + ", ".join(f"Extract {i}" for i in range(MAX_ENTRIES + 1)), "too_many"),
    ("Ingredients: I bought this cream last week and it left my skin tight and dry after two days, "
     "what should I do about it now", "not_a_list"),
    ("Ingredients: aqua", "not_a_list"),
])
def test_bad_input_is_named(text: str, problem: str) -> None:
    assert read_ingredient_list(text).problem == problem
    assert looks_like_a_list(text)  # meant as a list: it gets the list's reply, with the reason


@pytest.mark.parametrize("text", [
    "I'm vegan, pregnant, and have oily skin",
    "is linalool, limonene or citral allowed in the EU, and which must be labelled, and where?",
    "are milk exosomes vegan?",
    "hello",
])
def test_questions_and_profile_statements_are_not_lists(text: str) -> None:
    assert not looks_like_a_list(text)
