"""Making untrusted text safe to print, and reducing names to lookup keys.

Queries come from users and monograph text from files anyone can edit; both
reach a terminal, so neither may carry escape sequences or invisible controls.
"""

from __future__ import annotations

import re
import unicodedata

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
)
_BIDI = dict.fromkeys(
    [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None
)


_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


def clean(text: str, *, single_line: bool = False) -> str:
    """Strip escape sequences, control characters and bidi overrides."""
    if not _UNSAFE.search(text):  # the common case: nothing to strip
        return text.replace("\n", " ") if single_line else text
    text = _ANSI.sub("", text).translate(_BIDI)
    keep = " " if single_line else "\n"
    out = []
    for ch in text:
        if ch == "\n" or ch == "\t":
            out.append(keep if ch == "\n" else " ")
        elif unicodedata.category(ch) in ("Cc", "Cs") or ch == "\ufeff":
            continue
        else:
            out.append(ch)
    return "".join(out)


def squash(text: str) -> str:
    """The lookup key of a name: case, spaces, hyphens and punctuation dropped."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


_COMBO_SPLIT = re.compile(r"\s*(?:/|\+|,|&|\band\b|\bwith\b)\s*", re.IGNORECASE)


def combo_key(text: str) -> str | None:
    """A key for combination names that ignores their order and joiners, so
    `acetaminophen / hydrocodone` finds `hydrocodone and acetaminophen`."""
    parts = [squash(p) for p in _COMBO_SPLIT.split(text)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    return "+".join(sorted(parts))
