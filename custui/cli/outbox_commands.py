"""The outbox from the command line: `custui export outbox --channel sms` (pending messages
for an SMS/Zalo provider's import), `custui import sent FILE` (the provider's report),
`custui import bounces FILE...` (bounced e-mails from the shop's mailbox) and `custui send`
(send, or retry, the e-mails waiting in the outbox)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from custui.cli.data_commands import (
    _deliver,
    _log_export,
    _open,
    _open_for_export,
    export_group,
    import_group,
)
from custui.cli.options import common_options, format_option, resolve
from custui.cli.output import emit
from custui.cli.roles import authorize
from custui.errors import BadInput
from custui.i18n import t


@export_group.command("outbox")
@common_options
@click.option("--channel", type=click.Choice(["sms", "zalo", "email"]), default="sms", show_default=True)
@click.option("--out", "out", metavar="FILE", type=click.Path(path_type=Path), default=None,
              help="Write to FILE (mode 0600) instead of stdout.")
@click.pass_context
def export_outbox_command(ctx: click.Context, channel: str, out: Path | None) -> None:
    """Messages waiting to go on a channel, as CSV: id, phone, name, message (UTF-8)."""
    from custui.services.messaging import OUTBOX_COLUMNS, outbox_rows

    resolved = resolve(ctx)
    store = _open_for_export(resolved)
    try:
        ws = authorize(ctx, resolved, "export", store)
        rows = outbox_rows(ws, channel)
        _log_export(ws, f"outbox ({channel})", len(rows), out)
    finally:
        store.close()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OUTBOX_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _deliver(buffer.getvalue().encode("utf-8"), out)


@import_group.command("sent")
@format_option
@common_options
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def import_sent_command(ctx: click.Context, file: Path, output_format: str) -> None:
    """Record what a provider sent: CSV with id, status (sent|failed) and optional reply.
    Every bad row is listed and nothing is recorded."""
    from custui.domain.csv_rows import decode
    from custui.services.messaging import record_sent

    try:
        text = decode(file.read_bytes())
    except OSError as exc:
        raise BadInput(f"{file}: {exc.strerror}") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    resolved = resolve(ctx)
    store = _open(resolved)
    try:
        sent, failed, bounced = record_sent(authorize(ctx, resolved, "interaction", store), rows)
    finally:
        store.close()
    emit({"sent": sent, "failed": failed, "bounced": bounced}, output_format,
         t("msg.cli.recorded", sent=sent, failed=failed, bounced=bounced))


@import_group.command("bounces")
@format_option
@common_options
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def import_bounces_command(ctx: click.Context, files: tuple[Path, ...], output_format: str) -> None:
    """Record bounced e-mails: the "Undelivered Mail Returned to Sender" messages from the
    shop's mailbox, saved as .eml files or a mailbox (mbox) file. Each marks the message it
    returns as bounced, with the server's reply; the care-queue row opens again."""
    from custui.domain.bounces import bounces_in, split_mailbox
    from custui.services.bounces import record_bounces

    found = []
    for file in files:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise BadInput(f"{file}: {exc.strerror}") from None
        reports = [b for message in split_mailbox(raw) for b in bounces_in(message)]
        if not reports:
            raise BadInput(t("msg.cli.no_reports", file=str(file)))
        found += reports
    resolved = resolve(ctx)
    store = _open(resolved)
    try:
        report = record_bounces(authorize(ctx, resolved, "interaction", store), found)
    finally:
        store.close()
    data = {"recorded": len(report.recorded), "already": report.already,
            "unmatched": [b.recipient for b in report.unmatched]}
    emit(data, output_format, t("msg.cli.bounces", recorded=len(report.recorded), already=report.already,
                                unmatched=len(report.unmatched)))


@click.command("send")
@format_option
@common_options
@click.pass_context
def send_command(ctx: click.Context, output_format: str) -> None:
    """Send the e-mails waiting in the outbox (new ones and those the server refused before)."""
    from custui.services.messaging import send_pending

    resolved = resolve(ctx)
    store = _open(resolved)
    try:
        report = send_pending(authorize(ctx, resolved, "interaction", store))
    finally:
        store.close()
    result = {"sent": len(report.sent), "failed": len(report.failed), "waiting": len(report.waiting),
              "cancelled": len(report.cancelled)}
    emit(result, output_format, t("msg.campaign.done", sent=result["sent"], failed=result["failed"],
                                  waiting=result["waiting"]))


COMMANDS: list[click.Command] = [send_command]
