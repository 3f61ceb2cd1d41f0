"""The profile's record tables keep free text (items, notes, summaries) readable after a save
made in a dialog over the profile, not only when the profile is first opened."""

from __future__ import annotations

from pilot_helpers import burst, open_profile, screen_text, wait_until

from custui.app import make_app
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace

ANH = 1


async def test_items_stay_whole_after_a_purchase_is_saved_over_the_profile(workspace: Workspace) -> None:
    workspace.store.insert("orders", {
        "customer_id": ANH, "date": "2025-03-27", "total": 418_000, "items": "Tai nghe x1",
        "promo": False, "channel": "store", "points_redeemed": 0, "created_at": "2025-03-27T12:00:00",
    })
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        assert "Tai nghe x1" in screen_text(app)
        await burst(pilot, "o", *"888888888888", "ctrl+s", "y")
        assert isinstance(app.screen, ProfileScreen)
        assert await wait_until(pilot, lambda: "2026-11-28" in screen_text(app), 30)
        assert "Tai nghe x1" in screen_text(app)
