"""The command tables: keys, footer, palette and the review's buttons say the same
thing, in the UI language of the moment, Textual's own strings included."""

from __future__ import annotations

import importlib
import pkgutil

from test_followups_ui import agreed_plan, open_overview
from test_typing_ui import new_meeting
from textual.command import CommandInput, CommandList
from textual.widgets import Button, Select
from textual.widgets._footer import FooterKey
from ui_helpers import post_keys, settled, until

import sip_tui.screens
from sip_tui.app import SipApp, build_app
from sip_tui.catalogue import STRINGS
from sip_tui.i18n import set_language, t
from sip_tui.screens.commands import HasCommands
from sip_tui.screens.review import ReviewStep


def _tables() -> dict[str, HasCommands]:
    """Every class with a command table: the app, each screen, dialog and widget."""
    for module in pkgutil.iter_modules(sip_tui.screens.__path__):
        importlib.import_module(f"sip_tui.screens.{module.name}")
    found: dict[str, type] = {}
    pending: list[type] = [HasCommands]
    while pending:
        cls = pending.pop()
        found[cls.__qualname__] = cls
        pending.extend(cls.__subclasses__())
    found.pop("HasCommands")
    return found  # type: ignore[return-value]


def test_every_command_has_its_texts_in_swedish_and_in_english():
    tables = _tables()
    assert {"SipApp", "HomeScreen", "StepScreen", "ReviewStep", "FollowupsScreen", "ItemsTable"} <= set(tables)
    missing = [
        (name, command.action, key)
        for name, cls in tables.items()
        for command in cls.COMMAND_TABLE
        for key in command.catalogue_keys()
        if key not in STRINGS or not all(text.strip() for text in STRINGS[key])
    ]
    assert missing == []


def test_a_table_gives_each_key_one_command():
    """Two commands of one screen on the same key: the footer would show one, the key run either."""
    for name, cls in _tables().items():
        keys = [key for command in cls.COMMAND_TABLE for key in command.key.split(",") if key]
        assert len(keys) == len(set(keys)), name


def test_every_dialog_keeps_the_meeting_visible_behind_it():
    """Textual takes a screen's CSS from its first base: a dialog that listed
    CommandScreen first would lose ModalScreen's see-through background."""
    from textual.screen import ModalScreen

    dialogs = [cls for cls in _tables().values() if issubclass(cls, ModalScreen)]
    assert len(dialogs) >= 5
    assert [cls.__name__ for cls in dialogs if ModalScreen not in cls._css_bases(cls)] == []


def test_every_key_textual_s_widgets_put_in_the_footer_has_a_label_in_the_catalogue():
    """A Textual upgrade that adds a footer key to a widget the app uses shows up here,
    not as English in the Swedish footer."""
    from textual import widgets
    from textual.widgets._select import SelectOverlay
    from textual.widgets._tabbed_content import ContentTabs

    from sip_tui.screens.commands import TEXTUAL_LABELS

    names = "Button Checkbox DataTable Input Markdown OptionList Select SelectionList TabbedContent TextArea"
    used = [getattr(widgets, name) for name in names.split()] + [SelectOverlay, ContentTabs]
    shown = [
        (widget.__name__, binding.action)
        for widget in used
        for _, binding in widget._merge_bindings()
        if binding.show and binding.description
    ]
    labelled = {(kind.__name__, action) for kind, action in TEXTUAL_LABELS}
    assert shown and set(shown) <= labelled
    assert all(key in STRINGS for key in TEXTUAL_LABELS.values())


def footer_labels(app: SipApp) -> list[str]:
    """The labels the footer draws now."""
    return [str(key.description) for key in app.screen.query(FooterKey)]


async def test_the_footer_follows_a_language_chosen_after_the_screens_were_imported(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(160, 40)) as pilot:
        await new_meeting(pilot)
        await until(pilot, lambda: "Nästa steg" in footer_labels(app))
        assert "Kommandon" in footer_labels(app), "Textual's own ctrl+p label is Swedish too"

        set_language("en")
        post_keys(app, "pagedown")
        await until(pilot, lambda: getattr(app.screen, "STEP_ID", "") == "consent")
        await until(pilot, lambda: "Next step" in footer_labels(app))
        assert {"Prev. step", "Save", "Help", "Leave meeting", "Commands"} <= set(footer_labels(app))
        assert not {"Nästa steg", "Spara", "Kommandon", "palette"} & set(footer_labels(app))
        assert "Step 2 of 7" in str(app.screen.query_one("#step-heading").render()), "the header is English too"

        set_language("sv")  # and back, on the same screen: the labels are looked up when drawn
        app.screen.refresh_bindings()
        await until(pilot, lambda: "Nästa steg" in footer_labels(app))


