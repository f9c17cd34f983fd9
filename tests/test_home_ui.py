"""Home as a facilitator types on it the moment the app opens."""

from __future__ import annotations

from ui_helpers import post_keys, settled, until

from sip_tui.app import build_app
from sip_tui.demo import load_demo
from sip_tui.screens.home import HomeScreen


async def test_a_name_searched_before_the_first_frame_goes_into_the_search_box_not_into_commands(service):
    """On a busy laptop the first frame takes a second or two; "/Alva" typed at once
    opened the deviations ('a') and showed every name ('v'): the box did not exist yet."""
    load_demo(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        post_keys(app, "slash", *"Alva")  # at once: the search box is usually not there yet
        await settled(pilot)
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.query("#search"))
        await settled(pilot)
        assert isinstance(app.screen, HomeScreen), "no command ran"
        assert app.screen.query_one("#search").value == "Alva"
        assert not app.screen.has_class("-revealed"), "names stay hidden"
        await until(pilot, lambda: "Alva Påhittad" in str(app.screen.query_one("#matches").get_option_at_index(0).prompt))


async def test_a_store_folder_others_can_list_is_warned_about_on_home(service, store_dir):
    load_demo(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.query("#store-problems") and app.summaries)
        assert not app.screen.query_one("#store-problems").display, "a private store: nothing to say"
    store_dir.chmod(0o755)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.query("#store-problems") and app.screen.query_one("#store-problems").display)
        shown = str(app.screen.query_one("#store-problems").render())
        assert "Andra användare på datorn kan se innehållet i lagringsmappen" in shown
        assert str(store_dir) not in shown, "no path on the shared screen"
