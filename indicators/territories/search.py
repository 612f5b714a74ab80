"""Territory search by name or code, for the search box and the CLI.

Matching is accent-, case- and punctuation-insensitive (:func:`.folding.fold`: "st etienne" finds
Saint-Étienne, "lhay" finds L'Haÿ-les-Roses). Results come in tiers, best first:

1. exact code (``01001``, ``2A``, ``COM:75056``, or anything :func:`.codes.normalise_code`
   resolves: an absorbed code, ``D01``, ``ZA``; an ambiguous code gives every reading);
2. code prefix (``7505`` -> the communes 75050…);
3. exact name, 4. name prefix, 5. a word of the name starts with the query, 6. name contains it.

Within a tier, larger populations come first; municipal arrondissements come after every other
territory of their tier, since they stand for their commune (their result carries the
commune's typed code).

The index is built once (~0.5 s for the full referential): names sorted for prefix bisection,
and all names joined in one string that a compiled regular expression scans for word prefixes
and substrings, so a query costs a few milliseconds on ~36 000 territories.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from .codes import normalise_code, normaliser_for
from .folding import fold
from .referential import LEVEL_LABELS, Level, Referential, Territory, typed_code

MatchKind = Literal["code", "code-prefix", "name", "name-prefix", "word-prefix", "contains"]
_TIERS: Final[tuple[MatchKind, ...]] = (
    "code",
    "code-prefix",
    "name",
    "name-prefix",
    "word-prefix",
    "contains",
)
SEARCHED_LEVELS: Final[tuple[Level, ...]] = ("FR", "REG", "DEP", "EPCI", "COM", "ARM")

EPCI_NATURES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "CC": "Communauté de communes",
        "CA": "Communauté d'agglomération",
        "CU": "Communauté urbaine",
        "METRO": "Métropole",
        "ME": "Métropole",
        "MET69": "Métropole de Lyon",
        "EPT": "Établissement public territorial",
    }
)

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One hit. ``code`` is the typed code to navigate to (an arrondissement's commune);
    ``local_code`` the official code of the row found; ``match`` which tier found it."""

    code: str
    name: str
    level: Level
    level_label: str
    context: str
    population: int | None
    local_code: str
    match: MatchKind

    @property
    def label(self) -> str:
        """``"Bourg-en-Bresse (01053)"``, for a dropdown option."""
        return f"{self.name} ({self.local_code})" if self.local_code else self.name


@dataclass(frozen=True, eq=False)
class SearchIndex:
    """Pre-normalised territory names and codes; build with :func:`build_search_index`."""

    referential: Referential
    territories: tuple[Territory, ...]
    contexts: tuple[str, ...]
    levels: npt.NDArray[np.str_]
    rank: IntArray  # position in (arrondissement last, population desc, name) order
    sorted_names: list[str]
    sorted_name_rows: IntArray
    sorted_codes: list[str]
    sorted_code_rows: IntArray
    joined: str  # "\n" + folded names joined by "\n"
    starts: IntArray  # offset of each row's name in ``joined``
    compact: str  # the same without spaces: "lhay" finds "l hay les roses"
    compact_starts: IntArray
    by_code: Mapping[str, tuple[int, ...]]


def build_search_index(referential: Referential) -> SearchIndex:
    territories = tuple(t for t in referential.territories.values() if t.level in SEARCHED_LEVELS)
    folded = [fold(t.name) for t in territories]
    levels = np.array([t.level for t in territories])
    order = sorted(
        range(len(territories)),
        key=lambda i: (
            territories[i].level == "ARM",
            -(territories[i].population or 0),
            folded[i],
        ),
    )
    rank = np.empty(len(territories), dtype=np.int64)
    rank[np.array(order, dtype=np.int64)] = np.arange(len(territories), dtype=np.int64)

    by_name = sorted(range(len(territories)), key=lambda i: folded[i])
    by_code_order = sorted(range(len(territories)), key=lambda i: territories[i].local_code)
    by_code: dict[str, list[int]] = {}
    for row, territory in enumerate(territories):
        for key in {territory.local_code.upper(), territory.code.upper()} - {""}:
            by_code.setdefault(key, []).append(row)

    compact = [name.replace(" ", "") for name in folded]
    normaliser_for(referential)  # build its fast-path table now, not on the first query
    return SearchIndex(
        referential=referential,
        territories=territories,
        contexts=tuple(_context(referential, t) for t in territories),
        levels=levels,
        rank=rank,
        sorted_names=[folded[i] for i in by_name],
        sorted_name_rows=np.array(by_name, dtype=np.int64),
        sorted_codes=[territories[i].local_code for i in by_code_order],
        sorted_code_rows=np.array(by_code_order, dtype=np.int64),
        joined="\n" + "\n".join(folded),
        starts=_starts(folded),
        compact="\n" + "\n".join(compact),
        compact_starts=_starts(compact),
        by_code=MappingProxyType({key: tuple(rows) for key, rows in by_code.items()}),
    )


_CODE_LIKE: Final = re.compile(r"[0-9][0-9AB]?[0-9]*", re.IGNORECASE)


