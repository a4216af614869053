"""Join codes and secret tokens for a class.

A join code is 6 characters from :data:`ALPHABET` (digits 2-9 and the capital letters without
I, L and O): nothing a student can misread from a projector (no 0/O, no 1/I/L). That makes
31**6 (about 887 million) codes, drawn with :mod:`secrets`; the store keeps them unique and
limits guesses (see :mod:`lab.classroom.store`).

Tokens (the teacher's, and each student's) are ``secrets.token_urlsafe`` strings. The database
keeps only their SHA-256 hash, and a presented token is compared with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

#: The characters of a join code: no 0/O, 1/I/L look-alikes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: The length of a join code.
LENGTH = 6
#: Bytes of randomness in a teacher token (token_urlsafe gives about 1.3 characters per byte).
TEACHER_TOKEN_BYTES = 32
#: Bytes of randomness in a student token (what a student's browser session keeps).
STUDENT_TOKEN_BYTES = 24


def new_code() -> str:
    """A fresh random join code, e.g. ``'K7PQ3X'``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(text: object) -> str | None:
    """The join code a student typed, in canonical form, or None if it cannot be one.

    Case, spaces and hyphens are forgiven ("k7p-q3x" is "K7PQ3X"); anything else outside the
    alphabet makes it no code.

    >>> normalise_code(" k7p-q3x ")
    'K7PQ3X'
    >>> normalise_code("K7PQ30") is None
    True
    """
    if not isinstance(text, str) or len(text) > 40:
        return None
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def new_token(nbytes: int) -> str:
    """A fresh secret token (URL-safe text)."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """The SHA-256 hex digest the database keeps instead of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: object, stored_hash: str | None) -> bool:
    """Whether ``token`` is the one whose hash is stored, compared in constant time."""
    if not isinstance(token, str) or not token or stored_hash is None or len(token) > 200:
        return False
    return hmac.compare_digest(token_hash(token), stored_hash)
