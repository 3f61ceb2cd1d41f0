"""The lookup's index kept beside the database file between launches (`<db>.lookup`).

Building the index at 100k customers costs about 2 s of CPU at every launch (every name,
phone and code folded, the word lists sorted), the largest part of the wait before the
lookup answers; read back it costs about a tenth of that. The file is derived, never the
truth: it is used only when written under the key the store gives for its records now
(`Store.derived_file`: the database file's snapshot id, size and mtime, with no save in the
journal), and when its checksum holds; otherwise the index is built as before. The app
writes it when it quits (after the store closed, so the key is the file's as left) unless
it read it unchanged; `custui init` writes it too.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from typing import TYPE_CHECKING

from custui.store.safe_files import make_temp, open_private, read_private, replace_with_temp

if TYPE_CHECKING:
    from custui.services.search import CustomerIndex
    from custui.store.base import Store

NAME = "lookup"
MAGIC = b"custui-lookup 1\n"
_VERSION = 4  # marshal's: shares repeated objects (the day strings)


def read(store: Store) -> dict[str, object] | None:
    """The index state kept for the store's records as they are now, or None."""
    where = store.derived_file(NAME)
    if where is None:
        return None
    path, key = where
    try:
        raw = read_private(path)
    except OSError:
        return None
    head = _head(key)
    digest_end = len(head) + 33
    if not raw.startswith(head) or len(raw) < digest_end:
        return None
    payload = memoryview(raw)[digest_end:]
    if raw[len(head) : digest_end - 1].decode("ascii", "replace") != _digest(payload):
        return None
    try:
        state = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return state if type(state) is dict else None


def present(store: Store) -> bool:
    """Whether a launch kept an index that names the store's records as they are now (its
    head only: `read` still checks the rest). Without one the lookup lists recent customers
    while its index is built, instead of waiting for the build."""
    where = store.derived_file(NAME)
    if where is None:
        return False
    path, key = where
    head = _head(key)
    try:
        fd = open_private(path, os.O_RDONLY)  # never through a symlink, a FIFO or a device
    except OSError:
        return False
    try:
        return os.pread(fd, len(head), 0) == head
    except OSError:
        return False
    finally:
        os.close(fd)


def write(index: CustomerIndex, store: Store) -> bool:
    """Keep `index` for the next launch, if it is built and the store can name its records."""
    where = store.derived_file(NAME)
    state = index.saved_state() if where is not None else None
    if where is None or state is None:
        return False
    path, key = where
    payload = marshal.dumps(state, _VERSION)
    fd, tmp = make_temp(path)
    try:
        try:
            for part in (_head(key), _digest(payload).encode(), b"\n", payload):
                view = memoryview(part)
                while view:
                    view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        replace_with_temp(tmp, path)  # not fsynced: a torn file fails its checksum
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    index.unsaved = False
    return True


def _head(key: str) -> bytes:
    """What a kept index begins with: the format, then the key of the records it was built on."""
    return MAGIC + key.encode() + b"\n"


def _digest(payload: bytes | memoryview) -> str:
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def build_and_write(store: Store) -> bool:
    """(`custui init --demo`) Build the index of a store just filled and keep it, so that the
    first launch need not."""
    from custui.services.search import CustomerIndex

    index = CustomerIndex(store)
    index.ensure_built()
    return write(index, store)
