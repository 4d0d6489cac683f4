"""Validate an ingredient profile (YAML) into the fact types of ``knowledge.facts``.

What is checked follows from the fact dataclasses (``knowledge.shape``): a field's type says how its
value is checked (text, a fixed value set, true/false, a bounded number, a cited source) and its notes
add the rest (a vocabulary term, a key that must not repeat, a field that must be written even when null).

A profile is written by people, so every problem is reported as a :class:`ProfileError` that names
the file, the field path (``skin_types[2].verdict``), what was expected, what was found and what to
do about it. All problems of a file are collected before raising, so one run shows them all.
Reading the file and parsing its YAML (and the error types) live in ``knowledge.profile_reader``.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot.safety.claims import CLAIM_FIX, find_claims
from knowledge.facts import IngredientFacts, SourceRef
from knowledge.profile_reader import FIX_AND_RELOAD, ProfileError, ProfileIssue, display_path, parse_profile_file
from knowledge.shape import FACT_FIELDS, TERM_FIELDS, FactField, Kind, ValueField, names_of
from knowledge.vocabulary import Vocabulary, load_vocabulary

#: Bump when the meaning of a profile field or its mapping to the store changes: every profile's
#: content hash changes with it, so the next load rewrites all profiles.
SCHEMA_VERSION = "1"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

E = TypeVar("E", bound=enum.Enum)


class InciNameStatus(str, enum.Enum):
    """Whether ``inci_name`` is an official INCI listing or an INCI-style name we chose."""

    OFFICIAL = "official"
    INCI_STYLE = "inci_style"


@dataclass(frozen=True)
class SourceDeclaration:
    """A document a profile cites, declared once at the top of the profile."""

    id: str
    title: str
    sections: tuple[str, ...]
    url: str | None = None
    document: str | None = None


@dataclass(frozen=True)
class Profile:
    """A validated profile: its facts plus what the store needs beyond the facts contract."""

    path: Path
    inci_name_status: InciNameStatus
    sources: tuple[SourceDeclaration, ...]
    facts: IngredientFacts

    @property
    def slug(self) -> str:
        """The ingredient's unique slug."""
        return self.facts.slug

    def content_hash(self) -> str:
        """A hash of the validated content (comments and layout do not count) and the schema version."""
        content = {
            "schema_version": SCHEMA_VERSION,
            "inci_name_status": self.inci_name_status.value,
            "sources": [dataclasses.asdict(s) for s in self.sources],
            "facts": dataclasses.asdict(self.facts),
        }
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()

    def surface_forms(self) -> dict[str, str]:
        """Every way to name this ingredient, keyed by its normalised form (first spelling wins)."""
        forms: dict[str, str] = {}
        for _field, form in names_of(self.facts):
            forms.setdefault(normalize_term(form), form)
        return forms


