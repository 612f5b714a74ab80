"""The load test's figures: samples and percentiles, errors grouped by reason, the server's
causes, and the outcome RESULTS.md shows (no server, no locust: locust patches the process)."""

from __future__ import annotations

import pytest

from benchmarks.bench_load import outcome, server_causes
from benchmarks.checks import BadResponse
from benchmarks.timing import RequestSamples, percentile

pytestmark = pytest.mark.unit

NOTICE = "notice d'erreur affichée : Une partie de la page n'a pas pu être mise à jour."
LOAD_OK = {"exit_code": 0, "status": "committed", "rows": 10}


def test_percentile_is_nearest_rank() -> None:
    assert percentile([1.0, 2.0], 0.95) == 2.0  # not the minimum of two samples
    assert percentile([float(i) for i in range(1, 201)], 0.95) == 190.0
    assert percentile([5.0], 0.5) == 5.0


def test_errors_are_grouped_by_reason_and_kept_out_of_the_times() -> None:
    samples = RequestSamples()
    samples.record("request", "territoire · page", 10.0, None)
    samples.record("request", "territoire · page", 30.0, None)
    for reference in ("aaaaaaaaaaaa", "bbbbbbbbbbbb"):
        error = BadResponse(f"{NOTICE} (référence {reference})")
        address = f"/territoire/COM:{reference[:5]}"
        samples.record("request", "territoire · territoire-trend-graph (+4)", 5.0, error, address)
    samples.record("visit", "territoire", 45.0, None)
    samples.record("visit", "territoire", 99.0, BadResponse(NOTICE))
    summary = samples.summary()
    assert summary["requests"]["territoire · page"] == {
        "n": 2,
        "errors": 0,
        "p50_ms": 20.0,
        "p95_ms": 30.0,
        "max_ms": 30.0,
    }
    trend = summary["requests"]["territoire · territoire-trend-graph (+4)"]
    assert trend["n"] == 0 and trend["errors"] == 2 and trend["p95_ms"] is None
    assert summary["visits"]["territoire"]["n"] == 1
    assert summary["visits"]["territoire"]["errors"] == 1
    # one row per request and reason, the first reference kept; failed visits add no row
    assert summary["errors"] == [
        {
            "request": "territoire · territoire-trend-graph (+4)",
            "reason": NOTICE,
            "count": 2,
            "reference": "aaaaaaaaaaaa",
            "address": "/territoire/COM:aaaaa",
        }
    ]


LOG = """\
127.0.0.1 - - "POST /_dash-update-component HTTP/1.1" 200 565
[2026-12-07 12:15:58,001] ERROR in errors: erreur 3f5e84bbab65 dans le callback a.figure
Traceback (most recent call last):
  File "dashboard/pages/territoire/callbacks.py", line 202, in update_trend
    raise ValueError("No objects to concatenate")
ValueError: No objects to concatenate
erreur 0123456789ab sur GET /api/x
Traceback (most recent call last):
KeyError: 'COM'
"""


def test_server_causes_finds_each_references_exception() -> None:
    assert server_causes(LOG) == {
        "3f5e84bbab65": "ValueError: No objects to concatenate",
        "0123456789ab": "KeyError: 'COM'",
    }


def _stats(errors: list[dict[str, object]]) -> dict[str, object]:
    row = {"n": 3, "errors": 0, "p50_ms": 50.0, "p95_ms": 80.0, "max_ms": 80.0}
    return {
        "seconds": 60.2,
        "requests_total": 12,
        "visits": {"carte": {**row, "p95_ms": 400.0}},
        "requests": {
            "carte · page": row,
            "carte · carte-graph (+5)": {**row, "p95_ms": 300.0, "errors": 1},
            "cartes · x": row,  # another page whose name starts alike
        },
        "errors": errors,
    }


