"""One definition of a medical claim, checked in both directions on the claims corpus, at both places
that use it: the profile loader rejects a profile that makes a claim (naming file, field and words) and
the answer composer refuses to compose a reply that makes one; honest negatives and cosmetic wording
pass both."""

from __future__ import annotations

import copy
import dataclasses
import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.answers.answer import PersonProfile, Question
from bot.answers.composer import compose_answer
from bot.answers.topics import Topic
from bot.safety.claims import find_claims, treatment_claims
from knowledge.facts import IngredientFacts
from knowledge.loader import load_profiles
from knowledge.profile_reader import ProfileError
from knowledge.schema import read_profile, validate_profile
from knowledge.vocabulary import Vocabulary, load_vocabulary
from tests.fixtures.store import REAL_PROFILES, TEST_PROFILES

CORPUS = yaml.safe_load((Path(__file__).parent / "claims_corpus.yml").read_text(encoding="utf-8"))
CLAIMS: list[str] = CORPUS["claims"]
ALLOWED: list[str] = CORPUS["allowed"]
FICTIONAL = TEST_PROFILES / "examplium-extract.yml"


@functools.cache
def fictional_document() -> dict[str, Any]:
    return yaml.safe_load(FICTIONAL.read_text(encoding="utf-8"))


@functools.cache
def vocabulary() -> Vocabulary:
    return load_vocabulary()


@functools.cache
def fictional_facts() -> IngredientFacts:
    return read_profile(FICTIONAL).facts


def with_explanation(explanation: str) -> dict[str, Any]:
    """The fictional profile with its first function explained by ``explanation``."""
    document = copy.deepcopy(fictional_document())
    document["functions"][0]["explanation"] = explanation
    return document


def loader_rejects(sentence: str) -> bool:
    try:
        validate_profile(with_explanation(sentence), Path("corpus.yml"), vocabulary())
    except ProfileError as error:
        assert all("functions[0].explanation: medical-claim wording" in str(i) for i in error.issues), error
        return True
    return False


def composer_refuses(sentence: str) -> bool:
    facts = fictional_facts()
    function = dataclasses.replace(facts.functions[0], explanation=sentence)
    facts = dataclasses.replace(facts, functions=(function, *facts.functions[1:]))
    try:
        answer = compose_answer(facts, Question(Topic.BENEFITS), PersonProfile())
    except ValueError as error:
        assert "treatment claim" in str(error)
        return True
    assert sentence.rstrip(".")[1:] in answer.text  # the sentence really was in the reply we checked
    return False


def test_the_corpus_covers_both_directions() -> None:
    assert len(CLAIMS) >= 45 and len(ALLOWED) >= 35
    assert not set(CLAIMS) & set(ALLOWED)


@pytest.mark.parametrize("sentence", CLAIMS)
def test_every_claim_is_found(sentence: str) -> None:
    claims = find_claims(sentence)
    assert claims, f"not recognised as a medical claim: {sentence!r}"
    assert claims[0].words in sentence  # the offending words, as written
    assert treatment_claims(sentence) == [claims[0].sentence] and claims[0].sentence in sentence


@pytest.mark.parametrize("sentence", ALLOWED)
def test_cosmetic_wording_and_honest_negatives_are_allowed(sentence: str) -> None:
    assert find_claims(sentence) == [], f"cosmetic or negative sentence taken for a claim: {sentence!r}"


@pytest.mark.parametrize(("sentence", "is_claim"), [(s, True) for s in CLAIMS] + [(s, False) for s in ALLOWED])
def test_loader_and_composer_apply_the_same_definition(sentence: str, is_claim: bool) -> None:
    assert loader_rejects(sentence) is is_claim, "profile loader"
    assert composer_refuses(sentence) is is_claim, "answer composer"


def test_a_claim_in_any_sentence_of_a_longer_text_is_found() -> None:
    text = "It leaves no greasy film. It does not cure acne.\nIt isn't sticky, it relieves itching. It feels soft."
    assert treatment_claims(text) == ["It isn't sticky, it relieves itching."]


def test_loader_rejects_a_profile_with_a_claim_naming_file_field_and_words(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    document = copy.deepcopy(fictional_document())
    document["side_effects"][0]["description"] = "A brief tingling. It isn't harsh, it kills bacteria on contact."
    (folder / "claiming.yml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profiles(folder, f"sqlite:///{tmp_path / 'store.db'}")
    message = str(caught.value)
    assert "claiming.yml: side_effects[0].description: medical-claim wording 'kills bacteria'" in message
    assert "It isn't harsh, it kills bacteria on contact." in message  # the sentence, to find it
    assert "not a medicine" in message and "make kb" in message  # what to do about it
    assert not (tmp_path / "store.db").exists()  # nothing was written


def test_every_claim_in_a_profile_is_reported_at_once(tmp_path: Path) -> None:
    document = copy.deepcopy(fictional_document())
    document["functions"][0]["explanation"] = "It has anti-inflammatory properties."
    document["product_types"]["items"] = ["toners", "eczema treatments"]
    with pytest.raises(ProfileError) as caught:
        validate_profile(document, tmp_path / "two.yml", vocabulary())
    paths = {issue.path for issue in caught.value.issues}
    assert paths == {"functions[0].explanation", "product_types.items[1]"}


def test_real_and_fixture_profiles_pass_the_claims_guard() -> None:
    for folder in (REAL_PROFILES, TEST_PROFILES):
        for path in sorted(folder.glob("*.yml")):
            assert read_profile(path).facts.name  # raises ProfileError naming any claim


def test_composer_refuses_to_send_a_claim_that_bypassed_the_loader() -> None:
    facts = fictional_facts()
    claiming = dataclasses.replace(facts.functions[0], explanation="It isn't just a humectant, it treats eczema.")
    facts = dataclasses.replace(facts, functions=(claiming,))
    with pytest.raises(ValueError, match="treatment claim"):
        compose_answer(facts, Question(Topic.BENEFITS), PersonProfile())


def test_the_answer_to_a_cure_question_is_an_honest_negative_that_passes() -> None:
    facts = read_profile(REAL_PROFILES / "milk-exosomes.yml").facts
    answer = compose_answer(facts, Question(Topic.TREATMENT, skin_conditions=("eczema",)), PersonProfile())
    assert "cosmetic ingredient" in answer.text and "eczema" in answer.text
    assert treatment_claims(answer.full_text) == []
