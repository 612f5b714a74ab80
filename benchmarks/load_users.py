"""The simulated visitors of the load test (``bench_load``), run by locust as a library.

    python -m benchmarks.load_users --host http://127.0.0.1:PORT --plan plan.json \
        --users 20 --seconds 60 --out stats.json

Each visitor opens a session (:func:`benchmarks.dash_browser.open_session`), fetches the shell
once, then follows journeys of the plan: page after page, each visited as a browser does (HTML,
Dash Pages' router, the page's callbacks, see :mod:`benchmarks.dash_browser`), with a pause
between pages. Every response is checked; an error is recorded with its reason, never timed as an
answer. Run apart from ``python -m benchmarks`` because locust patches the standard library
(gevent) when it is imported.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

# Importing locust patches sockets and threads for gevent: nothing above opens either, and
# requests (in dash_browser) must come after it.
import gevent
from locust import User, between, task
from locust.env import Environment

from benchmarks.dash_browser import DashBrowser, Request, http_transport, open_session
from benchmarks.timing import RequestSamples

THINK_SECONDS = (0.5, 2.0)  # pause between two pages of a journey
SEED = 42


SAMPLES = RequestSamples()
PLAN: dict[str, Any] = {}


class Visitor(User):
    """One person browsing: journeys of pages drawn from the plan."""

    wait_time = between(*THINK_SECONDS)
    number = 0

    def on_start(self) -> None:
        Visitor.number += 1
        self.rng = random.Random(SEED + Visitor.number)
        self.browser = DashBrowser(http_transport(open_session(self.host)))
        for request in self.browser.start():
            self._record(request)

    @task
    def journey(self) -> None:
        for step, (page, address) in enumerate(self.rng.choice(PLAN["journeys"])):
            if step:
                gevent.sleep(self.rng.uniform(*THINK_SECONDS))
            visit = self.browser.visit(page, address)
            for request in visit.requests:
                self._record(request, address)
            first_error = visit.errors[0].error if visit.errors else None
            SAMPLES.record("visit", page, visit.milliseconds, first_error)

    def _record(self, request: Request, address: str | None = None) -> None:
        SAMPLES.record("request", request.name, request.milliseconds, request.error, address)
        self.environment.events.request.fire(
            request_type="HTTP",
            name=request.name,
            response_time=request.milliseconds,
            response_length=request.size,
            exception=request.error,
            context={},
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if not args.host.startswith(("http://127.0.0.1:", "http://localhost:")):
        parser.error("le test de charge ne vise que la boucle locale (127.0.0.1)")
    PLAN.update(json.loads(args.plan.read_text()))
    environment = Environment(user_classes=[Visitor], host=args.host)
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    gevent.spawn_later(args.seconds, runner.quit)  # bounded: stops by itself
    runner.greenlet.join()
    elapsed = time.monotonic() - started
    total = environment.stats.total
    args.out.write_text(
        json.dumps(
            {
                **SAMPLES.summary(),
                "seconds": round(elapsed, 1),
                "requests_total": total.num_requests,
                "failures_total": total.num_failures,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
