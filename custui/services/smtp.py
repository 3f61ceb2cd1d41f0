"""Send e-mail over SMTP (smtplib): STARTTLS, TLS or plain, the password from the environment.

The password is read from the variable messages.yaml names (`email.password_env`) when the
connection opens; it is never stored, logged or put in an error message. Every server
refusal or connection failure becomes a SendError with the server's reply, so the message
stays in the outbox with the reason.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, localtime, make_msgid

from custui.config.messages import Email
from custui.services.messaging import SendError


def build(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A UTF-8 text message with the headers mail clients and spam filters expect."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(localtime())
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message["List-Unsubscribe"] = f"<mailto:{sender}?subject=unsubscribe>"
    message.set_content(body, charset="utf-8")
    return message


class SmtpTransport:
    """One connection for a batch of messages (opened on the first send)."""

    def __init__(self, settings: Email, environ: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.environ = os.environ if environ is None else environ
        self.conn: smtplib.SMTP | None = None
        self.last_message_id: str | None = None  # of the last message sent (bounces quote it)

    def _open(self) -> smtplib.SMTP:
        cfg = self.settings
        if cfg.security == "tls":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_seconds,
                                                  context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
            if cfg.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
        conn.ehlo_or_helo_if_needed()
        if cfg.user:
            password = self.environ.get(cfg.password_env or "", "")
            if not password:
                conn.close()
                raise SendError(f"no password: set the environment variable {cfg.password_env}")
            conn.login(cfg.user, password)
        return conn

    def send(self, to: str, subject: str, body: str) -> str:
        message = build(self.settings.from_address, to, subject, body)
        try:
            if self.conn is None:
                self.conn = self._open()
            conn = self.conn
            code, reply = conn.mail(self.settings.from_address, ["SMTPUTF8"] if conn.has_extn("smtputf8") else [])
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, self.settings.from_address)
            code, reply = conn.rcpt(to)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
            code, reply = conn.data(message.as_bytes())
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
            self.last_message_id = str(message["Message-ID"])
            return f"{code} {reply.decode('utf-8', 'replace')}"
        except smtplib.SMTPRecipientsRefused as err:
            self._reset()
            code, reply = next(iter(err.recipients.values()))
            raise SendError(f"{code} {reply.decode('utf-8', 'replace')}") from None
        except smtplib.SMTPResponseException as err:
            self._reset()
            text = err.smtp_error.decode("utf-8", "replace") if isinstance(err.smtp_error, bytes) else str(err.smtp_error)
            raise SendError(f"{err.smtp_code} {text}") from None
        except (OSError, smtplib.SMTPException) as err:
            self.close()
            raise SendError(f"{type(err).__name__}: {err}") from None

    def _reset(self) -> None:
        try:
            if self.conn is not None:
                self.conn.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()
