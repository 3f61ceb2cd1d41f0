"""Binding ids and their default keys: the registry settings.yaml `keymap:` is checked against.

No Textual here, so `custui config check` can validate a keymap without starting the
app. Screens build their Bindings from `key(binding_id)` so the default lives in one
place; add your screen's ids to DEFAULT_KEYS (an additive edit).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

# binding id -> default key (Textual key names; several keys separated by commas)
DEFAULT_KEYS: dict[str, str] = {
    # app-wide
    "app.quit": "ctrl+q",
    "app.help": "f1,question_mark",
    "app.palette": "ctrl+p",
    # lookup (home)
    "lookup.focus-search": "slash",
    "lookup.focus-table": "escape",
    "lookup.open": "enter",
    "lookup.new-customer": "n",
    "lookup.toggle-archived": "a",
    # profile
    "profile.back": "escape",
    "profile.edit": "e",
    "profile.archive": "x",
    "profile.restore": "x",
    "profile.merge": "m",
    "profile.message": "s",
    "profile.consent": "k",
    "profile.export-data": "d",
    "profile.forget": "ctrl+d",
    "profile.new-order": "o",
    "profile.new-feedback": "f",
    "profile.new-complaint": "c",
    "profile.new-interaction": "i",
    "profile.tab-orders": "1",
    "profile.tab-feedback": "2",
    "profile.tab-complaints": "3",
    "profile.tab-interactions": "4",
    "profile.tab-details": "5",
    "profile.tab-loyalty": "6",
    "profile.void-order": "v",
    "profile.correct-order": "enter",
    "profile.complaint-status": "enter",
    "profile.feedback-answers": "enter",
    # purchase form and void prompt (issue 5)
    "purchase.save": "ctrl+s",
    "purchase.cancel": "escape",
    "void.save": "ctrl+s",
    "void.cancel": "escape",
    # customer form
    "form.save": "ctrl+s",
    "form.cancel": "escape",
    # dialogs
    "confirm.yes": "y",
    "confirm.no": "n,escape",
    "pick.cancel": "escape",
    "help.close": "escape,q",
    # segments and dashboard (issue 7)
    "app.segments": "ctrl+g",
    "app.dashboard": "ctrl+b",
    "segments.open": "enter",
    "segments.refresh": "r",
    "segments.dashboard": "d",
    "segments.lookup": "escape",
    "members.open": "enter",
    "members.filter": "slash",
    "members.sort": "s",
    "members.export": "e",
    "members.campaign": "c",
    "members.message": "m",
    "members.back": "escape",
    "dashboard.this-month": "1",
    "dashboard.last-month": "2",
    "dashboard.this-quarter": "3",
    "dashboard.this-year": "4",
    "dashboard.last-12-months": "5",
    "dashboard.custom": "p",
    "dashboard.refresh": "r",
    "dashboard.segments": "g",
    "dashboard.lookup": "escape",
}

# the ids registered here; `all_binding_ids()` adds those other screens declare
KNOWN_BINDING_IDS: frozenset[str] = frozenset(DEFAULT_KEYS)

_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED = {
    "enter", "escape", "tab", "space", "backspace", "delete", "insert", "home", "end",
    "pageup", "pagedown", "up", "down", "left", "right", "question_mark", "slash",
    "backslash", "comma", "full_stop", "minus", "plus", "equals_sign", "colon", "semicolon",
    "exclamation_mark", "at", "number_sign", "dollar_sign", "percent_sign", "circumflex_accent",
    "ampersand", "asterisk", "left_parenthesis", "right_parenthesis", "underscore",
    "left_square_bracket", "right_square_bracket", "left_curly_bracket", "right_curly_bracket",
    "vertical_line", "tilde", "grave_accent", "apostrophe", "quotation_mark", "less_than_sign",
    "greater_than_sign",
} | {f"f{n}" for n in range(1, 25)}
_SINGLE = re.compile(r"^[a-zA-Z0-9]$")


def all_binding_ids() -> frozenset[str]:
    """Every binding id in the app: the registry plus the ids found on the BINDINGS of the
    app, screens, modals and widgets (imports Textual lazily; for `custui config check`)."""
    import importlib
    import inspect
    import pkgutil

    found: set[str] = set(DEFAULT_KEYS)
    modules = [importlib.import_module("custui.app")]
    for package_name in ("custui.screens", "custui.modals", "custui.widgets"):
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            modules.append(importlib.import_module(f"{package_name}.{info.name}"))
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for binding in getattr(cls, "BINDINGS", None) or ():
                binding_id = getattr(binding, "id", None)
                if binding_id:
                    found.add(binding_id)
    return frozenset(found)


def key(binding_id: str) -> str:
    """The default key(s) of a binding id (KeyError for an unregistered id)."""
    return DEFAULT_KEYS[binding_id]


def valid_key(spec: str) -> bool:
    """Whether `spec` ("ctrl+n", "f2", "n", "ctrl+shift+up", "a,b") names real keys."""
    for one in spec.split(","):
        parts = one.strip().split("+")
        if not parts or not parts[-1]:
            return False
        *mods, base = parts
        if any(mod not in _MODIFIERS for mod in mods):
            return False
        if not (_SINGLE.match(base) or base.lower() in _NAMED):
            return False
    return True


def check_keymap(keymap: Mapping[str, str], known: frozenset[str] | None = None) -> list[str]:
    """Problems of a settings.yaml keymap, one message each: unknown ids, bad key names,
    and two bindings of one screen given the same key."""
    known = KNOWN_BINDING_IDS if known is None else known
    problems: list[str] = []
    for binding_id, spec in keymap.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"keymap.{binding_id}: unknown binding id{hint}")
        if not isinstance(spec, str) or not valid_key(spec):
            problems.append(f"keymap.{binding_id}: {spec!r} is not a key name (e.g. ctrl+n, f2, n)")
    effective = {**{k: v for k, v in DEFAULT_KEYS.items()}, **keymap}
    seen: dict[tuple[str, str], str] = {}
    for binding_id, spec in effective.items():
        if not isinstance(spec, str):
            continue
        scope = binding_id.split(".", 1)[0]
        for one in spec.split(","):
            slot = (scope, one.strip())
            other = seen.get(slot)
            if other is not None and (binding_id in keymap or other in keymap):
                problems.append(f"keymap.{binding_id}: key {one.strip()!r} is also {other!r}")
            seen[slot] = binding_id
    return problems
