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
    # a partial run (``make bench ARGS=web``) keeps the figures of the benchmarks it did not run
    kept = json.loads(previous.read_text())["benchmarks"] if previous.exists() and selected else {}
    results: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
        "benchmarks": kept,
    }
    benchmarks: dict[str, object] = results["benchmarks"]  # type: ignore[assignment]
    failed: dict[str, int] = {}
    for name in modules:
        print(f"… {name}", flush=True)
        start = time.perf_counter()
        try:
            outcome = importlib.import_module(f"benchmarks.{name}").run()
        except BadResponse as error:
            outcome = {"errors": [str(error)]}
        benchmarks[name] = outcome
        if errors := count_errors(outcome):
            failed[name] = errors
            print(f"  ERREUR : {errors} réponse(s) en erreur, exclues des chiffres", flush=True)
        print(f"  fait en {time.perf_counter() - start:.1f} s", flush=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Résultats des mesures de performance",
        "",
        f"Mesuré le {results['date']} (Python {results['python']}, {results['machine']}).",
        "Produit par `make bench` ; chiffres bruts dans `results.json`.",
        "",
    ]
    for name, outcome in benchmarks.items():
        lines += [f"## {name}", "", "| mesure | valeur |", "|---|---|"]
        lines += [f"| {key} | {value} |" for key, value in flatten("", outcome)]
        lines.append("")
    (out / "RESULTS.md").write_text("\n".join(lines))
    print(f"Écrit {out / 'RESULTS.md'}")
    if failed:
        listed = ", ".join(f"{name} ({count})" for name, count in failed.items())
        print(f"Réponses en erreur dans : {listed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
