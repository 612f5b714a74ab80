"""French ways of writing numbers in the sentences the core writes (reports, refusals, the demo's
summary); the web face writes its own through ``dashboard/formatting.py``, which uses these."""

from __future__ import annotations

from typing import Final

NARROW_NBSP: Final = "\u202f"  # the thousands separator of French typography


def thousands(count: int) -> str:
    """``1234567`` -> ``1 234 567`` (narrow no-break spaces: a number never breaks a line)."""
    return f"{count:,}".replace(",", NARROW_NBSP)
