"""A database opened --read-only: forms say so before anyone types, and every save is refused at
once, with the same words everywhere (never a `Saving…` that waits for ever)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from textual import events
from textual.containers import Container
from textual.dom import DOMNode
from textual.widgets import Footer, Header, Static

from custui.i18n import t
from custui.widgets.safe import plain

Method = TypeVar("Method", bound=Callable[..., Any])


def is_read_only(node: DOMNode) -> bool:
    workspace = getattr(node.app, "workspace", None)
    return bool(workspace is not None and workspace.store.read_only)


def refused_read_only(node: DOMNode) -> bool:
    """True, after saying so, when the database is read-only: the caller saves nothing."""
    if not is_read_only(node):
        return False
    node.app.notify(t("app.read_only_refused"), severity="error", markup=False, timeout=6)
    return True


def writes(method: Method) -> Method:
    """For an action that would change the database: refused at once when it is read-only."""

    @wraps(method)
    def guarded(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
        if refused_read_only(self):
            return None
        return method(self, *args, **kwargs)

    return guarded  # type: ignore[return-value]


class ReadOnlyNote(Static):
    """The line a form shows at its top when nothing it holds can be saved."""

    DEFAULT_CSS = """
    ReadOnlyNote { color: $error; text-style: bold; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__(plain(t("app.read_only_form")), classes="read-only-note")


class SavingForm:
    """Mixin for screens that save (forms, entry dialogs, the survey): in a read-only session
    a ReadOnlyNote is mounted at the top of the form when it opens."""

    def _on_mount(self, event: events.Mount) -> None:
        screen: Any = self
        if not is_read_only(screen) or screen.query(ReadOnlyNote):
            return
        host = next((child for child in screen.children if not isinstance(child, Header | Footer)), None)
        if host is None:
            screen.mount(ReadOnlyNote())
        elif isinstance(host, Container) and host.children:
            host.mount(ReadOnlyNote(), before=0)
        else:
            screen.mount(ReadOnlyNote(), before=host)
