"""Is a timed response a real answer? Checks every benchmark applies before recording a time.

A failed Dash callback does not always look like a failure on the wire: the app's ``on_error``
answers ``200`` with the outputs left as they were and a French notice in ``sideUpdate``
(``dashboard.routes.errors``), a failed page layout becomes an error card, a chart whose data
failed gets a sentence saying so, and ``PreventUpdate`` answers ``204`` with no body. Timing any of
these as an answer is a wrong figure (issue 11), so each is a :class:`BadResponse` here.

An outcome that holds errors reports them under an ``errors`` key (case -> reason), outside its
figures; :func:`count_errors` finds them and ``python -m benchmarks`` then exits non-zero.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from dashboard.routes.errors import CHART_FAILED, MESSAGES, NOTICE_ID, PAGES_CONTENT

# Texts of the error card a failed page layout shows, and of the page for an unknown address.
PAGE_FAILED = "Cette page n'a pas pu être affichée"
PAGE_NOT_FOUND = "L'adresse demandée ne correspond à aucune page"
ERROR_TITLES = tuple(title for title, _message in MESSAGES.values())


class BadResponse(Exception):
    """A benchmarked response that is an error, not an answer (the message says which)."""


def check_page(status: int, content_type: str, text: str) -> None:
    """A page of the site (the Dash shell, or any HTML page): ``200``, HTML, not an error page."""
    if status != 200:
        raise BadResponse(f"HTTP {status}{_title(text)}")
    if "html" not in content_type:
        raise BadResponse(f"pas une page HTML ({content_type or 'type absent'})")
    if "_dash-config" not in text and "<main" not in text:
        raise BadResponse("page sans contenu reconnaissable")
    for title in ERROR_TITLES:
        if f"<title>{title} —" in text:
            raise BadResponse(f"page d'erreur « {title} »")


def check_json(status: int, body: bytes | str) -> Any:
    """A JSON route (``/healthz``, ``/_dash-layout``, the API): ``200`` and a non-empty body."""
    if status != 200:
        raise BadResponse(f"HTTP {status}{_snippet(body)}")
    try:
        data = json.loads(body)
    except ValueError:
        raise BadResponse(f"réponse qui n'est pas du JSON{_snippet(body)}") from None
    if not data:
        raise BadResponse("réponse JSON vide")
    return data


def check_callback(
    status: int,
    body: bytes | str,
    expected: Iterable[tuple[str, str]] = (),
    *,
    allow_no_update: bool = False,
) -> dict[str, dict[str, Any]]:
    """A ``/_dash-update-component`` answer: ``200`` (``204``, nothing updated, only when
    ``allow_no_update``), JSON with every ``expected`` (id, property) output, no error notice, no
    failed chart or page. Returns the ``response`` part (id -> property -> value)."""
    if status == 204:
        if allow_no_update:
            return {}
        raise BadResponse("aucune mise à jour (HTTP 204, PreventUpdate)")
    data = check_json(status, body)
    if not isinstance(data, dict):
        raise BadResponse("réponse de callback qui n'est pas un objet JSON")
    notice = (data.get("sideUpdate") or {}).get(NOTICE_ID)
    if notice is not None and notice.get("hidden") is False:
        raise BadResponse(f"notice d'erreur affichée : {_notice_text(notice.get('children'))}")
    response = data.get("response") or {}
    if not response and not allow_no_update:
        raise BadResponse("réponse de callback sans aucune sortie")
    missing = [f"{cid}.{prop}" for cid, prop in expected if prop not in response.get(cid, {})]
    if missing:
        raise BadResponse(f"sorties absentes : {', '.join(missing)}")
    for cid, props in response.items():
        for prop, value in props.items():
            if value == CHART_FAILED:
                raise BadResponse(f"graphique en erreur : {cid}.{prop}")
    page = response.get(PAGES_CONTENT, {}).get("children")
    if page is not None:
        text = json.dumps(page, ensure_ascii=False)
        if PAGE_FAILED in text:
            raise BadResponse(f"page en erreur : {_text_of(page)[:200]}")
        if PAGE_NOT_FOUND in text:
            raise BadResponse("page introuvable (404 de Dash Pages)")
    return dict(response)


def count_errors(outcome: object) -> int:
    """How many cases of a benchmark's outcome were errors (``errors`` entries, at any depth;
    an entry that is a number counts that many occurrences)."""
    if isinstance(outcome, Mapping):
        total = 0
        for key, value in outcome.items():
            if key == "errors":
                entries = value.values() if isinstance(value, Mapping) else value
                if not isinstance(entries, Iterable) or isinstance(entries, str):
                    total += int(bool(entries))
                    continue
                total += sum(
                    entry if isinstance(entry, int) and not isinstance(entry, bool) else 1
                    for entry in entries
                )
            else:
                total += count_errors(value)
        return total
    return 0


def _notice_text(children: Any) -> str:
    """« Une partie de la page n'a pas pu être mise à jour. (référence 1a2b3c) »"""
    text = _text_of(children)
    reference = re.search(r"Référence de l'erreur : (\w+)", text)
    first = text.split(". ")[0].strip()
    return f"{first}. (référence {reference.group(1)})" if reference else first


def _title(text: str) -> str:
    for title in ERROR_TITLES:
        if title in text:
            return f" « {title} »"
    return ""


def _snippet(body: bytes | str) -> str:
    text = body.decode(errors="replace") if isinstance(body, bytes) else body
    return f" : {text[:200]}" if text.strip() else ""


def _text_of(node: Any) -> str:
    """The visible text of a serialised Dash component tree."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(_text_of(item) for item in node)
    if isinstance(node, dict):
        return _text_of(node.get("props", {}).get("children", ""))
    return ""
