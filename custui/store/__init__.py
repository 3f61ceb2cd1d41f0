"""Persistence behind one interface (`Store`); services never touch TinyDB directly."""

from custui.store.base import Doc, Store
from custui.store.memory import MemoryStore

__all__ = ["Doc", "MemoryStore", "Store"]
