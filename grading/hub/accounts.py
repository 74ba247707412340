"""Hub accounts created by ``cirkel``: argon2id hashes in a small SQLite file (or PostgreSQL).

There is no self sign-up and no shared password. Creating an account returns a
random one-time password, shown once and stored only as a hash. It opens the
door once more than a chosen password would: the first login with it leads to
"Välj ett eget lösenord", and until the person has chosen one the hub starts no
server for them. The one-time password stops working when it expires or when the
person's own password replaces it.

A course leader may lead several course runs: the first run is on the account,
further runs are rows of ``memberships``; each run gives a JupyterHub group.

A failed login says the same whatever went wrong (no such name, a wrong
password, an expired one-time password), so the login form does not tell who
has an account; :class:`LoginError` keeps the kind for the hub's log.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from grading.hub.hashing import check, hash_password, spend_a_check
from widgets.core.errors import CirkelError
from widgets.core.i18n import t
from widgets.storage import database as storage

__all__ = [
    "ROLES",
    "MIN_PASSWORD_LENGTH",
    "MAX_PASSWORD_LENGTH",
    "Account",
    "AccountError",
    "AccountStore",
    "LoginError",
]

ROLES = ("admin", "kursledare", "deltagare")
#: same rule as the roster's student ids: the hub username is the nbgrader student id
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
#: the shortest password a person may choose
MIN_PASSWORD_LENGTH = 10
#: the longest password a person may choose, and the longest one a login checks
MAX_PASSWORD_LENGTH = 256


class AccountError(CirkelError, ValueError):
    """Bad input when creating an account; the message is Swedish."""


class LoginError(CirkelError):
    """A failed login; ``kind`` is ``unknown``, ``wrong`` or ``expired`` (for the log), the message
    Swedish and the same for every kind."""

    def __init__(self, kind: str) -> None:
        super().__init__(t("hub.login.failed"))
        self.kind = kind


@dataclass(frozen=True)
class Account:
    """One hub account: who, which role, which course run."""

    name: str
    role: str
    course_id: str
    run_dir: str
    expires_at: datetime | None
    must_change: bool = False
    #: further course runs (course id, run folder) this person leads, beyond the first
    more_runs: tuple[tuple[str, str], ...] = ()

    @property
    def runs(self) -> tuple[tuple[str, str], ...]:
        """Every course run of the account as (course id, run folder), the first first."""
        first = ((self.course_id, self.run_dir),) if self.course_id else ()
        return first + tuple(r for r in self.more_runs if r[0] != self.course_id)

    @property
    def group(self) -> str | None:
        """The JupyterHub group for the role and first course run, e.g. ``deltagare-ht26``."""
        return f"{self.role}-{self.course_id}" if self.role != "admin" and self.course_id else None

    @property
    def groups(self) -> tuple[str, ...]:
        """The JupyterHub groups of every course run, e.g. ``kursledare-ht26``."""
        return () if self.role == "admin" else tuple(f"{self.role}-{course}" for course, _ in self.runs)


_METADATA = sa.MetaData()

ACCOUNTS = sa.Table(
    "accounts",
    _METADATA,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("course_id", sa.Text, nullable=False),
    sa.Column("run_dir", sa.Text, nullable=False),
    sa.Column("salt", sa.LargeBinary, nullable=False),  # empty for argon2id (its hash carries the salt)
    sa.Column("hash", sa.Text, nullable=False),
    sa.Column("expires_at", sa.Text),
    sa.Column("must_change", sa.Integer, nullable=False, server_default="1"),
)

MEMBERSHIPS = sa.Table(
    "memberships",
    _METADATA,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("course_id", sa.Text, primary_key=True),
    sa.Column("run_dir", sa.Text, nullable=False),
)


class AccountStore:
    """The accounts store; each call opens its own connection (pooled on PostgreSQL; the hub and ``cirkel`` share it).

    Parameters
    ----------
    path : the accounts file (SQLite, ``konton.sqlite``), or a ``postgresql://`` URL.
    """

    def __init__(self, path: str | Path) -> None:
        #: the accounts file; ``None`` when the accounts are in PostgreSQL
        self.path: Path | None = None
        if str(path).startswith("postgresql"):
            self.url = str(path)
        else:
            self.path = Path(path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.url = storage.sqlite_url(self.path)
        self.engine = storage.ready(self.url, _METADATA, wal=False, wait=30, pooled=False)
        columns = {c["name"] for c in sa.inspect(self.engine).get_columns("accounts")}
        if "must_change" not in columns:  # files made before people chose their own passwords
            with storage.writing(self.engine) as db:
                db.execute(sa.text("ALTER TABLE accounts ADD COLUMN must_change INTEGER NOT NULL DEFAULT 1"))

    def __repr__(self) -> str:
        return f"AccountStore({self.url!r})"

    def create(
        self,
        name: str,
        role: str,
        course_id: str = "",
        run_dir: str = "",
        valid_for: timedelta | None = timedelta(days=14),
    ) -> str:
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
        expires = None if valid_for is None else (datetime.now(UTC) + valid_for).isoformat()
        row = {
            "name": name,
            "role": role,
            "course_id": course_id,
            "run_dir": str(run_dir),
            "salt": b"",
            "hash": hash_password(password),
            "expires_at": expires,
            "must_change": 1,
        }
        with storage.writing(self.engine) as db:
            storage.upsert(db, ACCOUNTS, row, keys=("name",))
        return password

    def add_run(self, name: str, course_id: str, run_dir: str) -> Account:
        """Let the course leader ``name`` lead one more course run; the password is unchanged."""
        account = self.get(name)
        if account is None:
            raise AccountError(t("hub.account.missing", name=name))
        if account.role != "kursledare":
            raise AccountError(t("hub.account.one_run_only", name=name, role=account.role))
        if course_id != account.course_id:
            with storage.writing(self.engine) as db:
                row = {"name": name, "course_id": course_id, "run_dir": str(run_dir)}
                storage.upsert(db, MEMBERSHIPS, row, keys=("name", "course_id"))
        account = self.get(name)
        assert account is not None
        return account

    def set_password(self, name: str, password: str, repeated: str | None = None) -> None:
        """Replace the one-time password with the person's own; raise :class:`AccountError` if unfit.

        Parameters
        ----------
        repeated : the password typed a second time, when the form asks for it.
        """
        if self.get(name) is None:
            raise AccountError(t("hub.account.missing", name=name))
        if repeated is not None and repeated != password:
            raise AccountError(t("hub.password.mismatch"))
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(t("hub.password.too_short", length=MIN_PASSWORD_LENGTH))
        if len(password) > MAX_PASSWORD_LENGTH:
            raise AccountError(t("hub.password.too_long", length=MAX_PASSWORD_LENGTH))
        if password.strip() != password:
            raise AccountError(t("hub.password.spaces"))
        if password.lower() == name.lower():
            raise AccountError(t("hub.password.is_name"))
        with storage.writing(self.engine) as db:
            db.execute(
                ACCOUNTS.update()
                .where(ACCOUNTS.c.name == name)
                .values(salt=b"", hash=hash_password(password), expires_at=None, must_change=0)
            )

    def get(self, name: str) -> Account | None:
        """The account called ``name``, or ``None``."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(*_COLUMNS).where(ACCOUNTS.c.name == name)).first()
            more = db.execute(
                sa.select(MEMBERSHIPS.c.course_id, MEMBERSHIPS.c.run_dir)
                .where(MEMBERSHIPS.c.name == name)
                .order_by(MEMBERSHIPS.c.course_id)
            ).all()
        return None if row is None else _account(tuple(row), [tuple(r) for r in more])

    def all(self) -> list[Account]:
        """Every account, by name."""
        with self.engine.connect() as db:
            rows = db.execute(sa.select(*_COLUMNS).order_by(ACCOUNTS.c.name)).all()
            more: dict[str, list[tuple[str, str]]] = {}
            for name, course_id, run_dir in db.execute(
                sa.select(MEMBERSHIPS.c.name, MEMBERSHIPS.c.course_id, MEMBERSHIPS.c.run_dir).order_by(
                    MEMBERSHIPS.c.course_id
                )
            ):
                more.setdefault(name, []).append((course_id, run_dir))
        return [_account(tuple(r), more.get(r[0], [])) for r in rows]

    def delete(self, name: str) -> bool:
        """Delete the account ``name`` and its further course runs (erasure); whether there was one.

        An SQLite file is rebuilt afterwards, so the erased rows leave no copy in its free pages.
        """
        with storage.writing(self.engine) as db:
            removed = db.execute(ACCOUNTS.delete().where(ACCOUNTS.c.name == name)).rowcount
            removed += db.execute(MEMBERSHIPS.delete().where(MEMBERSHIPS.c.name == name)).rowcount
        if removed:
            storage.compact(self.engine)
        return bool(removed)

    def verify(self, name: str, password: str) -> Account:
        """The account if ``password`` is right and unexpired; otherwise raise :class:`LoginError`.

        A right password whose hash is older (scrypt, or argon2id at other
        parameters) gets an argon2id hash in its place.
        """
        if len(password) > MAX_PASSWORD_LENGTH:
            raise LoginError("wrong")  # longer than any password that can be chosen: not hashed at all
        with self.engine.connect() as db:
            row = db.execute(sa.select(ACCOUNTS.c.salt, ACCOUNTS.c.hash).where(ACCOUNTS.c.name == name)).first()
        if row is None:
            spend_a_check(password)  # the same work as a real check, so timing does not tell who exists
            raise LoginError("unknown")
        salt, stored = row
        right, new_hash = check(stored, salt, password)
        if not right:
            raise LoginError("wrong")
        if new_hash is not None:
            with storage.writing(self.engine) as db:  # only if nobody changed the password meanwhile
                db.execute(
                    ACCOUNTS.update()
                    .where(ACCOUNTS.c.name == name, ACCOUNTS.c.hash == stored)
                    .values(salt=b"", hash=new_hash)
                )
        account = self.get(name)
        assert account is not None
        if account.expires_at is not None and account.expires_at <= datetime.now(UTC):
            raise LoginError("expired")
        return account


_COLUMNS = (
    ACCOUNTS.c.name,
    ACCOUNTS.c.role,
    ACCOUNTS.c.course_id,
    ACCOUNTS.c.run_dir,
    ACCOUNTS.c.expires_at,
    ACCOUNTS.c.must_change,
)


def _account(row: tuple, more: list[tuple[str, str]]) -> Account:
    name, role, course_id, run_dir, expires, must_change = row
    return Account(
        name,
        role,
        course_id,
        run_dir,
        None if expires is None else datetime.fromisoformat(expires),
        bool(must_change),
        tuple((c, r) for c, r in more),
    )
