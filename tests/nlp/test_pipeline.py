"""The spaCy entity pipeline generated from the store: names, synonyms, typos, vocabulary, unknown ingredients."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from bot.nlp.build_pipeline import build_pipeline, store_term_sets
from knowledge.vocabulary import load_other_ingredient_names, load_vocabulary
from tests.fixtures.store import FICTIONAL_NAME


@pytest.fixture
def nlp(store_url: str):  # noqa: ANN201 - spaCy Language
    return build_pipeline(store_term_sets(), load_vocabulary(), load_other_ingredient_names())


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    from tests.fixtures.store import make_store

    url = make_store(tmp_path)
    monkeypatch.setenv("SKINCARE_DB_URL", url)
    return url


def ents(nlp, text: str) -> list[tuple[str, str, str]]:  # noqa: ANN001
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text.lower()).ents]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Are MILK EXOSOMES vegan?", [("milk exosomes", "ingredient", "milk exosomes"), ("vegan", "diet", "vegan")]),
        ("is milk exosoms ok", [("milk exosoms", "ingredient", "milk exosomes")]),
        ("milk-derived exosomes", [("milk-derived exosomes", "ingredient", "milk exosomes")]),
        ("is examplium ok for dry skin",
         [("examplium", "ingredient", FICTIONAL_NAME), ("dry skin", "skin_type", "dry")]),
        ("safe while nursing?", [("nursing", "life_stage", "breastfeeding")]),
        ("i'm lactating", [("lactating", "life_stage", "breastfeeding")]),
        ("im pregnet", [("pregnet", "life_stage", "pregnancy")]),
        ("my skin is greasy", [("greasy", "skin_type", "oily")]),
        ("i have acne prone skin", [("acne prone skin", "skin_type", "acne-prone")]),
        ("allergic to dairy", [("dairy", "allergen", "milk protein")]),
        ("milk protein allergies", [("milk protein allergies", "allergen", "milk protein")]),
        ("does it cure eczema", [("eczema", "skin_condition", "eczema")]),
    ],
)
def test_store_terms_are_recognised_with_normalised_values(nlp, text: str, expected) -> None:  # noqa: ANN001
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(("text", "name"), [("is snail mucin any good", "snail mucin"),
                                            ("what about rosehip oil", "rosehip oil"),
                                            ("tell me about plant exosomes", "plant exosomes")])
def test_ingredients_without_a_profile_are_still_recognised_as_ingredients(nlp, text: str, name: str) -> None:  # noqa: ANN001
    found = ents(nlp, text)
    assert [(t, label) for t, label, _ in found] == [(name, "ingredient")]
    assert found[0][2] != "milk exosomes"


def test_words_near_vocabulary_are_not_misread(nlp) -> None:  # noqa: ANN001
    assert ents(nlp, "does it cause sun sensitivity") == []
    assert ents(nlp, "can i use it in the morning") == []
    # a way of applying it, not a condition: only the blocker matches (its label starts with "_": never an entity)
    assert [label for _, label, _ in ents(nlp, "can i use it as a spot treatment")] == ["_not_an_entity"]
    assert ents(nlp, "is it good for spots") == [("spots", "skin_condition", "acne")]


@pytest.mark.parametrize("text", ["how long until i receive my order", "a question concerning the serum",
                                  "can i take it on vacation", "is it fine for a relative of mine",
                                  "does it keep skin hydrated", "i patched it on my arm", "after an illness"])
def test_everyday_words_a_typo_away_from_vocabulary_name_nothing(nlp, text: str) -> None:  # noqa: ANN001
    assert [e for e in ents(nlp, text) if not e[1].startswith("_")] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("my skin is very reactve", [("reactve", "skin_type", "sensitive")]),
    ("is it ok while lactatin", [("lactatin", "life_stage", "breastfeeding")]),
    ("good for dehydrated skin?", [("dehydrated", "skin_type", "dry")]),
    ("is it safe while expecting", [("expecting", "life_stage", "pregnancy")]),
])
def test_typos_of_vocabulary_words_are_still_read(nlp, text: str, expected) -> None:  # noqa: ANN001
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("is it ok to use alongside accutane", [("accutane", "medicine", "isotretinoin")]),
    ("what drugs affect benzoyl peroxide", [("benzoyl peroxide", "medicine", "benzoyl peroxide")]),
    ("is it haram", [("haram", "diet", "halal")]),
])
def test_a_known_name_is_not_swallowed_into_a_guessed_one(nlp, text: str, expected) -> None:  # noqa: ANN001
    # the word before a known name is not the first half of an unknown chemical ("alongside accutane")
    assert ents(nlp, text) == expected


@pytest.mark.parametrize("text", ["what's the max salicylic acid in a toner?", "maximum salicylic acid allowed?",
                                  "the highest concentration salicylic acid", "min salicylic acid in a cleanser"])
def test_an_amount_word_is_not_part_of_the_name(nlp, text: str) -> None:  # noqa: ANN001
    assert [(t, label) for t, label, _ in ents(nlp, text)] == [("salicylic acid", "ingredient")]


def test_unknown_chemical_names_are_still_guessed(nlp) -> None:  # noqa: ANN001
    assert ents(nlp, "what is zinc unicornium") == [("zinc unicornium", "ingredient", "")]


@pytest.mark.parametrize(("text", "age"), [
    ("can a 13-year-old use it", "13-year-old"), ("my 12 year old son", "12 year old"), ("ok for a 15yo?", "15yo"),
    ("for a fifteen year old", "fifteen year old"), ("my 9 yrs old", "9 yrs old"), ("a 15 y/o", "15 y/o"),
    ("girls aged 14", "aged 14"), ("my 18 month old", "18 month old"), ("a 6-week-old", "6-week-old"),
    ("is it ok for 11-year-olds", "11-year-olds"), ("serums for 14 year olds", "14 year olds"),
    ("can I start using it at 14?", "at 14?"), ("is a peel too harsh at 12, or fine", "at 12,"),
])
def test_a_childs_age_names_the_child_life_stage(nlp, text: str, age: str) -> None:  # noqa: ANN001
    assert ents(nlp, text) == [(age, "life_stage", "child")]


@pytest.mark.parametrize("text", ["i'm 35 years old", "i am 18 years old", "aged 30", "a 40-year-old woman",
                                  "creams for 30-year-olds", "can I use it at 25?", "apply it at 10 pm",
                                  "a toner at 15%?", "at 9 in the evening, is that ok?"])
def test_an_adults_age_names_no_life_stage(nlp, text: str) -> None:  # noqa: ANN001
    assert ents(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i'm allergic to milk", [("milk", "allergen", "milk protein")]),  # the word, as the training data marks it
        ("im alergic to cows milk", [("cows milk", "allergen", "milk protein")]),
        ("i have an allergy to cow's milk and oily skin",
         [("cow's milk", "allergen", "milk protein"), ("oily skin", "skin_type", "oily")]),
        ("im allergic to milk, can i use milk exosomes",
         [("milk", "allergen", "milk protein"), ("milk exosomes", "ingredient", "milk exosomes")]),
        ("i'm allergic to milk protein", [("milk protein", "allergen", "milk protein")]),
        ("is milk good for my skin", []),  # without the cue, milk is no allergen
        # The ingredient's name wins over a profile phrase ending in its first word: these are about the ingredient.
        ("i'm allergic to milk exosomes", [("milk exosomes", "ingredient", "milk exosomes")]),
        ("i react to milk exosomes", [("milk exosomes", "ingredient", "milk exosomes")]),
        ("intolerant to milk exosomes?", [("milk exosomes", "ingredient", "milk exosomes")]),
    ],
)
def test_an_allergy_phrase_names_the_allergen_but_never_eats_an_ingredients_name(nlp, text: str, expected) -> None:  # noqa: ANN001
    assert ents(nlp, text) == expected


def test_saved_pipeline_loads_by_path(nlp, tmp_path: Path) -> None:  # noqa: ANN001
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert ents(loaded, "are milk exosomes vegan") == ents(nlp, "are milk exosomes vegan")
    assert ents(loaded, "i'm allergic to milk") == ents(nlp, "i'm allergic to milk") == [
        ("milk", "allergen", "milk protein")]
