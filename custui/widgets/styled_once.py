"""Screens styled once when they open, not twice."""

from __future__ import annotations

from textual import events


class StyledOnce:
    """Mixed into every custui screen and dialog, before Textual's Screen.

    Textual restyles a screen's whole tree each time it becomes the active screen, so that a
    screen that waited below another catches up with CSS changed meanwhile. A screen that has
    just opened was styled as it mounted, a moment before: restyling it all again (a tenth of
    a second for a form on a slow box) bought nothing. Only that first resume skips it; every
    later one (back from a dialog, a mode switched to again) restyles as Textual does.
    """

    _styled_on_mount = True

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # runs before Screen._on_screen_resume (handlers go down the class's MRO)
        if self._styled_on_mount:
            self._styled_on_mount = False
            event.refresh_styles = False
