"""A browserless visitor: open a page as Dash's renderer does and fire its initial callbacks.

The renderer reads ``/_dash-dependencies``, renders the page (the pages router callback, fed
with the address's pathname and search), then fires every callback whose inputs are on the page
and whose initial call is not prevented, in dependency order: a callback waits while one of its
inputs is the output of a callback still to run. Outputs are written back into the page, new
components in ``children`` bring their own callbacks, and a changed input fires its callbacks
again. Clientside callbacks are skipped (they only mirror state into the address). Every data
twin (``*-csv`` / ``*-xlsx`` links) the callbacks produce is downloaded too.

Callback exceptions are counted on the server, by a handler on the ``dashboard.errors`` logger
that :func:`dashboard.routes.errors.callback_error_notice` writes to — not by reading the page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from dashboard.testing import ComponentId, component_id_text, wait_for_job

WILDCARDS = ("MATCH", "ALL", "ALLSMALLER")
LOCATIONS = ("url", "_pages_location", "search-nav")
MAX_ROUNDS = 200  # callbacks fired per page, a guard against loops between callbacks


id_text = component_id_text


def parse_id(text: str) -> ComponentId:
    return json.loads(text) if text.startswith("{") else text


def split_outputs(output: str) -> list[tuple[str, str]]:
    """``"..a.b...c.d.."`` (several outputs) or ``"a.b"`` -> ``[(id, property), ...]``."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    result = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        result.append((component, prop.split("@")[0]))
    return result


def _components(node: Any) -> Iterator[dict[str, Any]]:
    """Every component (``{"type", "namespace", "props"}``) in a layout fragment."""
    if isinstance(node, dict):
        if "props" in node and "type" in node:
            yield node
            for value in node["props"].values():
                yield from _components(value)
        else:
            for value in node.values():
                yield from _components(value)
    elif isinstance(node, list):
        for item in node:
            yield from _components(item)


@dataclass
class Dependency:
    output: str
    outputs: list[tuple[str, str]]
    inputs: list[dict[str, Any]]
    state: list[dict[str, Any]]
    prevent_initial_call: bool
    clientside: bool
    multi: bool

    @classmethod
    def from_json(cls, spec: dict[str, Any]) -> Dependency:
        return cls(
            output=spec["output"],
            outputs=split_outputs(spec["output"]),
            inputs=spec["inputs"],
            state=spec["state"],
            prevent_initial_call=bool(spec.get("prevent_initial_call")),
            clientside=spec.get("clientside_function") is not None,
            multi=spec["output"].startswith(".."),
        )


