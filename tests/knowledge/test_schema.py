"""Profile validation: every mistake a person can make in a profile gets a message naming the file, the
field and what was expected, and the real profile passes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.facts import SuitabilityVerdict
from knowledge.loader import read_profiles
from knowledge.profile_reader import ProfileError
from knowledge.schema import InciNameStatus, normalize_term, read_profile
from tests.fixtures.store import REAL_PROFILES, TEST_PROFILES

FICTIONAL = TEST_PROFILES / "examplium-extract.yml"


def fictional_document() -> dict[str, Any]:
    return yaml.safe_load(FICTIONAL.read_text(encoding="utf-8"))


def write_profile(folder: Path, document: dict[str, Any], name: str = "broken.yml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def error_for(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> str:
    """The ProfileError message for the fictional profile after ``mutate``."""
    document = copy.deepcopy(fictional_document())
    mutate(document)
    path = write_profile(tmp_path, document)
    with pytest.raises(ProfileError) as caught:
        read_profile(path)
    message = str(caught.value)
    assert "broken.yml" in message, message  # every message names the file
    return message


def test_real_and_fictional_profiles_are_valid() -> None:
    profiles = read_profiles([REAL_PROFILES, TEST_PROFILES])
    assert {p.slug for p in profiles} == {"milk-exosomes", "examplium-extract"}


def test_real_profile_labels_its_inci_name_as_inci_style() -> None:
    profile = read_profile(REAL_PROFILES / "milk-exosomes.yml")
    assert profile.inci_name_status is InciNameStatus.INCI_STYLE
    assert profile.facts.inci_name


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("name: examplium\nslug: [unclosed\ninci_name: X\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        read_profile(path)
    message = str(caught.value)
    assert "broken.yml" in message and "YAML syntax error" in message
    assert "line 4" in message or "line 3" in message


def test_key_given_twice_is_an_error_not_silently_overwritten(tmp_path: Path) -> None:
    text = FICTIONAL.read_text(encoding="utf-8").replace("slug: examplium-extract", "slug: examplium-extract\nslug: x")
    path = tmp_path / "broken.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"broken\.yml: line \d+.*found the key 'slug' twice"):
        read_profile(path)


def test_unknown_top_level_field_suggests_the_right_one(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d.update(synonym=["x"]))
    assert "broken.yml: synonym: unknown field 'synonym'" in message
    assert "did you mean 'synonyms'?" in message


def test_unknown_nested_field_names_its_path(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d["skin_types"][1].update(verdcit="caution"))
    assert "skin_types[1].verdcit: unknown field 'verdcit'" in message
    assert "did you mean 'verdict'?" in message


def test_missing_required_field(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d.pop("description"))
    assert "broken.yml: description: missing required field; add `description:`" in message


def test_missing_nested_required_field(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d["side_effects"][0].pop("likelihood"))
    assert "side_effects[0].likelihood: missing required field" in message


def test_verdict_outside_the_fixed_set(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d["skin_types"][2].update(verdict="great"))
    assert (
        "broken.yml: skin_types[2].verdict: expected one of suitable, generally_tolerated, caution, avoid; "
        "got 'great'"
    ) in message


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("evidence", "safe", "no_known_risk, limited_evidence, known_risk"),
        ("likelihood", "sometimes", "rare, unlikely, uncommon, common"),
        ("topic", "storage", "patch_test, on_reaction, daytime_use"),
    ],
)
def test_other_fixed_value_sets(tmp_path: Path, field: str, value: str, allowed: str) -> None:
    section = {"evidence": "life_stages", "likelihood": "side_effects", "topic": "usage"}[field]
    message = error_for(tmp_path, lambda d: d[section][0].update({field: value}))
    assert f"{section}[0].{field}: expected one of {allowed}; got '{value}'" in message


@pytest.mark.parametrize("rating", [6, -1, "1", 1.5, True, None])
def test_comedogenic_rating_must_be_an_integer_from_0_to_5(tmp_path: Path, rating: object) -> None:
    message = error_for(tmp_path, lambda d: d["comedogenic"].update(rating=rating))
    assert f"comedogenic.rating: expected a whole number from 0 to 5; got {rating!r}" in message


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [("skin_types", "skin_type", "greasy"), ("diets", "diet", "keto"),
     ("life_stages", "life_stage", "pregnant"), ("allergens", "allergen", "dairy")],
)
def test_vocabulary_values_must_be_normalised(tmp_path: Path, kind: str, field: str, value: str) -> None:
    # "greasy", "pregnant", "dairy" are surface forms people type, not the normalised values.
    message = error_for(tmp_path, lambda d: d[kind][0].update({field: value}))
    assert f"{kind}[0].{field}: expected a normalised" in message
    assert "knowledge/vocabulary.yml" in message and repr(value) in message


def test_unknown_source_id(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d["diets"][0]["source"].update(id="wikipedia"))
    assert "diets[0].source.id: unknown source 'wikipedia' (declared: fixture)" in message


def test_unknown_source_section(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d["functions"][0]["source"].update(section="Benefits"))
    assert "functions[0].source.section: expected a section of source 'fixture'" in message
    assert "got 'Benefits'" in message


def test_missing_source(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d["sun"].pop("source"))
    assert "sun.source: missing required field" in message


def test_sources_must_be_declared(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d.pop("sources"))
    assert "sources: missing required field" in message
    assert "unknown source 'fixture' (declared: none declared)" in message


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(synonyms="examplium"), "synonyms: expected a non-empty list; got text"),
        (lambda d: d["sun"].update(increases_photosensitivity="sometimes"),
         "sun.increases_photosensitivity: expected true or false; got 'sometimes'"),
        (lambda d: d["description"].update(text=42), "description.text: expected non-empty text; got a number"),
        (lambda d: d.update(skin_types={"dry": "suitable"}), "skin_types: expected a non-empty list; got a mapping"),
        (lambda d: d.update(product_types=["toners"]), "product_types: expected a mapping"),
        (lambda d: d.update(slug="Examplium Extract"), "slug: expected lowercase words joined by hyphens"),
        (lambda d: d.update(name=""), "name: expected non-empty text; got text"),
    ],
)
def test_wrong_types(tmp_path: Path, mutate: Callable[[dict[str, Any]], None], expected: str) -> None:
    assert expected in error_for(tmp_path, mutate)


def test_same_skin_type_twice(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d["skin_types"].append(dict(d["skin_types"][0])))
    assert "skin_types[4].skin_type: 'dry' is listed twice" in message


def test_synonym_repeating_a_name_after_normalising(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d["misspellings"].append("Examplium  Extract"))
    assert "misspellings[2]: 'Examplium Extract' repeats name" in message


def test_medical_claim_wording_is_rejected(tmp_path: Path) -> None:
    message = error_for(tmp_path, lambda d: d["functions"][0].update(explanation="It heals dry patches."))
    assert "functions[0].explanation: medical-claim wording 'heals'" in message


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    def several(d: dict[str, Any]) -> None:
        d["skin_types"][0]["verdict"] = "great"
        d["comedogenic"]["rating"] = 9
        d.pop("origin")

    message = error_for(tmp_path, several)
    assert message.startswith("3 problems in the knowledge profiles:")
    assert "skin_types[0].verdict" in message and "comedogenic.rating" in message and "origin" in message


def test_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"broken\.yml: \(top level\): expected a mapping"):
        read_profile(path)


def test_duplicate_slug_across_files(tmp_path: Path) -> None:
    document = fictional_document()
    document["name"] = "another extract"
    document["synonyms"] = []
    document["misspellings"] = []
    document["inci_name"] = "Another Extract"
    write_profile(tmp_path, document, "another.yml")
    with pytest.raises(ProfileError) as caught:
        read_profiles([TEST_PROFILES, tmp_path])
    message = str(caught.value)
    assert "another.yml: slug: duplicate slug 'examplium-extract', already used by" in message
    assert "examplium-extract.yml" in message


def test_name_claimed_by_two_ingredients(tmp_path: Path) -> None:
    document = fictional_document()
    document.update(slug="other-extract", name="other extract", inci_name="Other Extract", misspellings=[],
                    synonyms=["milk exosomes"])
    write_profile(tmp_path, document, "other.yml")
    with pytest.raises(ProfileError, match="'milk exosomes' also names 'milk exosomes'"):
        read_profiles([REAL_PROFILES, tmp_path])


def test_missing_profile_folder(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="profile folder not found"):
        read_profiles(tmp_path / "nope")


def test_verdicts_are_read_as_enum_members() -> None:
    facts = read_profile(FICTIONAL).facts
    assert facts.skin_type("acne-prone").verdict is SuitabilityVerdict.AVOID


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [("Milk-Exosomes", "milk exosomes"), ("  milk   exosomes ", "milk exosomes"), ("MILK_EXOSOMES?", "milk exosomes"),
     ("milk–exosomes", "milk exosomes")],
)
def test_normalize_term(typed: str, normalised: str) -> None:
    assert normalize_term(typed) == normalised
