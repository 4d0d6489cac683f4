"""Build the spaCy entity pipeline from the knowledge store and save it where Rasa's SpacyNLP loads it.

`python -m bot.nlp.build_pipeline [--out build/spacy_pipeline]` (run by `make kb`). The pipeline is a blank
English tokenizer plus one entity ruler whose patterns are generated from the store: ingredient names,
synonyms and misspellings (labelled `ingredient`, id = the ingredient's display name), the controlled
vocabulary (skin types, diets, life stages, allergens, skin conditions; id = normalised value), names of
common ingredients that have no profile, and a generic pattern for ingredient-like names; then the
`substance_names` component (bot.nlp.substance_names) with every substance name of the EU annex layer
(INCI, chemical and identified-ingredient names in their common spellings; id = the name as a reply says
it, looked up normalised).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from bot.nlp.cued_terms import FACTORY as CUED_FACTORY
from bot.nlp.patterns import (
    TermSet,
    chemical_name_patterns,
    child_age_patterns,
    family_patterns,
    not_entity_patterns,
    qualified_name_patterns,
    substance_names,
    term_patterns,
    unprofiled_ingredient_patterns,
)
from bot.nlp.substance_names import FACTORY
from bot.nlp.typo_tolerant_ruler import FACTORY as RULER_FACTORY
from knowledge.annexes.queries import annex_terms
from knowledge.queries import KnowledgeStoreUnavailable, ingredient_terms
from knowledge.vocabulary import TERM_KINDS, Vocabulary, load_other_ingredient_names, load_vocabulary

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "build" / "spacy_pipeline"
INGREDIENT_LABEL = "ingredient"
#: The entity ruler's name in the pipeline (its factory: bot.nlp.typo_tolerant_ruler).
RULER = "entity_ruler"


#: The life stage a child's age ("my 13-year-old") names: (entity type, normalised value of the vocabulary).
CHILD_LIFE_STAGE = ("life_stage", "child")
#: Kinds matched exactly: a typo-tolerant "retinoid" would swallow "retinol", an ingredient name.
EXACT_KINDS = ("medicine",)


def vocabulary_term_sets(vocabulary: Vocabulary) -> list[TermSet]:
    """One term set per normalised vocabulary value, labelled with its kind."""
    return [
        TermSet(label=kind, value=value, forms=forms, fuzzy=kind not in EXACT_KINDS)
        for kind in TERM_KINDS
        for value, forms in vocabulary.surface_forms(kind).items()
    ]


def build_pipeline(
    profiled: Iterable[TermSet], vocabulary: Vocabulary, other_ingredient_names: Iterable[str],
    listed_names: Iterable[str] = (),
) -> Language:
    """A blank English pipeline: an entity ruler for every word the store knows, then the listed substances."""
    nlp = spacy.blank("en")
    profiled = list(profiled)
    profiled_forms = {form.lower() for term_set in profiled for form in term_set.forms}
    vocabulary_sets = vocabulary_term_sets(vocabulary)
    # A medicine in the vocabulary (tretinoin) is a medicine even if the list of other ingredients has it.
    medicine_forms = {form.lower() for t in vocabulary_sets if t.label == "medicine" for form in t.forms}
    others = [
        TermSet(label=INGREDIENT_LABEL, value=name.lower(), forms=(name,), fuzzy=False)
        for name in other_ingredient_names
        if name.lower() not in profiled_forms | medicine_forms
    ]
    # Words of profiled names never start an "unprofiled ingredient" match, so "milk exosomes" is
    # always the profiled ingredient while "plant exosomes" is recognised as one we don't know.
    profiled_words = {t.lower_ for form in profiled_forms for t in nlp.make_doc(form)}
    # Profiled names first: when two patterns cover the same words, the ruler keeps the earlier one.
    patterns = term_patterns(nlp, profiled, vocabulary.fuzzy_exclusions)
    patterns += term_patterns(nlp, vocabulary_sets, vocabulary.fuzzy_exclusions)
    patterns += term_patterns(nlp, others)
    if CHILD_LIFE_STAGE[1] in vocabulary.values(CHILD_LIFE_STAGE[0]):
        patterns += child_age_patterns(*CHILD_LIFE_STAGE)
    patterns += unprofiled_ingredient_patterns(INGREDIENT_LABEL, profiled_words)
    known_words = {t.lower_ for t_set in [*vocabulary_sets, *others] for form in t_set.forms
                   for t in nlp.make_doc(form)}
    patterns += chemical_name_patterns(INGREDIENT_LABEL, profiled_words, known_words | profiled_words)
    patterns += family_patterns(INGREDIENT_LABEL, [t.value for t in profiled])
    patterns += not_entity_patterns(nlp, vocabulary.not_entities)
    # Thousands of listed substance names: exact token sequences in their own light component (after the
    # ruler, which keeps profiled names, vocabulary words and longer matches).
    vocabulary_forms = {form.lower() for t in vocabulary_sets for form in t.forms}
    listed = substance_names(nlp, listed_names, profiled_forms | vocabulary_forms)
    patterns += qualified_name_patterns(INGREDIENT_LABEL, [
        *(" ".join(tokens) for tokens, _ in listed), *(t.value for t in others), *profiled_forms])
    # spaCy's entity ruler, with the typo-tolerant (FUZZY) patterns run only where a token nearly matches.
    # An ingredient's name wins over a profile phrase that ends inside it ("allergic to milk" in "allergic to milk
    # exosomes").
    ruler = nlp.add_pipe(RULER_FACTORY, name=RULER, config={"validate": True, "overwrite_ents": True,
                                                            "name_label": INGREDIENT_LABEL})
    ruler.add_patterns(patterns)
    # Words that are an allergen only after an allergy cue ("allergic to milk"), where the ruler found nothing.
    nlp.add_pipe(CUED_FACTORY, config={"label": "allergen"}).add(
        [tuple(t.lower_ for t in nlp.make_doc(cue)) for cue in vocabulary.allergy_cues],
        [(tuple(t.lower_ for t in nlp.make_doc(word)), value)
         for value, words in vocabulary.cued_allergens.items() for word in words])
    nlp.add_pipe(FACTORY, config={"label": INGREDIENT_LABEL}).add(listed)
    return nlp


def pipeline_digest(nlp: Language) -> str:
    """A hash of everything the pipeline recognises: unchanged, the Rasa model need not be retrained."""
    listed = nlp.get_pipe(FACTORY)
    content = {"components": [[name, nlp.get_pipe_meta(name).factory] for name in nlp.pipe_names],
               "ruler_names": getattr(nlp.get_pipe(RULER), "name_label", None),
               "patterns": nlp.get_pipe(RULER).patterns,
               "listed": sorted([list(tokens), value] for tokens, value in listed.items()),
               "cued": _cued_items(nlp)}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _cued_items(nlp: Language) -> list[Any]:
    if CUED_FACTORY not in [nlp.get_pipe_meta(name).factory for name in nlp.pipe_names]:
        return []
    cues, terms = nlp.get_pipe(CUED_FACTORY).items()
    return [[list(cue) for cue in cues], sorted([list(tokens), value] for tokens, value in terms)]


def store_term_sets() -> list[TermSet]:
    """Every profiled ingredient's names, synonyms and misspellings, from the knowledge store."""
    return [
        TermSet(label=INGREDIENT_LABEL, value=terms.name, forms=(terms.name, *terms.terms))
        for terms in ingredient_terms()
    ]


def main(argv: list[str] | None = None) -> int:
    """Command line: build from the store (SKINCARE_DB_URL) and save to --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, help="folder to save the pipeline to")
    args = parser.parse_args(argv)
    try:
        profiled = store_term_sets()
        substances = [term.name for term in annex_terms()]
    except KnowledgeStoreUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    nlp = build_pipeline(profiled, load_vocabulary(), load_other_ingredient_names(), substances)
    patterns = nlp.get_pipe(RULER).patterns
    digest = pipeline_digest(nlp)
    digest_file = args.out.with_name(args.out.name + ".sha256")
    unchanged = args.out.is_dir() and digest_file.exists() and digest_file.read_text().strip() == digest
    if unchanged:
        # Left untouched, so `make` sees no change and does not retrain the Rasa model.
        print(f"spaCy pipeline: unchanged ({len(patterns)} patterns, {len(nlp.get_pipe(FACTORY))} listed names) "
              f"at {args.out}")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    digest_file.write_text(digest + "\n")
    print(f"spaCy pipeline: {len(profiled)} profiled ingredient(s), {len(substances)} listed substance name(s) "
          f"in {len(nlp.get_pipe(FACTORY))} spellings, {len(patterns)} patterns -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
