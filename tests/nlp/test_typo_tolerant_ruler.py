"""The typo-tolerant entity ruler finds what spaCy's entity_ruler finds with the same FUZZY patterns.

The reference is spaCy's own `entity_ruler` holding the generated patterns as written. Over every
vocabulary word and profiled name, each FUZZY word with one and two edits, and everyday English words
within a typo's distance of a vocabulary word (which must keep their meaning), both rulers find the same
candidate matches; the entities they keep differ only where spaCy's choice among equally long matches
at one start was the order of a Python set (see bot/nlp/typo_tolerant_ruler.py).
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
import spacy
import spacy_lookups_data
from spacy.language import Language
from spacy.matcher.levenshtein import levenshtein_compare
from spacy.tokens import Doc

from bot.nlp.build_pipeline import RULER, build_pipeline, pipeline_digest, store_term_sets
from bot.nlp.edits import deletions
from bot.nlp.typo_tolerant_ruler import FACTORY, FuzzySpec, NearMissIndex, TypoTolerantEntityRuler
from knowledge.vocabulary import load_other_ingredient_names, load_vocabulary
from tests.fixtures.store import make_store

RULER_CONFIG = {"validate": True, "overwrite_ents": True}


@pytest.fixture(scope="module")
def nlp(tmp_path_factory: pytest.TempPathFactory) -> Language:
    url = make_store(tmp_path_factory.mktemp("typo-ruler"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SKINCARE_DB_URL", url)
        profiled = store_term_sets()
    return build_pipeline(profiled, load_vocabulary(), load_other_ingredient_names())


@pytest.fixture(scope="module")
def reference(nlp: Language) -> Language:
    """spaCy's entity_ruler with the same patterns (the pipeline before this ruler)."""
    reference = spacy.blank("en")
    reference.add_pipe("entity_ruler", config=RULER_CONFIG).add_patterns(nlp.get_pipe(RULER).patterns)
    return reference


def _edits(word: str, rng: random.Random) -> set[str]:
    """Misspellings one edit away: every deletion and swap of neighbours, some substitutions and insertions."""
    found = {word[:i] + word[i + 1:] for i in range(len(word))}
    found |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    for i in range(len(word)):
        found.add(word[:i] + rng.choice("aeioustnrx") + word[i + 1:])
        found.add(word[:i] + rng.choice("aeioustnrx") + word[i:])
    found.discard(word)
    return found


def typo_phrases(ruler: TypoTolerantEntityRuler) -> list[str]:
    """Each FUZZY pattern's phrase, and the phrase with its FUZZY word misspelt by one and by two edits."""
    rng = random.Random(20261201)
    phrases: list[str] = []
    for _, pattern in ruler.typo_patterns():
        words = [next(iter(sorted(_words(spec)))) for spec in pattern if "OP" not in spec]
        phrases.append(" ".join(words))
        for position, spec in enumerate(s for s in pattern if "OP" not in s):
            if "FUZZY" not in json.dumps(spec):
                continue
            for word in sorted(_words(spec)):
                one = sorted(_edits(word, rng))
                two = sorted({t for w in rng.sample(one, min(4, len(one)))
                              for t in rng.sample(sorted(_edits(w, rng)), 2)})
                for typo in rng.sample(one, min(5, len(one))) + two:
                    phrases.append(" ".join([*words[:position], typo, *words[position + 1:]]))
    return phrases


def _words(spec: dict) -> list[str]:
    value = spec["LOWER"]
    if isinstance(value, str):
        return [value]
    inner = next(iter(v for k, v in value.items() if k.startswith("FUZZY")), value)
    return list(inner["IN"])


def english_near_misses(ruler: TypoTolerantEntityRuler, count: int = 30_000) -> list[str]:
    """Everyday English words (the most frequent `count`) that a FUZZY spec takes for a vocabulary word."""
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        probabilities = json.load(handle)
    frequent = sorted(probabilities, key=lambda w: (-probabilities[w], w))[:count]
    return [w for w in frequent if w.isalpha() and ruler._index.near_misses(w.lower())]  # noqa: SLF001


def corpus(nlp: Language) -> list[str]:
    ruler = nlp.get_pipe(RULER)
    vocabulary = load_vocabulary()
    forms = [form for pattern in ruler.patterns for form in [_phrase(pattern["pattern"])] if form]
    sentences = [f"is it ok for {form}?" for form in forms]
    sentences += [f"i have {phrase} and can i use it" for phrase in typo_phrases(ruler)]
    sentences += [f"my {word} is the problem" for word in english_near_misses(ruler)]
    sentences += [f"i am {word}" for word in sorted(vocabulary.fuzzy_exclusions)]
    return sentences


