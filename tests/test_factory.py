"""The app factory assembles what ``sip-tui`` runs: the store, its settings, the clock."""

from __future__ import annotations

import json

from conftest import FIXED_NOW, fixed_clock

from sip_tui.app import create_app
from sip_tui.settings import SETTINGS_FILE, Settings
from sip_tui.store import PlanStore


def test_the_app_opens_the_store_named_in_the_environment_with_that_stores_settings(store_dir, monkeypatch):
    store_dir.mkdir()
    (store_dir / SETTINGS_FILE).write_text(json.dumps({"organisation": "Exempelkommunen", "export_personnummer": True}))
    monkeypatch.setenv("SIP_TUI_STORE", str(store_dir))
    app = create_app(clock=fixed_clock)
    assert app.service.store.root == store_dir
    assert app.service.settings.organisation == "Exempelkommunen" and app.service.settings.export_personnummer
    assert app.service.today() == FIXED_NOW.date()


def test_the_parts_given_are_the_parts_used(store_dir):
    store = PlanStore(store_dir, user="test")
    app = create_app(store, Settings(organisation="Region Exempel"), fixed_clock)
    assert app.service.store is store
    assert app.service.settings.organisation == "Region Exempel"
    assert store.clock is fixed_clock, "the store stamps its saves with the same clock"