def normalize_term(text: str) -> str:
    """The form used to match ingredient names: case-folded, hyphens and runs of whitespace as one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[-‐‑‒–—_/]+", " ", text)
    text = text.replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:!?\"")


def read_profile(path: Path, vocabulary: Vocabulary | None = None) -> Profile:
    """Parse and validate one profile file; raise :class:`ProfileError` listing every problem found."""
    return validate_profile(parse_profile_file(path), path, vocabulary)


def validate_profile(
    document: Any, path: Path, vocabulary: Vocabulary | None = None
) -> Profile:
    """Validate an already-parsed YAML document; raise :class:`ProfileError` listing every problem."""
    reader = _ProfileValidator(display_path(path), vocabulary if vocabulary is not None else load_vocabulary())
    profile = reader.profile(document, path)
    if reader.issues or profile is None:
        raise ProfileError(reader.issues)
    return profile


def check_profile_set(profiles: Iterable[Profile]) -> None:
    """Cross-file rules: slugs are unique and no name, synonym or misspelling belongs to two ingredients."""
    issues: list[ProfileIssue] = []
    slug_owner: dict[str, Profile] = {}
    form_owner: dict[str, tuple[Profile, str]] = {}
    for profile in profiles:
        shown = display_path(profile.path)
        first = slug_owner.setdefault(profile.slug, profile)
        if first is not profile:
            issues.append(ProfileIssue(
                shown, "slug",
                f"duplicate slug '{profile.slug}', already used by {display_path(first.path)}",
                "give each ingredient its own slug (or delete the duplicate file), " + FIX_AND_RELOAD,
            ))
            continue
        for normalized, form in profile.surface_forms().items():
            owner = form_owner.setdefault(normalized, (profile, form))
            if owner[0] is not profile:
                issues.append(ProfileIssue(
                    shown, "synonyms/misspellings",
                    f"'{form}' also names '{owner[0].facts.name}' ({display_path(owner[0].path)})",
                    "a name may belong to one ingredient only: remove it from one profile, "
                    + FIX_AND_RELOAD,
                ))
    if issues:
        raise ProfileError(issues)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {
        bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"
    }.get(type(value), type(value).__name__)


class _Missing:
    """Marks a field that failed validation, so callers can skip building the fact."""


_FAILED = _Missing()


class _ProfileValidator:
    """Walks one YAML document, building fact values and collecting every problem on the way."""

    def __init__(self, shown: str, vocabulary: Vocabulary) -> None:
        self.shown = shown
        self.vocabulary = vocabulary
        self.issues: list[ProfileIssue] = []
        self.sources: dict[str, SourceDeclaration] = {}
        self.used_sources: dict[SourceRef, None] = {}

    # -- reporting ---------------------------------------------------------------------------------

    def problem(self, path: str, problem: str, fix: str) -> _Missing:
        self.issues.append(ProfileIssue(self.shown, path, problem, fix))
        return _FAILED

    # -- primitives --------------------------------------------------------------------------------

    def fields(self, node: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        """Check a mapping's keys: report unknown and missing ones; return the mapping (or {})."""
        if not isinstance(node, dict):
            self.problem(path or "(top level)", f"expected a mapping with the fields {', '.join(required)}; "
                         f"got {_type_name(node)}", "write it as `field: value` lines")
            return {}
        allowed = (*required, *optional)
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.problem(_join(path, str(key)), f"unknown field '{key}'",
                             f"{hint}remove it or use one of: {', '.join(allowed)}")
        for key in required:
            if key not in node:
                self.problem(_join(path, key), "missing required field", f"add `{key}:` to the profile")
        return node

    def text(self, node: Any, path: str) -> str | _Missing:
        if not isinstance(node, str) or not node.strip():
            return self.problem(path, f"expected non-empty text; got {_type_name(node)}",
                                "write a short plain sentence (quote it if it contains ': ')")
        # Cosmetic wording only: one definition of a medical claim, shared with the answer composer.
        claims = find_claims(node)
        if claims:
            return self.problem(path, f"medical-claim wording '{claims[0].words}' in cosmetic text "
                                f"({claims[0].sentence!r})", f"{CLAIM_FIX}, {FIX_AND_RELOAD}")
        return " ".join(node.split())

    def optional_text(self, node: Any, path: str) -> str | None | _Missing:
        return None if node is None else self.text(node, path)

    def boolean(self, node: Any, path: str) -> bool | _Missing:
        if not isinstance(node, bool):
            return self.problem(path, f"expected true or false; got {node!r}", "write true or false")
        return node

    def choice(self, node: Any, path: str, enum_type: type[E]) -> E | _Missing:
        values = [member.value for member in enum_type]
        if isinstance(node, str) and node in values:
            return enum_type(node)
        return self.problem(path, f"expected one of {', '.join(values)}; got {node!r}",
                            "use one of those values exactly as written")

    def vocab(self, node: Any, path: str, kind: str) -> str | _Missing:
        values = self.vocabulary.values(kind)
        if isinstance(node, str) and node in values:
            return node
        return self.problem(
            path,
            f"expected a normalised {kind} from knowledge/vocabulary.yml ({', '.join(values)}); got {node!r}",
            "use one of those values, or ask for a new one to be added to the vocabulary first",
        )

    def items(self, node: Any, path: str, required: bool = False) -> list[tuple[str, Any]]:
        """The indexed entries of a list field (an absent optional list is empty)."""
        if node is None and not required:
            return []
        if not isinstance(node, list) or (required and not node):
            self.problem(path, f"expected a non-empty list; got {_type_name(node)}",
                         "write one `- item` per line")
            return []
        return [(_join(path, index), entry) for index, entry in enumerate(node)]

    def strings(self, node: Any, path: str, required: bool = False) -> tuple[str, ...]:
        values = [self.text(entry, entry_path) for entry_path, entry in self.items(node, path, required)]
        return tuple(v for v in values if isinstance(v, str))

    def source(self, node: Any, path: str) -> SourceRef | _Missing:
        ids = ", ".join(self.sources) or "none declared"
        spec = self.fields(node, path, ("id", "section"))
        if not spec:
            return _FAILED
        if "id" not in spec or "section" not in spec:
            return _FAILED
        declared = self.sources.get(spec["id"]) if isinstance(spec["id"], str) else None
        if declared is None:
            return self.problem(_join(path, "id"), f"unknown source {spec['id']!r} (declared: {ids})",
                                "declare the source under `sources:` at the top, or use a declared id")
        if spec["section"] not in declared.sections:
            return self.problem(
                _join(path, "section"),
                f"expected a section of source '{declared.id}' ({'; '.join(declared.sections)}); "
                f"got {spec['section']!r}", "use a listed section, or add it to that source's `sections`",
            )
        ref = SourceRef(title=declared.title, section=spec["section"], url=declared.url)
        self.used_sources[ref] = None
        return ref

    def record(self, node: Any, path: str, fields: dict[str, Callable[[Any, str], Any]],
               optional: dict[str, Callable[[Any, str], Any]] | None = None) -> dict[str, Any] | None:
        """Validate a mapping whose fields each have a checker; None if any field failed."""
        optional = optional or {}
        spec = self.fields(node, path, tuple(fields), tuple(optional))
        if not spec:
            return None
        values: dict[str, Any] = {}
        for key, check in {**fields, **optional}.items():
            if key in spec:
                values[key] = check(spec[key], _join(path, key))
            elif key in optional:
                values[key] = None
            else:
                values[key] = _FAILED
        if any(value is _FAILED for value in values.values()):
            return None
        return values

    def records(self, node: Any, path: str, fields: dict[str, Callable[[Any, str], Any]],
                key: str | None = None, optional: dict[str, Callable[[Any, str], Any]] | None = None,
                ) -> list[dict[str, Any]]:
        """Validate a list of records; ``key`` names a field that must not repeat within the list."""
        result: list[dict[str, Any]] = []
        seen: set[Any] = set()
        for entry_path, entry in self.items(node, path):
            values = self.record(entry, entry_path, fields, optional)
            if values is None:
                continue
            if key is not None:
                if values[key] in seen:
                    self.problem(_join(entry_path, key), f"{values[key]!r} is listed twice",
                                 "merge the two entries into one")
                    continue
                seen.add(values[key])
            result.append(values)
        return result

    # -- the profile -------------------------------------------------------------------------------

    def declare_sources(self, node: Any) -> tuple[SourceDeclaration, ...]:
        declarations: list[SourceDeclaration] = []
        titles: set[str] = set()
        for entry_path, entry in self.items(node, "sources", required=True):
            values = self.record(
                entry, entry_path,
                {"id": self.text, "title": self.text,
                 "sections": lambda n, p: self.strings(n, p, required=True) or _FAILED},
                {"url": self.optional_text, "document": self.optional_text},
            )
            if values is None:
                continue
            if values["id"] in self.sources or values["title"] in titles:
                self.problem(entry_path,
                             f"source id {values['id']!r} or title {values['title']!r} declared twice",
                             "declare each source once, with its own id and title")
                continue
            declaration = SourceDeclaration(**{**values, "sections": tuple(values["sections"])})
            self.sources[declaration.id] = declaration
            titles.add(declaration.title)
            declarations.append(declaration)
        return tuple(declarations)

    def slug(self, node: Any, path: str) -> str | _Missing:
        if not isinstance(node, str) or not _SLUG.match(node):
            return self.problem(path, f"expected lowercase words joined by hyphens (like 'milk-exosomes'); "
                                f"got {node!r}", "fix the slug")
        return node

    def bounded(self, node: Any, path: str, name: str, bounds: tuple[int, int]) -> int | _Missing:
        low, high = bounds
        if isinstance(node, bool) or not isinstance(node, int) or not low <= node <= high:
            return self.problem(path, f"expected a whole number from {low} to {high}; got {node!r}",
                                f"write the {name} as an integer, e.g. `{name}: {min(low + 1, high)}`")
        return node

    # -- checkers derived from the fact dataclasses (knowledge.facts, via knowledge.shape) --------------

    def checker(self, value: ValueField) -> Callable[[Any, str], Any]:
        """How to check one field of a fact record, from its type and notes."""
        notes = value.notes
        if value.is_source:
            return self.source
        if notes.vocabulary is not None:
            return lambda n, p: self.vocab(n, p, notes.vocabulary)
        if isinstance(value.type, type) and issubclass(value.type, enum.Enum):
            return lambda n, p: self.choice(n, p, value.type)
        if value.type is bool:
            return self.boolean
        if value.type is int:
            if notes.bounds is None:
                raise TypeError(f"{value.name}: a whole-number fact needs stored(bounds=(low, high))")
            return lambda n, p: self.bounded(n, p, value.name, notes.bounds)
        return self.optional_text if value.nullable else self.text

    def checkers(self, field: FactField) -> tuple[dict[str, Callable[[Any, str], Any]], dict[str, Callable]]:
        """The checkers of a record's fields: (those that must be written, those that may be left out)."""
        required = {v.name: self.checker(v) for v in field.values if not v.omittable}
        return required, {v.name: self.checker(v) for v in field.values if v.omittable}

    def fact(self, field: FactField, top: dict[str, Any]) -> Any:
        """The value of one IngredientFacts field from the profile's top level (_FAILED if invalid)."""
        name, node = field.name, top.get(field.name)
        if field.kind in (Kind.SCALAR, Kind.TEXT, Kind.ITEMS) and not field.nullable and name not in top:
            return _FAILED  # reported by fields() as a missing required field
        if field.kind is Kind.SCALAR:
            return self.slug(node, name) if field.notes.slug else self.text(node, name)
        if field.kind is Kind.TERMS:
            return self.strings(node, name)
        if field.kind is Kind.ITEMS:
            values = self.record(node, name, {"items": lambda n, p: self.strings(n, p, required=True) or _FAILED,
                                              "source": self.source})
            return _FAILED if values is None else (tuple(values["items"]), values["source"])
        if field.kind in (Kind.TEXT, Kind.RECORD):
            if node is None and field.nullable:
                return None
            values = self.record(node, name, *self.checkers(field))
            return _FAILED if values is None else field.record(**values)
        if field.kind is Kind.RECORDS:
            required, optional = self.checkers(field)
            return tuple(field.record(**values)
                         for values in self.records(node, name, required, key=field.key, optional=optional))
        raise TypeError(f"IngredientFacts.{name}: {field.kind} is not written in a profile")

    def profile(self, document: Any, path: Path) -> Profile | None:
        written = [f for f in FACT_FIELDS if f.kind not in (Kind.ITEMS_SOURCE, Kind.CITED)]
        required = [f.name for f in written
                    if f.kind in (Kind.SCALAR, Kind.TEXT, Kind.ITEMS) and not f.nullable]
        # Profile-level fields (not facts): written right after the names.
        at = required.index("inci_name") + 1
        required[at:at] = ["inci_name_status", "sources"]
        optional = [f.name for f in written if f.name not in required]
        top = self.fields(document, "", tuple(required), tuple(optional))
        if not top:
            return None
        self.declare_sources(top.get("sources"))
        inci_status = (self.choice(top.get("inci_name_status"), "inci_name_status", InciNameStatus)
                       if "inci_name_status" in top else _FAILED)
        values: dict[str, Any] = {}
        for field in written:
            values[field.name] = self.fact(field, top)
            if field.kind is Kind.ITEMS and values[field.name] is not _FAILED:
                values[field.name], values[field.notes.source_field] = values[field.name]
            if field.name == TERM_FIELDS[-1].name:  # every name is known: no name may be given twice
                self.check_term_lists(
                    [(f.name, values[f.name]) for f in TERM_FIELDS if f.kind is Kind.SCALAR and not f.notes.slug],
                    [(f.name, values[f.name]) for f in TERM_FIELDS if f.kind is Kind.TERMS],
                )
        if self.issues:
            return None
        cited = next(f.name for f in FACT_FIELDS if f.kind is Kind.CITED)
        values[cited] = tuple(sorted(self.used_sources, key=self.source_order))
        facts = IngredientFacts(**values)
        return Profile(path=path, inci_name_status=inci_status, sources=tuple(self.sources.values()), facts=facts)

    def source_order(self, ref: SourceRef) -> tuple[int, int]:
        """Sort key: declaration order of the source, then the order of its sections."""
        for index, declared in enumerate(self.sources.values()):
            if declared.title == ref.title:
                return index, declared.sections.index(ref.section)
        return len(self.sources), 0

    def check_term_lists(self, names: Iterable[tuple[str, Any]], lists: Iterable[tuple[str, tuple[str, ...]]]) -> None:
        """A synonym or misspelling may appear once (after normalising case, hyphens and spaces), and not
        repeat the name or INCI name."""
        seen: dict[str, str] = {}
        for field_name, name in names:
            if isinstance(name, str):
                seen.setdefault(normalize_term(name), field_name)
        for field_name, values in lists:
            for index, value in enumerate(values):
                normalized = normalize_term(value)
                where = _join(field_name, index)
                if not normalized:
                    self.problem(where, f"expected a name; got {value!r}", "remove the empty entry")
                elif normalized in seen:
                    self.problem(where, f"{value!r} repeats {seen[normalized]} (case, hyphens and spaces are "
                                 "ignored when matching)", "remove the repeat")
                else:
                    seen[normalized] = where
