"""A page visit as the Dash renderer makes it, without a browser (load test and its tests).

Given the app's ``/_dash-dependencies`` and ``/_dash-layout``, :class:`DashBrowser` opens an
address the way a browser does: the ``dcc.Location`` components take the address, which triggers
Dash Pages' router (``_pages_content``); the page's components then fire their initial callbacks,
in dependency order, and each response that changes an input of another callback triggers it.
Every callback answer goes through :func:`benchmarks.checks.check_callback`.

Left out, as a browser visit that does not type or click would: client-side callbacks (they run in
the browser), background callbacks (``/import``), and pattern-matching callbacks (their
components appear on user actions: search results, shortcut buttons).

The transport is a function, so the same visit runs against the Flask test client (tests) or a
real server through HTTP (the load test). :func:`open_session` is the one place where an HTTP
session is made: sign in there when the roles issue (12) makes pages need it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from benchmarks.checks import BadResponse, check_callback, check_json, check_page

UPDATE = "/_dash-update-component"
MAX_FIRES = 3  # a callback fired more often than this in one visit is a loop: stop there

# (method, path, JSON body or None) -> (status, content type, body)
Transport = Callable[[str, str, Any], tuple[int, str, bytes]]


@dataclass(frozen=True)
class Callback:
    key: str  # Dash's own id of the callback (the ``output`` of its dependency)
    outputs: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str], ...]
    state: tuple[tuple[str, str], ...]
    prevent_initial_call: bool

    @property
    def label(self) -> str:
        """A short name for reports: the component of its first output (and how many more)."""
        first = self.outputs[0][0]
        more = len({cid for cid, _prop in self.outputs}) - 1
        return f"{first} (+{more})" if more else first


@dataclass
class Request:
    """One request of a visit: what was asked, how long it took, and the error if it was one."""

    name: str
    milliseconds: float
    size: int
    error: BadResponse | None = None


@dataclass
class Visit:
    page: str
    address: str
    requests: list[Request] = field(default_factory=list)

    @property
    def milliseconds(self) -> float:
        return sum(request.milliseconds for request in self.requests)

    @property
    def errors(self) -> list[Request]:
        return [request for request in self.requests if request.error is not None]


def server_callbacks(dependencies: list[dict[str, Any]]) -> list[Callback]:
    """The callbacks a visit can fire from Python: no client-side, background or pattern ones."""
    callbacks = []
    for entry in dependencies:
        if entry.get("clientside_function") or entry.get("background") or entry.get("long"):
            continue
        outputs = _outputs_of(entry["output"])
        ids = [cid for cid, _ in outputs] + [item["id"] for item in entry["inputs"]]
        ids += [item["id"] for item in entry.get("state", [])]
        if not outputs or any(not isinstance(cid, str) or cid.startswith("{") for cid in ids):
            continue
        callbacks.append(
            Callback(
                key=entry["output"],
                outputs=tuple(outputs),
                inputs=tuple((item["id"], item["property"]) for item in entry["inputs"]),
                state=tuple((item["id"], item["property"]) for item in entry.get("state", [])),
                prevent_initial_call=bool(entry.get("prevent_initial_call")),
            )
        )
    return callbacks


def _outputs_of(key: str) -> list[tuple[str, str]]:
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    outputs = []
    for part in parts:
        name = part.split("@")[0]  # allow_duplicate outputs carry a hash suffix
        if "." not in name:
            return []  # a callback without outputs (its key is a hash)
        component, prop = name.rsplit(".", 1)
        outputs.append((component, prop))
    return outputs


def components(node: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (id, type, props) of a serialised Dash component tree."""
    if isinstance(node, list):
        for item in node:
            yield from components(item)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "type" in node:
            if isinstance(props.get("id"), str):
                yield props["id"], str(node["type"]), props
            for value in props.values():
                yield from components(value)


