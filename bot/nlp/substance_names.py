"""spaCy component: the thousands of listed substance names as entities, in a few MB.

spaCy's EntityRuler keeps a Doc per phrase pattern (about 6 KB each): with the EU annexes' ~9,000
spellings that cost ~80 MB in every process that loads the pipeline (the Rasa server loads it twice).
Names here are exact lower-case token sequences, so a dict from token tuple to value, indexed by first
token, matches them as fast and holds only the strings. It runs after the entity ruler and never
overrides a longer or equally long entity the ruler found (profiled names, vocabulary, "not an entity").

Registered as the factory ``substance_names``; importing ``bot.nlu`` (as Rasa does for our components)
or ``bot.nlp.build_pipeline`` registers it before the saved pipeline is loaded.
"""

# No `from __future__ import annotations` here: spaCy validates the factory's signature at run time.
import json
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

FACTORY = "substance_names"
DATA_FILE = "names.json"


class SubstanceNames:
    """Adds an entity (label, id = the name as replies say it) for every listed name found in a doc."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._values: dict[tuple[str, ...], str] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}  # first token -> name lengths, longest first

    def add(self, names: Iterable[tuple[tuple[str, ...], str]]) -> None:
        """Add (lower-case tokens, value) pairs; the first value given for a token sequence is kept."""
        for tokens, value in names:
            if tokens:
                self._values.setdefault(tuple(tokens), value)
        lengths: dict[str, set[int]] = {}
        for tokens in self._values:
            lengths.setdefault(tokens[0], set()).add(len(tokens))
        self._lengths = {first: tuple(sorted(sizes, reverse=True)) for first, sizes in lengths.items()}

    def items(self) -> list[tuple[tuple[str, ...], str]]:
        """Every (tokens, value) pair, in the order added."""
        return list(self._values.items())

    def __len__(self) -> int:
        return len(self._values)

    def __call__(self, doc: Doc) -> Doc:
        words = [token.lower_ for token in doc]
        found: list[Span] = []
        index = 0
        while index < len(words):
            match = next(((size, self._values[key]) for size in self._lengths.get(words[index], ())
                          if index + size <= len(words) and (key := tuple(words[index:index + size])) in self._values),
                         None)
            if match is None:
                index += 1
                continue
            size, value = match
            found.append(Span(doc, index, index + size, label=self.label, span_id=value))
            index += size
        if found:
            # Existing entities come first, so on equal length the ruler's entity is kept.
            doc.ents = filter_spans([*doc.ents, *found])
        return doc

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """Save the names (one JSON file in the component's folder)."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        data = {"label": self.label, "names": [[list(tokens), value] for tokens, value in self._values.items()]}
        (folder / DATA_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "SubstanceNames":
        """Load the names saved by :meth:`to_disk`."""
        data = json.loads((Path(path) / DATA_FILE).read_text(encoding="utf-8"))
        self.label = data["label"]
        self._values = {}
        self.add((tuple(tokens), value) for tokens, value in data["names"])
        return self


@Language.factory(FACTORY, default_config={"label": "ingredient"})
def create_substance_names(nlp: Language, name: str, label: str) -> SubstanceNames:
    """The spaCy factory (config: the entity label)."""
    return SubstanceNames(label)
