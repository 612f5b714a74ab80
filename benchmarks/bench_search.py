"""Territory search and code normalisation on the real referential (``data/reference``).

``run()`` returns the index build time, the median and 95th percentile of ~200 varied queries, and
the time to normalise one million codes as an upload would meet them (text and numbers, lost
zeros, arrondissements, absorbed communes, départements, junk). Deterministic: ``Random(42)``.

    .venv/bin/python benchmarks/bench_search.py
"""

from __future__ import annotations

import json
import random
import statistics
import time

import pandas as pd

from indicators.territories import (
    Referential,
    build_search_index,
    default_reference_dir,
    fold,
    load_referential,
    normalise_codes,
    search,
)

QUERY_COUNT = 200
CODE_COUNT = 1_000_000


def run() -> dict[str, float]:
    directory = default_reference_dir()
    if not (directory / "communes.csv").is_file():
        raise FileNotFoundError(f"référentiel absent ({directory}) : lancer `make reference`")
    referential = load_referential(directory)
    rng = random.Random(42)

    started = time.perf_counter()
    index = build_search_index(referential)
    build_ms = (time.perf_counter() - started) * 1000

    timings = []
    for query in _queries(referential, rng):
        started = time.perf_counter()
        search(index, query)
        timings.append((time.perf_counter() - started) * 1000)

    codes = _codes(referential, rng)
    started = time.perf_counter()
    normalise_codes(codes, referential, "COM")
    normalise_s = time.perf_counter() - started

    return {
        "search_build_ms": round(build_ms, 1),
        "search_p50_ms": round(statistics.median(timings), 3),
        "search_p95_ms": round(statistics.quantiles(timings, n=20)[-1], 3),
        "normalise_1m_codes_s": round(normalise_s, 3),
    }


def _queries(referential: Referential, rng: random.Random) -> list[str]:
    """Names typed whole or in part, with or without accents, codes, and a few misses."""
    names = [referential.territory(code).name for code in referential.codes("COM")]
    names += [referential.territory(code).name for code in referential.codes("EPCI")]
    codes = [referential.territory(code).local_code for code in referential.codes("COM")]
    queries: list[str] = []
    while len(queries) < QUERY_COUNT:
        name = rng.choice(names)
        kind = len(queries) % 8
        if kind == 0:
            queries.append(name)
        elif kind == 1:
            queries.append(name[: rng.randint(1, 4)].lower())  # short prefixes: large result sets
        elif kind == 2:
            queries.append(fold(name)[: rng.randint(5, 12)])
        elif kind == 3:
            words = fold(name).split()
            queries.append(words[-1][:6])  # a word inside the name
        elif kind == 4:
            queries.append(rng.choice(codes))
        elif kind == 5:
            queries.append(rng.choice(codes)[:3])  # code prefix
        elif kind == 6:
            queries.append(name.upper().replace("-", " "))
        else:
            queries.append(rng.choice(["xyz", "qqq", "ie", "sur mer", "84", "2A", "ZA", "cc du"]))
    return queries


def _codes(referential: Referential, rng: random.Random) -> pd.Series:
    communes = list(referential.tables["communes"]["code"])
    arrondissements = list(referential.tables["arrondissements"]["code"])
    old = list(referential.old_codes)
    departements = list(referential.tables["departements"]["code"])
    junk = ["NA", "", "999999", "978", "97801", "ZZ", "12345"]
    values: list[object] = []
    for _ in range(CODE_COUNT):
        draw = rng.random()
        if draw < 0.80:
            values.append(rng.choice(communes))
        elif draw < 0.88:
            code = rng.choice(communes)
            values.append(int(code) if code.isdigit() else code)  # a spreadsheet's number
        elif draw < 0.92:
            values.append(rng.choice(arrondissements))
        elif draw < 0.96:
            values.append(rng.choice(old))
        elif draw < 0.98:
            values.append(rng.choice(departements))
        else:
            values.append(rng.choice(junk))
    return pd.Series(values, dtype=object)


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
