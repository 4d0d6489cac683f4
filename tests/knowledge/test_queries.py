"""The read side: every fact of the milk exosomes source document is in the store and comes back through
find_ingredient, names are found however people spell them, and a missing store is a clear error.
Store tests run against SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.facts import EvidenceState, IngredientFacts, Likelihood, SourceRef, SuitabilityVerdict, UsageTopic
from knowledge.queries import (
    IngredientNames,
    KnowledgeStoreUnavailable,
    afind_ingredient,
    alist_ingredients,
    check_store,
    find_ingredient,
    first_ingredients,
    ingredient_terms,
    ingredients_ending_in,
    list_ingredients,
)
from knowledge.schema import normalize_term, read_profile
from knowledge.vocabulary import INGREDIENT_NAMES_PATH, load_other_ingredient_names
from tests.fixtures.store import BACKEND_PARAMS, REAL_PROFILES, TEST_PROFILES, backend_store, postgres_store

SOURCE_TITLE = "What Is Milk Exosomes? ingredient profile"
SECTIONS = (
    "What Is Milk Exosomes?", "Cosmetic Benefits/Uses", "Who Can Use Milk Exosomes",
    "Potential Side Effects/Adverse Reactions", "Comedogenic Rating", "Summary",
)


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store holding the real profile and the fictional test profile, on each backend."""
    with backend_store(request.param, tmp_path_factory.mktemp("store")) as url:
        yield url


@pytest.fixture(scope="module")
def milk(store: str) -> IngredientFacts:
    facts = find_ingredient("milk exosomes", store)
    assert facts is not None
    return facts


def section(name: str) -> SourceRef:
    return SourceRef(title=SOURCE_TITLE, section=name, url=None)


# --- every fact of the source document ---------------------------------------------------------------


def test_identity_and_names(milk: IngredientFacts) -> None:
    assert (milk.name, milk.slug, milk.inci_name) == ("milk exosomes", "milk-exosomes", "Bovine Milk Exosomes")
    assert {"milk-derived exosomes", "milk extracellular vesicles"} <= set(milk.synonyms)
    assert "exosomes" not in milk.synonyms  # a bare family word: other exosomes exist
    assert {"milk exosoms", "milk exozomes", "milk exsosomes", "milk exosome"} <= set(milk.misspellings)


def test_what_it_is(milk: IngredientFacts) -> None:
    what = section("What Is Milk Exosomes?")
    assert "lipids and proteins" in milk.description.text
    assert "cows and of other mammals" in milk.origin.text
    assert all(word in milk.contents.text for word in ("amino acids", "vitamins", "signals"))
    assert "late 1980s" in milk.history.text and "nutrients to the skin" in milk.history.text
    assert all(word in milk.manufacturing.text for word in ("fresh", "high speed", "fat and debris", "filters"))
    assert "lightweight, water-based" in milk.form.text and "hydrating ingredients and oils" in milk.form.text
    assert {f.source for f in (milk.description, milk.origin, milk.contents, milk.history, milk.manufacturing,
                               milk.form)} == {what}


def test_product_types(milk: IngredientFacts) -> None:
    assert milk.product_types == (
        "sheet masks", "anti-ageing serums", "rich moisturisers", "soothing after-sun treatments",
    )
    assert milk.product_types_source == section("What Is Milk Exosomes?")


def test_cosmetic_functions(milk: IngredientFacts) -> None:
    functions = {f.name: f for f in milk.functions}
    assert set(functions) == {"emollient", "skin conditioning"}
    assert "lipid shell" in functions["emollient"].explanation
    assert "moisture" in functions["emollient"].explanation and "supple" in functions["emollient"].explanation
    assert "barrier" in functions["skin conditioning"].explanation
    assert "tone and resilience" in functions["skin conditioning"].explanation
    assert {f.source for f in milk.functions} == {section("Cosmetic Benefits/Uses")}


def test_skin_type_verdicts(milk: IngredientFacts) -> None:
    verdicts = {s.skin_type: s.verdict for s in milk.skin_types}
    suitable = SuitabilityVerdict.SUITABLE
    tolerated = SuitabilityVerdict.GENERALLY_TOLERATED
    assert verdicts == {"dry": suitable, "normal": suitable, "combination": suitable, "sensitive": suitable,
                        "mature": suitable, "oily": tolerated, "acne-prone": tolerated}
    assert "greasy film" in milk.skin_type("oily").reason
    assert {s.source for s in milk.skin_types} == {section("Who Can Use Milk Exosomes")}


def test_diets(milk: IngredientFacts) -> None:
    # The source: vegans and vegetarians "may choose to avoid" it.
    expected = {"vegan": SuitabilityVerdict.CAUTION, "vegetarian": SuitabilityVerdict.CAUTION}
    for diet in ("vegan", "vegetarian"):
        verdict = milk.diet(diet)
        assert verdict.verdict is expected[diet]
        assert "cow milk" in verdict.reason
        assert verdict.alternative is None  # no plant-based or synthetic version exists
        assert verdict.source == section("Who Can Use Milk Exosomes")


