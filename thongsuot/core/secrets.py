"""Machine credentials (personal API tokens, Open311 keys): shown once, stored only as a SHA-256 hash.

A credential reads `<kind>_<prefix>_<secret>`: the prefix is stored in clear so that administrators can
tell credentials apart in lists and the audit log; the whole string is hashed."""

import hashlib
import secrets


def credential_new(kind: str) -> tuple[str, str]:
    """A new credential of `kind`: (its public prefix, the full string to hand over once)."""
    prefix = secrets.token_hex(4)
    return prefix, f"{kind}_{prefix}_{secrets.token_urlsafe(32)}"


def credential_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
