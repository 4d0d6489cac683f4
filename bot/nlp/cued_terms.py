"""spaCy component: words that name a profile term only right after a cue ("allergic to milk").

"milk" on its own starts ingredient names ("milk exosomes") and food questions, so the vocabulary cannot make
it an allergen everywhere; after an allergy cue ("allergic to", "an allergy to") it is one. The entity is the
word itself, as the training data marks it ("allergic to [milk](allergen)"), never the cue. It runs after the
entity ruler and never takes words the ruler already gave an entity: in "allergic to milk exosomes" the
ingredient's name stays whole (the message is about the ingredient). Data: vocabulary.yml ``cued_allergens``.

Registered as the factory ``cued_terms``; importing ``bot.nlu`` (as Rasa does for our components) or
``bot.nlp.build_pipeline`` registers it before the saved pipeline is loaded.
"""

# No `from __future__ import annotations` here: spaCy validates the factory's signature at run time.
import json
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

FACTORY = "cued_terms"
DATA_FILE = "cued_terms.json"


class CuedTerms:
    """Adds an entity (label, id = the normalised value) for a term found right after one of its cues."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._cues: set[tuple[str, ...]] = set()
        self._terms: dict[tuple[str, ...], str] = {}
        self._cue_sizes: tuple[int, ...] = ()  # lengths of the cues and the terms, longest first
        self._term_sizes: tuple[int, ...] = ()

    def add(self, cues: Iterable[tuple[str, ...]], terms: Iterable[tuple[tuple[str, ...], str]]) -> None:
        """Add cues (lower-case tokens) and (lower-case tokens, value) terms; a term's first value is kept."""
        self._cues.update(tuple(cue) for cue in cues if cue)
        for tokens, value in terms:
            if tokens:
                self._terms.setdefault(tuple(tokens), value)
        self._cue_sizes = tuple(sorted({len(cue) for cue in self._cues}, reverse=True))
        self._term_sizes = tuple(sorted({len(term) for term in self._terms}, reverse=True))

    def items(self) -> tuple[list[tuple[str, ...]], list[tuple[tuple[str, ...], str]]]:
        """The cues (sorted) and the terms (in the order added)."""
        return sorted(self._cues), list(self._terms.items())

    def __call__(self, doc: Doc) -> Doc:
        if not self._terms:
            return doc
        words = [token.lower_ for token in doc]
        found: list[Span] = []
        for start in range(len(words)):
            for cue_size in self._cue_sizes:
                if start + cue_size > len(words) or tuple(words[start:start + cue_size]) not in self._cues:
                    continue
                after = start + cue_size
                term = next((size for size in self._term_sizes if after + size <= len(words)
                             and tuple(words[after:after + size]) in self._terms), None)
                if term is not None:
                    value = self._terms[tuple(words[after:after + term])]
                    found.append(Span(doc, after, after + term, label=self.label, span_id=value))
                break
        if found:
            taken = {i for entity in doc.ents for i in range(entity.start, entity.end)}
            free = [span for span in found if not taken.intersection(range(span.start, span.end))]
            doc.ents = filter_spans([*doc.ents, *free])
        return doc

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """Save cues and terms (one JSON file in the component's folder)."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        cues, terms = self.items()
        data = {"label": self.label, "cues": [list(c) for c in cues], "terms": [[list(t), v] for t, v in terms]}
        (folder / DATA_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "CuedTerms":
        """Load what :meth:`to_disk` saved."""
        data = json.loads((Path(path) / DATA_FILE).read_text(encoding="utf-8"))
        self.label, self._cues, self._terms = data["label"], set(), {}
        self.add((tuple(cue) for cue in data["cues"]), ((tuple(t), v) for t, v in data["terms"]))
        return self


@Language.factory(FACTORY, default_config={"label": "allergen"})
def create_cued_terms(nlp: Language, name: str, label: str) -> CuedTerms:
    """The spaCy factory (config: the entity label)."""
    return CuedTerms(label)
