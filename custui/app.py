"""The Textual app shell: modes, global bindings, keymap and theme. Screens live in screens/."""

from __future__ import annotations

import ctypes
import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from custui.commands import CustuiCommands
from custui.domain.care import QueueCounts
from custui.i18n import t
from custui.keymap import key
from custui.pacing import wait_quiet
from custui.screens.care import CareScreen, header_text
from custui.screens.changes import ChangeFeed, Changes, StoreChanged
from custui.screens.complaints import ComplaintsScreen
from custui.screens.dashboard import DashboardScreen
from custui.screens.lookup import LookupScreen
from custui.screens.segments import SegmentsScreen
from custui.screens.survey_results import SurveyResultsScreen
from custui.services import lookup_cache
from custui.services.analytics import Analytics
from custui.services.customer_view import CustomerViews
from custui.services.search import CustomerIndex
from custui.services.workspace import Workspace
from custui.type_ahead import TypeAhead, as_typed
from custui.widgets.palette import CustuiPalette
from custui.widgets.safe import safe_str

# the app's own keys; labels are i18n keys, shown in the current language (widgets/labels.py)
APP_BINDINGS: list[Binding] = [
    Binding(key("app.quit"), "quit", "app.quit", id="app.quit", priority=True,
            show=False),  # in F1 help: the footer's room is for the screen's keys
    Binding(key("app.help"), "help", "app.help", id="app.help"),
    Binding(key("app.search"), "search", show=False, id="app.search"),
    # the global screen keys are in F1 help and the palette: the footer (80 columns) is for
    # the screen's own keys and F1
    Binding(key("app.care"), "mode('care')", "app.care", id="app.care", show=False),
    Binding(key("app.complaints"), "mode('complaints')", "app.complaints", id="app.complaints",
            show=False),
    Binding(key("app.results"), "mode('results')", "app.results", id="app.results", show=False),
    Binding(key("app.segments"), "mode('segments')", "app.segments", id="app.segments", show=False),
    Binding(key("app.dashboard"), "mode('dashboard')", "app.dashboard", id="app.dashboard",
            show=False),
]


