"""Persistence behind one interface (`Store`); services never touch TinyDB directly."""

from custui.store.base import Doc, Store
from custui.store.memory import MemoryStore
from custui.store.open import create_database, open_store

__all__ = ["Doc", "MemoryStore", "Store", "create_database", "open_store"]
