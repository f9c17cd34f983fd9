"""Shared fixtures: a temporary store, a fixed clock, the real app. Each is
made by the public factory the program itself uses (``create_service``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from pg_server import postgres_server, postgres_url, pytest_terminal_summary  # noqa: F401  (PostgreSQL fixtures)

from sip_tui.cli import main
from sip_tui.i18n import set_language
from sip_tui.service import PlanService, create_service
from sip_tui.store import PlanStore

FIXED_NOW = dt.datetime(2026, 3, 10, 10, 42, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture(autouse=True)
def swedish():
    set_language("sv")
    yield
    set_language("sv")


@pytest.fixture(autouse=True)
def no_settings_from_the_environment(monkeypatch):
    """Tests choose their language and store themselves."""
    monkeypatch.delenv("SIP_TUI_LANG", raising=False)
    monkeypatch.delenv("SIP_TUI_STORE", raising=False)


@dataclasses.dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys):
    """``sip-tui ARGS`` in-process with the fixed clock; a traceback is always a failure."""

    def run(*argv: str | Path) -> Run:
        code = main([str(a) for a in argv], clock=fixed_clock)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


@pytest.fixture
def service(store_dir: Path) -> PlanService:
    """The service as the app assembles it, on a temporary store, with the fixed clock."""
    return create_service(PlanStore(store_dir, user="test"), clock=fixed_clock)
