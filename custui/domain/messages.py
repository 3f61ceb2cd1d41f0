"""Messages to customers, pure: fill a template, add the unsubscribe line, quiet hours.

Values are customer data and are inserted as text: a name like "{points}" or "[b]x" stays
as typed (templates are formatted once; values are never formatted again).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from string import Formatter

# care-queue row kind -> message purpose (kinds with no template send nothing)
KIND_PURPOSE = {
    "thank_you": "thank_you",
    "feedback_request": "feedback_request",
    "winback": "win_back",
    "birthday": "birthday",
}


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: Mapping[str, object]) -> str:
    """The template with each {placeholder} replaced by its value as plain text."""
    out: list[str] = []
    table = _Values({k: "" if v is None else str(v) for k, v in values.items()})
    for literal, name, _spec, _conv in Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(table[name])
    return "".join(out)


def compose(subject: str, body: str, unsubscribe: str, values: Mapping[str, object]) -> tuple[str, str]:
    """(subject, body) filled, with the unsubscribe line at the end of the body."""
    filled = fill(body, values).rstrip()
    one_line = " ".join(fill(subject, values).split())  # a header never spans lines
    return one_line, f"{filled}\n\n--\n{fill(unsubscribe, values)}\n"


def _at(clock: str) -> time:
    hours, minutes = clock.split(":")
    return time(int(hours), int(minutes))


def quiet_until(now: datetime, start: str, end: str) -> datetime | None:
    """When `now` falls in the quiet hours [start, end) (which may span midnight), the time
    they end; else None."""
    begin, finish = _at(start), _at(end)
    moment = now.time()
    if begin == finish:
        return None
    if begin < finish:
        inside = begin <= moment < finish
        return datetime.combine(now.date(), finish) if inside else None
    if moment >= begin:
        return datetime.combine(now.date() + timedelta(days=1), finish)
    if moment < finish:
        return datetime.combine(now.date(), finish)
    return None
