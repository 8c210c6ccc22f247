"""The key that signs every till closure (Ed25519), kept in a file outside the database.

A hash chain alone can be recomputed by anyone who can write to the database (the functions are
public). Each closure's hash, which seals every record before it, is therefore also signed with
a private key that lives in a file of the configuration folder (``keys/closure-signing.pem``,
owner-only permissions), never in the database nor in its backups or archives: rewriting the
journal then needs that file too, and ``coop till verify`` checks every signature against it
(and prints the public key, to compare with the one written down when the till was set up).

Ed25519 from ``cryptography`` (the Python Cryptographic Authority's library, OpenSSL inside):
no hand-written cryptography.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from coop import paths

KEY_NAME = "closure-signing.pem"


def key_path() -> Path:
    """``keys/closure-signing.pem`` in the configuration folder (COOP_CONFIG_DIR moves it)."""
    return paths.config_dir() / "keys" / KEY_NAME


def create_key(path: Path | None = None) -> tuple[Path, bool]:
    """Create the key file (owner-only) unless it exists; returns (path, created)."""
    path = path or key_path()
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return path, True


def load_key(path: Path | None = None) -> Ed25519PrivateKey | None:
    """The private key, or None when this computer has no key file."""
    path = path or key_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    return key


def public_hex(key: Ed25519PrivateKey) -> str:
    """The public key as 64 hex digits (what verify prints and the journal stores)."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def sign(key: Ed25519PrivateKey, digest: str) -> str:
    """The signature (128 hex digits) of a record's hash (its 64 hex digits as ASCII)."""
    return key.sign(digest.encode("ascii")).hex()


def holds(public: str, digest: str, signature: str) -> bool:
    """Whether ``signature`` is ``public``'s signature of ``digest``."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(
            bytes.fromhex(signature), digest.encode("ascii")
        )
    except (InvalidSignature, ValueError):
        return False
    return True
