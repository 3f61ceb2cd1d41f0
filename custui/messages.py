"""Cross-screen facts, named in the past tense."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class CustomerChanged(Message):
    """A customer (or one of its records) was saved; screens showing it refresh."""

    customer_id: int