def search(
    index: SearchIndex,
    query: str,
    limit: int = 10,
    levels: Collection[Level] | None = None,
) -> list[SearchResult]:
    """The ``limit`` best territories for ``query``, optionally only of some ``levels``."""
    query = query.strip()
    if not query or limit <= 0:
        return []
    allowed = None if levels is None else np.isin(index.levels, list(levels))
    found: list[tuple[int, MatchKind]] = []
    seen: set[int] = set()

    def take(rows: IntArray | list[int], kind: MatchKind) -> bool:
        """Add the best rows of one tier; True once ``limit`` results are gathered."""
        candidates = np.unique(np.asarray(rows, dtype=np.int64))
        if allowed is not None and candidates.size:
            candidates = candidates[allowed[candidates]]
        if seen and candidates.size:
            candidates = candidates[~np.isin(candidates, list(seen))]
        for row in _best(index, candidates, limit - len(found)):
            seen.add(row)
            found.append((row, kind))
        return len(found) >= limit

    if take(_exact_code_rows(index, query), "code"):
        return _results(index, found)
    if _CODE_LIKE.fullmatch(query) and len(query) >= 2:
        lo = bisect_left(index.sorted_codes, query.upper())
        hi = bisect_left(index.sorted_codes, query.upper() + "\uffff")
        if take(index.sorted_code_rows[lo:hi], "code-prefix"):
            return _results(index, found)
    folded = fold(query)
    if not folded:
        return _results(index, found)
    lo = bisect_left(index.sorted_names, folded)
    exact_hi = bisect_right(index.sorted_names, folded)
    hi = bisect_left(index.sorted_names, folded + "\uffff")
    rows = index.sorted_name_rows
    if take(rows[lo:exact_hi], "name") or take(rows[exact_hi:hi], "name-prefix"):
        return _results(index, found)
    if take(_scan(index.joined, index.starts, " " + folded), "word-prefix"):
        return _results(index, found)
    if take(_scan(index.joined, index.starts, folded), "contains") or " " in folded:
        return _results(index, found)
    take(_scan(index.compact, index.compact_starts, folded), "contains")
    return _results(index, found)


def _exact_code_rows(index: SearchIndex, query: str) -> list[int]:
    rows = list(index.by_code.get(query.upper(), ()))
    if rows:
        return rows
    resolution = normalise_code(query, index.referential)
    codes = (resolution.code,) if resolution.code else resolution.candidates
    return [row for code in codes for row in index.by_code.get(code.upper(), ())]


def _starts(names: list[str]) -> IntArray:
    """Offset of each name in ``"\n" + "\n".join(names)``."""
    lengths = np.array([len(name) + 1 for name in names], dtype=np.int64)
    return np.concatenate(([1], 1 + np.cumsum(lengths)[:-1])).astype(np.int64)


def _scan(joined: str, starts: IntArray, needle: str) -> IntArray:
    positions = [match.start() for match in re.finditer(re.escape(needle), joined)]
    if not positions:
        return np.empty(0, dtype=np.int64)
    # a hit at offset p lies in the last row starting at or before p
    rows = np.searchsorted(starts, np.array(positions, dtype=np.int64), side="right") - 1
    return np.unique(rows).astype(np.int64)


def _best(index: SearchIndex, rows: IntArray, count: int) -> list[int]:
    """``rows`` ordered by rank, only the first ``count`` (argpartition keeps this O(n))."""
    if rows.size == 0 or count <= 0:
        return []
    ranks = index.rank[rows]
    if rows.size > count:
        keep = np.argpartition(ranks, count - 1)[:count]
        rows, ranks = rows[keep], ranks[keep]
    return [int(row) for row in rows[np.argsort(ranks, kind="stable")]]


def _results(index: SearchIndex, found: list[tuple[int, MatchKind]]) -> list[SearchResult]:
    results = []
    for row, kind in found:
        territory = index.territories[row]
        code = territory.code
        if territory.level == "ARM" and territory.commune:
            code = typed_code("COM", territory.commune)
        results.append(
            SearchResult(
                code=code,
                name=territory.name,
                level=territory.level,
                level_label=LEVEL_LABELS[territory.level],
                context=index.contexts[row],
                population=territory.population,
                local_code=territory.local_code,
                match=kind,
            )
        )
    return results


def _context(referential: Referential, territory: Territory) -> str:
    """``"Commune · Ain (01)"``: the level and where the territory lies."""
    label = LEVEL_LABELS[territory.level]
    if territory.level == "FR":
        return "France entière"
    if territory.level == "REG":
        return label
    if territory.level == "DEP":
        return f"{label} · {_name(referential, 'REG', territory.region)}"
    if territory.level == "ARM":
        return f"{label} · {_name(referential, 'COM', territory.commune, with_code=True)}"
    if territory.level == "EPCI":
        label = EPCI_NATURES.get(territory.nature or "", label)
    return f"{label} · {_name(referential, 'DEP', territory.departement, with_code=True)}"


def _name(
    referential: Referential, level: Level, local: str | None, with_code: bool = False
) -> str:
    if not local:
        return "?"
    territory = referential.get(typed_code(level, local))
    name = territory.name if territory else local
    return f"{name} ({local})" if with_code and territory else name
