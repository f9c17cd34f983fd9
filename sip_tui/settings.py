"""Where things are, and the organisation's choices.

The store folder: ``--store PATH`` > ``SIP_TUI_STORE`` > the platform's user
data folder. Organisation settings live in ``<store>/settings.json`` so a
shared store carries its own template and export choices. The user's own
choices (the theme) live in the platform's user config folder, so one
facilitator's projector theme is not forced on colleagues sharing the store.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path
from typing import Annotated, TypeGuard

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

APP_NAME = "sip-tui"
STORE_ENV = "SIP_TUI_STORE"
SETTINGS_FILE = "settings.json"
DATABASE_URL_PREFIXES = ("postgresql://", "postgres://")
PREFERENCES_FILE = "preferences.json"
DEFAULT_TIMEZONE = "Europe/Stockholm"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    organisation: str = ""
    template: Path | None = None  # the organisation's own .docx base template
    export_personnummer: bool = False  # print personnummer in the Word export
    easy_read_page: bool = True  # "Min plan" first page
    export_dir: Path | None = None  # default folder for exported files
    language: str = "sv"  # the UI language, unless --lang or SIP_TUI_LANG chooses another (cli._language)
    deviation_reply_days: int = Field(default=60, ge=1, le=365)  # a unit's time to answer a deviation
    report_age_bands: list[Annotated[int, Field(ge=1, le=120)]] = Field(default_factory=lambda: [18, 25], min_length=1, max_length=10)  # lower bounds
    timezone: str = DEFAULT_TIMEZONE  # the organisation's clock: times printed in documents and invites


def is_database_url(location: object) -> TypeGuard[str]:
    """``--store postgresql://…`` (or postgres://) selects the team's PostgreSQL store."""
    return isinstance(location, str) and location.strip().lower().startswith(DATABASE_URL_PREFIXES)


def store_location(cli_value: str | None = None) -> str | None:
    """``--store`` or ``SIP_TUI_STORE``, as given (a folder or a postgresql:// URL)."""
    return cli_value or os.environ.get(STORE_ENV) or None


def settings_folder(location: str | None) -> Path:
    """Where the store at ``location`` keeps settings.json: the store folder, or for
    a database store this laptop's data folder."""
    return local_data_dir() if is_database_url(location) else store_path(location)


def local_data_dir() -> Path:
    """The platform's user data folder: the default file store, and where a
    database store keeps this laptop's recovery files, crash reports and settings."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def store_path(cli_value: str | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def load_settings(store: Path) -> Settings:
    """The store's settings; defaults when the file is absent or unreadable.

    A field of the wrong type falls back to its default alone: one mistyped
    setting does not throw away the organisation's other choices.
    """
    path = store / SETTINGS_FILE
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):  # absent, a folder, "Not a directory", not JSON
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    data = {key: value for key, value in data.items() if key in Settings.model_fields}
    try:
        return Settings.model_validate(data)
    except ValidationError as error:  # each field is checked on its own: drop the bad ones
        bad = {e["loc"][0] for e in error.errors() if e["loc"]}
        return Settings.model_validate({key: value for key, value in data.items() if key not in bad})


def default_export_dir(settings: Settings) -> Path:
    if settings.export_dir:
        return settings.export_dir.expanduser()
    return Path(platformdirs.user_documents_dir())


def preferences_path() -> Path:
    """The user's own preferences: ``<user config folder>/sip-tui/preferences.json``."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / PREFERENCES_FILE


def load_theme(path: Path) -> str | None:
    """The theme the user chose last time; None when unknown or unreadable."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) else None


def save_theme(path: Path, theme: str) -> None:
    """Remember the chosen theme. Best effort: a read-only home folder only
    means the theme is chosen again next time."""
    from .files import atomic_write
    from .store.storage import encode

    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    if data.get("theme") == theme:
        return
    with suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(path, encode({**data, "theme": theme}), keep_backup=False)
