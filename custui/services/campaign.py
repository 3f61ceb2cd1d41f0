"""Log one interaction for every member of a segment a campaign may reach, in one batch."""

from __future__ import annotations

from collections.abc import Sequence

from custui.domain.enums import INTERACTION_TYPES
from custui.errors import BadInput
from custui.i18n import t
from custui.services import interactions
from custui.services.consent import campaign_reach
from custui.services.workspace import Workspace


def log_campaign(ws: Workspace, customer_ids: Sequence[int], kind: str, summary: str,
                 campaign: str = "") -> int:
    """One interaction per customer who may be reached (consent to profiling and marketing,
    see services.consent.campaign_reach), all in one batch (one durable write); returns
    the count.

    `campaign` (a segment id) is kept on each interaction so the campaign can be found again.
    """
    from custui.services.roles import require

    require(ws, "campaign", check_pin_too=False)  # Refused (logged) for a clerk
    if kind not in INTERACTION_TYPES:
        raise BadInput(t("interaction.err.type", kind=kind))
    if not summary.strip():
        raise BadInput(t("interaction.err.summary"))
    extra = {"campaign": campaign} if campaign else {}
    reach = campaign_reach(ws, customer_ids)
    with ws.store.batch():
        for customer_id in reach.allowed:
            interactions.log_interaction(ws, customer_id, kind, summary, **extra)
    return len(reach.allowed)