class CustuiApp(App[None]):
    """custui: customer care at the counter, from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "custui"
    BINDINGS: ClassVar[list[BindingType]] = list(APP_BINDINGS)
    # areas switched by keys; "lookup" (home, needs the index) is added in __init__
    MODES = {"care": CareScreen, "complaints": ComplaintsScreen, "results": SurveyResultsScreen,
             "segments": SegmentsScreen, "dashboard": DashboardScreen}
    DEFAULT_MODE = "lookup"
    COMMANDS = App.COMMANDS | {CustuiCommands}

    def __init__(self, workspace: Workspace) -> None:
        # Textual binds the palette itself (shown at the footer's right) from this class
        # variable in App.__init__: this app's own value is how the keymap moves it
        palette_key = workspace.config.settings.keymap.get("app.palette", key("app.palette"))
        self.COMMAND_PALETTE_BINDING = palette_key  # type: ignore[misc]
        super().__init__()
        self.workspace = workspace
        # the start-up pipeline (warm_up) folds recent activity in once orders have loaded
        kept = lookup_cache.present(workspace.store)  # a few bytes' read
        self.index = CustomerIndex(workspace.store, defer_activity=True,
                                   saved=(lambda: lookup_cache.read(workspace.store)) if kept else None)
        self.views = CustomerViews(workspace)
        # one Analytics for the segments, members and dashboard screens (its cache is shared)
        self.analytics = Analytics(workspace.store, workspace.config, workspace.clock, workspace.derived)
        self.add_mode("lookup", lambda: LookupScreen(self.index))
        self.type_ahead = TypeAhead(self)
        # cross-screen news: which customers' records changed (screens/changes.py)
        self.changes = ChangeFeed(self)
        self.records_changed: Signal[Changes] = Signal(self, "records-changed")

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes from the terminal are handled one at a time (see type_ahead)."""
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            event = as_typed(event)
            if not self.type_ahead.admit(event):
                return
        await super().on_event(event)

    def own_bindings(self) -> list[Binding]:
        """The app's own keys (what F1 lists under the app); labels are i18n keys."""
        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "app.palette",
                          id="app.palette")
        return [*APP_BINDINGS, palette]

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette whose Enter runs a command named exactly (see CustuiPalette)."""
        if self.use_command_palette and not self.screen.has_class("--textual-command-palette"):
            self.push_screen(CustuiPalette(id="--command-palette"))

    def on_mount(self) -> None:
        settings = self.workspace.config.settings
        if settings.keymap:
            self.set_keymap(dict(settings.keymap))
        self.title = "custui"
        self.sub_title = self.workspace.store.location
        if self.workspace.store.read_only:
            self.sub_title = f"{t('app.read_only')} · {self.sub_title}"
        self._last_typed = 0.0  # time.monotonic() of the last edit in any input
        self._quitting = False
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(self.BUILD_SWITCH_INTERVAL)
        self.workspace.store.pace_loading(self._loader_pause)
        self.warm_up()
        self.changes.follow(self.workspace.store)

    def on_store_changed(self, message: StoreChanged) -> None:
        """Records were saved (here or, on a shared store, by another operator): the header's
        care counts are recounted, the P(alive) model refitted if due and the screens told,
        once per burst (see screens/changes.py)."""
        changes = self.changes.take()
        if changes is not None:
            self.refresh_care_counts()
            self.refit_alive()
            self.records_changed.publish(changes)

    @work(thread=True, exclusive=True, group="alive-refit", exit_on_error=False)
    def refit_alive(self) -> None:
        """After a burst of writes, refit the P(alive) model on the changed data (seconds at 100k
        customers), in a worker: until it is done, the "at risk" segment and the care queue score
        the current data with the last fit, so no write or screen waits for a fit."""
        from custui.services import alive

        if alive.refit_due(self.workspace):
            self._pause_in_typing()
            alive.alive_fit(self.workspace)

    # While start-up workers grind (all CPU-bound, under the GIL), hand the GIL back to the
    # UI thread every millisecond instead of every 5: keys are echoed and answered meanwhile.
    SWITCH_INTERVAL = 0.001
    # Until the lookup's index is built, the opposite: the store's loader thread parses in
    # ~10 ms C calls, and the index build (pure Python) only progresses in its own slices.
    BUILD_SWITCH_INTERVAL = 0.01

    def on_unmount(self) -> None:
        sys.setswitchinterval(getattr(self, "_switch_interval", 0.005))
        self._quitting = True  # the warm-up stops waiting for the store
        # quitting must not wait for the lookup's index build or a big file's background
        # load: the workers busy with them (warm_up, a search, a profile's orders) would
        # hold the exit until they end
        self.index.close()
        self.workspace.store.stop_loading()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Start-up work in one worker, one job at a time, so typing wins over it: the lookup's
        index (names, phones, codes), then, once the store has loaded its big tables, recent
        activity for the lookup's order, the shared derived cache (segments, dashboard,
        profiles) and the header's care counts. Freed memory goes back to the OS after each."""
        store = self.workspace.store
        try:
            self.index.prepare()  # the lookup's first search may be building it: it waits
        finally:
            # a big file's tables load only now (run_app held them): under one GIL the load
            # would halve the pace of the build, which is what makes the lookup usable
            store.release_load()
        sys.setswitchinterval(self.SWITCH_INTERVAL)
        store.wait_loaded()
        if not self.index.activity_folded:  # the store was still loading when the index was built
            self.index.fold_activity()
            self.call_from_thread(self._activity_arrived)
        # the derived cache is kept all session: made while a full parse's records are being
        # made columns, it would sit between them and keep their memory (hundreds of MB at 1M
        # orders) from going back to the system once they are freed
        while True:
            settled = store.wait_settled(self.SETTLE_STEP)
            if self._quitting:  # (a close stops the store's work too: that is no settling)
                return
            if settled:
                break
        release_memory()
        self._pause_in_typing()
        self.workspace.derived.ensure_built()
        release_memory()
        self._pause_in_typing()
        self._count_care()
        release_memory()

    SETTLE_STEP = 0.25  # seconds between looks at quitting while the store settles
    TYPING_QUIET = 0.6  # seconds without an edit before a long start-up job begins
    TYPING_WAIT_MAX = 8.0  # ... but no longer than this

    @on(Input.Changed)
    def _typed(self) -> None:
        self._last_typed = time.monotonic()

    def _pause_in_typing(self, stopped: Callable[[], bool] | None = None) -> None:
        """(Worker thread) Wait until the operator pauses typing (TYPING_QUIET without an edit,
        at most TYPING_WAIT_MAX): a job of a second or two started mid-word would slow every
        keystroke's answer while it runs. With `stopped`, returns within 20 ms of it saying so."""
        wait_quiet(lambda: self._last_typed, self.TYPING_QUIET, self.TYPING_WAIT_MAX, stopped)

    def _loader_pause(self, stopped: Callable[[], bool]) -> None:
        """(The store's loader thread, between two of its steps) Wait while the operator types
        and TYPING_QUIET after, at most TYPING_WAIT_MAX: under one GIL each step of a big file's
        background load halves the pace of the keystrokes' answers. Returns once `stopped()`.
        Never while the lookup's index is not built: with no index kept from the last launch it
        is built from the customers this load reads, and typing is what waits for it."""
        if self.index.built:
            self._pause_in_typing(stopped)

    def _activity_arrived(self) -> None:
        """Recent activity changes the lookup's order: show it if the lookup is on screen."""
        screen = self.screen
        if isinstance(screen, LookupScreen) and screen.is_mounted:
            screen.refresh_results()

    @work(thread=True, exclusive=True, group="care-counts", exit_on_error=False)
    def refresh_care_counts(self) -> None:
        """Today's care-queue counts in the header (the care screen keeps them fresh)."""
        self._count_care()

    def _count_care(self) -> None:
        from custui.services.care import compute_counts

        counts = compute_counts(self.workspace)
        self.call_from_thread(self.show_care_counts, counts)

    def show_care_counts(self, counts: QueueCounts) -> None:
        """Today's care-queue counts in the header (sub_title), before the database path: a
        long path is cut at the right, never the counts (read-only stays first)."""
        location = self.workspace.store.location
        prefix = f"{t('app.read_only')} · " if self.workspace.store.read_only else ""
        self.sub_title = f"{prefix}{header_text(counts)} · {location}"

    def changed_form(self) -> Screen[Any] | None:
        """An open form (in any mode) holding changes that quitting would lose."""
        for mode in (self.DEFAULT_MODE, *self.MODES):
            try:
                stack = self.get_screen_stack(mode)
            except KeyError:  # an area not opened yet
                continue
            for screen in reversed(stack):
                if isinstance(screen, Screen) and getattr(screen, "dirty", False):
                    return screen
        return None

    async def action_quit(self) -> None:
        """Ctrl+Q: a changed form asks first, as its Escape does; otherwise quit."""
        from custui.modals.confirm import ConfirmModal

        if self.changed_form() is None or isinstance(self.screen, ConfirmModal):
            self.exit()
            return
        self.push_screen(ConfirmModal(t("app.quit_discard")),
                         lambda yes: self.exit() if yes else None)

    def action_mode(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_walk_in_survey(self) -> None:
        from custui.screens.survey import SurveyScreen

        self.push_screen(SurveyScreen(self.workspace, None))

    def action_help(self) -> None:
        from custui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def lookup_screen(self) -> LookupScreen | None:
        """Back to the lookup (popping profiles and forms above it); None if not on the stack."""
        if self.current_mode != "lookup":
            self.switch_mode("lookup")
        for screen in self.screen_stack:
            if isinstance(screen, LookupScreen):
                while self.screen is not screen and len(self.screen_stack) > 1:
                    self.pop_screen()
                return screen
        return None

    def action_search(self) -> None:
        """`/`: the screen's own search or filter box (text selected); else the lookup's."""
        for name in ("action_focus_search", "action_focus_filter"):
            own = getattr(self.screen, name, None)
            if own is not None:
                own()
                return
        screen = self.lookup_screen()
        if screen is not None:
            screen.action_focus_search()

    def action_new_customer(self) -> None:
        screen = self.lookup_screen()
        if screen is not None:
            screen.action_new_customer()

    def action_toggle_archived(self) -> None:
        screen = self.lookup_screen()
        if screen is not None:
            screen.action_toggle_archived()

    def open_customer(self, customer_id: int) -> None:
        from custui.screens.profile import ProfileScreen

        self.push_screen(ProfileScreen(self.workspace, customer_id))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed worker (save, search, load) is reported, never silently lost."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            message = t("app.error", error=safe_str(event.worker.error))
            self.notify(message, severity="error", markup=False, timeout=10)


def release_memory() -> None:
    """Give freed heap pages back to the OS (glibc keeps them after big temporary lists)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def make_app(workspace: Workspace) -> CustuiApp:
    """The factory the CLI and the tests share."""
    return CustuiApp(workspace)
