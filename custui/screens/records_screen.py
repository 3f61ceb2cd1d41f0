"""The base of the screens that show stored records (lookup, profile, Today, dashboard, ...).

Each one follows the app's `records_changed` Signal (changes.py) and refreshes what it
shows when records it shows change: at once when it is on screen (a modal dialog above it
included), otherwise when it comes back (the operator returns from a profile, switches
back to its area): a hidden screen does no work for changes nobody sees yet.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import DataTable
from textual.worker import Worker

from custui.screens.app_access import app_of
from custui.screens.changes import Changes
from custui.services.workspace import Workspace
from custui.widgets.labels import LabelledScreen

ResultType = TypeVar("ResultType")


class RecordsScreen(LabelledScreen[ResultType]):
    """Subclasses say which changes concern them (`shows`) and how to refresh
    (`refresh_records`)."""

    stale = False  # records it shows changed while it was hidden
    ROW_ACTION: ClassVar[str | None] = None  # what a row chosen in its table does (click, Enter)

    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__()
        self._workspace = workspace

    @property
    def workspace(self) -> Workspace:
        """The workspace given, else the app's (modes build their screen without arguments)."""
        return self._workspace if self._workspace is not None else app_of(self).workspace

    def on_mount(self) -> None:
        app_of(self).records_changed.subscribe(self, self.changes_arrived)

    def keys_wait_for(self, first_load: Worker[Any]) -> None:
        """Keys typed while the screen's rows are first loaded wait for them: a burst such as
        Ctrl+G, Enter (open the segment under the cursor) or Enter, c (log a campaign for the
        members) acts on the rows, not on the empty table shown meanwhile."""
        app_of(self).type_ahead.wait_for(first_load)

    def changes_arrived(self, changes: Changes) -> None:
        if not self.shows(changes):
            return
        if self.in_view:
            self.refresh_records()
        else:
            self.stale = True

    @property
    def in_view(self) -> bool:
        """On screen: on top of its area's stack or under dialogs only (Textual's `is_current`
        also counts the screen right under another full screen, which hides it)."""
        stack = self.app.screen_stack
        if self not in stack:  # another area's, or gone
            return False
        return all(isinstance(above, ModalScreen) for above in stack[stack.index(self) + 1:])

    def on_screen_resume(self) -> None:
        if self.stale and self.is_mounted:
            self.stale = False
            self.refresh_records()

    @on(DataTable.RowSelected)
    async def _row_chosen(self, event: DataTable.RowSelected) -> None:
        """A row chosen (a click; Enter where no binding takes it): the screen's ROW_ACTION."""
        if self.ROW_ACTION is not None:
            event.stop()
            await self.run_action(self.ROW_ACTION)

    def shows(self, changes: Changes) -> bool:
        """Whether these changes may alter what the screen shows (by default: any)."""
        return True

    def refresh_records(self) -> None:
        """Show the records as they are now."""
        raise NotImplementedError
