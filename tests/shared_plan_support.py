"""The shared plan's devices for its tests (``tests/nbgrader/test_shared_plan*.py``): plan pages on
the run's one live database, each as a person's own device, and a clock that moves only when the test says so."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from voila_apps.live.shared_plan import SharedPlanBuilder, find_prompts
from widgets.storage.shared_plan import SharedPlanStore

from circle_run import PEOPLE

REPO = Path(__file__).resolve().parents[1]
LEDARSKAP = REPO / "courses" / "ledarskap"


class Clock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def pause(self, seconds: float = 2.0) -> None:
        self.now += seconds


def tick(clock: Clock, *pages: SharedPlanBuilder) -> None:
    """Everyone pauses typing, then every page's timer fires."""
    clock.pause()
    for page in pages:
        page.refresh()


def goal_texts(page: SharedPlanBuilder) -> list[str]:
    return [row.controls["text"].value for row in page.goal_rows()]


_circles = iter(range(1, 10_000))


def new_circle_id() -> str:
    """A plan of the test's own: the run (and its database) is shared by a test file."""
    return f"plan-{next(_circles)}"


def open_pages(run_dir: Path, circle_id: str, clock: Clock) -> Iterator[Callable[[str], SharedPlanBuilder]]:
    """The body of the ``device`` fixture: ``device(person)`` opens a plan page on ``person``'s own device."""
    prompts = find_prompts(run_dir)
    made: list[SharedPlanBuilder] = []

    def open_page(person: str) -> SharedPlanBuilder:
        page = SharedPlanBuilder(
            SharedPlanStore(run_dir, circle_id), prompts, person, names=PEOPLE, poll_interval=None, clock=clock
        )
        made.append(page)
        return page

    yield open_page
    for page in made:
        page.close()
