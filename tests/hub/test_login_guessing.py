"""Guessing at the real hub over HTTP: passwords, names and group-quiz codes, as an attacker would.

One hub for the module, with short throttle windows so that a test can wait one
out. Each test sends from loopback addresses of its own (127.0.0.0/8 all lead to
this machine), as from separate computers, so the per-address counts of one test
do not reach another's.

The hub keeps its own database (users, tokens, servers) in PostgreSQL, a database
of the tests' own server, as a hub that outgrows one machine does
(``$CIRKEL_HUB_DB`` in ``deploy/jupyterhub_config.py``): every test here runs on it.
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from grading.hub.accounts import AccountStore
from grading.hub.code_join import PAGE as CODE_PAGE
from widgets.core.i18n import t

from hub_process import Hub, running_hub, session_from

pytestmark = [pytest.mark.hub, pytest.mark.pg]

#: the hub's throttle in this module: few failures, and windows short enough to wait one out, yet long
#: enough that the failures which open one (a tenth of a second to a second each for the password
#: check, on a busy machine) all fall within it
WINDOW = 30
PER_ACCOUNT = 5
PER_ADDRESS = 8
CODE_PER_ADDRESS = 4
LEGACY_PASSWORD = "ett gammalt lösenord"


def _legacy_account(accounts: Path, name: str, password: str) -> None:
    """An account as files made before argon2id hold it: a salted scrypt hash at N=2^14."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)
    with sqlite3.connect(accounts) as db:
        db.execute(
            "INSERT INTO accounts (name, role, course_id, run_dir, salt, hash, expires_at, must_change)"
            " VALUES (?, 'deltagare', 'demo', '', ?, ?, NULL, 0)",
            (name, salt, digest),
        )


def _stored_hash(accounts: Path, name: str) -> str | bytes:
    with sqlite3.connect(accounts) as db:
        return db.execute("SELECT hash FROM accounts WHERE name = ?", (name,)).fetchone()[0]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, pg_server) -> Iterator[Hub]:
    folder = tmp_path_factory.mktemp("gissning")
    store = AccountStore(folder / "konton.sqlite")
    passwords = {name: store.create(name, "deltagare", "demo") for name in ("anna", "bertil", "cilla", "dora")}
    passwords["gammal"] = store.create("gammal", "deltagare", "demo", valid_for=timedelta(seconds=-1))
    _legacy_account(folder / "konton.sqlite", "vera", LEGACY_PASSWORD)
    passwords["vera"] = LEGACY_PASSWORD
    throttle = f"""
        c.Throttle.window = {WINDOW}
        c.Throttle.failures_per_account = {PER_ACCOUNT}
        c.Throttle.failures_per_address = {PER_ADDRESS}
        c.Throttle.code_window = {WINDOW}
        c.Throttle.code_failures_per_address = {CODE_PER_ADDRESS}
    """
    with pg_server.database() as db_url, running_hub(folder, extra_config=throttle, db_url=db_url) as url:
        hub = Hub(url, passwords, folder)
        hub.db_url = db_url
        yield hub


