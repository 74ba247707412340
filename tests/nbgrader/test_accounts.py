"""Hub accounts without a hub: hashes only, expiry, bad input, and ``cirkel hub adduser``."""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from grading.hub.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, AccountError, AccountStore, LoginError
from widgets.core.i18n import t

CIRKEL = Path(sys.executable).parent / "cirkel"
REPO = Path(__file__).resolve().parents[2]


#: OWASP's argon2id minimums (Password Storage Cheat Sheet): memory in KiB -> passes at that memory
OWASP_ARGON2ID = {47_104: 1, 19_456: 2, 12_288: 3, 9_216: 4, 7_168: 5}


def _hashes(path: Path) -> dict[str, str | bytes]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT name, hash FROM accounts"))


@pytest.mark.unit
def test_password_is_stored_only_as_an_argon2id_hash_at_owasp_strength(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "konton.sqlite")
    one = store.create("anna", "deltagare", "demo")
    two = store.create("bertil", "deltagare", "demo")
    assert one != two and len(one) >= 16
    raw = (tmp_path / "konton.sqlite").read_bytes()
    assert one.encode() not in raw and two.encode() not in raw
    assert raw.count(b"$argon2id$") == 2
    hashes = _hashes(tmp_path / "konton.sqlite")
    for stored in hashes.values():
        memory, passes, lanes = map(int, re.match(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", stored).groups())
        assert any(memory >= m and passes >= t_min for m, t_min in OWASP_ARGON2ID.items()), stored
        assert lanes >= 1
    assert len({stored.split("$")[4] for stored in hashes.values()}) == 2  # a salt of its own each
    assert store.verify("anna", one).group == "deltagare-demo"


@pytest.mark.unit
def test_every_failed_login_says_the_same_and_the_log_keeps_the_kind(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "k.sqlite")
    store.create("anna", "deltagare", "demo")
    expired = store.create("gammal", "deltagare", "demo", valid_for=timedelta(seconds=-1))
    caught = {}
    for name, password in (("anna", "fel"), ("nisse", "vad-som-helst"), ("gammal", expired)):
        with pytest.raises(LoginError) as refusal:
            store.verify(name, password)
        caught[refusal.value.kind] = str(refusal.value)
    assert caught == dict.fromkeys(("wrong", "unknown", "expired"), t("hub.login.failed"))


@pytest.mark.unit
def test_an_old_scrypt_account_logs_in_and_is_rehashed_with_argon2id(tmp_path: Path) -> None:
    path = tmp_path / "konton.sqlite"
    store = AccountStore(path)
    store.create("bertil", "deltagare", "demo")
    # a row as files made before argon2id hold it: a salted scrypt hash at N=2^14
    salt = secrets.token_bytes(16)
    old = hashlib.scrypt("mitt gamla lösenord".encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO accounts (name, role, course_id, run_dir, salt, hash, expires_at, must_change)"
            " VALUES ('anna', 'deltagare', 'demo', '', ?, ?, NULL, 0)",
            (salt, old),
        )
    with pytest.raises(LoginError):  # a wrong password changes nothing
        store.verify("anna", "fel lösenord")
    assert _hashes(path)["anna"] == old

    assert store.verify("anna", "mitt gamla lösenord").name == "anna"
    new = _hashes(path)["anna"]
    assert isinstance(new, str) and new.startswith("$argon2id$")
    assert store.verify("anna", "mitt gamla lösenord").name == "anna"  # and the new hash holds
    assert _hashes(path)["anna"] == new  # rehashed once, not at every login
    with pytest.raises(LoginError):
        store.verify("anna", "fel lösenord")


@pytest.mark.unit
def test_a_password_longer_than_any_that_can_be_chosen_is_refused(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "k.sqlite")
    store.create("anna", "deltagare", "demo")
    with pytest.raises(AccountError, match=t("hub.password.too_long", length=MAX_PASSWORD_LENGTH)):
        store.set_password("anna", "x" * (MAX_PASSWORD_LENGTH + 1))
    with pytest.raises(LoginError):
        store.verify("anna", "x" * 100_000)


@pytest.mark.unit
def test_an_expired_one_time_password_no_longer_works(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "k.sqlite")
    password = store.create("anna", "deltagare", "demo", valid_for=timedelta(seconds=-1))
    with pytest.raises(LoginError, match=t("hub.login.failed")) as refusal:
        store.verify("anna", password)
    assert refusal.value.kind == "expired"
    # a new invitation replaces the old one
    fresh = store.create("anna", "deltagare", "demo")
    assert store.verify("anna", fresh).name == "anna"
    with pytest.raises(LoginError):
        store.verify("anna", password)


@pytest.mark.unit
@pytest.mark.parametrize(
    "name, role, course",
    [
        ("Anna", "deltagare", "demo"),
        ("anna", "gäst", "demo"),
        ("anna", "deltagare", ""),
    ],
)
def test_bad_accounts_are_refused_in_swedish(tmp_path: Path, name: str, role: str, course: str) -> None:
    store = AccountStore(tmp_path / "k.sqlite")
    with pytest.raises(AccountError):
        store.create(name, role, course)
    assert store.all() == []


@pytest.mark.unit
def test_cirkel_hub_adduser_prints_the_password_once(tmp_path: Path, cirkel, monkeypatch) -> None:
    monkeypatch.setenv("CIRKEL_HUB_DIR", str(tmp_path))
    done = cirkel("hub", "adduser", "admin1", "--role", "admin")
    assert done.returncode == 0, done.stderr
    password = done.stdout.split(": ", 1)[1].splitlines()[0].strip()
    account = AccountStore(tmp_path / "konton.sqlite").verify("admin1", password)
    assert account.role == "admin"

    bad = cirkel("hub", "adduser", "kim", "--role", "kursledare")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert t("hub.account.no_course", name="kim") in bad.stderr


@pytest.mark.nbgrader
def test_importing_learners_with_accounts_prints_each_password_once(
    cirkel, mini_course, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CIRKEL_HUB_DIR", str(tmp_path / "hub"))
    run_dir = tmp_path / "omg"
    assert cirkel("run", "create", mini_course, "--dir", run_dir).returncode == 0
    roster = tmp_path / "lista.csv"
    roster.write_text("id,namn\nanna,Anna A\nbo,Bo B\n", encoding="utf-8")

    refused = cirkel("learners", "import", run_dir, roster, "--accounts", "--days", "0")
    assert refused.returncode == 1 and t("hub.cli.bad_days", days=0) in refused.stderr
    assert not (tmp_path / "hub" / "konton.sqlite").exists()

    first = cirkel("learners", "import", run_dir, roster, "--accounts")
    assert first.returncode == 0, first.stderr
    store = AccountStore(tmp_path / "hub" / "konton.sqlite")
    for name in ("anna", "bo"):
        line = next(x for x in first.stdout.splitlines() if x.startswith(f"Kontot {name} "))
        account = store.verify(name, line.rsplit(": ", 1)[1].strip())
        assert (account.role, account.course_id, account.run_dir) == ("deltagare", "minikurs", str(run_dir.resolve()))

    again = cirkel("learners", "import", run_dir, roster, "--accounts")
    assert again.returncode == 0 and "Engångslösenord" not in again.stdout
    assert t("hub.cli.exists", name="anna") in again.stdout


@pytest.mark.unit
def test_choosing_ones_own_password_ends_the_one_time_password(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "k.sqlite")
    one_time = store.create("anna", "deltagare", "demo")
    assert store.verify("anna", one_time).must_change
    for password, repeated, key in (
        ("kort", "kort", "hub.password.too_short"),
        ("ett långt lösenord", "ett annat", "hub.password.mismatch"),
        (" ett långt lösenord", None, "hub.password.spaces"),
    ):
        with pytest.raises(AccountError, match=t(key, length=MIN_PASSWORD_LENGTH)):
            store.set_password("anna", password, repeated)
    assert store.verify("anna", one_time).must_change  # nothing changed by the refusals

    store.set_password("anna", "mitt eget lösenord", "mitt eget lösenord")
    account = store.verify("anna", "mitt eget lösenord")
    assert not account.must_change and account.expires_at is None
    with pytest.raises(LoginError, match=t("hub.login.failed")):
        store.verify("anna", one_time)
    raw = (tmp_path / "k.sqlite").read_bytes()
    assert "mitt eget lösenord".encode() not in raw


@pytest.mark.unit
def test_a_password_that_is_the_username_is_refused(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "k.sqlite")
    store.create("annasvensson", "deltagare", "demo")
    with pytest.raises(AccountError, match=t("hub.password.is_name")):
        store.set_password("annasvensson", "AnnaSvensson")


@pytest.mark.nbgrader
def test_a_course_leader_leads_several_runs_with_one_password(tmp_path: Path, cirkel, monkeypatch) -> None:
    monkeypatch.setenv("CIRKEL_HUB_DIR", str(tmp_path))
    store = AccountStore(tmp_path / "konton.sqlite")
    password = store.create("kim", "kursledare", "ht26", str(tmp_path / "ht26"))
    account = store.add_run("kim", "vt27", str(tmp_path / "vt27"))
    assert account.runs == (("ht26", str(tmp_path / "ht26")), ("vt27", str(tmp_path / "vt27")))
    assert account.groups == ("kursledare-ht26", "kursledare-vt27")
    assert store.verify("kim", password).name == "kim"  # the password is unchanged

    store.create("anna", "deltagare", "ht26")
    with pytest.raises(AccountError, match=t("hub.account.one_run_only", name="anna", role="deltagare")):
        store.add_run("anna", "vt27", "")
    with pytest.raises(AccountError, match=t("hub.account.missing", name="nisse")):
        store.add_run("nisse", "vt27", "")

    # through the command: a third run, named by its folder; no new password is printed
    run_dir = tmp_path / "ht27"
    done = cirkel("run", "create", REPO / "courses" / "ledarskap", "--dir", run_dir, "--id", "ht27", "--no-material")
    assert done.returncode == 0, done.stderr
    added = cirkel("hub", "adduser", "kim", "--role", "kursledare", "--run", run_dir)
    assert added.returncode == 0, added.stderr
    assert t("hub.cli.run_added", name="kim", course="ht27") in added.stdout and "Engångslösenord" not in added.stdout
    assert [course for course, _ in store.get("kim").runs] == ["ht26", "ht27", "vt27"]
    assert store.verify("kim", password).name == "kim"
