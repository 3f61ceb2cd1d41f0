"""The footer of the screens with many keys of their own (profile, Today, Complaints, ...)."""

from __future__ import annotations

from textual.widgets import Footer


def keys_footer() -> Footer:
    """The screen's own keys and F1, compact, in 80 columns (en and vi): the palette key and
    the global screen keys (Ctrl+T/O/Y/G/B) are in F1 help and the palette."""
    return Footer(show_command_palette=False, compact=True)
