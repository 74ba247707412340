"""The real JupyterHub on 127.0.0.1: accounts, Swedish login errors, and each boundary, over HTTP.

One hub for this file and ``test_hub_kernels.py`` (two learners, a course leader, an expired
invitation: ``boundary_hub.py``). Every refusal is paired with the course leader doing the same
thing successfully, so a refusal for the wrong reason (a missing XSRF token, a
broken login) cannot pass as a boundary. What a learner's page and its kernel may do behind the hub: ``test_hub_kernels.py``.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import psutil
import pytest
import requests

from grading.hub.accounts import MIN_PASSWORD_LENGTH
from grading.hub.config import PROXY_BIN, PROXY_TIMEOUT_MS
from grading.hub.password import PAGE as PASSWORD_PAGE
from grading.hub.runs import live_service_name
from grading.reports.printing import BOOKLET, GUIDE, RUN_FOLDER
from grading.system.processes import KERNEL_NAME, SERVER_NAME
from widgets.core.i18n import t

from boundary_hub import COURSE, OTHER, THIRD, xsrf
from hub_process import Hub, processes_in

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def hub(boundary_hub: Hub) -> Hub:
    """The hub of ``boundary_hub.py``, shared with ``test_hub_kernels.py``."""
    return boundary_hub


@pytest.fixture(scope="module")
def anna(hub: Hub) -> requests.Session:
    return hub.server("anna")


@pytest.fixture(scope="module")
def kim(hub: Hub) -> requests.Session:
    return hub.server("kim")


@pytest.fixture(scope="module")
def lisa(hub: Hub) -> requests.Session:
    return hub.logged_in("lisa")


# -- logging in -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["bertil", "cilla", "lisa"])
def test_each_person_logs_in_with_their_one_time_password(hub: Hub, name: str) -> None:
    session, response = hub.login(name)
    assert response.status_code == 302
    assert session.get(f"{hub.url}/hub/api/user").json()["name"] == name


def test_first_login_leads_to_choosing_ones_own_password(hub: Hub) -> None:
    one_time = hub.passwords["ny"]
    session, response = hub.login("ny")
    assert response.status_code == 302 and f"/hub/{PASSWORD_PAGE}" in response.headers["Location"]
    page = session.get(f"{hub.url}{response.headers['Location']}").content.decode("utf-8")
    assert t("hub.page.new_password_intro") in html.unescape(page)

    # no server until the one-time password is replaced, however the person tries
    refused = session.get(f"{hub.url}/hub/spawn/ny")
    assert refused.status_code == 403
    shown = html.unescape(refused.content.decode("utf-8"))
    assert t("hub.page.refused_heading") in shown and t("hub.password.must_choose_first") in shown
    assert f'href="/hub/{PASSWORD_PAGE}"' in shown
    assert session.get(f"{hub.url}/hub/api/user").json()["server"] is None
    # on a busy hub the refusal comes after JupyterHub has sent the person on to the waiting page:
    # that page says the same refusal, with no "try again" button that could never work
    pending = session.get(f"{hub.url}/hub/spawn-pending/ny")
    assert pending.status_code == 403
    waiting = html.unescape(pending.content.decode("utf-8"))
    assert t("hub.page.refused_heading") in waiting and t("hub.password.must_choose_first") in waiting
    assert f'href="/hub/{PASSWORD_PAGE}"' in waiting and t("hub.page.spawn_retry") not in waiting

    # unfit passwords: a Swedish message on the form, and the one-time password still works
    for password, repeated, key in (
        ("kort", None, "hub.password.too_short"),
        ("ett långt lösenord", "ett annat lösenord", "hub.password.mismatch"),
    ):
        answer = hub.choose_password(session, password, repeated)
        assert answer.status_code == 400
        assert t(key, length=MIN_PASSWORD_LENGTH) in html.unescape(answer.content.decode("utf-8"))
    assert hub.login("ny")[1].status_code == 302

    # chosen: the one-time password stops working, the own one leads straight on
    assert hub.choose_password(session, "ny sommar i cirkeln").status_code == 302
    hub.passwords["ny"] = "ny sommar i cirkeln"
    old = hub.login("ny", one_time)[1]
    assert old.status_code == 403 and t("hub.login.failed") in html.unescape(old.content.decode())
    session, response = hub.login("ny")
    assert response.status_code == 302 and PASSWORD_PAGE not in response.headers["Location"]


@pytest.mark.parametrize(
    "name, password",
    [
        ("anna", "fel-lösenord"),  # a wrong password
        ("okand", "vad-som-helst"),  # no such name
        ("gammal", None),  # the right one-time password, expired
    ],
)
def test_every_failed_login_gets_the_same_plain_swedish_message(hub: Hub, name: str, password: str | None) -> None:
    session, response = hub.login(name, password)
    assert response.status_code == 403
    shown = html.unescape(response.content.decode("utf-8"))  # the page says utf-8 in its meta tag
    error = re.search(r'<p class="login_error" role="alert">(.*?)</p>', shown, re.S)
    assert error and error.group(1).strip() == t("hub.login.failed")
    assert "Logga in" in shown and "Traceback" not in shown
    assert session.get(f"{hub.url}/hub/api/user").status_code in (401, 403)


def _cookies_set(seen: dict[str, list[str]]):
    """A response hook that files every ``Set-Cookie`` header (redirects included) by cookie name."""

    def hook(response: requests.Response, *args, **kwargs) -> None:
        for header in response.raw.headers.getlist("Set-Cookie"):
            seen.setdefault(header.split("=", 1)[0], []).append(header)

    return hook


def test_every_cookie_of_the_hub_and_the_servers_is_same_site(hub: Hub, anna, kim) -> None:
    """No cookie goes along with a request another site starts (a form posted from elsewhere)."""
    seen: dict[str, list[str]] = {}
    for name, pages in (
        ("anna", ["/user/anna/", "/user/anna/voila/tree"]),  # her Voilà server, through the OAuth dance
        ("kim", ["/user/kim/lab", f"/services/{COURSE}/lab", f"/services/{live_service_name(COURSE)}/voila/tree"]),
    ):
        session = requests.Session()
        session.hooks["response"].append(_cookies_set(seen))
        session.get(f"{hub.url}/hub/login")
        assert hub.login(name, session=session)[1].status_code == 302
        for page in pages:
            session.get(f"{hub.url}{page}")
    wanted = {
        "_xsrf",  # the hub's, anna's and kim's servers' and both services'
        "jupyterhub-hub-login",
        "jupyterhub-session-id",
        *(f"jupyterhub-user-{name}{state}" for name in ("anna", "kim") for state in ("", "-oauth-state")),
        *(
            f"service-{service}{state}"
            for service in (COURSE, live_service_name(COURSE))
            for state in ("", "-oauth-state")
        ),
    }
    assert wanted <= set(seen), sorted(seen)
    assert {header.split("Path=")[1].split(";")[0] for header in seen["_xsrf"]} >= {
        "/hub/",
        "/user/anna/",
        "/user/kim/",
        f"/services/{COURSE}/",
        f"/services/{live_service_name(COURSE)}/",
    }
    # a cookie being deleted (emptied, expired: the OAuth state after the login) is never sent again
    kept = [header for headers in seen.values() for header in headers if '=""; expires=' not in header]
    assert [header for header in kept if "samesite=lax" not in header.lower()] == []


def test_the_hub_runs_jupyterhubs_own_node_proxy(hub: Hub) -> None:
    """The Node.js configurable-http-proxy JupyterHub is built and tested with, installed by make."""
    pid = int((hub.folder / "proxy.pid").read_text())
    assert Path(os.readlink(f"/proc/{pid}/exe")).name.startswith("node")
    args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    assert str(PROXY_BIN) in args and f"--proxy-timeout={PROXY_TIMEOUT_MS}" in args
    assert requests.get(f"{hub.url}/hub/login").status_code == 200  # and everything goes through it


def test_the_hubs_own_database_writes_ahead_and_syncs_only_at_its_checkpoints(hub: Hub, anna) -> None:
    """JupyterHub commits on nearly every request; in its rollback journal each commit synced the disk."""
    import sqlite3

    database = hub.folder / "jupyterhub.sqlite"  # anna has logged in and has a server: the hub has written
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM users WHERE name = 'anna'").fetchone()[0] == 1
    finally:
        db.close()


def test_login_page_is_swedish(hub: Hub) -> None:
    page = requests.get(f"{hub.url}/hub/login").content.decode("utf-8")
    assert t("hub.page.password") in page and t("hub.page.help") in page


# -- the boundaries ---------------------------------------------------------------
def _names(listing: requests.Response) -> list[str]:
    assert listing.status_code == 200, listing.text[:300]
    return [item["name"] for item in listing.json()["content"]]


def test_learner_lands_in_voila_and_leader_on_the_start_page_of_their_run(hub: Hub, anna, kim) -> None:
    landing = anna.get(f"{hub.url}/user/anna/")
    assert "/user/anna/voila/tree" in landing.url and landing.status_code == 200
    landing = kim.get(f"{hub.url}/")
    assert landing.url.endswith("/hub/home") and landing.status_code == 200
    page = html.unescape(landing.content.decode("utf-8"))
    assert t("hub.page.runs_heading") in page and f'href="/services/{COURSE}/formgrader"' in page
    # its JupyterLab link opens the run's JupyterLab (the OAuth dance of a first visit)
    assert kim.get(f"{hub.url}/services/{COURSE}/lab").url.endswith(f"/services/{COURSE}/lab")
    # that JupyterLab is the course run's: formgrader works on its gradebook there
    assert sorted(_names(hub.service(kim, COURSE))) == ["README.md", "samverkan"]  # the run, with its live apps folder
    assert f"kursomgång {COURSE}" in hub.service(kim, COURSE, "files/README.md").content.decode("utf-8")


def test_leader_of_several_runs_lands_on_a_list_of_them(hub: Hub, lisa) -> None:
    landing = lisa.get(f"{hub.url}/")
    assert landing.url.endswith("/hub/home") and landing.status_code == 200
    page = html.unescape(landing.content.decode("utf-8"))
    assert t("hub.page.runs_heading") in page
    for course in (OTHER, THIRD):
        assert f"/services/{course}/lab" in page and f"/services/{course}/formgrader" in page
        assert f"/services/{course}/voila/render/appar/oversikt.ipynb" in page
        assert f"kursomgång {course}" in hub.service(lisa, course, "files/README.md").content.decode("utf-8")
        # the run's printed material (cirkel courses print --run), served by the run's own service
        for name in (BOOKLET, GUIDE):
            assert f"/services/{course}/files/{RUN_FOLDER}/{name}" in page
    material = hub.folder / f"omgang-{OTHER}" / RUN_FOLDER
    material.mkdir()
    (material / BOOKLET).write_bytes(b"%PDF-1.7 deltagarhafte")
    served = hub.service(lisa, OTHER, f"files/{RUN_FOLDER}/{BOOKLET}")
    assert served.status_code == 200 and served.content == b"%PDF-1.7 deltagarhafte"
    assert served.headers["Content-Type"].startswith("application/pdf")
    assert f"/services/{COURSE}/" not in page


def test_leader_cannot_reach_another_leaders_run(hub: Hub, kim, lisa) -> None:
    for session, course in ((kim, OTHER), (kim, THIRD), (lisa, COURSE)):
        refused = hub.service(session, course)
        assert refused.status_code == 403, (course, refused.status_code, refused.url)
        assert "README.md" not in refused.text


def test_leader_sees_only_their_runs_learners(hub: Hub, kim, lisa) -> None:
    def visible(session: requests.Session) -> set[str]:
        response = session.get(f"{hub.url}/hub/api/users")
        assert response.status_code == 200, response.text[:300]
        return {user["name"] for user in response.json()}

    assert visible(kim) == {"anna", "bertil", "gammal", "ny"}
    assert visible(lisa) == {"cilla"}


def test_learner_reaches_no_course_run_service(hub: Hub, anna) -> None:
    for course in (COURSE, OTHER):
        refused = hub.service(anna, course)
        assert refused.status_code == 403 and "README.md" not in refused.text
        assert hub.service(anna, course, "formgrader").status_code == 403


@pytest.mark.parametrize("path", ["lab", "tree", "terminals/1", "api/terminals", "api/sessions", "formgrader"])
def test_learner_cannot_reach_code_pages(hub: Hub, anna, kim, path: str) -> None:
    assert anna.get(f"{hub.url}/user/anna/{path}", allow_redirects=False).status_code in (403, 404)
    if path in ("lab", "tree", "api/terminals", "api/sessions"):  # the same address works for a leader
        assert kim.get(f"{hub.url}/user/kim/{path}").status_code == 200


def test_learner_cannot_start_a_kernel(hub: Hub, anna, kim) -> None:
    refused = anna.post(f"{hub.url}/user/anna/api/kernels", json={"name": "python3"}, headers=xsrf(anna, "anna"))
    assert refused.status_code == 403
    started = kim.post(f"{hub.url}/user/kim/api/kernels", json={"name": "python3"}, headers=xsrf(kim, "kim"))
    assert started.status_code == 201
    kim.delete(f"{hub.url}/user/kim/api/kernels/{started.json()['id']}", headers=xsrf(kim, "kim"))
    assert anna.get(f"{hub.url}/user/anna/api/kernels").status_code == 403


def test_learner_cannot_write_files(hub: Hub, anna, kim) -> None:
    body = {"type": "file", "format": "text", "content": "print('hej')"}
    refused = anna.put(f"{hub.url}/user/anna/api/contents/egen.py", json=body, headers=xsrf(anna, "anna"))
    assert refused.status_code == 403
    assert anna.get(f"{hub.url}/user/anna/api/contents/egen.py").status_code == 404
    written = kim.put(f"{hub.url}/user/kim/api/contents/egen.py", json=body, headers=xsrf(kim, "kim"))
    assert written.status_code == 201


def test_learner_cannot_reach_another_learners_server(hub: Hub, anna) -> None:
    hub.server("bertil")
    other = anna.get(f"{hub.url}/user/bertil/voila/tree")
    assert other.status_code == 403
    assert "/user/bertil/" not in other.url or "hub" in other.url
    assert anna.get(f"{hub.url}/user/bertil/api/contents").status_code == 403


@pytest.mark.browser
def test_a_leaders_list_of_runs_is_accessible_and_keyboard_operable(hub: Hub, lisa, playwright, tmp_path: Path) -> None:
    from browser_harness import axe_violations, describe_violations, launch_chromium, tab_until

    browser = launch_chromium(playwright, tmp_path / "lisa")
    try:
        browser.add_cookies(
            [{"name": c.name, "value": c.value, "domain": "127.0.0.1", "path": c.path or "/"} for c in lisa.cookies]
        )
        page = browser.new_page()
        page.goto(f"{hub.url}/hub/home", wait_until="domcontentloaded")
        heading = page.get_by_role("heading", level=1)
        assert heading.inner_text().strip() == t("hub.page.runs_heading")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        # the keyboard reaches the second run's JupyterLab link and opens it
        link = page.get_by_role("link", name=t("hub.page.run_lab")).nth(1)
        tab_until(page, link, limit=40)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/services/{THIRD}/lab*")
    finally:
        browser.close()


def test_a_learners_server_is_forked_from_the_hubs_zygote_which_holds_nobodys_secrets(hub: Hub, anna) -> None:
    """Learners' servers and their page kernels share the imports of one process
    (``grading.hub.server_zygote``), which was started with the hub's own settings only: no learner's
    token, name or answer keys are in the memory every server and kernel is forked from. Her server
    works (the fixture reached it through the hub)."""
    home = hub.folder / "hem" / "anna"
    named = {pid: psutil.Process(pid).name() for pid in processes_in(home)}
    servers = [pid for pid, name in named.items() if name == SERVER_NAME]
    kernels = [pid for pid, name in named.items() if name == KERNEL_NAME]
    assert len(servers) == 1, named  # her one server (with no "Mina moduler" here, no kernel until a page opens)
    zygote = psutil.Process(servers[0]).parent()
    assert zygote is not None and "grading.hub.server_zygote" in " ".join(zygote.cmdline())
    assert {psutil.Process(pid).ppid() for pid in kernels} <= {zygote.pid}  # her page kernels: forked there too
    assert zygote.parent() is not None and zygote.parent().pid == _hub_pid(hub)
    environ = Path(f"/proc/{zygote.pid}/environ").read_bytes().decode("utf-8", "replace")
    names = {item.split("=", 1)[0] for item in environ.split("\0") if "=" in item}
    assert "PATH" in names  # the probe reads the zygote's environment
    assert not {n for n in names if n.startswith(("JUPYTERHUB_API", "JUPYTERHUB_USER", "JUPYTERHUB_OAUTH", "CIRKEL_"))}
    assert "anna" not in environ


def _hub_pid(hub: Hub) -> int:
    (pid,) = [p for p in processes_in(hub.folder) if "grading.hub.app" in " ".join(psutil.Process(p).cmdline())]
    return pid
