"""Fixtures of the integration tests: a small store on SQLite and PostgreSQL, and a TCP proxy.

A TCP proxy that a test can stop and start: a server "going away" without touching the shared
PostgreSQL and Redis servers of the machine (issue #11, faults).

Stopped, the proxy closes its listening socket (new connections are refused, as by a stopped
server) and cuts every open connection (the server's side vanishes mid-session); started again,
it listens on the same port and the next connections go through."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue, load_catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.store import make_engine, upgrade_database
from indicators.territories import Referential, load_referential
from indicators.territories.sync import sync_referential

MINI_REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference_mini"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The built-in demo catalogue."""
    return load_catalogue()


@pytest.fixture(scope="session")
def mini() -> Referential:
    """The small hand-written referential of the tests (tests/fixtures/reference_mini)."""
    return load_referential(MINI_REFERENCE)


@pytest.fixture
def engine(database_url: str, catalogue: Catalogue, mini: Referential) -> Iterator[Engine]:
    """A migrated store holding ``mini`` and ``catalogue``, on SQLite and on PostgreSQL."""
    engine = make_engine(database_url)
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        sync_referential(session, mini)
        sync_catalogue(session, catalogue)
    yield engine
    engine.dispose()


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = int(probe.getsockname()[1])
        probe.close()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Refuse new connections and cut the open ones."""
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown first: a bare close leaves the thread blocked in accept() still accepting
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def tcp_proxy() -> Iterator[Callable[[str, int], TcpProxy]]:
    proxies: list[TcpProxy] = []

    def make(host: str, port: int) -> TcpProxy:
        proxy = TcpProxy(host, port).start()
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.stop()
