"""The one binding registry (id -> default key) and the one keymap validator.

Every Binding with an id in the app, its screens, modals and widgets is registered here
(tests/test_lookup_keymap.py checks both ways), so an id settings.yaml `keymap:` may name
is exactly an id the app applies. The config layer validates a keymap with
`keymap_problems` at load time: `custui config check` and the app accept the same files.
No Textual here, so the config layer can use it without starting the app.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping

# binding id -> default key (Textual key names; several keys separated by commas)
DEFAULT_KEYS: dict[str, str] = {
    # app-wide
    "app.quit": "ctrl+q",
    "app.help": "f1,question_mark",
    "app.palette": "ctrl+p",
    "app.search": "slash",
    "app.care": "ctrl+t",
    "app.complaints": "ctrl+o",
    "app.results": "ctrl+y",
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
    # purchase form and void prompt
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
    # segments and dashboard
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
    "period.cancel": "escape",
    "export.cancel": "escape",
    # care queue ("Today"), complaints and survey results
    "care.open": "enter",
    "care.done": "d",
    "care.snooze": "z",
    "care.survey": "f",
    "care.refresh": "r",
    "care.message": "m",
    "complaints.change": "enter",
    "complaints.profile": "p",
    "complaints.status": "s",
    "complaints.category": "g",
    "complaints.overdue": "o",
    "complaints.refresh": "r",
    "results.survey": "s",
    "results.period": "p",
    "results.refresh": "r",
    # survey, complaint, interaction, consent and campaign dialogs
    "survey.back": "shift+tab",
    "survey.cancel": "escape",
    "survey.order": "o",
    "survey.save": "ctrl+s",
    "message.send": "ctrl+s,enter",
    "message.cancel": "escape",
    "pin.cancel": "escape",
    "complaint.save": "ctrl+s",
    "complaint.cancel": "escape",
    "complaint-status.save": "ctrl+s",
    "complaint-status.cancel": "escape",
    "interaction.save": "ctrl+s",
    "interaction.cancel": "escape",
    "consent.save": "ctrl+s",
    "consent.cancel": "escape",
    "campaign.save": "ctrl+s",
    "campaign.cancel": "escape",
    "feedback-view.close": "escape,enter",
}

KNOWN_BINDING_IDS: frozenset[str] = frozenset(DEFAULT_KEYS)

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# named keys as Textual spells them (textual.keys.Keys, without modifiers)
NAMED_KEYS = frozenset(
    (
        "escape", "enter", "return", "tab", "backspace", "delete", "insert", "home", "end",
        "up", "down", "left", "right", "pageup", "pagedown", "space",
        "slash", "backslash", "at", "minus", "plus", "underscore",
        *(f"f{number}" for number in range(1, 25)),
    )
)


def key(binding_id: str) -> str:
    """The default key(s) of a binding id (KeyError for an unregistered id)."""
    return DEFAULT_KEYS[binding_id]


def key_problem(keys: str) -> str | None:
    """Why `keys` is not a Textual key spec ("ctrl+n", "f2", "n", "ctrl+n,f2"), or None.

    Mirrors textual.keys: modifiers joined by "+", then a named key, one character,
    or a Unicode character name with underscores ("question_mark").
    """
    if not keys.strip():
        return "empty key"
    for one in keys.split(","):
        one = one.strip()
        problem = _one_key_problem(one)
        if problem:
            lower = one.lower()
            if lower != one and _one_key_problem(lower) is None:
                problem += f"; did you mean {lower!r}?"
            return f"{one!r}: {problem}"
    return None


# keys a terminal cannot tell from another: it sends Ctrl+M as Enter and Ctrl+I as Tab, and
# custui reads Ctrl+J as Enter (see type_ahead.as_typed)
TERMINAL_TWINS = {"ctrl+m": "enter", "ctrl+j": "enter", "ctrl+i": "tab"}


def _one_key_problem(one: str) -> str | None:
    if one in TERMINAL_TWINS:
        return f"a terminal sends it as {TERMINAL_TWINS[one]}; choose another key"
    *modifiers, base = one.split("+")
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f"unknown modifier {modifier!r} (use {', '.join(MODIFIERS)})"
    if len(set(modifiers)) != len(modifiers):
        return "a modifier is repeated"
    if len(base) == 1 and base.isprintable() and not base.isspace():
        if modifiers and not base.isalnum():
            return f"with a modifier, write the key's name (e.g. ctrl+question_mark), not {base!r}"
        return None
    if base in NAMED_KEYS or (base == base.lower() and _unicode_name(base)):
        return None
    return f"unknown key {base!r} (e.g. ctrl+n, f2, n, escape, question_mark)"


def _unicode_name(name: str) -> bool:
    try:
        return len(unicodedata.lookup(name.replace("_", " ").upper())) == 1
    except KeyError:
        return False


def keymap_problems(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """(binding id, message) for each problem of a settings.yaml keymap: an unknown id, a
    key Textual does not know, or two bindings of one screen given the same key."""
    problems: list[tuple[str, str]] = []
    for binding_id, spec in keymap.items():
        if binding_id not in KNOWN_BINDING_IDS:
            close = difflib.get_close_matches(binding_id, sorted(KNOWN_BINDING_IDS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append((binding_id, f"unknown binding id {binding_id!r} (F1 lists them){hint}"))
        problem = key_problem(spec)
        if problem:
            problems.append((binding_id, problem))
    moved = {binding_id for binding_id, spec in keymap.items() if spec != DEFAULT_KEYS.get(binding_id)}
    seen: dict[tuple[str, str], str] = {}
    for binding_id, spec in {**DEFAULT_KEYS, **keymap}.items():
        scope = binding_id.split(".", 1)[0]
        for one in spec.split(","):
            slot = (scope, one.strip())
            other = seen.get(slot)
            if other is not None and (binding_id in moved or other in moved):
                problems.append((binding_id, f"key {one.strip()!r} is also {other!r}"))
            seen[slot] = binding_id
    return problems
