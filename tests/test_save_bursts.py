"""Every form saves through one runner: the keys typed after Ctrl+S wait for the save (and the
question or screen it shows), so a whole burst typed while the store is slow ends as the same
keys typed slowly. Each save here is held until the keys after it have been read; the key after
the save (`i`, a new interaction) must reach the screen the form returns to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pilot_helpers import HeldCall, burst, burst_during, open_profile, open_segment, settle

from custui.app import make_app
from custui.modals import campaign, consent, purchase, void_order
from custui.modals.interaction import InteractionModal
from custui.screens.profile import ProfileScreen
from custui.services import complaints, feedback, interactions
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore

ANH = 1


def held_save(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> HeldCall:
    """Hold the service call `module.name` (as the form calls it) until the test releases it."""
    held = HeldCall(getattr(module, name))
    monkeypatch.setattr(module, name, held)
    return held


def totals(ws: Workspace, customer_id: int) -> list[int]:
    return sorted(int(o["total"]) for o in ws.store.children("orders", customer_id))


async def test_a_huge_amount_and_its_confirmation_in_one_burst_save_the_order(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """o, the amount, Ctrl+S, y: the y answers the question the save asks (CI once saw it typed
    into the form, which then stayed on the question)."""
    held = held_save(monkeypatch, purchase, "save_purchase")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        await burst_during(pilot, held, "o", *"999999999999", "ctrl+s", "y")
        assert isinstance(app.screen, ProfileScreen)
        assert 999_999_999_999 in totals(workspace, ANH)


def some_complaint(ws: Workspace) -> None:
    care = ws.config.care
    complaints.open_complaint(ws, ANH, care.complaint_categories[0].id, care.severities[0].id, "late")


def is_void(ws: Workspace) -> bool:
    return any(o.get("void") for o in ws.store.children("orders", ANH))


# (what holds the save: module, name), keys up to the save, what the store holds after it
FORMS: dict[str, tuple[Any, str, tuple[str, ...], Callable[[Workspace], bool]]] = {
    "purchase": (purchase, "save_purchase", ("o", *"450000", "ctrl+s"),
                 lambda ws: 450_000 in totals(ws, ANH)),
    "interaction": (interactions, "log_typed", ("i", *"called back", "ctrl+s"),
                    lambda ws: any(d["summary"] == "called back" for d in ws.store.all("interactions"))),
    "complaint": (complaints, "open_complaint", ("c", "2", "3", *"cold coffee", "ctrl+s"),
                  lambda ws: any(d["description"] == "cold coffee" for d in ws.store.all("complaints"))),
    "complaint status": (complaints, "change_status", ("3", "enter", *"on it", "ctrl+s"),
                         lambda ws: any(d["status"] != "open" for d in ws.store.all("complaints"))),
    "consent": (consent, "record_consent", ("k", "3", "2", "2", "ctrl+s"),
                lambda ws: any(e.get("granted") is False
                               for e in (ws.store.get("customers", ANH) or {}).get("consents") or ())),
    "void": (void_order, "void_order", ("v", *"wrong amount", "enter"), is_void),
    "survey": (feedback, "submit_feedback",
               ("f", "enter", "5", "4", "3", "2", "4", "1", "0", *"ok", "ctrl+s"),
               lambda ws: len(ws.store.all("feedback")) == 1),
}


@pytest.mark.parametrize("form", list(FORMS))
async def test_the_key_after_a_save_reaches_the_profile_the_form_returns_to(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, form: str,
) -> None:
    module, name, keys, saved = FORMS[form]
    held = held_save(monkeypatch, module, name)
    if form == "complaint status":
        some_complaint(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, ANH)
        await burst_during(pilot, held, *keys, "i")
        assert saved(workspace)
        assert isinstance(app.screen, InteractionModal)  # the `i` opened a new interaction
        assert app.screen_stack[-2] is profile
        await burst(pilot, "escape")
        assert app.screen is profile


async def test_the_key_after_a_campaign_reaches_the_members_list(
    workspace: Workspace, store: MemoryStore, monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = held_save(monkeypatch, campaign, "log_campaign")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        members = await open_segment(pilot, "individual")
        await burst_during(pilot, held, "c", "3", *"Summer sale", "enter", "c")
        assert len(store.all("interactions")) == 4
        assert isinstance(app.screen, campaign.CampaignModal)  # the second `c`: a new campaign
        assert app.screen_stack[-2] is members


async def test_the_key_after_a_new_customer_is_saved_reaches_their_profile(
    workspace: Workspace, store: MemoryStore, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from custui.screens import customer_form

    held = held_save(monkeypatch, customer_form, "create_customer")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst_during(pilot, held, "escape", "n", *"Burst Test", "ctrl+s", "i")
        assert [d["name"] for d in store.all("customers")].count("Burst Test") == 1
        assert isinstance(app.screen, InteractionModal)
        profile = app.screen_stack[-2]
        assert isinstance(profile, ProfileScreen) and profile.customer_id == app.screen.customer_id