@dataclass
class CallbackErrors(logging.Handler):
    """Collects the server's reports of failed callbacks and failed requests."""

    records: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        logging.Handler.__init__(self, level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        error = ""
        if record.exc_info and record.exc_info[1] is not None:
            error = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self.records.append(f"{record.getMessage()} — {error}")

    def __hash__(self) -> int:
        return id(self)


@contextmanager
def server_errors() -> Iterator[CallbackErrors]:
    handler = CallbackErrors()
    logger = logging.getLogger("dashboard.errors")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@dataclass
class Visit:
    """What one page visit did: the callbacks fired and the downloads fetched."""

    url: str
    callbacks: int = 0
    fired: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Crawler:
    def __init__(self, client: Any, download_formats: tuple[str, ...] = ("csv",)) -> None:
        self.client = client
        self.download_formats = download_formats
        self.shell = client.get("/_dash-layout").get_json()  # page callbacks join the map here
        self.dependencies = [
            Dependency.from_json(spec) for spec in client.get("/_dash-dependencies").get_json()
        ]
        self.fetched: set[str] = set()

    # --- the page's components -----------------------------------------------------------------

    def visit(self, url: str) -> Visit:
        parts = urlsplit(url)
        visit = Visit(url)
        props: dict[str, dict[str, Any]] = {}
        self._add(props, json.loads(json.dumps(self.shell)))
        location = {"pathname": parts.path, "search": f"?{parts.query}" if parts.query else ""}
        location |= {"href": f"http://localhost{url}", "hash": ""}
        for name in LOCATIONS:
            if name in props:
                props[name].update(location)
        fired: set[str] = set()
        # a Location sets its properties on mount: that change runs the pages router
        mounted = {f"{name}.{prop}" for name in LOCATIONS if name in props for prop in location}
        triggers: dict[str, set[str]] = {}
        queue = self._initial(props, fired)
        for item in self._triggered_by(mounted, props):
            triggers[self._name(*item)] = mounted
            if item not in queue:
                queue.append(item)
        rounds = 0
        while queue and rounds < MAX_ROUNDS:
            waiting_for = {key for d, m in queue for key in self._output_keys(d, m)}
            ready = next(
                (
                    (d, m)
                    for d, m in queue
                    if not self._input_keys(d, m, props)
                    & (waiting_for - set(self._output_keys(d, m)))
                ),
                queue[0],
            )
            queue.remove(ready)
            rounds += 1
            dependency, match = ready
            trigger = triggers.pop(self._name(dependency, match), set())
            changed = self._fire(dependency, match, props, visit, trigger)
            fired.add(self._name(dependency, match))
            # new components bring callbacks; changed inputs fire their callbacks again
            for item in self._initial(props, fired):
                if item not in queue:
                    queue.append(item)
            for item in self._triggered_by(changed, props):
                triggers.setdefault(self._name(*item), set()).update(changed)
                if item not in queue and item != ready:
                    queue.append(item)
        if queue:
            visit.problems.append(f"plus de {MAX_ROUNDS} callbacks pour {url}")
        return visit

    def _add(self, props: dict[str, dict[str, Any]], fragment: Any) -> None:
        for component in _components(fragment):
            component_id = component["props"].get("id")
            if component_id is not None:
                props[id_text(component_id)] = component["props"]

    # --- matching callbacks to components -------------------------------------------------------

    def _concrete(
        self, pattern: str, props: dict[str, dict[str, Any]], match: dict[str, Any]
    ) -> list[str]:
        """The ids present for a dependency's id, with MATCH keys fixed to ``match``."""
        if not pattern.startswith("{"):
            return [pattern] if pattern in props else []
        wanted = json.loads(pattern)
        found = []
        for key in props:
            if not key.startswith("{"):
                continue
            candidate = json.loads(key)
            if set(candidate) != set(wanted):
                continue
            if all(
                (v == ["MATCH"] and candidate[k] == match.get(k, candidate[k]))
                or v in (["ALL"], ["ALLSMALLER"])
                or v == candidate[k]
                for k, v in wanted.items()
            ):
                found.append(key)
        return found

    def _matches(self, dependency: Dependency, props: dict[str, dict[str, Any]]) -> list[str]:
        """One entry per way to fire the callback (a MATCH value, as JSON; ``""`` without)."""
        patterns = [i["id"] for i in dependency.inputs]
        with_match = [p for p in patterns if '["MATCH"]' in p]
        if not with_match:
            return [""]
        keys = [k for k, v in json.loads(with_match[0]).items() if v == ["MATCH"]]
        values = []
        for concrete in self._concrete(with_match[0], props, {}):
            value = json.dumps({k: json.loads(concrete)[k] for k in keys}, sort_keys=True)
            if value not in values:
                values.append(value)
        return values

    def _present(self, dependency: Dependency, match: str, props: dict[str, Any]) -> bool:
        fixed = json.loads(match) if match else {}
        for item in dependency.inputs:
            if '["ALL' not in item["id"] and not self._concrete(item["id"], props, fixed):
                return False
        return any(self._concrete(cid, props, fixed) for cid, _ in dependency.outputs)

    def _initial(
        self, props: dict[str, dict[str, Any]], fired: set[str]
    ) -> list[tuple[Dependency, str]]:
        items = []
        for dependency in self.dependencies:
            if dependency.clientside or dependency.prevent_initial_call:
                continue
            for match in self._matches(dependency, props):
                if self._name(dependency, match) in fired:
                    continue
                if self._present(dependency, match, props):
                    items.append((dependency, match))
        return items

    def _triggered_by(
        self, changed: set[str], props: dict[str, dict[str, Any]]
    ) -> list[tuple[Dependency, str]]:
        items = []
        for dependency in self.dependencies:
            if dependency.clientside:
                continue
            for match in self._matches(dependency, props):
                if self._input_keys(dependency, match, props) & changed and self._present(
                    dependency, match, props
                ):
                    items.append((dependency, match))
        return items

    def _name(self, dependency: Dependency, match: str) -> str:
        return f"{dependency.output}|{match}"

    def _input_keys(
        self, dependency: Dependency, match: str, props: dict[str, Any] | None = None
    ) -> set[str]:
        fixed = json.loads(match) if match else {}
        keys = set()
        for item in dependency.inputs:
            ids = self._concrete(item["id"], props, fixed) if props else [item["id"]]
            keys |= {f"{cid}.{item['property']}" for cid in ids}
        return keys

    def _output_keys(self, dependency: Dependency, match: str) -> list[str]:
        return [f"{cid}.{prop}" for cid, prop in dependency.outputs if "[" not in cid]

    # --- firing ---------------------------------------------------------------------------------

    def _described(
        self, items: list[dict[str, Any]], props: dict[str, Any], fixed: dict[str, Any]
    ) -> list[Any]:
        described: list[Any] = []
        for item in items:
            ids = self._concrete(item["id"], props, fixed)
            entries = [
                {
                    "id": parse_id(cid),
                    "property": item["property"],
                    "value": props.get(cid, {}).get(item["property"]),
                }
                for cid in ids
            ]
            if '["ALL' in item["id"]:
                described.append(entries)
            elif entries:
                described.append(entries[0])
            else:  # a State whose component is absent: the renderer sends no value
                described.append({"id": parse_id(item["id"]), "property": item["property"]})
        return described

    def _fire(
        self,
        dependency: Dependency,
        match: str,
        props: dict[str, Any],
        visit: Visit,
        trigger: set[str],
    ) -> set[str]:
        fixed = json.loads(match) if match else {}
        outputs: list[Any] = []
        for cid, prop in dependency.outputs:
            ids = self._concrete(cid, props, fixed)
            entries = [{"id": parse_id(i), "property": prop} for i in ids]
            outputs.append(entries if '["ALL' in cid else (entries[0] if entries else None))
        outputs = [o for o in outputs if o is not None]
        payload = {
            "output": dependency.output,
            "outputs": outputs if dependency.multi else outputs[0],
            "inputs": self._described(dependency.inputs, props, fixed),
            "state": self._described(dependency.state, props, fixed),
            "changedPropIds": sorted(self._input_keys(dependency, match, props) & trigger),
        }
        visit.callbacks += 1
        visit.fired.append(dependency.output + (f" {match}" if match else ""))
        response = self.client.post("/_dash-update-component", json=payload)
        if response.status_code == 204:
            return set()
        if response.status_code != 200:
            visit.problems.append(
                f"{dependency.output}: HTTP {response.status_code} "
                f"{response.get_data(as_text=True)[:300]}"
            )
            return set()
        body = response.get_json()
        if "cacheKey" in body:
            body = wait_for_job(self.client, payload, body)
        changed: set[str] = set()
        for component, values in {**body.get("response", {}), **_side(body)}.items():
            key = id_text(parse_id(component)) if component.startswith("{") else component
            target = props.setdefault(key, {})
            for prop, value in values.items():
                if target.get(prop) != value:
                    changed.add(f"{key}.{prop}")
                target[prop] = value
                self._add(props, value)
                if prop == "href" and isinstance(value, str):
                    self._download(value, visit)
                if prop == "figure" and isinstance(value, dict) and not _says_something(value):
                    visit.problems.append(f"{key}.figure : graphique vide qui ne dit pas pourquoi")
        return changed

    def _download(self, href: str, visit: Visit) -> None:
        """Fetch a data twin once (``/export/...csv`` or ``.xlsx``) and check it is a file."""
        path = urlsplit(href).path
        if not path.startswith("/export/") or not path.endswith(self.download_formats):
            return
        if href in self.fetched:
            return
        self.fetched.add(href)
        response = self.client.get(href)
        visit.downloads.append(href)
        if response.status_code != 200 or not response.headers.get(
            "Content-Disposition", ""
        ).startswith("attachment;"):
            visit.problems.append(
                f"{href}: HTTP {response.status_code} {response.get_data(as_text=True)[:300]}"
            )
        elif path.endswith(".csv"):
            header = response.data.decode("utf-8-sig").split("\r\n", 1)[0]
            if header.strip('"') == "":
                visit.problems.append(f"{href}: fichier CSV sans ligne d'en-tête")


def _says_something(figure: dict[str, Any]) -> bool:
    """A figure draws a trace, or writes in its plot area why it has none (issue #11)."""
    if figure.get("data"):
        return True
    notes = (figure.get("layout") or {}).get("annotations") or []
    return any(str(note.get("text", "")).strip() for note in notes if isinstance(note, dict))


def _side(body: dict[str, Any]) -> dict[str, Any]:
    """``dash.set_props`` updates sent beside the outputs."""
    side = body.get("sideUpdate") or {}
    return {id_text(parse_id(k)) if k.startswith("{") else k: v for k, v in side.items()}
