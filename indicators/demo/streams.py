"""Named random streams: one generator per purpose, indicator and level.

Each stream is seeded by the demo seed and stable hashes of its names, so that adding an indicator
or a step leaves every other series unchanged, and the same seed always gives the same data.
"""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt


def stream(seed: int, *names: str) -> np.random.Generator:
    if seed < 0:
        raise ValueError(f"graine invalide {seed} : attendu un entier positif ou nul")
    return np.random.default_rng([seed, *(zlib.crc32(name.encode()) for name in names)])


def latent(seed: int, name: str, level: str, size: int) -> npt.NDArray[np.float64]:
    """A territory's persistent standard-normal deviation, shared by everything named ``name``
    (an indicator's level, or a trait such as industrial specialisation that several share)."""
    return stream(seed, "latent", name, level).standard_normal(size)
