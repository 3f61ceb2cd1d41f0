"""The one typed way screens, modals and widgets reach the app they run in (as posting does
with `cast("Posting", self.app)`): its workspace, lookup index, views and analytics."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:  # the app imports the screens: only the type checker looks upward
    from custui.app import CustuiApp


def app_of(node: DOMNode) -> CustuiApp:
    """`node.app` as the custui app."""
    return cast("CustuiApp", node.app)
