"""vocabulary.yml's cued allergens: words that name an allergen only after an allergy cue, checked when loaded."""

from __future__ import annotations

import pytest

from knowledge.vocabulary import VocabularyError, load_vocabulary, parse_vocabulary

BASE = {"allergen": {"milk protein": ["milk protein", "dairy"]}}


def test_the_real_vocabulary_names_milk_after_an_allergy_cue() -> None:
    vocabulary = load_vocabulary()
    assert "allergic to" in vocabulary.allergy_cues
    assert "milk" in vocabulary.cued_allergens["milk protein"]


def test_cues_and_terms_are_read() -> None:
    section = {"cues": ["allergic to "], "terms": {"milk protein": ["milk"]}}
    vocabulary = parse_vocabulary({**BASE, "cued_allergens": section})
    assert vocabulary.allergy_cues == ("allergic to",) and vocabulary.cued_allergens == {"milk protein": ("milk",)}


@pytest.mark.parametrize(("section", "message"), [
    ({"cues": "allergic to", "terms": {}}, r"cued_allergens\.cues: expected a list"),
    ({"cues": [], "terms": {"peanut": ["nut"]}}, r"cued_allergens\.terms\.peanut: not an allergen value"),
    ({"cues": [], "terms": {"milk protein": "milk"}}, r"cued_allergens\.terms\.milk protein: expected a list"),
    ({"cue": []}, "expected a mapping with 'cues'"),
])
def test_a_malformed_section_names_where_and_what_was_expected(section: dict, message: str) -> None:
    with pytest.raises(VocabularyError, match=message):
        parse_vocabulary({**BASE, "cued_allergens": section})
