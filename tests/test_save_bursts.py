"""Every form saves through one runner: the keys typed after Ctrl+S wait for the save (and the
question or screen it shows), so a whole burst typed while the store is slow ends as the same
keys typed slowly. Each save here is held until the keys after it have been read."""

from __future__ import annotations

import pytest
from pilot_helpers import HeldCall, burst_during, open_profile

from custui.app import make_app
from custui.modals import purchase
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace

ANH = 1


def totals(ws: Workspace, customer_id: int) -> list[int]:
    return sorted(int(o["total"]) for o in ws.store.children("orders", customer_id))


@pytest.mark.parametrize("answer", ["y", "enter"])
async def test_a_huge_amount_and_its_confirmation_in_one_burst_save_the_order(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, answer: str,
) -> None:
    held = HeldCall(purchase.second_thoughts)
    monkeypatch.setattr(purchase, "second_thoughts", held)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        await burst_during(pilot, held, "o", *"999999999999", "ctrl+s", answer)
        assert isinstance(app.screen, ProfileScreen)
        assert 999_999_999_999 in totals(workspace, ANH)
