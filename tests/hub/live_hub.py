"""A hub with two study circles, for the live apps' browser tests (several people at once).

The run is the real course with every module released and fetched into the
learners' hub homes (``grading.hub.demo.build_hub_demo``); the circles are made
with the run's own circle store; every person has chosen their own password,
so a browser context gets the cookies of a real login and goes straight to
work. Each person is a Chromium context of their own: a phone, a laptop, the
big screen.

The run's circles, live stores, access log and gradebook are on PostgreSQL (moved there
before the hub starts, as ``cirkel run move-store`` does), so the group quiz on phones,
talarstatistik and the shared plan from several browsers run on it; ``make run`` and the
store tests keep SQLite's path covered.

People: course leader ``kim``; ``cirkel-a`` ("Cirkel A"): cirkelledare ``lena``,
members ``anna``, ``bertil``, ``cilla``; ``cirkel-b`` ("Cirkel B"): cirkelledare
``olle``, members ``pia``, ``qasim``.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from grading.circles.store import CircleStore
from grading.course_runs.run import CourseRun
from grading.hub.accounts import AccountStore
from grading.hub.config import accounts_file
from grading.hub.demo import build_hub_demo
from grading.hub.runs import live_service_name
from grading.servers.serve import Learner

from hub_process import Hub, running_hub

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_harness import CHROMIUM, CHROMIUM_ARGS, CONTEXT_OPTIONS, PAGE_TIMEOUT_MS  # noqa: E402

__all__ = ["LEADER", "CIRCLES", "LiveHub", "live_hub", "button", "no_horizontal_scroll"]

LEADER = "kim"
#: circle id -> (name, cirkelledare, members other than the leader)
CIRCLES = {
    "cirkel-a": ("Cirkel A", "lena", ("anna", "bertil", "cilla")),
    "cirkel-b": ("Cirkel B", "olle", ("pia", "qasim")),
}
LEARNERS = tuple(
    Learner(name, name.capitalize()) for _, leader, members in CIRCLES.values() for name in (leader, *members)
)


@dataclass
class LiveHub:
    """A running hub with a course run, its circles and everyone logged in once."""

    hub: Hub
    course_run: CourseRun
    _sessions: dict[str, object] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.hub.url

    @property
    def run_dir(self) -> Path:
        return Path(self.course_run.root)

    @property
    def course_id(self) -> str:
        return self.course_run.course_id

    def app_url(self, notebook: str, **query: object) -> str:
        """The address of a live app in the run's live service, with its parameters."""
        address = f"{self.url}/services/{live_service_name(self.course_id)}/voila/render/{notebook}"
        return f"{address}?{urlencode(query)}" if query else address

    def browser(self, playwright):
        """Debian's Chromium, not persistent: many contexts, one per person."""
        return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)

    def context(self, browser, name: str, *, phone: bool = False):
        """A fresh context logged in as ``name`` (the cookies of a real login through the form)."""
        session = self._sessions.get(name) or self.hub.logged_in(name)
        self._sessions[name] = session
        host = urlsplit(self.url).hostname
        viewport = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 800}
        context = browser.new_context(**CONTEXT_OPTIONS, viewport=viewport, has_touch=phone)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        context.add_cookies(
            [
                {"name": cookie.name, "value": cookie.value, "domain": host, "path": cookie.path or "/"}
                for cookie in session.cookies
            ]
        )
        return context


@contextlib.contextmanager
def live_hub(folder: Path, store_url: str | None = None, gradebook_url: str | None = None) -> Iterator[LiveHub]:
    """Build the run and circles in ``folder``, start the hub, log everyone in; stop it after.

    With ``store_url`` the run is moved there once its circles exist (``cirkel run
    move-store``'s ``grading.personal_data.store_move``: circles, live stores, access log; the gradebook
    to ``gradebook_url``), so every live app on this hub works on PostgreSQL.
    """
    course_run = build_hub_demo(folder, folder / "omgang", LEARNERS)
    store = AccountStore(accounts_file(folder))
    run_dir = str(course_run.root)
    passwords = {LEADER: store.create(LEADER, "kursledare", course_run.course_id, run_dir)}
    for learner in LEARNERS:
        passwords[learner.student_id] = store.create(learner.student_id, "deltagare", course_run.course_id, run_dir)
    circles = CircleStore(course_run)
    for circle_id, (name, leader, members) in CIRCLES.items():
        circles.create_circle(circle_id, name, leader, members)
    if store_url:
        from grading.personal_data.store_move import move_run

        move_run(course_run, store_url, gradebook_url)  # refuses, naming the table, if a row is lost
        course_run = CourseRun(course_run.root)
    with running_hub(folder) as url:
        hub = Hub(url, passwords, folder)
        live = LiveHub(hub, course_run)
        for person in passwords:
            live._sessions[person] = hub.logged_in(person)
        yield live


def button(page, name: str):
    """The button a person would find by its name."""
    return page.get_by_role("button", name=name, exact=True)


def no_horizontal_scroll(page, within: str | None = None) -> bool:
    """Nothing wider than the phone: the page does not scroll sideways (and nothing sticks out of ``within``)."""
    return page.evaluate(
        """(within) => {
        if (document.documentElement.scrollWidth > window.innerWidth + 1) return false;
        if (!within) return true;
        const app = document.querySelector(within);
        const right = app.getBoundingClientRect().right;
        return [...app.querySelectorAll('*')].every(el => el.getBoundingClientRect().right <= right + 1);
    }""",
        within,
    )


def close_with_goodbye(context) -> None:
    """Close a browser context as a person closes their tabs: each page says goodbye, so its kernel ends.

    The live service counts each person's open pages (``grading.servers.kernel_cap``, five at most), and
    the tests on the shared hub open pages for the same people one after another; a context
    closed without a goodbye would leave its kernels counted until they are culled.
    """
    for page in list(context.pages):
        with contextlib.suppress(Exception):  # a page already gone
            page.close(run_before_unload=True)
    time.sleep(1)  # each goodbye is a request of its own
    context.close()
