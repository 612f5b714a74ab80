"""What ``suivi load``, ``suivi loads`` and ``suivi profiles`` share: progress bars on stderr, the
partner and the profile named on the command line, and a stored value as the report prints it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.ingest import (
    ProfileError,
    ProfileNotFound,
    ProgressEvent,
    StoredProfile,
    get_profile,
)
from indicators.store.models import Partner

ISSUES_SHOWN = 20
CHANGES_SHOWN = 10


class ProgressBars:
    """One click progress bar per stage, on stderr."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None
        self.done = 0

    def __call__(self, event: ProgressEvent) -> None:
        if event.stage != self.stage:
            self.close()
            self.stage, self.done = event.stage, 0
            self.bar = click.progressbar(
                length=max(event.total, 1), label=event.label, file=sys.stderr
            )
            self.bar.__enter__()
        if event.done > self.done:
            self.bar.update(event.done - self.done)
            self.done = event.done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@contextmanager
def progress_bars() -> Iterator[ProgressBars]:
    bars = ProgressBars()
    try:
        yield bars
    finally:
        bars.close()


def check_partner(session: Session, partner: str | None) -> None:
    if partner is not None and session.get(Partner, partner) is None:
        known = ", ".join(sorted(session.scalars(select(Partner.code))))
        raise click.UsageError(f"partenaire inconnu : {partner} (partenaires : {known or '—'})")


def named_profile(session: Session, name: str | None, partner: str | None) -> StoredProfile | None:
    if name is None:
        return None
    try:
        return get_profile(session, name, partner)
    except ProfileNotFound as error:
        raise click.UsageError(str(error)) from None
    except ProfileError as error:
        raise click.UsageError(f"profil « {name} » illisible : {error}") from None
