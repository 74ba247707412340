"""The login throttle without a hub: per account, per address, in all, bursts, codes, and whose address."""

from __future__ import annotations

import time

import pytest

from grading.hub.throttle import Throttle, client_address, minutes

pytestmark = pytest.mark.unit

WINDOW = 2


def _throttle(**limits: int) -> Throttle:
    return Throttle(**({"window": WINDOW, "code_window": WINDOW} | limits))


def _fail(throttle: Throttle, name: str, address: str) -> int:
    """One login with a wrong password, as the authenticator runs it; the wait it met (0: it was checked)."""
    return throttle.login_attempt(name, address)


def test_a_name_waits_after_its_failures_from_any_address_then_may_try_again() -> None:
    throttle = _throttle(failures_per_account=3)
    assert [_fail(throttle, "anna", f"10.0.0.{i}") for i in range(3)] == [0, 0, 0]
    wait = throttle.login_wait("anna", "10.0.0.99")  # a fresh address does not help
    assert 0 < wait <= WINDOW
    assert throttle.login_attempt("anna", "10.0.0.99") > 0  # refused, and nothing more counted
    assert throttle.login_wait("bertil", "10.0.0.99") == 0  # another name is not held up
    time.sleep(WINDOW + 0.2)
    assert throttle.login_wait("anna", "10.0.0.99") == 0


def test_unknown_names_are_counted_like_real_ones_and_spelling_variants_alike() -> None:
    throttle = _throttle(failures_per_account=2)
    _fail(throttle, "Finns-Inte", "10.0.0.1")
    _fail(throttle, " finns-inte ", "10.0.0.2")
    assert throttle.login_wait("finns-inte", "10.0.0.3") > 0


def test_an_address_guessing_many_names_waits_and_another_address_does_not() -> None:
    throttle = _throttle(failures_per_account=3, failures_per_address=5)
    assert [_fail(throttle, f"namn{i}", "10.0.0.1") for i in range(5)] == [0] * 5
    assert throttle.login_wait("anna", "10.0.0.1") > 0
    assert throttle.login_wait("anna", "10.0.0.2") == 0


def test_a_burst_sent_at_once_gets_no_more_checks_than_one_by_one() -> None:
    """Logins counted before their passwords are checked: 30 in flight together, 3 checked."""
    throttle = _throttle(failures_per_account=3)
    waits = [throttle.login_attempt("anna", "10.0.0.1") for _ in range(30)]  # none has finished yet
    assert waits.count(0) == 3


def test_successful_logins_use_up_nothing_of_a_shared_address() -> None:
    """A study circle behind one venue's address: forty right passwords, and typos still allowed."""
    throttle = _throttle(failures_per_address=5)
    for i in range(40):
        assert throttle.login_attempt(f"deltagare{i}", "10.0.0.1") == 0
        throttle.login_succeeded(f"deltagare{i}", "10.0.0.1")
    assert [_fail(throttle, f"deltagare{i}", "10.0.0.1") for i in range(5)] == [0] * 5
    assert throttle.login_wait("deltagare9", "10.0.0.1") > 0


def test_a_success_clears_the_names_failures() -> None:
    throttle = _throttle(failures_per_account=3)
    _fail(throttle, "anna", "10.0.0.1")
    _fail(throttle, "anna", "10.0.0.1")
    assert throttle.login_attempt("anna", "10.0.0.1") == 0
    throttle.login_succeeded("anna", "10.0.0.1")
    assert [_fail(throttle, "anna", "10.0.0.1") for _ in range(3)] == [0, 0, 0]


def test_what_is_kept_is_bounded_everyone_waits_past_the_total() -> None:
    throttle = _throttle(failures_per_account=3, failures_per_address=3, failures_in_all=20)
    for i in range(20):  # twenty addresses, twenty names, each far below its own limit
        assert _fail(throttle, f"namn{i}", f"10.0.1.{i}") == 0
    assert throttle.login_wait("anna", "10.0.2.1") > 0
    for i in range(100):  # refused tries are not stored
        throttle.login_attempt(f"fler{i}", f"10.0.3.{i}")
    assert len(throttle._storage.storage) <= 2 * 20 + 1


def test_wrong_codes_from_one_address_wait() -> None:
    throttle = _throttle(code_failures_per_address=4)
    for _ in range(4):
        assert throttle.code_wait("10.0.0.1") == 0
        throttle.code_failed("10.0.0.1")
    assert 0 < throttle.code_wait("10.0.0.1") <= WINDOW
    assert throttle.code_wait("10.0.0.2") == 0
    assert throttle.login_wait("anna", "10.0.0.1") == 0  # codes and logins are counted apart


@pytest.mark.parametrize(
    "remote_ip, forwarded_for, trusted, counted",
    [
        # the proxy appends the address it was reached from; what the client wrote before it is ignored
        ("127.0.0.1", "127.0.0.7", (), "127.0.0.7"),
        ("127.0.0.1", "1.2.3.4,127.0.0.7", (), "127.0.0.7"),
        ("1.2.3.4", "203.0.113.9", (), "203.0.113.9"),  # tornado's remote_ip may be a client's X-Real-Ip
        # a reverse proxy JupyterHub trusts (trusted_downstream_ips) in front of the hub's proxy
        ("127.0.0.1", "203.0.113.9,10.1.1.1", ("10.1.1.1",), "203.0.113.9"),
        ("127.0.0.1", None, (), "127.0.0.1"),
        # a phone's IPv6 addresses come from one /64
        ("127.0.0.1", "2001:db8:1:2:aaaa::1", (), "2001:db8:1:2::/64"),
        ("127.0.0.1", "::ffff:192.0.2.5", (), "192.0.2.5"),
        ("127.0.0.1", "inte-en-adress", (), "unknown"),
    ],
)
def test_the_address_counted_is_the_one_the_proxy_saw(
    remote_ip: str, forwarded_for: str | None, trusted: tuple[str, ...], counted: str
) -> None:
    assert client_address(remote_ip, forwarded_for, trusted) == counted


def test_the_wait_is_told_in_whole_minutes() -> None:
    assert [minutes(s) for s in (1, 59, 60, 61, 900)] == [1, 1, 1, 2, 15]
