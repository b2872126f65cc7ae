"""Counter API tokens: ``<token id>.<secret>``.

The token id (public, random) finds the counter; the secret's sha256 is compared with the stored
hash in constant time. Only the hash is stored, so a copy of the database grants nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

_TOKEN_RE = re.compile(r"([0-9a-f]{16})\.([A-Za-z0-9_-]{43})")
# Compared against when the token id is unknown, so both cases take the same time.
_DUMMY_HASH = hashlib.sha256(b"no such counter").hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once to the operator, never stored
    token_id: str
    token_hash: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token() -> IssuedToken:
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)  # 256 bits
    return IssuedToken(f"{token_id}.{secret}", token_id, hash_secret(secret))


def split_token(token: str) -> tuple[str, str] | None:
    """(token id, secret) of a well-formed token, else None."""
    match = _TOKEN_RE.fullmatch(token)
    return (match.group(1), match.group(2)) if match else None


def secret_matches(secret: str, stored_hash: str | None) -> bool:
    """Constant-time comparison; with no stored hash it still does the same work."""
    expected = stored_hash if stored_hash is not None else _DUMMY_HASH
    same = hmac.compare_digest(hash_secret(secret), expected)
    return same and stored_hash is not None