class DashBrowser:
    """Visits pages of one app through ``transport``; keeps the app's callbacks and shell."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.callbacks: list[Callback] = []
        self.shell: Any = None

    def start(self) -> list[Request]:
        """What a browser fetches once per session: the shell's layout and the callback map."""
        requests = []
        for path in ("/_dash-layout", "/_dash-dependencies"):
            request, body = self._get(path, path, check="json")
            requests.append(request)
            if request.error is None:
                data = json.loads(body)
                if path == "/_dash-layout":
                    self.shell = data
                else:
                    self.callbacks = server_callbacks(data)
        return requests

    def visit(self, page: str, address: str) -> Visit:
        """Open ``address`` (path and query) as a first visit: its HTML, then its callbacks."""
        if self.shell is None:
            raise RuntimeError("DashBrowser.start() d'abord")
        visit = Visit(page, address)
        request, _body = self._get(f"{page} · page", address, check="page")
        visit.requests.append(request)
        if request.error is not None:
            return visit
        parts = urlsplit(address)
        search = f"?{parts.query}" if parts.query else ""
        props: dict[str, dict[str, Any]] = {}
        self._add(props, self.shell)
        changed = []
        for component, kind, _ in list(components(self.shell)):
            if kind == "Location":  # on mount, dcc.Location reads the address bar
                props[component].update(
                    pathname=parts.path, search=search, hash="", href=f"http://x{address}"
                )
                changed += [(component, prop) for prop in ("pathname", "search", "hash", "href")]
        queue: list[tuple[Callback, list[tuple[str, str]]]] = []
        self._queue_changed(queue, props, changed)
        fired: dict[str, int] = {}
        while queue:
            callback, triggers = self._next(queue)
            fired[callback.key] = fired.get(callback.key, 0) + 1
            if fired[callback.key] > MAX_FIRES:
                continue
            request, response = self._call(page, callback, props, triggers)
            visit.requests.append(request)
            if request.error is not None:
                continue
            updated, new_ids = self._apply(props, response)
            self._queue_changed(queue, props, updated)
            self._queue_initial(queue, props, new_ids)
        return visit

    # -- the renderer's rules -------------------------------------------------------------

    def _queue_changed(
        self, queue: list[tuple[Callback, list[tuple[str, str]]]], props: Any, changed: list[Any]
    ) -> None:
        """Callbacks with a changed input fire (prevent_initial_call does not apply)."""
        changed_set = set(changed)
        for callback in self.callbacks:
            triggers = [item for item in callback.inputs if item in changed_set]
            if triggers and self._renderable(callback, props):
                self._enqueue(queue, callback, triggers)

    def _queue_initial(
        self, queue: list[tuple[Callback, list[tuple[str, str]]]], props: Any, new_ids: set[str]
    ) -> None:
        """Callbacks of components that just appeared fire once, unless prevent_initial_call."""
        for callback in self.callbacks:
            if callback.prevent_initial_call:
                continue
            ids = {cid for cid, _ in callback.inputs}
            if ids & new_ids and self._renderable(callback, props):
                self._enqueue(queue, callback, [])

    @staticmethod
    def _renderable(callback: Callback, props: Any) -> bool:
        """As Dash's renderer: every input and at least one output are on the page (a commune's
        page has no children map, so the children callback does not fire there)."""
        inputs_here = all(cid in props for cid, _ in callback.inputs)
        return inputs_here and any(cid in props for cid, _ in callback.outputs)

    @staticmethod
    def _enqueue(
        queue: list[tuple[Callback, list[tuple[str, str]]]],
        callback: Callback,
        triggers: list[tuple[str, str]],
    ) -> None:
        for index, (queued, queued_triggers) in enumerate(queue):
            if queued.key == callback.key:
                queue[index] = (queued, sorted(set(queued_triggers) | set(triggers)))
                return
        queue.append((callback, triggers))

    @staticmethod
    def _next(
        queue: list[tuple[Callback, list[tuple[str, str]]]],
    ) -> tuple[Callback, list[tuple[str, str]]]:
        """The first queued callback none of whose inputs another queued callback will change."""
        for index, (callback, _triggers) in enumerate(queue):
            pending = {
                output for other, _ in queue if other is not callback for output in other.outputs
            }
            if not pending & set(callback.inputs):
                return queue.pop(index)
        return queue.pop(0)  # a cycle: fire in order, as the renderer does

    def _apply(
        self, props: dict[str, dict[str, Any]], response: dict[str, dict[str, Any]]
    ) -> tuple[list[tuple[str, str]], set[str]]:
        updated: list[tuple[str, str]] = []
        before = set(props)
        for component, values in response.items():
            for prop, value in values.items():
                props.setdefault(component, {})[prop] = value
                updated.append((component, prop))
                self._add(props, value)
        return updated, set(props) - before

    @staticmethod
    def _add(props: dict[str, dict[str, Any]], tree: Any) -> None:
        for component, _kind, values in components(tree):
            props[component] = {key: value for key, value in values.items() if key != "children"}
            if "children" in values:
                props[component]["children"] = values["children"]

    # -- requests -------------------------------------------------------------------------

    def _call(
        self,
        page: str,
        callback: Callback,
        props: dict[str, dict[str, Any]],
        triggers: list[tuple[str, str]],
    ) -> tuple[Request, dict[str, dict[str, Any]]]:
        def described(items: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
            rows = []
            for cid, prop in items:
                row: dict[str, Any] = {"id": cid, "property": prop}
                if prop in props.get(cid, {}):
                    row["value"] = props[cid][prop]
                rows.append(row)
            return rows

        outputs = [{"id": cid, "property": prop} for cid, prop in callback.outputs]
        payload = {
            "output": callback.key,
            "outputs": outputs if callback.key.startswith("..") else outputs[0],
            "inputs": described(callback.inputs),
            "state": described(callback.state),
            "changedPropIds": [f"{cid}.{prop}" for cid, prop in triggers],
        }
        name = f"{page} · {callback.label}"
        started = time.perf_counter()
        status, _type, body = self.transport("POST", UPDATE, payload)
        request = Request(name, (time.perf_counter() - started) * 1000, len(body))
        try:
            # an answer that updates nothing (PreventUpdate, every output unchanged) is a real
            # answer of a browser visit; an error notice or a failed chart is not
            response = check_callback(status, body, allow_no_update=True)
        except BadResponse as error:
            request.error = error
            return request, {}
        return request, response

    def _get(self, name: str, path: str, check: str) -> tuple[Request, bytes]:
        started = time.perf_counter()
        status, content_type, body = self.transport("GET", path, None)
        request = Request(name, (time.perf_counter() - started) * 1000, len(body))
        try:
            if check == "page":
                check_page(status, content_type, body.decode(errors="replace"))
            else:
                check_json(status, body)
        except BadResponse as error:
            request.error = error
        return request, body


def flask_transport(client: Any) -> Transport:
    """A transport through a Flask test client (tests, in-process benchmarks)."""

    def send(method: str, path: str, body: Any) -> tuple[int, str, bytes]:
        response = client.post(path, json=body) if method == "POST" else client.get(path)
        return response.status_code, response.content_type or "", response.data

    return send


def open_session(host: str) -> Any:
    """The HTTP session of one simulated visitor: the one place to sign in, when pages need it
    (issue 12), or to set headers. Pages are public for now."""
    import requests

    session = requests.Session()
    session.headers["Accept-Encoding"] = "gzip, br"
    session.base_url = host  # type: ignore[attr-defined]
    return session


def http_transport(session: Any) -> Transport:
    """A transport through a ``requests`` session opened by :func:`open_session`."""

    def send(method: str, path: str, body: Any) -> tuple[int, str, bytes]:
        url = f"{session.base_url}{path}"
        if method == "POST":
            response = session.post(url, json=body, timeout=120)
        else:
            response = session.get(url, timeout=120)
        return response.status_code, response.headers.get("Content-Type", ""), response.content

    return send
