"""Real words the spelling corrector must leave alone, in all six languages.

The corrector reads a token one typo away from a symptom keyword as that keyword ("swolen" ->
"swollen"), but many real words are one typo away too ("heard" / "heart", "beach" / "bleach", "bathing" /
"breathing"). bot/safety/data/real_words.txt lists every word of the spaCy lemma lookup tables
(spacy-lookups-data, for en, es, fr, de, it, pt) and of spaCy's stop-word lists that the corrector would
otherwise change. Loading the
tables and checking a million words takes minutes, so the list is made once and committed, with a
fingerprint of the keywords it was made for; rebuild it after changing the phrase rules or keywords (a
test fails while it is out of date):

    .venv/bin/python -m bot.safety.real_words
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from bot.safety.text_normal import SpellingCorrector

LIST_PATH = Path(__file__).resolve().parent / "data" / "real_words.txt"
LANGUAGES = ("en", "es", "fr", "de", "it", "pt")


def keywords_digest(keywords: frozenset[str]) -> str:
    """A fingerprint of the keywords the list was made for (written on its first line)."""
    return hashlib.sha256("\n".join(sorted(keywords)).encode()).hexdigest()


def load() -> frozenset[str]:
    """The committed list (empty if it has not been built yet)."""
    if not LIST_PATH.exists():
        return frozenset()
    lines = LIST_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def built_for() -> str:
    """The keywords digest the committed list was made for ("" if none)."""
    if not LIST_PATH.exists():
        return ""
    first = LIST_PATH.read_text(encoding="utf-8").split("\n", 1)[0]
    return first.removeprefix("# keywords sha256: ") if first.startswith("# keywords sha256: ") else ""


def lookup_words() -> set[str]:
    """Every word form and lemma in the lemma lookup tables of the supported languages, and spaCy's stop words
    for them (the tables leave out most function words: "gegen", "while")."""
    import importlib

    import spacy_lookups_data  # a development dependency: only needed to rebuild the list

    from bot.safety.text_normal import fold

    data = Path(spacy_lookups_data.__file__).resolve().parent / "data"
    words: set[str] = set()
    for lang in LANGUAGES:
        with gzip.open(data / f"{lang}_lemma_lookup.json.gz", "rt", encoding="utf-8") as handle:
            table = json.load(handle)
        for form, lemmas in table.items():
            for word in (form, *(lemmas if isinstance(lemmas, list) else [lemmas])):
                folded = fold(word)
                if folded.isalpha() and folded.isascii():
                    words.add(folded)
        stop_words = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
        words.update(folded for word in stop_words if (folded := fold(word)).isalpha() and folded.isascii())
    return words


def build(keywords: frozenset[str]) -> list[str]:
    """The real words a corrector with these keywords (and no list) would change, sorted."""
    corrector = SpellingCorrector(keywords)
    longest = max(map(len, keywords)) + 2
    initials = {keyword[0] for keyword in keywords}
    return sorted(word for word in lookup_words()
                  if 5 <= len(word) <= longest and word[0] in initials and corrector.correct(word) != word)


def main() -> int:
    """Rebuild bot/safety/data/real_words.txt from the detector's current keywords."""
    from bot.safety.emergency import corrector_keywords

    keywords = corrector_keywords()
    words = build(keywords)
    LIST_PATH.write_text(f"# keywords sha256: {keywords_digest(keywords)}\n" + "\n".join(words) + "\n",
                         encoding="utf-8")
    print(f"wrote {len(words)} words to {LIST_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
