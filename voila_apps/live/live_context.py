"""Who is using a live app, in which course run and study circle.

The live apps (group quiz, live talarstatistik, shared plan) run in a course
run's "samverkan" service: one Jupyter server for everyone in the run, so the
kernel learns who opened the page from ``CIRKEL_VIEWER`` (set by the hub's
Voilà prelaunch hook), the run from ``CIRKEL_RUN``, the run's course leaders
from ``CIRKEL_RUN_LEADERS``, and the page's address parameters from Voilà's
``QUERY_STRING``. A guest who joined with a short code is a hub user named
``gast-...``; they may see only the session their code opened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from grading.access_log import current_viewer
from grading.circles import Circle, CircleStore

__all__ = ["GUEST_PREFIX", "LiveContext", "current_context", "is_guest", "live_service_name", "live_app_links"]

#: hub usernames of people who joined with a code (no account of their own)
GUEST_PREFIX = "gast-"
#: the live apps a circle opens, in the order a learner's home lists them: (notebook, string key)
LIVE_APPS = (
    ("gruppquiz.ipynb", "home.live.quiz"),
    ("talarstatistik.ipynb", "home.live.speakers"),
    ("plan.ipynb", "home.live.plan"),
)


def live_service_name(course_id: str) -> str:
    """The hub service of a course run's live apps."""
    return f"{course_id}-samverkan"


def live_app_links(hub_base_url: str, course_id: str) -> list[tuple[str, str]]:
    """(address, string key) of each live app of a run, below the hub's base URL."""
    base = hub_base_url.rstrip("/") + f"/services/{live_service_name(course_id)}/voila/render/"
    return [(base + notebook, key) for notebook, key in LIVE_APPS]


def is_guest(name: str) -> bool:
    """Whether ``name`` is a guest who joined with a code."""
    return name.startswith(GUEST_PREFIX)


@dataclass(frozen=True)
class LiveContext:
    """The person, the course run and the page parameters of one live app's kernel."""

    run_dir: Path
    viewer: str
    leaders: frozenset[str] = frozenset()
    query: dict[str, str] = field(default_factory=dict)

    @property
    def is_run_leader(self) -> bool:
        """A course leader of this run: may open sessions for every circle."""
        return self.viewer in self.leaders

    @property
    def is_guest(self) -> bool:
        return is_guest(self.viewer)

    def circles(self) -> list[Circle]:
        """The circles this person belongs to (all of them for a course leader; none for a guest)."""
        if self.is_guest:
            return []
        circles = CircleStore(self.run_dir).circles()
        if self.is_run_leader:
            return circles
        return [c for c in circles if self.viewer in c.members or self.viewer == c.leader_id]

    def led_circles(self) -> list[Circle]:
        """The circles this person may lead a session in: as their cirkelledare, or as course leader."""
        if self.is_guest:
            return []
        circles = CircleStore(self.run_dir).circles()
        return circles if self.is_run_leader else [c for c in circles if c.leader_id == self.viewer]

    def display_name(self, person_id: str) -> str:
        """A learner's display name from the circles' roster, else the id itself."""
        return CircleStore(self.run_dir).display_names([person_id]).get(person_id) or person_id


def current_context() -> LiveContext:
    """The context of the running kernel (read from its environment)."""
    leaders = frozenset(filter(None, (name.strip() for name in os.environ.get("CIRKEL_RUN_LEADERS", "").split(","))))
    return LiveContext(
        run_dir=Path(os.environ.get("CIRKEL_RUN") or os.getcwd()),
        viewer=current_viewer(),
        leaders=leaders,
        query=dict(parse_qsl(os.environ.get("QUERY_STRING", ""))),
    )
