"""Manager PINs, stored only as a salted scrypt hash: "scrypt$n$r$p$salt$hash" (hex)."""

from __future__ import annotations

import hashlib
import hmac
import os

_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """A new salted hash of `pin` (ValueError for a PIN shorter than 4 characters)."""
    if len(pin) < 4:
        raise ValueError("a PIN has at least 4 characters")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str | None) -> bool:
    """Whether `pin` matches a stored hash (False for no hash or a malformed one)."""
    try:
        scheme, n, r, p, salt, digest = str(stored or "").split("$")
        if scheme != "scrypt":
            return False
        found = hashlib.scrypt(pin.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                               p=int(p), dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found.hex(), digest)


def looks_like_pin_hash(value: str) -> bool:
    parts = value.split("$")
    return len(parts) == 6 and parts[0] == "scrypt" and all(parts[1:])
