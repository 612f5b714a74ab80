"""The audit log: who did what, when and from where. Entries are only ever added."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.store.models import AuditEvent, utcnow

# the actions written to the log, with their French label (the /journal page and `suivi audit`)
ACTION_LABELS: dict[str, str] = {
    "sign-in": "connexion",
    "sign-in-failed": "connexion refusée",
    "sign-out": "déconnexion",
    "password-changed": "mot de passe changé",
    "user-created": "compte créé",
    "user-changed": "compte modifié",
    "load": "chargement",
    "rollback": "annulation de chargement",
    "design-saved": "plan d'évaluation enregistré",
    "report-frozen": "rapport figé",
    "catalogue-edited": "définition du catalogue enregistrée",
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    username: str | None
    action: str
    ip: str | None
    details: dict[str, Any]

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "username": self.username,
            "action": self.action,
            "ip": self.ip,
            "details": self.details,
        }


def record_event(
    session: Session,
    action: str,
    *,
    username: str | None,
    ip: str | None = None,
    **details: Any,
) -> None:
    """Add one entry in the caller's transaction (an action undone leaves no entry)."""
    session.add(
        AuditEvent(
            at=utcnow(),
            username=(username or None) and username[:80],
            action=action,
            ip=ip,
            details=details,
        )
    )
    session.flush()


def list_events(
    session: Session, *, limit: int = 100, action: str | None = None
) -> list[AuditEntry]:
    """The latest entries first."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return [
        AuditEntry(row.id, row.at, row.username, row.action, row.ip, dict(row.details or {}))
        for row in session.scalars(query)
    ]
