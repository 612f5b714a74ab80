"""What a load says back: the JSON object of ``suivi load --json`` (and of the web page) and a short
French summary (the "lignes à corriger" CSV is :mod:`.corrections`).
"""

from __future__ import annotations

from typing import Any, Final

from indicators.french import thousands
from indicators.ingest.analysis import Analysis
from indicators.ingest.commit import LoadOutcome

_DELIMITERS: Final = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre"}
_LAYOUTS: Final = {"long": "format long", "wide": "format large", "profile": "profil"}


def load_status(analysis: Analysis, outcome: LoadOutcome | None) -> str:
    """``committed``, ``unchanged`` or ``refused``; a dry run says ``dry-run`` or ``refused``."""
    if outcome is not None:
        return outcome.status
    return "dry-run" if analysis.verdict == "valid" else "refused"


def load_payload(analysis: Analysis, outcome: LoadOutcome | None = None) -> dict[str, Any]:
    """The contract scripts rely on: the documented keys keep their meaning forever."""
    counts = analysis.counts
    return {
        "load_id": outcome.load_id if outcome else None,
        "status": load_status(analysis, outcome),
        "dry_run": outcome is None,
        "rows_read": counts["rows_read"],
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "withdrawn": counts["withdrawn"],
        "rejected": counts["rejected"],
        "ignored": counts["ignored"],
        "warnings": counts["warnings"],
        "sha256": analysis.upload.sha256 if analysis.upload.data else None,
        "layout": analysis.layout,
        "profile": analysis.profile.name if analysis.profile else None,
        "previous_load": analysis.previous_load,
        "issues": [issue.as_dict() for issue in analysis.issues],
    }


def _count(count: int, one: str, many: str) -> str:
    """``1 valeur créée``, ``0 valeur créée``, ``2 valeurs créées`` (French: 0 is singular)."""
    return f"{thousands(count)} {one if count < 2 else many}"


def summary_lines(analysis: Analysis, outcome: LoadOutcome | None = None) -> list[str]:
    """A few French sentences: how the file was read, what would happen or happened."""
    counts, info = analysis.counts, analysis.file
    how = [_LAYOUTS.get(analysis.layout or "", "")]
    if analysis.profile is not None and analysis.layout == "profile":
        matched = " reconnu par son en-tête" if analysis.profile_matched else ""
        how = [f"profil « {analysis.profile.name} »{matched}"]
    if info.format == "xlsx":
        how.append(f"feuille « {info.sheet} »")
    elif info.encoding:
        how.append(f"encodage {info.encoding}")
        how.append(f"séparateur {_DELIMITERS.get(info.delimiter or '', info.delimiter)}")
    read = ", ".join(part for part in how if part)
    lines = [
        _count(counts["rows_read"], "ligne lue", "lignes lues") + (f" ({read})." if read else ".")
    ]
    if analysis.changes is not None:
        done = outcome is not None and outcome.status == "committed"
        parts = [
            _count(counts["created"], "valeur créée", "valeurs créées")
            if done
            else _count(counts["created"], "valeur à créer", "valeurs à créer"),
            _count(counts["updated"], "modifiée", "modifiées")
            if done
            else f"{thousands(counts['updated'])} à modifier",
            _count(counts["unchanged"], "inchangée", "inchangées"),
        ]
        if counts["withdrawn"]:
            parts.append(
                _count(counts["withdrawn"], "retirée", "retirées")
                if done
                else f"{thousands(counts['withdrawn'])} à retirer"
            )
        lines.append(", ".join(parts) + ".")
    rejected = [
        _count(counts["rejected"], "valeur rejetée", "valeurs rejetées"),
        _count(counts["warnings"], "avertissement", "avertissements"),
    ]
    if counts["ignored"]:
        rejected.append(
            _count(
                counts["ignored"], "valeur ignorée par le profil", "valeurs ignorées par le profil"
            )
        )
    lines.append(", ".join(rejected) + ".")
    lines.append(_verdict(analysis, outcome))
    return lines


def _verdict(analysis: Analysis, outcome: LoadOutcome | None) -> str:
    previous = (
        f" (fichier identique au chargement n°{analysis.previous_load})"
        if analysis.previous_load
        else ""
    )
    if analysis.verdict == "refused":
        if analysis.readable and analysis.errors and not analysis.options.accept_partial:
            advice = (
                "Fichier refusé : corrigez les lignes signalées, ou chargez seulement les lignes "
                "valides (--accept-partial)."
            )
        else:
            advice = "Fichier refusé : rien n'a été enregistré."
        return advice
    if outcome is None:
        if not analysis.writes:
            return f"Essai à blanc : le chargement ne changerait rien{previous}."
        return "Essai à blanc : rien n'a été enregistré."
    if outcome.status == "unchanged":
        return f"Rien n'a changé : les valeurs du fichier sont déjà en base{previous}."
    version = outcome.data_version
    return f"Chargement n°{outcome.load_id} enregistré (version des données {version})."