def test_outcome_reports_p95_per_page_and_every_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "gunicorn.log"
    log.write_text(LOG)
    error = {
        "request": "carte · carte-graph (+5)",
        "reason": NOTICE,
        "count": 3,
        "reference": "3f5e84bbab65",
        "address": "/carte?indicateur=X",
    }
    result = outcome("regions", 20, _stats([error]), LOAD_OK, log)
    assert result["pages"]["carte"] == {
        "visits": 3,
        "visit_p50_ms": 50.0,
        "visit_p95_ms": 400.0,
        "requests": 7,
        "request_errors": 1,
        "slowest_request_p95": "carte · carte-graph (+5) 300.0 ms",
    }
    assert result["error_count"] == 3
    cause = "[ValueError: No objects to concatenate] (ex. /carte?indicateur=X)"
    assert result["errors"] == {f"carte · carte-graph (+5) — {NOTICE} {cause}": 3}


def test_a_clean_run_has_no_errors_but_a_failed_load_is_one() -> None:
    clean = outcome("regions", 20, _stats([]), LOAD_OK)
    assert clean["error_count"] == 0 and "errors" not in clean
    refused = outcome("regions", 20, _stats([]), {"exit_code": 1, "status": "refused"})
    assert refused["error_count"] == 1
    assert list(refused["errors"]) == ["suivi load (code 1, refused)"]


class _Benchmark:
    def __init__(self, outcome: object = None, error: Exception | None = None) -> None:
        self.outcome, self.error = outcome, error

    def run(self) -> object:
        if self.error is not None:
            raise self.error
        return self.outcome


def _run_main(tmp_path, monkeypatch, modules: dict[str, _Benchmark]) -> int:  # type: ignore[no-untyped-def]
    import benchmarks.__main__ as runner

    monkeypatch.setattr(runner.importlib, "import_module", lambda name: modules[name])
    return runner.main([name.removeprefix("benchmarks.") for name in modules], out=tmp_path)


def test_the_run_fails_when_a_benchmark_met_an_error(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    modules = {
        "benchmarks.bench_web_shell": _Benchmark({"page_index": {"p95_ms": 1.0}}),
        "benchmarks.bench_load": _Benchmark({"pages": {}, "errors": {"carte · x — HTTP 500": 2}}),
    }
    assert _run_main(tmp_path, monkeypatch, modules) == 1
    assert "bench_load (2)" in capsys.readouterr().err  # occurrences, not kinds of errors
    written = (tmp_path / "RESULTS.md").read_text()
    assert "| errors.carte · x — HTTP 500 | 2 |" in written  # the errors are written, not hidden
    assert "| page_index.p95_ms | 1.0 |" in written


def test_a_benchmark_that_raises_bad_response_is_recorded_and_fails_the_run(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    modules = {"benchmarks.bench_web_shell": _Benchmark(error=BadResponse("HTTP 500"))}
    assert _run_main(tmp_path, monkeypatch, modules) == 1
    assert "| errors | ['HTTP 500'] |" in (tmp_path / "RESULTS.md").read_text()


def test_a_clean_run_exits_zero(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    modules = {"benchmarks.bench_web_shell": _Benchmark({"page_index": {"p95_ms": 1.0}})}
    assert _run_main(tmp_path, monkeypatch, modules) == 0


def test_a_partial_run_keeps_the_other_figures_with_their_date(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    first = {"benchmarks.bench_web_shell": _Benchmark({"page_index": {"p95_ms": 1.0}})}
    assert _run_main(tmp_path, monkeypatch, first) == 0
    measured = json.loads((tmp_path / "results.json").read_text())["dates"]["bench_web_shell"]
    second = {"benchmarks.bench_load": _Benchmark({"pages": {"carte": {"visit_p95_ms": 9.0}}})}
    assert _run_main(tmp_path, monkeypatch, second) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results["benchmarks"]) == {"bench_web_shell", "bench_load"}
    assert results["dates"]["bench_web_shell"] == measured
    assert f"## bench_web_shell\n\nMesuré le {measured}." in (tmp_path / "RESULTS.md").read_text()