async def palette_titles(pilot) -> list[str]:
    """Open the palette over the current screen; the titles it offers with nothing typed."""
    app = pilot.app
    screen = app.screen
    await pilot.press("ctrl+p")
    await until(pilot, lambda: bool(app.screen.query(CommandList)) and app.screen.query_one(CommandList).option_count > 0)
    await settled(pilot)
    titles = [str(option.hit.text) for option in app.screen.query_one(CommandList).options]
    await pilot.press("escape")
    await until(pilot, lambda: app.screen is screen)
    return titles


def footer_ids(app: SipApp) -> set[str]:
    return {active.binding.id for active in app.screen.active_bindings.values() if active.binding.id}


async def test_footer_palette_and_buttons_offer_the_same_review_commands(service):
    """On an agreed plan "Agree" is offered nowhere; once a follow-up starts it is
    in the footer, the palette and a button, and "Start follow-up" has gone from all three."""
    plan = agreed_plan(service, "Bo Exempelsson", 5)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(160, 45)) as pilot:
        app.open_plan(plan.id)
        await until(pilot, lambda: isinstance(app.screen, ReviewStep))
        await settled(pilot)

        async def offered() -> tuple[set[str], set[str], set[str]]:
            screen = app.screen
            assert isinstance(screen, ReviewStep)
            titles = await palette_titles(pilot)
            in_palette = {c.ident for c in screen.COMMAND_TABLE if c.palette and c.text(c.title, screen) in titles}
            buttons = {b.id for b in screen.query(Button).filter(".command")}
            return footer_ids(app), in_palette, {i for i in buttons if i}

        footer, palette, buttons = await offered()
        assert "agree" not in footer | palette | buttons, "an agreed version cannot be agreed again"
        assert {"start-followup", "close-plan", "versions", "export"} <= palette & buttons
        assert "export" in footer

        await pilot.click("#start-followup")
        await until(pilot, lambda: bool(app.screen.query("#yes")))
        await pilot.click("#yes")
        await until(pilot, lambda: getattr(app.screen, "STEP_ID", "") == "insatser")
        app.goto_step("review")
        await until(pilot, lambda: isinstance(app.screen, ReviewStep) and app.screen.is_mounted)
        await settled(pilot)

        footer, palette, buttons = await offered()
        assert "agree" in footer & palette & buttons
        assert "discard-followup" in palette & buttons
        assert not {"start-followup", "close-plan"} & (footer | palette | buttons)


async def test_a_filter_command_is_offered_by_key_and_palette_only_while_a_filter_is_on(service):
    agreed_plan(service, "Bo Exempelsson", 5)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_overview(pilot)
        clear = t("followups.cmd.clear")
        assert "clear-filters" not in footer_ids(app)
        assert clear not in await palette_titles(pilot)

        screen.query_one("#fu-responsible", Select).value = "kommun"
        await until(pilot, lambda: screen.filters.active)
        assert "clear-filters" in footer_ids(app)
        assert clear in await palette_titles(pilot)


async def test_textual_s_own_strings_are_swedish(service):
    """The theme picker's placeholder, a drop-down's "Dismiss menu" and the Ctrl+C hint."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: bool(app.screen.query("#search")))
        app.search_themes()
        await until(pilot, lambda: bool(app.screen.query(CommandInput)))
        assert app.screen.query_one(CommandInput).placeholder == "Sök tema …"
        await pilot.press("escape")
        await until(pilot, lambda: not app.screen.query(CommandInput))

        post_keys(app, "ctrl+c")
        await settled(pilot)
        assert [n.title for n in app._notifications] == ["Vill du avsluta?"]

        await new_meeting(pilot)
        post_keys(app, "f3")
        await until(pilot, lambda: getattr(app.screen, "STEP_ID", "") == "consent")
        app.screen.query_one("#f-consent-form", Select).focus()
        await settled(pilot)
        post_keys(app, "enter")  # opens the drop-down
        await until(pilot, lambda: app.screen.query_one("#f-consent-form", Select).expanded)
        await until(pilot, lambda: "Stäng listan" in footer_labels(app))
        assert "Dismiss menu" not in footer_labels(app)


async def test_the_help_names_the_keys_the_step_offers(service):
    """F1's list of keys comes from the step's table: on an agreed version there is
    nothing to agree and no row to add, so neither key is named."""
    from sip_tui.screens.dialogs import HelpScreen

    plan = agreed_plan(service, "Bo Exempelsson", 5)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(160, 45)) as pilot:
        app.open_plan(plan.id)
        await until(pilot, lambda: isinstance(app.screen, ReviewStep))
        post_keys(app, "f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = app.screen.markdown.split(t("help.keys_title"))[1]
        assert "**Ctrl+E** Word-fil" in keys and "**F2–F8** Person–Granska" in keys
        assert "Upprätta" not in keys and "Ctrl+G" not in keys and "Ctrl+N" not in keys
