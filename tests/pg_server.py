"""A real PostgreSQL server for the tests, started by the test suite itself.

``SIP_TUI_TEST_POSTGRES`` names a server to use instead (a URL of a role that may
create databases). Otherwise the ``pgserver`` wheel starts PostgreSQL 16 in a
temporary folder (as root it runs the server as a ``pgserver`` system user,
since PostgreSQL refuses to run as root). Every test gets a database of its own,
copied from a template that already has the schema. If no server can start, the
PostgreSQL tests are skipped and the test summary says why.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import warnings
from urllib.parse import urlsplit, urlunsplit

import pytest

SERVER_ENV = "SIP_TUI_TEST_POSTGRES"
TEMPLATE = "sip_tui_template"
_numbers = itertools.count()
skipped_because: list[str] = []
ran_against: list[str] = []


def database_url(server_url: str, database: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def _start_server():
    """(server URL, a stop function) or a reason why none could start."""
    if os.environ.get(SERVER_ENV):
        return os.environ[SERVER_ENV], lambda: None
    try:
        with warnings.catch_warnings():  # "XDG_RUNTIME_DIR is not set": pgserver then uses /tmp, which is fine
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError:
        return "pgserver is not installed (pip install -e '.[test]')", None
    folder = tempfile.mkdtemp(prefix="sip-tui-pg-")
    try:
        server = pgserver.get_server(folder, cleanup_mode="delete")
    except Exception as error:  # any failure to start means: no server here
        return f"pgserver could not start PostgreSQL ({type(error).__name__})", None
    _for_tests_only(server.get_uri())
    return server.get_uri(), server.cleanup


def _for_tests_only(url: str) -> None:
    """A throw-away server need not survive a power cut: no fsync makes creating a
    database per test, and stopping the server at the end, seconds faster."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {setting} = off")
        conn.execute("SELECT pg_reload_conf()")


class StoppableServer:
    """A PostgreSQL server of a test's own that the test stops and starts again
    (a server that goes away mid-meeting); the session's shared server stays up."""

    def __init__(self, server) -> None:
        self._server = server
        self.url = server.get_uri()

    def stop(self) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self._server.pgdata, user=self._server.system_user)

    def start(self) -> None:
        self._server.ensure_postgres_running()
        assert self._server.get_uri() == self.url  # the same socket: clients find it again


@pytest.fixture(scope="module")
def stoppable_server():
    """A running server with a database of the current schema, for tests that stop and start it."""
    if os.environ.get(SERVER_ENV):
        pytest.skip(f"{SERVER_ENV} names a server the tests may not stop")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

        server = pgserver.get_server(tempfile.mkdtemp(prefix="sip-tui-pg-stop-"), cleanup_mode="delete")
    except Exception as error:  # no server can start here
        skipped_because.append(f"pgserver could not start PostgreSQL ({type(error).__name__})")
        pytest.skip(skipped_because[-1])
    _for_tests_only(server.get_uri())
    from sip_tui.store.postgres import init_schema

    init_schema(server.get_uri())
    stoppable = StoppableServer(server)
    yield stoppable
    stoppable.start()  # as pgserver expects to find it when it cleans up
    server.cleanup()


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a running server whose template database has the current schema."""
    url, stop = _start_server()
    if stop is None:
        skipped_because.append(url)
        pytest.skip(f"no PostgreSQL server: {url}")
    import psycopg

    from sip_tui.store.postgres import init_schema

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    init_schema(database_url(url, TEMPLATE))
    with psycopg.connect(url) as conn:
        ran_against.append(conn.execute("SHOW server_version").fetchone()[0])
    yield url
    stop()


def new_database(server_url: str, schema: bool = True) -> str:
    """A fresh database (with the schema, or empty) and its URL."""
    import psycopg

    name = f"sip_tui_test_{os.getpid()}_{next(_numbers)}"
    template = TEMPLATE if schema else "template0"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return database_url(server_url, name)


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A database of this test's own, with the current schema."""
    return new_database(postgres_server)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if skipped_because:
        terminalreporter.write_line(f"PostgreSQL tests SKIPPED: {skipped_because[0]}", yellow=True, bold=True)
    elif ran_against:
        terminalreporter.write_line(f"PostgreSQL tests ran against a PostgreSQL {ran_against[0]} server")
