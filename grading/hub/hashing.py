"""Password hashes of the hub accounts: argon2id (argon2-cffi), and the scrypt hashes of old files.

A new or changed password is hashed with argon2id at parameters above OWASP's
minimum (46 MiB, one pass, one lane): twice its passes, so that a stolen
accounts file costs an attacker twice that to guess each password. Files made
before this kept salted scrypt hashes (N=2^14, below OWASP's minimum): they are
still checked, so nobody is locked out, and :func:`check` hands back an argon2id
hash to store in their place after the first right password.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["ARGON2_MEMORY_KIB", "ARGON2_PASSES", "ARGON2_LANES", "hash_password", "check", "spend_a_check"]

#: memory per hash in KiB (OWASP's first argon2id choice, 46 MiB)
ARGON2_MEMORY_KIB = 47_104
#: passes over that memory (OWASP's minimum at 46 MiB is 1)
ARGON2_PASSES = 2
#: lanes (threads) per hash; OWASP's is 1, which keeps 30 logins at once from crowding two cores
ARGON2_LANES = 1
#: the parameters of the scrypt hashes in older accounts files (verified, never written again)
LEGACY_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

_HASHER = PasswordHasher(time_cost=ARGON2_PASSES, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES)


def hash_password(password: str) -> str:
    """The argon2id hash (a ``$argon2id$...`` string with its own salt) of ``password``."""
    return _HASHER.hash(password)


def check(stored: str | bytes, salt: bytes, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` matches ``stored``, and a new hash to store in its place if one is due.

    Parameters
    ----------
    stored : an argon2id string, or (older files) the 32 bytes of a scrypt hash.
    salt : the scrypt salt of an older file's row; unused for argon2id.

    Returns
    -------
    (right, new_hash) : ``new_hash`` is an argon2id hash of ``password`` when it was right
        and ``stored`` is scrypt or argon2 at other parameters; otherwise ``None``.
    """
    if isinstance(stored, bytes) and not stored.startswith(b"$argon2"):
        right = hmac.compare_digest(hashlib.scrypt(password.encode("utf-8"), salt=salt, **LEGACY_SCRYPT), stored)
        # an argon2id hash follows either way: a right password's new hash, or the same work for
        # a wrong one, so the time taken does not tell an old account from a new one
        new_hash = hash_password(password)
        return right, new_hash if right else None
    text = stored.decode("ascii") if isinstance(stored, bytes) else stored
    try:
        _HASHER.verify(text, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, hash_password(password) if _HASHER.check_needs_rehash(text) else None


@functools.cache
def _stand_in() -> str:
    return hash_password(secrets.token_urlsafe(16))


def spend_a_check(password: str) -> None:
    """Do the work of checking ``password`` against a hash, for a name without an account.

    A refusal then takes as long whether the name exists or not.
    """
    check(_stand_in(), b"", password)