def test_life_stages(milk: IngredientFacts) -> None:
    for stage in ("pregnancy", "breastfeeding"):
        advice = milk.life_stage(stage)
        assert advice.evidence is EvidenceState.NO_KNOWN_RISK
        assert "no evidence" in advice.summary
        assert "ask a healthcare professional" in advice.advice
        assert advice.source == section("Who Can Use Milk Exosomes")


def test_sun(milk: IngredientFacts) -> None:
    assert milk.sun.increases_photosensitivity is False
    assert "sunscreen" in milk.sun.daytime_advice
    assert milk.sun.source == section("Who Can Use Milk Exosomes")
    daytime = milk.usage_advice(UsageTopic.DAYTIME_USE)
    assert "sunscreen" in daytime.advice


def test_milk_protein_allergy(milk: IngredientFacts) -> None:
    allergy = milk.allergen("milk protein")
    assert allergy.verdict is SuitabilityVerdict.CAUTION
    assert "trace" in allergy.reason.lower() and "altogether" in allergy.reason
    assert allergy.source == section("Who Can Use Milk Exosomes")


def test_side_effects(milk: IngredientFacts) -> None:
    effects = {s.name: s for s in milk.side_effects}
    assert {name: e.likelihood for name, e in effects.items()} == {
        "redness or mild stinging": Likelihood.UNCOMMON,
        "allergic response": Likelihood.RARE,
        "breakouts or clogged pores": Likelihood.UNLIKELY,
        "product spoilage": Likelihood.UNCOMMON,
    }
    assert "compromised" in effects["redness or mild stinging"].at_risk
    assert "milk protein allergy" in effects["allergic response"].at_risk
    assert "too rich" in effects["breakouts or clogged pores"].at_risk
    assert "bacteria" in effects["product spoilage"].description
    overview = milk.side_effects_overview
    assert "person to the next" in overview.text and "uncommon" in overview.text
    side_effects_section = section("Potential Side Effects/Adverse Reactions")
    assert {e.source for e in milk.side_effects} == {side_effects_section} == {overview.source}
    on_reaction = milk.usage_advice(UsageTopic.ON_REACTION)
    assert "stop using" in on_reaction.advice and "qualified health professional" in on_reaction.advice
    assert on_reaction.source == side_effects_section


def test_comedogenic_rating(milk: IngredientFacts) -> None:
    rating = milk.comedogenic
    assert rating.rating == 1
    assert "water" in rating.rationale and "barrier oils" in rating.rationale and "low levels" in rating.rationale
    assert "acne-prone" in rating.note and "heavier ingredients" in rating.note
    assert rating.source == section("Comedogenic Rating")


def test_summary(milk: IngredientFacts) -> None:
    summary = section("Summary")
    assert "sheet masks, niche serums and calming creams" in milk.market_status.text
    assert "emerging" in milk.market_status.text and "mainstream" in milk.market_status.text
    assert "good tolerance and very low comedogenicity" in milk.tolerance.text
    assert "emollient and a skin conditioner" in milk.tolerance.text
    patch = milk.usage_advice(UsageTopic.PATCH_TEST)
    assert "patch test" in patch.advice and "more widely" in patch.advice
    assert {milk.market_status.source, milk.tolerance.source, patch.source} == {summary}


def test_every_fact_cites_a_section_of_the_source(milk: IngredientFacts) -> None:
    assert milk.sources == tuple(section(name) for name in SECTIONS)  # all six sections, document order
    cited = [f.source for f in (*milk.functions, *milk.skin_types, *milk.diets, *milk.life_stages, milk.sun,
                                *milk.allergens, *milk.side_effects, milk.comedogenic, *milk.usage)]
    assert set(cited) <= set(milk.sources)


def test_store_returns_exactly_what_the_profiles_say(store: str) -> None:
    for path in (REAL_PROFILES / "milk-exosomes.yml", TEST_PROFILES / "examplium-extract.yml"):
        expected = read_profile(path).facts
        assert find_ingredient(expected.slug, store) == expected


# --- nothing is hard-coded: the fictional ingredient answers differently ----------------------------------


def test_fictional_ingredient_has_its_own_verdicts(store: str) -> None:
    facts = find_ingredient("Examplium", store)
    assert facts.name == "examplium extract"
    assert facts.diet("vegan").verdict is SuitabilityVerdict.SUITABLE
    assert facts.skin_type("acne-prone").verdict is SuitabilityVerdict.AVOID
    assert facts.skin_type("normal") is None  # the profile does not cover it
    assert facts.life_stage("pregnancy").evidence is EvidenceState.LIMITED_EVIDENCE
    assert facts.life_stage("breastfeeding") is None
    assert facts.sun.increases_photosensitivity is True
    assert facts.comedogenic.rating == 3 and facts.comedogenic.note is None
    assert facts.history is None and facts.tolerance is None and facts.market_status is None
    assert facts.sources[0].url == "https://example.invalid/examplium"


