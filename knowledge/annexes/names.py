"""How annex substance names are split out of their cells, cleaned, and normalised for lookups.

One normalised form (:func:`name_key`) is written for every stored name and computed for every
question, so "Parfum (Fragrance)", "PARFUM", "mea-salicylate", "MEA- SALICYLATE", "sodium sulphite" and
"Sodium Sulfite" meet. It folds case, dashes, spacing, British spellings, a trailing parenthesised
qualifier ("(INN)", "(fragrance)") and a trailing "extract"; it never drops other words, so two different
substances never share a key by accident of folding.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = re.compile(r"[\u2010-\u2015\u2212\u00ad]")
_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u3000]")
_WHITESPACE = re.compile(r"\s+")
# A hyphen with a space beside it is a line break from the typeset regulation ("MEA- SALICYLATE").
_SPACED_HYPHEN = re.compile(r"\s*-\s*")
_BRITISH = (("sulphate", "sulfate"), ("sulphite", "sulfite"), ("sulphide", "sulfide"), ("sulphur", "sulfur"),
            ("sulpho", "sulfo"), ("sulphon", "sulfon"), ("colour", "color"), ("aluminium", "aluminum"))
_TRAILING_QUALIFIER = re.compile(r"\s*\([^()]*\)$")
_TRAILING_EXTRACT = re.compile(r"\s+extract$")
_COLOUR_INDEX = re.compile(r"^c\.?\s?i\.?\s*(\d{5}(?::\d{1,2})?)$")
#: Cells that say there is nothing: the export writes "-" for an empty cell.
EMPTY_CELLS = frozenset({"", "-", "--", "—", "n/a"})


def fold(name: str) -> str:
    """Case, Unicode, dashes, spacing and British spellings folded; nothing removed."""
    text = unicodedata.normalize("NFKC", name)
    text = _SPACES.sub(" ", _DASHES.sub("-", text)).replace("\u2019", "'")
    text = _SPACED_HYPHEN.sub("-", text).casefold()
    for british, american in _BRITISH:
        text = text.replace(british, american)
    text = _WHITESPACE.sub(" ", text).strip(" .,;:")
    match = _COLOUR_INDEX.match(text)
    return f"ci {match.group(1)}" if match else text


def name_key(name: str) -> str:
    """The lookup key of a name: folded, without a trailing "(...)" or "extract", hyphens read as spaces."""
    text = fold(name)
    stripped = _TRAILING_QUALIFIER.sub("", text)
    text = stripped if stripped else text
    text = _TRAILING_EXTRACT.sub("", text) or text
    return _WHITESPACE.sub(" ", text.replace("-", " ")).strip()


def spoken_name(name: str) -> str:
    """A name as a reply says it: the register's all-capitals INCI names ("PHENOXYETHANOL") in lower case."""
    letters = [c for c in name if c.isalpha()]
    return name.lower() if letters and all(c.isupper() for c in letters) else name


def present(cell: str) -> str | None:
    """The cell's text, or None when the export marks it empty."""
    text = cell.strip()
    return None if text.lower() in EMPTY_CELLS else text


def split_glossary(cell: str) -> list[str]:
    """INCI glossary / colour index cells list names separated by "/" or ";" (never by a comma alone)."""
    return _unique(p for p in re.split(r"\s*[/;]\s*", cell) if present(p))


def split_numbers(cell: str) -> list[str]:
    """CAS / EC number cells: several numbers separated by "/", ";" or ","."""
    return _unique(p for p in re.split(r"\s*[/;,]\s*|\s+", cell) if present(p) and any(c.isdigit() for c in p))


# A comma inside a chemical name sits between locants ("N,N-DIETHYL", "4,4'-ISOPROPYLIDENE"): the piece
# before it ends in a digit, prime or single letter, and the piece after starts with one followed by a
# hyphen or a comma. Any other comma separates two names.
_ENDS_IN_LOCANT = re.compile(r"(?:^|[^A-Za-z])(?:\d+|[A-Za-z])'*$")
_STARTS_AS_LOCANT = re.compile(r"^(?:\d+|[A-Za-z])'*[-,]")


def split_identified(cell: str) -> list[str]:
    """The "Identified INGREDIENTS" cell: comma-separated names whose own commas sit between locants."""
    pieces = [p.strip() for p in cell.replace("\n", ",").split(",")]
    names: list[str] = []
    for piece in pieces:
        if names and names[-1] and _ENDS_IN_LOCANT.search(names[-1]) and _STARTS_AS_LOCANT.match(piece):
            names[-1] = f"{names[-1]},{piece}"
        else:
            names.append(piece)
    return _unique(n for n in names if present(n))


#: What a chemical-name cell adds after the substance itself ("and its salts", ", its esters...").
_FAMILY_SUFFIX = re.compile(r"\s*(?:,\s*|\band\s+|\bor\s+)(?:its|their)\b.*$", re.IGNORECASE | re.DOTALL)
_INN = re.compile(r"\s*\((?:INN|INCI|INNM)\)", re.IGNORECASE)


def chemical_names(cell: str) -> list[str]:
    """The names in a "Chemical name / INN" cell: split on " / " and ";", without "(INN)" or "and its salts"."""
    names = []
    for part in re.split(r"\s+/\s+|;\s*", cell):
        part = _FAMILY_SUFFIX.sub("", _INN.sub("", part)).strip(" ,.")
        if present(part):
            names.append(part)
    return _unique(names)


def _unique(names: object) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:  # type: ignore[attr-defined]
        cleaned = _WHITESPACE.sub(" ", str(name)).strip()
        seen.setdefault(fold(cleaned), cleaned)
    return list(seen.values())
