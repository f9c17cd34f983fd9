"""Shared fixtures: a temporary store, a fixed clock, the real app."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sip_tui.i18n import set_language
from sip_tui.service import PlanService
from sip_tui.store import PlanStore

FIXED_NOW = dt.datetime(2026, 3, 10, 10, 42, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture(autouse=True)
def swedish():
    set_language("sv")
    yield
    set_language("sv")


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def service(store_dir: Path) -> PlanService:
    return PlanService(PlanStore(store_dir, user="test"), clock=lambda: FIXED_NOW)
