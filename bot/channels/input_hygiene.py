"""What every channel does to a message before anything else sees it (and before anything is stored).

- Text: C0/C1 control characters (except tab and newline), Unicode bidi overrides/isolates and lone
  surrogates are removed. They have no meaning in a chat message and break what comes later: Python's
  csv writer cannot write NUL (the staff CSV exports), spaCy cannot encode a lone surrogate, and bidi
  overrides make a log line or a dashboard row read differently from what it contains.
- Sender ids: the conversation id each channel builds must use a safe alphabet and length, so no id
  carries a newline, ESC or a right-to-left mark into a log or the triage database.
- Metadata: at most a few levels deep and a few kilobytes, so a deeply nested object cannot exhaust
  the JSON encoder's recursion limit when the event is stored.

The checks are one regular-expression search each and cost about a microsecond per message
(tests/channels/test_input_hygiene.py prints the figure).
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls except \t (09) and \n (0a); DEL and the C1 block; bidi embeddings/overrides (202a-202e)
# and isolates (2066-2069); UTF-16 surrogates (only ever lone in a Python str decoded from JSON).
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# Conversation ids: letters, digits and the punctuation of the ids the platforms use
# (Twilio "whatsapp:+4477...", e-mail-like Slack ids, uuid hex with dashes).
MAX_SENDER_ID_CHARS = 128
_SAFE_SENDER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127}")

MAX_METADATA_DEPTH = 8
MAX_METADATA_CHARS = 4000


def clean_text(text: str) -> str:
    """The message with control characters, bidi overrides and lone surrogates removed."""
    if _UNWANTED.search(text) is None:  # the usual case: one scan, no copy
        return text
    return _UNWANTED.sub("", text)


def is_blank(text: str) -> bool:
    """True when nothing is left to read (empty or whitespace only)."""
    return not text.strip()


def sender_id_problem(sender_id: str) -> str | None:
    """Why `sender_id` cannot name a conversation, in words for an error message; None when it can."""
    if not sender_id:
        return "it is empty"
    if len(sender_id) > MAX_SENDER_ID_CHARS:
        return f"it is longer than {MAX_SENDER_ID_CHARS} characters"
    if _SAFE_SENDER_ID.fullmatch(sender_id) is None:
        return "use only letters, digits and _ . : @ + - (starting with a letter or digit)"
    return None


def _depth_exceeds(value: Any, limit: int) -> bool:
    """True when containers nest deeper than `limit` (iterative: no recursion limit to hit)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def metadata_problem(metadata: Any) -> str | None:
    """Why message metadata cannot be kept, or None: it must be a small, shallow JSON object."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return "metadata must be a JSON object"
    if _depth_exceeds(metadata, MAX_METADATA_DEPTH):
        return f"metadata nests deeper than {MAX_METADATA_DEPTH} levels"
    try:
        size = len(json.dumps(metadata, ensure_ascii=False))
    except (TypeError, ValueError):
        return "metadata is not plain JSON"
    if size > MAX_METADATA_CHARS:
        return f"metadata is larger than {MAX_METADATA_CHARS} characters"
    return None


def clean_metadata(value: Any) -> Any:
    """Metadata (already checked by `metadata_problem`, so shallow) with every string cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(key)): clean_metadata(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_metadata(item) for item in value]
    return value
