"""Read ingredient profile files (YAML) and report their problems in words a person can act on.

A profile is written by people, so every problem is a :class:`ProfileIssue` that names the file, the
field path or line, what went wrong and what to do; :class:`ProfileError` carries all issues of a load.
This module only turns a file into a parsed YAML document; ``knowledge.schema`` validates the document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent

#: The end of every "what to do" hint: after fixing a profile, load the profiles again.
FIX_AND_RELOAD = "then run `make kb` again"


@dataclass(frozen=True)
class ProfileIssue:
    """One problem in one profile file."""

    file: str
    path: str
    problem: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.problem}; {self.fix}"


class ProfileError(Exception):
    """A profile (or a set of profiles) cannot be loaded; the message says where, what and what to do."""

    def __init__(self, issues: Iterable[ProfileIssue]) -> None:
        self.issues: tuple[ProfileIssue, ...] = tuple(issues)
        count = len(self.issues)
        header = "1 problem in the knowledge profiles:" if count == 1 else (
            f"{count} problems in the knowledge profiles:"
        )
        lines = [header, *(f"  - {issue}" for issue in self.issues)]
        lines.append("Nothing was loaded; the knowledge store keeps its previous content.")
        super().__init__("\n".join(lines))


def display_path(path: Path) -> str:
    """The path relative to the repository when it is inside it (shorter messages), else absolute."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(KNOWLEDGE_DIR.parent))
    except ValueError:
        return str(resolved)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects a key given twice in one mapping (PyYAML keeps the last silently)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark, f"found the key {key!r} twice",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def parse_profile_file(path: Path) -> Any:
    """Read one profile file as YAML; raise :class:`ProfileError` if it is unreadable, is not valid YAML
    (naming the line and column) or gives a key twice in one mapping."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        issue = ProfileIssue(shown, "", f"cannot read the file ({exc})", "check the file exists and is UTF-8")
        raise ProfileError([issue]) from exc
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise ProfileError(
            [ProfileIssue(shown, where, f"YAML syntax error: {problem}", f"fix the YAML, {FIX_AND_RELOAD}")]
        ) from exc
    except yaml.YAMLError as exc:
        raise ProfileError(
            [ProfileIssue(shown, "", f"YAML syntax error: {exc}", f"fix the YAML, {FIX_AND_RELOAD}")]
        ) from exc