# --- finding an ingredient by any of its names --------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["milk exosomes", "Milk Exosomes", "MILK-EXOSOMES", "  milk   exosomes  ", "milk-exosomes", "milk_exosomes",
     "Bovine Milk Exosomes", "bovine-milk exosomes", "milk-derived exosomes", "Milk derived exosomes",
     "milk extracellular vesicles", "milk exosoms", "milk exozomes", "Milk Exsosomes", "milk exosome",
     "milk exosomes?"],
)
def test_find_by_name_synonym_or_misspelling(store: str, typed: str) -> None:
    facts = find_ingredient(typed, store)
    assert facts is not None and facts.slug == "milk-exosomes"


@pytest.mark.parametrize("typed", ["snail mucin", "milk", "retinol", "", "   ", "exosomes milk", "milk exosomes x"])
def test_unknown_name_is_none(store: str, typed: str) -> None:
    assert find_ingredient(typed, store) is None


def test_list_ingredients_is_sorted_display_names(store: str) -> None:
    assert list_ingredients(store) == ["examplium extract", "milk exosomes"]


def test_a_few_names_and_the_count_and_the_members_of_a_family(store: str) -> None:
    assert first_ingredients(1, store) == IngredientNames(("examplium extract",), 2)
    assert first_ingredients(1, store).more == 1
    assert first_ingredients(10, store) == IngredientNames(("examplium extract", "milk exosomes"), 2)
    assert ingredients_ending_in("exosome", 10, store) == ["milk exosomes"]
    assert ingredients_ending_in("EXTRACT", 10, store) == ["examplium extract"]
    assert ingredients_ending_in("exosome_", 10, store) == [] == ingredients_ending_in("%", 10, store)


def test_ingredient_terms_for_the_pipeline_builder(store: str) -> None:
    terms = {t.slug: t for t in ingredient_terms(store)}
    milk = terms["milk-exosomes"]
    assert milk.name == "milk exosomes" and milk.inci_name == "Bovine Milk Exosomes"
    assert milk.terms[0] == "milk exosomes"
    assert {"Bovine Milk Exosomes", "milk-derived exosomes", "milk exozomes"} <= set(milk.terms)
    assert "examplium" in terms["examplium-extract"].terms


def test_async_variants(store: str) -> None:
    async def ask() -> tuple[IngredientFacts | None, IngredientFacts | None, list[str]]:
        return await asyncio.gather(
            afind_ingredient("milk exozomes", store), afind_ingredient("snail mucin", store), alist_ingredients(store)
        )

    found, unknown, names = asyncio.run(ask())
    assert found is not None and found.comedogenic.rating == 1
    assert unknown is None
    assert names == ["examplium extract", "milk exosomes"]


# --- a store that is not there ------------------------------------------------------------------------------


def test_missing_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'absent.sqlite'}"
    with pytest.raises(KnowledgeStoreUnavailable, match="make kb"):
        find_ingredient("milk exosomes", url)
    with pytest.raises(KnowledgeStoreUnavailable, match="make kb"):
        list_ingredients(url)
    assert not (tmp_path / "absent.sqlite").exists()  # the query did not create an empty database


def test_sqlite_file_without_tables(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).close()
    with pytest.raises(KnowledgeStoreUnavailable, match=r"cannot be read \(no such table.*make kb"):
        ingredient_terms(f"sqlite:///{path}")


def test_async_variant_raises_unavailable_too(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeStoreUnavailable):
        asyncio.run(afind_ingredient("milk exosomes", f"sqlite:///{tmp_path / 'absent.sqlite'}"))


@pytest.mark.postgres
def test_postgres_schema_without_tables() -> None:
    with postgres_store(profile_dirs=None) as url, pytest.raises(KnowledgeStoreUnavailable, match="make kb"):
        find_ingredient("milk exosomes", url)


# --- names of other ingredients (no facts) ------------------------------------------------------------------


def test_other_ingredient_names_list(store: str) -> None:
    names = load_other_ingredient_names(INGREDIENT_NAMES_PATH)
    assert len(names) >= 180
    assert {"retinol", "niacinamide", "hyaluronic acid", "snail mucin", "bakuchiol", "squalane", "salicylic acid",
            "vitamin c", "ceramides", "centella asiatica", "tea tree oil"} <= set(names)
    assert len({normalize_term(n) for n in names}) == len(names)  # no repeats
    profiled = [n for n in names if find_ingredient(n, store) is not None]
    assert profiled == [], "these have a profile and must not be listed as unprofiled names"


def test_the_readiness_check_counts_ingredients_and_refuses_an_empty_or_missing_store(store: str, tmp_path: Path):
    assert check_store(store) == len(list_ingredients(store)) >= 2
    from knowledge.loader import load_profiles

    (tmp_path / "no-profiles").mkdir()
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    load_profiles([tmp_path / "no-profiles"], empty)  # the tables, without a profile
    with pytest.raises(KnowledgeStoreUnavailable, match="no ingredients"):
        check_store(empty)
    with pytest.raises(KnowledgeStoreUnavailable, match="make kb"):
        check_store(f"sqlite:///{tmp_path / 'never-built.sqlite'}")
