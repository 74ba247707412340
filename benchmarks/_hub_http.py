"""``hub_load.py``'s HTTP steps: logging in through the hub's form, starting the server, opening
the landing page and the module app as a browser does (without one).
"""

from __future__ import annotations

import html
import re
import time
from urllib.parse import urljoin, urlsplit

import requests
from _hub_steps import MODULE, StepFailed, left

from grading.hub.password import PAGE as PASSWORD_PAGE

__all__ = ["login_and_spawn", "open_landing", "open_module"]


def _xsrf_field(page: str) -> str:
    found = re.search(r'name="_xsrf" value="([^"]+)"', page)
    if not found:
        raise StepFailed("the login form carries no _xsrf field")
    return html.unescape(found.group(1))


def login_and_spawn(url: str, name: str, password: str, deadline: float) -> tuple[requests.Session, str]:
    """Log in through the form, start the server and wait until it answers.

    Follows the redirects one by one (the hub, its OAuth dance, the server) until
    the server sends the learner on to its landing app; returns the session and
    that app's address. The app itself is opened by :func:`open_landing`.
    """
    session = requests.Session()
    page = session.get(f"{url}/hub/login", timeout=left(deadline))
    page.raise_for_status()
    response = session.post(
        f"{url}/hub/login?next=",
        allow_redirects=False,
        timeout=left(deadline),
        data={"username": name, "password": password, "_xsrf": _xsrf_field(page.text)},
    )
    if response.status_code != 302:
        raise StepFailed(f"login answered {response.status_code}")
    if PASSWORD_PAGE in response.headers.get("Location", ""):
        raise StepFailed("login led to the new-password page although the password was chosen")
    spawn = session.get(f"{url}/hub/spawn/{name}", allow_redirects=False, timeout=left(deadline))
    if spawn.status_code >= 400:
        raise StepFailed(f"/hub/spawn answered {spawn.status_code}")
    server = f"/user/{name}/"
    while True:
        address = f"{url}{server}"
        for _hop in range(20):
            page = session.get(address, allow_redirects=False, timeout=left(deadline))
            if not page.is_redirect:
                break
            address = urljoin(address, page.headers["Location"])
            if urlsplit(address).path.startswith(f"{server}voila/"):
                return session, address  # the server itself sends the learner on to the app
        if page.status_code == 200 and urlsplit(address).path.startswith(server):
            return session, address  # a server with no landing app of its own
        pending = urlsplit(address).path.startswith(f"/hub/spawn-pending/{name}")
        if page.status_code >= 400 or not pending:
            raise StepFailed(f"the server did not start: {page.status_code} at {address}")
        if time.monotonic() > deadline:
            raise StepFailed("the server did not start in time")
        time.sleep(1.0)  # the browser's spawn-pending page listens to a progress stream instead


def _page(session: requests.Session, address: str, deadline: float) -> tuple[int, str]:
    """A Voilà page's status and text, read by the deadline whatever the server does.

    Voilà streams a page while its kernel executes it; a page whose kernel hangs may
    keep its connection open for ever, trickling or silent (seen under load: one
    learner held every other one of ``--steps-together`` for twenty minutes), and
    ``requests``' timeout bounds each read, not the whole. So the body is read in
    chunks and the deadline looked at after each.
    """
    with session.get(address, timeout=left(deadline), stream=True) as page:
        body = bytearray()
        for chunk in page.iter_content(16384):
            body += chunk
            left(deadline)
        return page.status_code, body.decode(page.encoding or "utf-8", errors="replace")


def open_landing(session: requests.Session, address: str, deadline: float) -> str | None:
    """Open the landing app ("Mina moduler"): Voilà executes it before it answers; its kernel id."""
    status, text = _page(session, address, deadline)
    if status != 200:
        raise StepFailed(f"the landing page answered {status}")
    return _kernel_id(text)


def _kernel_id(page: str) -> str | None:
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
    return found.group(1) if found else None


def _xsrf_header(session: requests.Session, name: str) -> dict[str, str]:
    token = session.cookies.get("_xsrf", path=f"/user/{name}/") or session.cookies.get("_xsrf")
    return {"X-XSRFToken": token} if token else {}


def open_module(
    url: str, session: requests.Session, name: str, course_id: str, landing_kernel: str | None, deadline: float
) -> tuple[str, list[str]]:
    """Leave the landing page (Voilà's kernel shutdown) and open the module app; its kernel id."""
    notes = []
    if landing_kernel:  # what Voilà's page does on beforeunload
        shutdown = session.post(
            f"{url}/user/{name}/voila/api/shutdown/{landing_kernel}",
            headers=_xsrf_header(session, name),
            timeout=left(deadline),
        )
        if shutdown.status_code != 204:
            notes.append(f"landing page kernel not shut down ({shutdown.status_code})")
    status, text = _page(session, f"{url}/user/{name}/voila/render/{course_id}/{MODULE}/{MODULE}.ipynb", deadline)
    if status != 200:
        raise StepFailed(f"the module page answered {status}")
    kernel = _kernel_id(text)
    if not kernel:
        raise StepFailed("no kernel id in the module page")
    return kernel, notes
