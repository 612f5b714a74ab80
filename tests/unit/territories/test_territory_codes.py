"""The normalisation rules, one by one, on the mini referential."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from indicators.territories import (
    RULES,
    Referential,
    code_rules,
    normalise_code,
    normalise_codes,
    normaliser_for,
    resolve_many,
)
from indicators.territories.codes import HINT_LEVELS, clean_value

pytestmark = pytest.mark.unit

# (raw value, level hint, expected typed code, status, rule): at least one line per rule
EXAMPLES: list[tuple[object, str | None, str | None, str, str]] = [
    ("", None, None, "unknown", "missing"),
    (None, None, None, "unknown", "missing"),
    (float("nan"), "COM", None, "unknown", "missing"),
    (pd.NA, None, None, "unknown", "missing"),
    ("NA", None, None, "unknown", "missing"),
    ("n/a", "COM", None, "unknown", "missing"),
    ("#N/A", None, None, "unknown", "missing"),
    ("COM:75056", None, "COM:75056", "ok", "typed-code"),
    ("DEP:2A", None, "DEP:2A", "ok", "typed-code"),
    ("dep:2a", None, "DEP:2A", "ok", "typed-code"),
    ("REG:84", None, "REG:84", "ok", "typed-code"),
    ("EPCI:200054781", "EPCI", "EPCI:200054781", "ok", "typed-code"),
    ("GRP:petites-villes", None, "GRP:petites-villes", "ok", "typed-code"),
    ("GRP:Pas un slug", None, None, "unknown", "typed-code"),
    ("COM:01340", None, "COM:01015", "mapped", "old-commune-code"),
    ("FR", None, "FR", "ok", "france"),
    ("FRANCE", None, "FR", "ok", "france"),
    ("France entière", None, "FR", "ok", "france"),
    ("france-entiere", "FR", "FR", "ok", "france"),
    ("D01", None, "DEP:01", "ok", "prefixed-code"),
    ("DEP01", None, "DEP:01", "ok", "prefixed-code"),
    ("DEP 2A", None, "DEP:2A", "ok", "prefixed-code"),
    ("dpt-84", None, "DEP:84", "ok", "prefixed-code"),
    ("R84", None, "REG:84", "ok", "prefixed-code"),
    ("REG84", None, "REG:84", "ok", "prefixed-code"),
    ("D1", None, "DEP:01", "ok", "departement-unpadded"),
    ("ZA", None, "DEP:971", "ok", "overseas-letter-code"),
    ("ZB", "DEP", "DEP:972", "ok", "overseas-letter-code"),
    ("ZC", None, "DEP:973", "ok", "overseas-letter-code"),
    ("zd", None, "DEP:974", "ok", "overseas-letter-code"),
    ("ZM", None, "DEP:976", "ok", "overseas-letter-code"),
    ("ZD", "REG", "REG:04", "ok", "overseas-letter-code"),
    ("978", None, None, "unknown", "outside-referential"),
    ("97801", "COM", None, "unknown", "outside-referential"),
    ("975", "DEP", None, "unknown", "outside-referential"),
    ("98735", None, None, "unknown", "outside-referential"),
    ("ZZ", None, None, "unknown", "outside-referential"),
    ("ZX", None, None, "unknown", "outside-referential"),
    ("999999", "COM", None, "unknown", "placeholder"),
    ("99999", None, None, "unknown", "placeholder"),
    ("00000", None, None, "unknown", "placeholder"),
    (-9999, None, None, "unknown", "placeholder"),
    ("01001", "COM", "COM:01001", "ok", "commune"),
    ("2A004", None, "COM:2A004", "ok", "commune"),
    ("2a004", None, "COM:2A004", "ok", "commune"),
    ("97101", None, "COM:97101", "ok", "commune"),
    (75056, None, "COM:75056", "ok", "commune"),
    (75056.0, "COM", "COM:75056", "ok", "commune"),
    ("75056.0", None, "COM:75056", "ok", "commune"),
    (" 01001\u00a0", None, "COM:01001", "ok", "commune"),
    ("'01001", None, "COM:01001", "ok", "commune"),
    (np.int64(75056), None, "COM:75056", "ok", "commune"),
    ("75101", None, "COM:75056", "mapped", "arrondissement"),
    ("75115", "COM", "COM:75056", "mapped", "arrondissement"),
    ("69381", None, "COM:69123", "mapped", "arrondissement"),
    ("13201", None, "COM:13055", "mapped", "arrondissement"),
    ("ARM:75101", None, "COM:75056", "mapped", "arrondissement"),
    ("01340", None, "COM:01015", "mapped", "old-commune-code"),
    ("01998", None, None, "ambiguous", "old-commune-code"),
    ("01147", None, None, "unknown", "old-commune-code"),
    ("20004", None, "COM:2A004", "mapped", "corsica-20"),
    ("20", None, None, "ambiguous", "corsica-20"),
    (1001, "COM", "COM:01001", "ok", "commune-missing-zero"),
    (1001, None, "COM:01001", "ok", "commune-missing-zero"),
    ("1001", None, "COM:01001", "ok", "commune-missing-zero"),
    (1001.0, "COM", "COM:01001", "ok", "commune-missing-zero"),
    (1340, "COM", "COM:01015", "mapped", "old-commune-code"),
    ("200054781", None, "EPCI:200054781", "ok", "epci"),
    (200054781, "EPCI", "EPCI:200054781", "ok", "epci"),
    ("200 054 781", None, "EPCI:200054781", "ok", "epci"),
    ("123456789", "EPCI", None, "unknown", "epci"),
    ("84", None, None, "ambiguous", "ambiguous-level"),
    (84, None, None, "ambiguous", "ambiguous-level"),
    ("1", None, None, "ambiguous", "ambiguous-level"),
    ("01", None, None, "ambiguous", "ambiguous-level"),
    ("2A", None, "DEP:2A", "ok", "departement"),
    ("2a", None, "DEP:2A", "ok", "departement"),
    ("2B", "DEP", "DEP:2B", "ok", "departement"),
    ("13", None, "DEP:13", "ok", "departement"),
    ("971", None, "DEP:971", "ok", "departement"),
    ("84", "DEP", "DEP:84", "ok", "departement"),
    ("9", None, "DEP:09", "ok", "departement-unpadded"),
    (9, None, "DEP:09", "ok", "departement-unpadded"),
    ("1", "DEP", "DEP:01", "ok", "departement-unpadded"),
    (1, "DEP", "DEP:01", "ok", "departement-unpadded"),
    (1.0, "DEP", "DEP:01", "ok", "departement-unpadded"),
    ("001", None, "DEP:01", "ok", "departement-three-chars"),
    ("02A", None, "DEP:2A", "ok", "departement-three-chars"),
    ("075", "DEP", "DEP:75", "ok", "departement-three-chars"),
    ("84", "REG", "REG:84", "ok", "region"),
    ("11", None, "REG:11", "ok", "region"),
    ("01", "REG", "REG:01", "ok", "region"),
    ("1", "REG", "REG:01", "ok", "region-unpadded"),
    ("01001", "DEP", None, "unknown", "level-mismatch"),
    ("84", "COM", None, "unknown", "level-mismatch"),
    ("ZA", "COM", None, "unknown", "level-mismatch"),
    ("COM:01001", "DEP", None, "unknown", "level-mismatch"),
    ("FR", "COM", None, "unknown", "level-mismatch"),
    ("12345", None, None, "unknown", "unknown"),
    ("12345", "COM", None, "unknown", "unknown"),
    ("abc", None, None, "unknown", "unknown"),
    (75056.5, None, None, "unknown", "unknown"),
    ("999", "DEP", None, "unknown", "unknown"),
]


@pytest.mark.parametrize(
    ("raw", "level", "code", "status", "rule"),
    EXAMPLES,
    ids=[f"{rule}:{raw!r}@{level}" for raw, level, _, _, rule in EXAMPLES],
)
def test_rule(
    mini: Referential, raw: object, level: str | None, code: str | None, status: str, rule: str
) -> None:
    resolution = normalise_code(raw, mini, level)
    assert (resolution.code, resolution.status, resolution.rule) == (code, status, rule)
    if status != "ok":
        assert resolution.message, "only a plain ok may stay silent"


def test_every_rule_has_examples() -> None:
    assert {rule.name for rule in RULES} <= {example[4] for example in EXAMPLES}


def test_rules_table_is_documented() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert rule.description, rule.name
        assert f"``{rule.name}``" in (code_rules.__doc__ or ""), rule.name


def test_absorbed_code_says_where_it_went(mini: Referential) -> None:
    resolution = normalise_code("01340", mini)
    assert resolution.message == (
        "Code de commune 01340 absorbé (Saint-Bois) : rattaché à 01340→01015 (Arboys en Bugey)"
    )


def test_a_current_code_wins_over_an_old_code_listing(mini: Referential) -> None:
    # the COG lists a commune nouvelle's chef-lieu as an old code of itself
    assert mini.old_codes["01015"].new_codes == ("01015",)
    assert normalise_code("01015", mini).status == "ok"


def test_arrondissement_message_names_both(mini: Referential) -> None:
    message = normalise_code("75101", mini).message
    assert "75101 (Paris 1er Arrondissement)" in message
    assert "commune 75056 (Paris)" in message


def test_ambiguous_code_lists_both_readings_and_guesses_nothing(mini: Referential) -> None:
    resolution = normalise_code("84", mini)
    assert resolution.code is None
    assert resolution.candidates == ("DEP:84", "REG:84")
    assert "département 84 (Vaucluse)" in resolution.message
    assert "région 84 (Auvergne-Rhône-Alpes)" in resolution.message


def test_split_old_code_lists_its_current_communes(mini: Referential) -> None:
    resolution = normalise_code("01998", mini)
    assert resolution.candidates == ("COM:01004", "COM:01053")


def test_level_mismatch_suggests_the_enclosing_territory(mini: Referential) -> None:
    assert normalise_code("01001", mini, "DEP").suggestion == "DEP:01"
    assert normalise_code("75056", mini, "EPCI").suggestion == "EPCI:200054781"
    assert normalise_code("01001", mini, "REG").suggestion == "REG:84"
    assert normalise_code("01001", mini, "FR").suggestion == "FR"


@pytest.mark.parametrize("raw", ["978", "ZZ", "999999", "NA", "", "12345"])
def test_unknown_codes_have_a_french_message(mini: Referential, raw: str) -> None:
    resolution = normalise_code(raw, mini, "COM")
    assert resolution.status == "unknown" and resolution.code is None
    assert any(word in resolution.message for word in ("Code", "Valeur"))


def test_restored_zero_is_said(mini: Referential) -> None:
    assert normalise_code(1001, mini, "COM").message == (
        "Code 1001 complété en 01001 (zéro initial perdu)"
    )
    mapped = normalise_code(1340, mini, "COM").message
    assert mapped.startswith("Code 1340 complété en 01340") and "Arboys en Bugey" in mapped


def test_a_wrong_level_hint_is_a_programming_error(mini: Referential) -> None:
    with pytest.raises(ValueError, match="niveau inconnu"):
        normalise_code("01001", mini, "COMMUNE")


def test_level_hint_is_case_insensitive(mini: Referential) -> None:
    assert normalise_code("84", mini, "dep").code == "DEP:84"


def test_fast_path_answers_exactly_what_the_rules_answer(mini: Referential) -> None:
    normaliser = normaliser_for(mini)
    locals_ = [t.local_code for t in mini.territories.values()]
    numbers = [int(code) for code in locals_ if code.isdigit()]
    keys: list[object] = [*locals_, *mini.territories, *numbers, *(float(n) for n in numbers)]
    for key in keys:
        for level in (None, *HINT_LEVELS):
            fast = normaliser.normalise(key, level)
            slow = normaliser.apply_rules(clean_value(key, level))  # type: ignore[arg-type]
            assert fast == slow, (key, level)


def test_clean_value_keeps_text_and_flags_numbers() -> None:
    assert clean_value(1001.0) == clean_value(1001)
    assert clean_value(1001).numeric and not clean_value("01001").numeric
    assert clean_value("  2a ").key == "2A"


def test_normalise_codes_keeps_the_index_and_one_row_per_value(mini: Referential) -> None:
    values = pd.Series(["01001", 1001, "84", None, "75101"], index=list("abcde"), dtype=object)
    frame = normalise_codes(values, mini, "COM")
    assert list(frame.index) == list("abcde")
    assert list(frame.columns) == ["code", "status", "rule", "message", "suggestion"]
    assert list(frame["status"]) == ["ok", "ok", "unknown", "unknown", "mapped"]
    assert frame.loc["b", "code"] == "COM:01001"
    assert frame["code"].isna().tolist() == [False, False, True, True, False]


def test_normalise_codes_accepts_plain_sequences(mini: Referential) -> None:
    frame = normalise_codes(["2A", "ZA"], mini)
    assert list(frame["code"]) == ["DEP:2A", "DEP:971"]


def test_resolve_many_normalises_each_distinct_value_once(
    mini: Referential, monkeypatch: pytest.MonkeyPatch
) -> None:
    normaliser = normaliser_for(mini)
    calls: list[object] = []
    original = normaliser.normalise

    def counting(raw: object, level: str | None = None) -> object:
        calls.append(raw)
        return original(raw, level)

    monkeypatch.setattr(normaliser, "normalise", counting)
    resolutions = resolve_many(["01001", "01001", 1001, "01001", [1]], mini, "COM")
    assert [r.code for r in resolutions[:4]] == ["COM:01001"] * 4
    assert resolutions[4].status == "unknown"  # an unhashable cell still gets an answer
    assert calls == ["01001", 1001, [1]]


def test_a_hundred_thousand_codes_normalise_quickly(mini: Referential) -> None:
    values = pd.Series(["01001", "75101", 1001, "84", "NA", "2A004"] * 20_000)
    started = time.perf_counter()
    frame = normalise_codes(values, mini, "COM")
    elapsed = time.perf_counter() - started
    assert len(frame) == 120_000
    assert elapsed < 2.0, elapsed  # ~0.05 s here; 1 M rows are measured by benchmarks/
