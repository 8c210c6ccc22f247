"""Pure rules of staff log-in: which PINs are acceptable, how a PIN is hashed and compared,
when wrong tries lock it. No Session, no I/O (the hash is computation only)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from coop.i18n import _

MIN_DIGITS = 4
MAX_DIGITS = 12
MAX_TRIES = 5
"""Wrong tries in a row before the PIN is locked."""
LOCK_MINUTES = 15
"""How long a PIN stays locked after ``MAX_TRIES`` wrong tries."""

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 2
"""scrypt's cost: about 0.1 s per check on a small shop computer (``bench/bench_staff.py``):
slow enough that guessing 10,000 PINs offline takes a quarter of an hour per PIN, fast enough
for a queue. Stored with each hash, so raising it later keeps old PINs valid."""


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` is refused (a sentence), or None: 4 to 12 digits, not all the same digit,
    not a run up or down (1234, 9876)."""
    if not pin.isascii() or not pin.isdigit():
        return _("A PIN is made of digits only.")
    if not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        return _("A PIN has {low} to {high} digits.").format(low=MIN_DIGITS, high=MAX_DIGITS)
    if len(set(pin)) == 1:
        return _("A PIN may not repeat one digit (like 0000).")
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(pin)}
    if steps in ({1}, {9}):
        return _("A PIN may not be a run of digits (like 1234 or 9876).")
    return None


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """The stored form of ``pin``: scrypt with a random 16-byte salt and its parameters."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether ``pin`` hashes to ``stored`` (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            pin.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 1024 * 1024,
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed, bytes.fromhex(digest))


DUMMY_HASH = (
    "scrypt$16384$8$2$00000000000000000000000000000000$59f55fdf29be3ce79a7c2b88b6f2c5dc253c9ef6"
    "9355244ed40368c536803b92ac42c760fcc5a36a555288b1dd1841722abdf2d4cb4b1b942bcb6dd07857ca8e"
)
"""Hashed against when the card is unknown, so an unknown card takes as long to refuse as a
wrong PIN (no hint from the time either). It is ``hash_pin("0", salt=16 zero bytes)``, written
out rather than computed so that importing this module (every command does, for its actor)
does not cost one scrypt (≈ 0.1–0.3 s); ``tests/staff/test_staff_rules.py`` checks the value."""


@dataclass(frozen=True)
class TryOutcome:
    """The counter after a try: wrong tries so far and until when the PIN is locked."""

    failed_tries: int
    locked_until: datetime | None


def after_wrong_try(failed_tries: int, now: datetime) -> TryOutcome:
    """One more wrong try; the fifth in a row locks the PIN for ``LOCK_MINUTES``."""
    tries = failed_tries + 1
    if tries >= MAX_TRIES:
        return TryOutcome(0, now + timedelta(minutes=LOCK_MINUTES))
    return TryOutcome(tries, None)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until
