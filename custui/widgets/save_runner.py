"""The one way a form saves: one service call in a thread worker, keys typed meanwhile kept.

A form (an entry dialog, the purchase form, the survey) gathers its fields and hands
`run_save` the one service call that saves them and what to do with its result. The runner
sets `saving` (a second Ctrl+S, a cancel, a dirty check see it), runs the call in a thread
worker (never on the event loop: the store writes to disk), and holds the keys typed
meanwhile (type_ahead) until the worker has finished, so that a burst like `o`, amount,
Ctrl+S, `y` gives the `y` to the question the save asks, or to the screen shown once the form
has closed, never to the form itself. A refused save (bad input, disk full: a CustuiError)
leaves the form open as typed and shows the message; a saved one calls `done(result)` on the
event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual import work
from textual.widgets import Static

from custui.errors import CustuiError
from custui.widgets.read_only import SavingForm
from custui.widgets.safe import plain

Result = TypeVar("Result")


class SaveRunner(SavingForm):
    """Mixin for screens that save: `run_save(call, done)`; `save_refused` shows a refusal
    (by default in the Static `SAVE_MESSAGE`), `saving` is true while a save runs."""

    saving = False
    SAVE_MESSAGE = "#error"

    def run_save(self, call: Callable[[], Result], done: Callable[[Result], None], status: str = "") -> None:
        """Run `call()` in a thread worker; `done(result)` when it returns, `save_refused(error)`
        when it raises a CustuiError. `status`: shown while it runs ("Saving…"). A save already
        running: nothing happens."""
        if self.saving:
            return
        self.saving = True
        if status:
            self.show_save_message(status)
        worker = self._save_in_thread(call, done)
        gate = getattr(self._node.app, "type_ahead", None)
        if gate is not None:  # keys typed after Ctrl+S wait for the save and what it shows
            gate.wait_for(worker)

    @property
    def _node(self) -> Any:
        return self

    @work(thread=True, exit_on_error=False, group="save")
    def _save_in_thread(self, call: Callable[[], Result], done: Callable[[Result], None]) -> None:
        app = self._node.app
        try:
            result = call()
        except CustuiError as err:  # bad input, or not saved (disk full): the form stays as typed
            app.call_from_thread(self._save_ended, self.save_refused, err)
            return
        app.call_from_thread(self._save_ended, done, result)

    def _save_ended(self, then: Callable[[Any], None], outcome: Any) -> None:
        self.saving = False
        then(outcome)

    def save_refused(self, error: CustuiError) -> None:
        """A refused save: say why (the form stays as typed)."""
        self.show_save_message(error.message)

    def show_save_message(self, message: str) -> None:
        self._node.query_one(self.SAVE_MESSAGE, Static).update(plain(message))
