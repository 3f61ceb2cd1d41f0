"""The footer every screen and dialog shows: the keys it answers to, rebuilt only when they change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeysFooter(Footer):
    """Textual's Footer, without its work when nothing it shows changed.

    Textual rebuilds every footer key (new widgets, styles, a full layout and repaint) whenever
    the screen's bindings may have changed, and they may on every focus change: each Tab or
    click between fields. Most focus changes leave the same keys (two inputs answer to the same
    ones), so this footer compares what it would show with what it shows and rebuilds only on a
    difference: Tab through a form costs a fraction of the CPU, on a slow box or over SSH.
    """

    _shown: tuple[Any, ...] | None = None

    def _keys(self) -> tuple[Any, ...]:
        """Everything `compose` reads, as a value to compare."""
        app = self.app
        keys = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action,
             binding.group, enabled, tooltip, binding.tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.show_command_palette, self.compact, app.ENABLE_COMMAND_PALETTE,
                app.COMMAND_PALETTE_BINDING)

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()


def keys_footer() -> KeysFooter:
    """The screen's own keys and F1, compact, in 80 columns (en and vi): the palette key and
    the global screen keys (Ctrl+T/O/Y/G/B) are in F1 help and the palette."""
    return KeysFooter(show_command_palette=False, compact=True)
