"""Value statuses: their French labels and their one integer encoding, listed (issue #13).

The encoding is not stored (the database holds the status names); the computations and the
pre-computation read the stored names into these codes, whose order is the precedence.
"""

import pytest

from indicators.compute import statuses
from indicators.precompute import inputs

pytestmark = pytest.mark.unit


def test_the_statuses_and_their_labels() -> None:
    assert dict(statuses.STATUS_LABELS) == {
        "ok": "renseigné",
        "missing": "manquant",
        "not_applicable": "sans objet",
        "secret": "secret statistique",
    }


def test_one_encoding_by_increasing_precedence() -> None:
    assert statuses.STATUS_BY_CODE == ("ok", "not_applicable", "missing", "secret")
    assert [
        statuses.OK_CODE,
        statuses.NOT_APPLICABLE_CODE,
        statuses.MISSING_CODE,
        statuses.SECRET_CODE,
        statuses.ABSENT_CODE,
    ] == [0, 1, 2, 3, 4]
    assert statuses.ABSENT_CODE == len(statuses.STATUS_BY_CODE) == statuses.N_CODES - 1


def test_the_pre_computation_reads_statuses_in_the_same_encoding() -> None:
    assert inputs.STATUSES == statuses.STATUS_BY_CODE
    # a withdrawn value is read as "no row"
    assert inputs.WITHDRAWN_CODE == statuses.ABSENT_CODE
