"""Bounce reports: the "Undelivered Mail Returned to Sender" messages a mail server sends
back to the shop's address (delivery status notifications, RFC 3464), read from a saved
message (.eml) or a mailbox file (mbox, as Thunderbird and most mail servers keep them).

Each report names the address that failed (Final-Recipient), the status (5.1.1) and the
server's words (Diagnostic-Code), and usually quotes the headers of the message it returns,
whose Message-ID custui recorded when it sent it. Only permanent failures count
(Action: failed); "delayed" reports are the server still trying.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.parser import HeaderParser


@dataclass(frozen=True)
class Bounce:
    recipient: str  # the address that failed, lower case
    status: str  # the enhanced status code, e.g. "5.1.1"
    diagnostic: str  # the receiving server's reply, e.g. "550 5.1.1 ... Recipient address rejected"
    message_id: str | None  # the returned message's Message-ID, when the report quotes it


_MBOX_FROM = re.compile(rb"^From [^\r\n]*\r?\n", re.M)


def split_mailbox(raw: bytes) -> list[bytes]:
    """The messages of an mbox file (lines "From ..." between them), or [raw] for one message."""
    if not raw.startswith(b"From "):
        return [raw]
    parts = _MBOX_FROM.split(raw)
    # mboxrd/mboxo escape body lines starting "From " as ">From ": undo one level
    return [re.sub(rb"(?m)^>(>*From )", rb"\1", part) for part in parts if part.strip()]


def _value(field: object) -> str:
    """A DSN field without its type prefix ("rfc822; a@b" -> "a@b", "smtp; 550 ..." -> "550 ...")."""
    text = " ".join(str(field or "").split())
    kind, sep, rest = text.partition(";")
    return rest.strip() if sep and " " not in kind.strip() else text


def _original_id(report: Message) -> str | None:
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True) or b""
            headers = HeaderParser(policy=policy.default).parsestr(
                payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload))
            found = headers.get("Message-ID")
        elif kind == "message/rfc822":
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            found = first.get("Message-ID") if isinstance(first, Message) else None
        else:
            continue
        if found:
            return str(found).strip()
    return None


def bounces_in(raw: bytes) -> list[Bounce]:
    """The permanent failures one message reports; [] when it is not a delivery report."""
    message = message_from_bytes(raw, policy=policy.default)
    if not isinstance(message, EmailMessage) or message.get_content_type() != "multipart/report":
        return []
    found: list[Bounce] = []
    message_id = _original_id(message)
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks[1:] if isinstance(blocks, list) else ():
            if not isinstance(block, Message):
                continue
            if _value(block.get("Action")).lower() != "failed":
                continue
            recipient = _value(block.get("Final-Recipient") or block.get("Original-Recipient"))
            if not recipient:
                continue
            found.append(Bounce(recipient.strip("<>").lower(), _value(block.get("Status")),
                                _value(block.get("Diagnostic-Code")), message_id))
    return found
