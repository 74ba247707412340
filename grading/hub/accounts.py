"""Hub accounts created by ``cirkel``: salted scrypt hashes in a small SQLite file.

There is no self sign-up and no shared password. Creating an account returns a
random one-time password, shown once and stored only as a hash; it is the
account's password until it expires (this sitting does not yet ask the learner
to choose their own).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from widgets.i18n import t

__all__ = ["ROLES", "Account", "AccountError", "AccountStore", "LoginError"]

ROLES = ("admin", "kursledare", "deltagare")
#: same rule as the roster's student ids: the hub username is the nbgrader student id
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


class AccountError(ValueError):
    """Bad input when creating an account; the message is Swedish."""


class LoginError(Exception):
    """A failed login; ``kind`` is ``unknown``, ``wrong`` or ``expired``, the message Swedish."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Account:
    """One hub account: who, which role, which course run."""

    name: str
    role: str
    course_id: str
    run_dir: str
    expires_at: datetime | None

    @property
    def group(self) -> str | None:
        """The JupyterHub group for the role and course run, e.g. ``deltagare-ht26``."""
        return f"{self.role}-{self.course_id}" if self.role != "admin" and self.course_id else None


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)


class AccountStore:
    """The accounts file; each call opens its own connection (the hub and ``cirkel`` share it)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL,"
                " course_id TEXT NOT NULL, run_dir TEXT NOT NULL, salt BLOB NOT NULL,"
                " hash BLOB NOT NULL, expires_at TEXT)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def create(self, name: str, role: str, course_id: str = "", run_dir: str = "",
               valid_for: timedelta | None = timedelta(days=14)) -> str:
        """Create (or re-invite) an account and return its one-time password.

        Parameters
        ----------
        valid_for : how long the one-time password works; ``None`` for no expiry
            (only sensible for an admin on one machine).
        """
        if not isinstance(name, str) or not USERNAME.match(name):
            raise AccountError(t("hub.account.bad_name", name=name))
        if role not in ROLES:
            raise AccountError(t("hub.account.bad_role", role=role, roles=", ".join(ROLES)))
        if role != "admin" and not course_id:
            raise AccountError(t("hub.account.no_course", name=name))
        password = secrets.token_urlsafe(12)
        salt = secrets.token_bytes(16)
        expires = None if valid_for is None else (datetime.now(timezone.utc) + valid_for).isoformat()
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, role, course_id, str(run_dir), salt, _hash(password, salt), expires),
            )
        return password

    def get(self, name: str) -> Account | None:
        """The account called ``name``, or ``None``."""
        with self._connect() as db:
            row = db.execute(
                "SELECT name, role, course_id, run_dir, expires_at FROM accounts WHERE name = ?", (name,)
            ).fetchone()
        return None if row is None else _account(row)

    def all(self) -> list[Account]:
        """Every account, by name."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT name, role, course_id, run_dir, expires_at FROM accounts ORDER BY name"
            ).fetchall()
        return [_account(r) for r in rows]

    def verify(self, name: str, password: str) -> Account:
        """The account if ``password`` is right and unexpired; otherwise raise :class:`LoginError`."""
        with self._connect() as db:
            row = db.execute("SELECT salt, hash FROM accounts WHERE name = ?", (name,)).fetchone()
        if row is None:
            # spend the same work as a real check, so timing does not tell who exists
            _hash(password, b"0" * 16)
            raise LoginError("unknown", t("hub.login.unknown_user", name=name))
        salt, stored = row
        if not hmac.compare_digest(_hash(password, salt), stored):
            raise LoginError("wrong", t("hub.login.wrong_password"))
        account = self.get(name)
        assert account is not None
        if account.expires_at is not None and account.expires_at <= datetime.now(timezone.utc):
            raise LoginError("expired", t("hub.login.expired"))
        return account


def _account(row: tuple) -> Account:
    name, role, course_id, run_dir, expires = row
    return Account(name, role, course_id, run_dir, None if expires is None else datetime.fromisoformat(expires))
