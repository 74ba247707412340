"""Who is using a live app, in which course run and study circle.

The live apps (group quiz, live talarstatistik, shared plan) run in a course
run's "samverkan" service: one Jupyter server for everyone in the run, so the
kernel learns who opened the page from the ``viewer`` setting (set by the hub's
Voilà prelaunch hook), the run from ``run``, the run's course leaders from
``run_leaders`` (:mod:`widgets.core.settings`, all in its environment), and the page's address parameters from Voilà's
``QUERY_STRING``. A guest who joined with a short code is a hub user named
``gast-...``; they may see only the session their code opened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from grading.circles.store import Circle, CircleStore
from grading.course_runs.access_log import current_viewer
from widgets.core.live_names import GUEST_PREFIX, LIVE_APPS, is_guest, live_app_links, live_service_name
from widgets.core.settings import cirkel_settings

# the naming rules live in widgets.core.live_names (the hub and the learner's home need them too); kept importable here
__all__ = [
    "GUEST_PREFIX",
    "LIVE_APPS",
    "LiveContext",
    "current_context",
    "is_guest",
    "live_service_name",
    "live_app_links",
]


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
    settings = cirkel_settings()
    return LiveContext(
        run_dir=Path(settings.run or os.getcwd()),
        viewer=current_viewer(),
        leaders=frozenset(settings.run_leaders),
        query=dict(parse_qsl(os.environ.get("QUERY_STRING", ""))),
    )
