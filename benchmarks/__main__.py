"""``python -m benchmarks``: run every ``bench_*`` module, write RESULTS.md and results.json.

A benchmark that met an error response (:mod:`benchmarks.checks`) is written with its errors
and the run exits with status 1: a figure that timed an error is not a figure."""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.checks import BadResponse, count_errors

HERE = Path(__file__).resolve().parent


def flatten(prefix: str, value: object) -> list[tuple[str, object]]:
    if isinstance(value, dict):
        rows: list[tuple[str, object]] = []
        for key, inner in value.items():
            rows += flatten(f"{prefix}.{key}" if prefix else str(key), inner)
        return rows
    return [(prefix, value)]


def main(selected: list[str], out: Path = HERE) -> int:
    """Run the selected benchmarks, write ``out``/RESULTS.md and results.json; 1 on errors."""
    modules = sorted(path.stem for path in HERE.glob("bench_*.py"))
    if selected:
        modules = [name for name in modules if any(word in name for word in selected)]
    previous = out / "results.json"
    # a partial run (``make bench ARGS=web``) keeps the figures of the benchmarks it did not run,
    # with the date each was measured
    before = json.loads(previous.read_text()) if previous.exists() and selected else {}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    results: dict[str, Any] = {
        "date": now,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
        "dates": {
            # results written before dates were kept per benchmark: the last run's, at the latest
            name: before.get("dates", {}).get(name, f"{before.get('date')} ou avant")
            for name in before.get("benchmarks", {})
        },
        "benchmarks": before.get("benchmarks", {}),
    }
    failed: dict[str, int] = {}
    for name in modules:
        print(f"… {name}", flush=True)
        start = time.perf_counter()
        try:
            outcome = importlib.import_module(f"benchmarks.{name}").run()
        except BadResponse as error:
            outcome = {"errors": [str(error)]}
        results["benchmarks"][name] = outcome
        results["dates"][name] = now
        if errors := count_errors(outcome):
            failed[name] = errors
            print(f"  ERREUR : {errors} réponse(s) en erreur, exclues des chiffres", flush=True)
        print(f"  fait en {time.perf_counter() - start:.1f} s", flush=True)
    write(results, out)
    if failed:
        listed = ", ".join(f"{name} ({count})" for name, count in failed.items())
        print(f"Réponses en erreur dans : {listed}", file=sys.stderr)
        return 1
    return 0


def write(results: dict[str, Any], out: Path) -> None:
    """results.json as measured, and RESULTS.md: one table per benchmark, with its date."""
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Résultats des mesures de performance",
        "",
        f"Dernière exécution le {results['date']} (Python {results['python']}, "
        f"{results['machine']}).",
        "Produit par `make bench` ; chiffres bruts dans `results.json`.",
        "",
    ]
    for name, outcome in results["benchmarks"].items():
        lines += [f"## {name}", ""]
        if date := results.get("dates", {}).get(name):
            lines += [f"Mesuré le {date}.", ""]
        lines += ["| mesure | valeur |", "|---|---|"]
        lines += [f"| {key} | {value} |" for key, value in flatten("", outcome)]
        lines.append("")
    (out / "RESULTS.md").write_text("\n".join(lines))
    print(f"Écrit {out / 'RESULTS.md'}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
