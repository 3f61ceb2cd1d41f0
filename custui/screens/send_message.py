"""Send a message from any screen: draft it (and for a campaign, plan who receives it) in a
worker, preview it in MessageModal, then queue and send it in another worker and say what
happened. The UI never waits on the store or the mail server."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.screen import Screen

from custui.errors import CustuiError
from custui.i18n import t
from custui.modals.message import MessageModal
from custui.services import messaging
from custui.services.workspace import Workspace


def _say(screen: Screen[object], text: str, error: bool = False) -> None:
    screen.app.call_from_thread(screen.app.notify, text, severity="error" if error else "information",
                                markup=False)


def _outcome(report: messaging.SendReport, to: str) -> tuple[str, bool]:
    if report.sent:
        return t("msg.sent", to=to), False
    if report.waiting:
        return t("msg.queued_quiet", until=report.waiting[0]["message"]["not_before"]), False
    if report.failed:
        return t("msg.queued_failed", reply=report.failed[0]["message"]["reply"]), True
    if report.cancelled:
        return report.cancelled[0]["outcome"], True
    return t("msg.outcome.queued"), False


def _preview(screen: Screen[Any], modal: MessageModal, deliver: Callable[[], None]) -> None:
    """(From a worker) Show the preview; on Ctrl+S run `deliver` in a worker of `screen`."""

    def chosen(send: bool | None) -> None:
        if send:
            screen.run_worker(deliver, thread=True, exit_on_error=False, group="message")

    screen.app.call_from_thread(screen.app.push_screen, modal, chosen)


def offer_message(screen: Screen[Any], ws: Workspace, customer_id: int, purpose: str,
                  care_key: str | None = None) -> None:
    """Preview the message for one customer; on Ctrl+S queue and send it (the screens showing
    the customer refresh through the app's records_changed signal)."""

    def prepare() -> None:
        try:
            message = messaging.draft(ws, customer_id, purpose, care_key=care_key)
            name = str((ws.store.get("customers", customer_id) or {}).get("name", ""))
        except CustuiError as err:
            _say(screen, err.message, error=True)
            return

        warning = t("msg.empty", names=", ".join(f"{{{n}}}" for n in message.empty)) if message.empty else ""
        _preview(screen, MessageModal(t("msg.title", name=name), message, warning), lambda: deliver(message))

    def deliver(message: messaging.Draft) -> None:
        try:
            doc = messaging.queue(ws, message)
            text, error = _outcome(messaging.send_pending(ws, ids=[doc["id"]]), message.to)
        except CustuiError as err:
            text, error = err.message, True
        _say(screen, text, error)

    screen.run_worker(prepare, thread=True, exit_on_error=False, group="message")


def offer_campaign(screen: Screen[Any], ws: Workspace, title: str, customer_ids: Sequence[int]) -> None:
    """Say how many receive the campaign and how many are skipped and why, preview the first
    message; on Ctrl+S queue them all and send."""

    def prepare() -> None:
        try:
            plan = messaging.campaign_plan(ws, list(customer_ids))
        except CustuiError as err:  # Refused: a clerk ("... needs a manager.")
            _say(screen, err.message, error=True)
            return
        skipped = sum(plan.skipped.values())
        summary = t("msg.campaign.plan", receive=len(plan.receive), skipped_total=skipped,
                    skipped=messaging.skipped_text(plan.skipped))
        if not plan.receive:
            _say(screen, summary, error=True)
            return
        try:
            sample = messaging.draft(ws, plan.receive[0], plan.purpose)
        except CustuiError as err:
            _say(screen, err.message, error=True)
            return

        _preview(screen, MessageModal(title, sample, summary), lambda: deliver(plan))

    def deliver(plan: messaging.CampaignPlan) -> None:
        try:
            queued = messaging.queue_campaign(ws, plan)
            report = messaging.send_pending(ws, ids=[doc["id"] for doc in queued])
        except CustuiError as err:
            _say(screen, err.message, error=True)
            return
        _say(screen, t("msg.campaign.done", sent=len(report.sent), failed=len(report.failed),
                       waiting=len(report.waiting)), bool(report.failed))

    screen.run_worker(prepare, thread=True, exit_on_error=False, group="message")
