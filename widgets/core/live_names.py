"""The names the live apps are known by: guests' hub names, the live service, the apps' addresses.

Pure string rules with no imports of their own, so that the hub (``grading.hub``), a learner's
home page (``widgets.pages.home``) and the live tools (``voila_apps.live``) share them without the
lower layers importing the apps.
"""

from __future__ import annotations

__all__ = ["GUEST_PREFIX", "LIVE_APPS", "is_guest", "live_app_links", "live_service_name"]

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