def _phrase(pattern: list[dict]) -> str:
    try:
        return " ".join(next(iter(sorted(_words(spec)))) for spec in pattern if "OP" not in spec)
    except (KeyError, TypeError, StopIteration):
        return ""


@pytest.fixture(scope="module")
def compared(nlp: Language, reference: Language) -> list[tuple[str, Doc, Doc, bool]]:
    """(text, our doc, spaCy's doc, whether a token was a near miss) for every text of the corpus."""
    ruler = nlp.get_pipe(RULER)
    return [(text, nlp(text), reference(text), bool(ruler.near_miss_patterns(nlp.make_doc(text))))
            for text in corpus(nlp)]


def test_the_ruler_finds_the_same_matches_as_spacys_entity_ruler(
    nlp: Language, reference: Language, compared: list
) -> None:
    ruler, spacy_ruler = nlp.get_pipe(RULER), reference.get_pipe("entity_ruler")
    assert len(compared) > 3000
    for text, ours, spacys, _ in compared:
        assert set(ruler.match(ours)) == set(spacy_ruler.match(spacys)), text
    assert sum(near for *_, near in compared) > 1000  # the FUZZY part was exercised, not only the exact one


def test_entities_are_spacys_except_the_order_of_equal_matches(reference: Language, compared: list) -> None:
    """Same spans always; a different label or id only where spaCy had an equally long match at the same
    start to choose from (it took them in set order; this ruler: exact before typo, then the first added)."""
    spacy_ruler = reference.get_pipe("entity_ruler")
    differing = 0
    for text, ours, spacys, _ in compared:
        assert [(e.start, e.end) for e in ours.ents] == [(e.start, e.end) for e in spacys.ents], text
        for mine, theirs in zip(ours.ents, spacys.ents, strict=True):
            if (mine.label_, mine.ent_id_) == (theirs.label_, theirs.ent_id_):
                continue
            differing += 1
            tied = {key for key, start, end in spacy_ruler.match(spacys) if (start, end) == (mine.start, mine.end)}
            assert {reference.vocab.strings[_key(mine)], reference.vocab.strings[_key(theirs)]} <= tied, text
    assert differing < len(compared) / 50  # ties are rare; each was checked above


def _key(span) -> str:  # noqa: ANN001 - spaCy Span
    return f"{span.label_}||{span.ent_id_}" if span.ent_id_ else span.label_


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("im pregnet", [("pregnet", "life_stage", "pregnancy")]),
        ("is milk exosoms ok", [("milk exosoms", "ingredient", "milk exosomes")]),
        ("i have sensitve skin", [("sensitve skin", "skin_type", "sensitive")]),
        ("i am breastfeding", [("breastfeding", "life_stage", "breastfeeding")]),
        ("does it cause sensitivity", []),  # a real word within two edits of "sensitive": excluded
        ("in the morning", []),
    ],
)
def test_typos_are_read_and_real_words_are_not(nlp: Language, text: str, expected: list) -> None:
    assert [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents] == expected


def test_an_exact_match_beats_a_typo_match_then_the_first_pattern_wins() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(FACTORY)
    ruler.add_patterns([
        {"label": "typo", "pattern": [{"LOWER": {"FUZZY1": {"IN": ["abcdefg"]}}}]},
        {"label": "first", "pattern": [{"LOWER": "abcdefh"}]},
        {"label": "second", "pattern": [{"LOWER": {"IN": ["abcdefh", "other"]}}]},
    ])
    assert [e.label_ for e in nlp("abcdefh").ents] == ["first"]
    assert [e.label_ for e in nlp("abcdefg").ents] == ["typo"]
    assert [e.label_ for e in nlp("abcdefx").ents] == ["typo"]
    assert [e.label_ for e in nlp("abcdexx").ents] == []


