"""Count the members of each group in each status, in one pass over the (group, member) pairs.

Counting each status with its own ``reduceat`` would cost one pass per status; instead each
territory carries a 1 in the bit field of its status inside one integer, so a single integer
``reduceat`` counts every status at once. Fields are as wide as the largest group needs (one
64-bit integer holds the four counted statuses of groups up to 65,535 members, two integers
beyond).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .membership import GroupMembership
from .statuses import ABSENT_CODE, N_CODES, StatusCodes

_COUNTED = tuple(code for code in range(N_CODES) if code != ABSENT_CODE)


def count_statuses(status: StatusCodes, members: GroupMembership) -> npt.NDArray[np.int64]:
    """Counts shaped (status code, period, group) from territory statuses (period, territory).

    Absent members are not counted directly but as the group's size minus the others.
    """
    sizes = members.sizes
    counts = np.zeros((N_CODES, status.shape[0], len(members.groups)), dtype=np.int64)
    if len(members.groups) == 0:
        return counts
    bits = int(sizes.max()).bit_length()
    per_word = max(64 // bits, 1)  # a field never carries over: a count is below 2**bits
    for first in range(0, len(_COUNTED), per_word):
        codes = _COUNTED[first : first + per_word]
        table = np.zeros(N_CODES, dtype=np.uint64)
        for slot, code in enumerate(codes):
            table[code] = np.uint64(1) << np.uint64(slot * bits)
        spread = np.take(table[status], members.territory_position, axis=1)
        packed = np.add.reduceat(spread, members.group_starts, axis=1)
        for slot, code in enumerate(codes):
            field = (packed >> np.uint64(slot * bits)) & np.uint64((1 << bits) - 1)
            counts[code] = field.astype(np.int64)
    counts[ABSENT_CODE] = sizes[None, :] - counts.sum(axis=0)
    return counts
