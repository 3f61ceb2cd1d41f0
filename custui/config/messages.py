"""messages.yaml: message templates per purpose (English and Vietnamese), the e-mail server,
quiet hours and the marketing limit."""

from __future__ import annotations

import re
from string import Formatter
from typing import Literal

from pydantic import Field

from custui.domain.models.base import Loc, StrictModel

PURPOSES = ("thank_you", "feedback_request", "birthday", "win_back", "complaint_resolved", "campaign")
PLACEHOLDERS = ("name", "code", "points", "tier", "voucher_code", "shop", "survey_link", "phone",
                "unsubscribe")
_TIME = r"^([01]\d|2[0-3]):[0-5]\d$"


class Text(StrictModel):
    en: str = Field(min_length=1)
    vi: str = Field(min_length=1)

    def get(self, locale: str) -> str:
        return self.vi if locale == "vi" else self.en


class Template(StrictModel):
    subject: Text
    body: Text


class Email(StrictModel):
    """SMTP: the password is read from the environment variable named here, never stored."""

    host: str = "localhost"
    port: int = Field(default=587, gt=0, lt=65536)
    security: Literal["starttls", "tls", "none"] = "starttls"
    user: str | None = None
    password_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    from_address: str = Field(default="shop@example.vn", pattern=r"^[^@\s]+@[^@\s]+$")
    timeout_seconds: float = Field(default=20, gt=0)


class QuietHours(StrictModel):
    start: str = Field(default="21:00", pattern=_TIME)
    end: str = Field(default="08:00", pattern=_TIME)


class MarketingLimit(StrictModel):
    count: int = Field(default=2, gt=0)
    days: int = Field(default=7, gt=0)


class Messages(StrictModel):
    shop: str = "custui shop"
    survey_link: str = ""
    # appended to every message: how to stop them
    unsubscribe: Text = Text(
        en="To stop these messages, reply STOP or tell us at the shop.",
        vi="Để ngừng nhận tin, trả lời STOP hoặc báo cho cửa hàng.",
    )
    email: Email = Email()
    quiet_hours: QuietHours | None = QuietHours()
    marketing_limit: MarketingLimit | None = MarketingLimit()
    templates: dict[str, Template] = Field(default_factory=dict)

    def problems(self) -> list[tuple[Loc, str]]:
        """Every purpose has a template, no unknown purpose, no unknown placeholder."""
        found: list[tuple[Loc, str]] = []
        for purpose in PURPOSES:
            if purpose not in self.templates:
                found.append((("templates",), f"no template for {purpose!r} (needed: {', '.join(PURPOSES)})"))
        for purpose, template in self.templates.items():
            if purpose not in PURPOSES:
                found.append((("templates", purpose), f"unknown purpose {purpose!r} (purposes: {', '.join(PURPOSES)})"))
            for part in ("subject", "body"):
                for locale in ("en", "vi"):
                    text = getattr(getattr(template, part), locale)
                    for problem in placeholder_problems(text):
                        found.append((("templates", purpose, part, locale), problem))
        for locale in ("en", "vi"):
            for problem in placeholder_problems(self.unsubscribe.get(locale)):
                found.append((("unsubscribe", locale), problem))
        return found


def placeholders(text: str) -> list[str]:
    """The {names} a template uses (ValueError for broken braces)."""
    return [name for _, name, _, _ in Formatter().parse(text) if name is not None]


def placeholder_problems(text: str) -> list[str]:
    try:
        names = placeholders(text)
    except ValueError as err:
        return [f"broken braces ({err}); write {{{{ and }}}} for a literal brace"]
    problems = []
    for name in names:
        if not re.fullmatch(r"[a-z_]+", name or "") or name not in PLACEHOLDERS:
            problems.append(f"unknown placeholder {{{name}}} (placeholders: {', '.join(PLACEHOLDERS)})")
    return problems