def test_near_miss_index_agrees_with_levenshtein_on_every_candidate() -> None:
    rng = random.Random(7)
    specs = [FuzzySpec(frozenset({"sensitive", "sensitives"}), 2, frozenset({"sensitivity"})),
             FuzzySpec(frozenset({"pregnant"}), 2, frozenset()), FuzzySpec(frozenset({"eczema"}), 1, frozenset()),
             FuzzySpec(frozenset({"retinoid"}), -1, frozenset())]
    index = NearMissIndex(specs, levenshtein_compare)
    words = [w for spec in specs for w in spec.words]
    texts = {t for w in words for t in deletions(w, 3)}
    texts |= {t for w in words for _ in range(200) for t in [_random_edits(w, rng, rng.randint(1, 3))]}
    texts |= {"sensitivity", "", "x", "pregnant", "0regnan7"}
    for text in sorted(texts):
        expected = tuple(n for n, spec in enumerate(specs) if spec.is_near_miss(text, levenshtein_compare))
        assert index.near_misses(text) == expected, text


def _random_edits(word: str, rng: random.Random, count: int) -> str:
    for _ in range(count):
        i = rng.randrange(len(word) + 1)
        operation = rng.choice("dis")
        if operation == "d" and word:
            word = word[:i] + word[i + 1:]
        elif operation == "i":
            word = word[:i] + rng.choice("abcdeéz9-") + word[i:]
        elif word:
            word = word[:i] + rng.choice("abcdeéz9-") + word[i + 1:]
    return word


def test_saved_like_spacys_ruler_and_loaded_by_path(nlp: Language, reference: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "ours")
    reference.to_disk(tmp_path / "spacys")
    saved = (tmp_path / "ours" / RULER / "patterns.jsonl").read_text()
    assert saved == (tmp_path / "spacys" / "entity_ruler" / "patterns.jsonl").read_text()
    loaded = spacy.load(tmp_path / "ours")
    assert isinstance(loaded.get_pipe(RULER), TypoTolerantEntityRuler)
    for text in ("im pregnet with dry skin", "are milk-exosomes vegan", "is sqalane ok"):
        assert [(e.start, e.end, e.label_, e.ent_id_) for e in loaded(text).ents] == \
            [(e.start, e.end, e.label_, e.ent_id_) for e in nlp(text).ents]


def test_digest_is_stable_and_names_the_ruler(nlp: Language, reference: Language) -> None:
    again = spacy.blank("en")
    again.add_pipe(FACTORY, name=RULER, config={**RULER_CONFIG, "name_label": "ingredient"}).add_patterns(
        nlp.get_pipe(RULER).patterns)
    again.add_pipe("cued_terms").add(*nlp.get_pipe("cued_terms").items())
    again.add_pipe("substance_names").add(nlp.get_pipe("substance_names").items())
    assert pipeline_digest(again) == pipeline_digest(nlp)
    plain = spacy.blank("en")
    plain.add_pipe("entity_ruler", config=RULER_CONFIG).add_patterns(nlp.get_pipe(RULER).patterns)
    plain.add_pipe("cued_terms").add(*nlp.get_pipe("cued_terms").items())
    plain.add_pipe("substance_names").add(nlp.get_pipe("substance_names").items())
    assert pipeline_digest(plain) != pipeline_digest(nlp)  # a pipeline saved with spaCy's ruler gets rebuilt


def test_doc_without_tokens() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe(FACTORY).add_patterns([{"label": "x", "pattern": [{"LOWER": {"FUZZY1": {"IN": ["abcdefg"]}}}]}])
    assert nlp(Doc(nlp.vocab, words=[])).ents == ()


def test_with_a_name_label_a_name_wins_over_a_phrase_ending_inside_it() -> None:
    patterns = [{"label": "allergen", "id": "milk protein", "pattern": "allergic to milk"},
                {"label": "ingredient", "id": "milk exosomes", "pattern": "milk exosomes"},
                {"label": "skin_type", "id": "dry", "pattern": "dry skin"}]

    def ruler(**config: object) -> Language:
        nlp = spacy.blank("en")
        nlp.add_pipe(FACTORY, config={**RULER_CONFIG, **config}).add_patterns(patterns)
        return nlp

    spacys = spacy.blank("en")
    spacys.add_pipe("entity_ruler", config=RULER_CONFIG).add_patterns(patterns)
    names_first = ruler(name_label="ingredient")
    for text, expected in [("allergic to milk exosomes", ["milk exosomes"]),
                           ("allergic to milk and dry skin", ["allergic to milk", "dry skin"]),
                           ("allergic to milk, milk exosomes ok", ["allergic to milk", "milk exosomes"])]:
        assert [e.text for e in names_first(text).ents] == expected
    for text in ("allergic to milk exosomes", "allergic to milk, milk exosomes ok"):  # without it: spaCy's rule
        assert [e.text for e in ruler()(text).ents] == [e.text for e in spacys(text).ents]
