"""Text folding for comparisons: what a person types must meet what the referential spells.

``fold("Saint-Étienne-du-Rouvray")`` -> ``"st etienne du rouvray"``. Accents and case go, ligatures
are spelt out (œ -> oe), apostrophes, hyphens and other punctuation become single spaces, and
"saint"/"sainte" become "st"/"ste" so that both spellings of a name meet.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# NFKD leaves these letters whole: spell them out before stripping combining marks
_LIGATURES: Final = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NON_ALNUM: Final = re.compile(r"[^0-9a-z]+")
_WORDS: Final = {"saint": "st", "sainte": "ste"}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation as single spaces, saint -> st; no edge spaces."""
    words = _NON_ALNUM.sub(" ", strip_accents(text).lower()).split()
    return " ".join(_WORDS.get(word, word) for word in words)


def fold_identifier(text: str) -> str:
    """Fold a column name: ``"Code INSEE"`` and ``"code_insee"`` both give ``"codeinsee"``."""
    return _NON_ALNUM.sub("", strip_accents(text).lower())
