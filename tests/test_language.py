"""The UI language: ``--lang``, else ``SIP_TUI_LANG``, else the store's
settings.json, else Swedish. Each level is checked against the one below it."""

from __future__ import annotations

import json

import pytest

from sip_tui.catalogue import STRINGS
from sip_tui.settings import SETTINGS_FILE

SWEDISH, ENGLISH = STRINGS["cli.no_plans"]


@pytest.fixture
def store(store_dir):
    store_dir.mkdir()
    return store_dir


def set_store_language(store, language: str) -> None:
    (store / SETTINGS_FILE).write_text(json.dumps({"language": language, "organisation": "Kommunen"}))


def listed(cli, store, *options: str) -> str:
    run = cli("--store", store, *options, "list")
    assert run.code == 0
    return run.out.strip()


def test_swedish_when_nothing_chooses(cli, store):
    assert listed(cli, store) == SWEDISH


def test_the_stores_settings_choose_over_the_default(cli, store):
    set_store_language(store, "en")
    assert listed(cli, store) == ENGLISH


def test_the_environment_chooses_over_the_settings(cli, store, monkeypatch):
    set_store_language(store, "en")
    monkeypatch.setenv("SIP_TUI_LANG", "sv")
    assert listed(cli, store) == SWEDISH
    monkeypatch.setenv("SIP_TUI_LANG", "en")
    set_store_language(store, "sv")
    assert listed(cli, store) == ENGLISH


def test_the_option_chooses_over_the_environment(cli, store, monkeypatch):
    monkeypatch.setenv("SIP_TUI_LANG", "en")
    assert listed(cli, store, "--lang", "sv") == SWEDISH
    monkeypatch.setenv("SIP_TUI_LANG", "sv")
    assert listed(cli, store, "--lang=en") == ENGLISH


def test_an_unknown_language_is_passed_over(cli, store, monkeypatch):
    set_store_language(store, "fr")
    assert listed(cli, store) == SWEDISH, "settings naming no language the app speaks: Swedish"
    set_store_language(store, "en")
    monkeypatch.setenv("SIP_TUI_LANG", "xx")
    assert listed(cli, store) == ENGLISH, "an unknown SIP_TUI_LANG falls through to the settings"


def test_the_store_named_in_the_environment_gives_its_settings_help_included(cli, store, monkeypatch, capsys):
    set_store_language(store, "en")
    monkeypatch.setenv("SIP_TUI_STORE", str(store))
    assert cli("list").out.strip() == ENGLISH
    with pytest.raises(SystemExit):
        cli("--help")
    assert STRINGS["cli.opt.lang"][1] in capsys.readouterr().out, "the help is in the store's language too"