def _error(response: requests.Response) -> str:
    """The message the form shows above its fields ("" when none)."""
    found = re.search(r'<p class="login_error" role="alert">(.*?)</p>', response.content.decode("utf-8"), re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def _logged_in(session: requests.Session, hub: Hub) -> bool:
    return session.get(f"{hub.url}/hub/api/user").status_code == 200


def test_thirty_quick_wrong_passwords_are_throttled_and_the_right_one_waits_too(hub: Hub) -> None:
    started = time.monotonic()
    answers = [hub.login("anna", f"gissning-{i}", address="127.0.0.21")[1] for i in range(30)]
    took = time.monotonic() - started
    failed, wait = t("hub.login.failed"), t("hub.login.throttled", minutes=1)
    assert [(a.status_code, _error(a)) for a in answers[:PER_ACCOUNT]] == [(403, failed)] * PER_ACCOUNT
    assert [(a.status_code, _error(a)) for a in answers[PER_ACCOUNT:]] == [(429, wait)] * (30 - PER_ACCOUNT), took

    # the right password straight after is refused with the same words, from this address or another
    for address in ("127.0.0.21", "127.0.0.22"):
        session, right = hub.login("anna", address=address)
        assert (right.status_code, _error(right)) == (429, wait)
        assert "Traceback" not in right.text and not _logged_in(session, hub)
    retry_after = int(right.headers["Retry-After"])
    assert 0 < retry_after <= WINDOW

    # once the window has closed, the right password logs in
    time.sleep(retry_after + 0.5)
    session, right = hub.login("anna", address="127.0.0.21")
    assert right.status_code == 302 and _logged_in(session, hub)


def test_one_address_guessing_many_names_is_throttled(hub: Hub) -> None:
    for i in range(PER_ADDRESS):  # each name once: no account reaches its own limit
        _, answer = hub.login(f"namn{i}", "gissning", address="127.0.0.31")
        assert answer.status_code == 403
    session, right = hub.login("bertil", address="127.0.0.31")
    assert (right.status_code, _error(right)) == (429, t("hub.login.throttled", minutes=1))
    assert not _logged_in(session, hub)
    # another computer is not held up by that one
    session, right = hub.login("bertil", address="127.0.0.32")
    assert right.status_code == 302 and _logged_in(session, hub)


def test_unknown_name_wrong_password_and_expired_one_time_password_look_alike(hub: Hub) -> None:
    def page(name: str, password: str | None, address: str) -> tuple[int, str]:
        _, answer = hub.login(name, password, address=address)
        text = answer.content.decode("utf-8")
        text = re.sub(r'name="_xsrf" value="[^"]*"|xsrf_token: "[^"]*"', "", text)  # a fresh token each time
        text = re.sub(r'name="username"\s+value="[^"]*"', "", text)  # the name typed comes back
        return answer.status_code, text

    unknown = page("okand", "vad-som-helst", "127.0.0.41")
    wrong = page("cilla", "fel-lösenord", "127.0.0.42")
    expired = page("gammal", None, "127.0.0.43")  # the right one-time password, expired
    assert unknown == wrong == expired
    assert unknown[0] == 403 and t("hub.login.failed") in html.unescape(unknown[1])


def _try_code(session: requests.Session, hub: Hub, code: str) -> requests.Response:
    form = session.get(f"{hub.url}/hub/{CODE_PAGE}")
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
    assert form.status_code == 200 and xsrf, form.text[:300]
    data = {"kod": code, "namn": "Gäst", "_xsrf": html.unescape(xsrf.group(1))}
    return session.post(f"{hub.url}/hub/{CODE_PAGE}", data=data, allow_redirects=False)


def test_group_quiz_codes_cannot_be_guessed_without_limit(hub: Hub) -> None:
    guesser = session_from("127.0.0.51")
    for code in ("ABC234", "ABC235", "ABC236", "ABC237")[:CODE_PER_ADDRESS]:
        answer = _try_code(guesser, hub, code)
        assert (answer.status_code, _error(answer)) == (400, t("hub.code.unknown"))
    answer = _try_code(guesser, hub, "ABC238")
    assert (answer.status_code, _error(answer)) == (429, t("hub.code.throttled", minutes=1))
    assert 0 < int(answer.headers["Retry-After"]) <= WINDOW
    # a participant at another computer still has their code looked up
    answer = _try_code(session_from("127.0.0.52"), hub, "ABC239")
    assert (answer.status_code, _error(answer)) == (400, t("hub.code.unknown"))


def test_an_old_scrypt_account_logs_in_and_gets_an_argon2id_hash(hub: Hub) -> None:
    accounts = hub.folder / "konton.sqlite"
    assert isinstance(_stored_hash(accounts, "vera"), bytes)  # scrypt, as the file was made
    session, answer = hub.login("vera", address="127.0.0.61")
    assert answer.status_code == 302 and _logged_in(session, hub)
    stored = _stored_hash(accounts, "vera")
    assert isinstance(stored, str) and stored.startswith("$argon2id$")
    assert hub.login("vera", address="127.0.0.61")[1].status_code == 302  # the new hash lets her in
    assert hub.login("vera", "fel", address="127.0.0.62")[1].status_code == 403
    # and a new account's hash is argon2id too
    assert str(_stored_hash(accounts, "anna")).startswith("$argon2id$")


def test_the_hubs_own_database_is_postgresql(hub: Hub) -> None:
    session, answer = hub.login("dora", address="127.0.0.71")
    assert answer.status_code == 302 and _logged_in(session, hub)
    engine = sa.create_engine(hub.db_url)
    try:
        with engine.connect() as db:
            users = set(db.execute(sa.text("SELECT name FROM users")).scalars())
            tables = set(sa.inspect(db).get_table_names())
    finally:
        engine.dispose()
    # the person who logged in is a row of JupyterHub's own tables in PostgreSQL, and no SQLite file holds them
    assert "dora" in users
    assert {"users", "api_tokens", "oauth_clients", "servers", "spawners", "alembic_version"} <= tables
    assert not list(hub.folder.rglob("jupyterhub.sqlite*"))
