"""Text fit to store and to show staff: no control characters, no bidirectional overrides.

People's messages reach triage from every channel. A NUL byte makes Python's csv writer fail (the
whole export answered 500), other C0/C1 controls and ESC sequences can rewrite a terminal or a log
line, and bidi overrides (U+202E ...) make text read differently from what it is. The recorder
cleans what it stores and the staff views clean what they show, so rows stored before this existed
(or written by anything else) cannot break an export or a page either.
"""

from __future__ import annotations

import re

#: C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates, lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and newline kept; a carriage return becomes a newline)."""
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_optional(text: str | None) -> str | None:
    """:func:`clean_text` for values that may be missing."""
    return None if text is None else clean_text(text)
