"""Screenshots of every module of every course at 320 and 1280 px, and a count of layout problems.

``make screenshots`` (or ``python tests/screenshots.py``) builds a course run of
each course in a temporary folder, serves it as ``make run``'s plain server
does, opens each module in Debian's Chromium as a learner and writes
``docs/screenshots/<course>-<module>-<width>.png``: the exercises, from the
"Övningar" heading down, cut at ``MAX_HEIGHT`` CSS px so the files stay small. ``--measure`` also prints the
layout problems ``tests/page_layout.py`` finds on each page at 320, 390, 768
and 1280 px (the learner's home and the course leader's apps too), and
``--no-shots`` skips the pictures.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE / "browser")]

from grading.circles.store import CircleStore  # noqa: E402
from grading.servers.serve import Learner, build_demo_run, home_path, running_server  # noqa: E402
from widgets.core.i18n import t, yaml_data  # noqa: E402

from browser_harness import launch_chromium, open_app  # noqa: E402
from page_layout import WIDTHS, problems_at_widths  # noqa: E402

REPO = HERE.parent
COURSES = REPO / "courses"
OUT = REPO / "docs" / "screenshots"
SHOT_WIDTHS = (320, 1280)
#: the pictures show the exercises, from the "Övningar" heading down, this high at most (CSS px)
MAX_HEIGHT = {320: 4000, 1280: 2400}
LEARNER = Learner("cecilia", "Cecilia")
READY = ".cirkel-submit-button"  # the last widget on a module page
#: the course leader's apps in <run>/appar and what shows each is drawn
LEADER_APPS = {
    "oversikt.ipynb": "table.cirkel-dashboard-table",
    "narvaro.ipynb": ".cirkel-attendance-circle select",
    "rapport.ipynb": "table.cirkel-report-table",
}


def courses() -> list[tuple[str, list[str]]]:
    """Each course's folder name and its modules, as course.yml lists them."""
    found = []
    for spec in sorted(COURSES.glob("*/course.yml")):
        found.append((spec.parent.name, list(yaml_data(spec.read_text(encoding="utf-8"))["modules"])))
    return found


def shoot(page: Page, path: Path, width: int) -> None:
    """The exercises at ``width`` CSS px, from the "Övningar" heading down, at most ``MAX_HEIGHT[width]`` high.

    The exercises are where a layout breaks (the text above them is plain prose);
    a page without that heading is shot from the top.
    """
    page.set_viewport_size({"width": width, "height": 800})
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    top = page.evaluate(
        """(name) => {
            const heading = [...document.querySelectorAll('#rendered_cells h2')]
                .find((h) => h.textContent.replace(/\u00b6/g, '').trim() === name);
            return heading ? Math.max(0, heading.getBoundingClientRect().top + window.scrollY - 16) : 0;
        }""",
        t("build.exercises", lang="sv"),
    )
    height = min(page.evaluate("() => document.documentElement.scrollHeight") - top, MAX_HEIGHT[width])
    page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": top, "width": width, "height": height})


def pages(page: Page, workdir: Path, with_apps: bool) -> Iterator[tuple[str, str]]:
    """Open each page in turn; yields (its name, course) once it is drawn."""
    for course, modules in courses():
        run = build_demo_run(workdir / course, course_dir=COURSES / course, learners=(LEARNER,))
        with running_server(run.root, log_path=workdir / f"{course}.log") as server:
            wanted = [(module, run.notebook_path(LEARNER.student_id, module), READY) for module in modules]
            if with_apps and course == "partiforeningsskola":
                # a circle with a meeting, so the attendance app has its tables to show
                circles = CircleStore(run)
                circles.create_circle("skarmbild", "Cirkeln i Malmö", LEARNER.student_id, [])
                circles.add_meeting("skarmbild", "2026-11-24", "18:00", "20:30", break_minutes=15)
                wanted.append(("mina-moduler", home_path(run, LEARNER.student_id), "table.cirkel-home-table"))
                wanted += [(app.removesuffix(".ipynb"), f"appar/{app}", ready) for app, ready in LEADER_APPS.items()]
            for name, notebook, ready in wanted:
                try:
                    open_app(page, server.voila_url(notebook), ready)
                except PlaywrightError as exc:  # a busy machine: say so and go on with the next page
                    print(f"{course}/{name}: not drawn ({str(exc).splitlines()[0]})", flush=True)
                    continue
                yield name, course


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNG files go")
    parser.add_argument("--measure", action="store_true", help="print the layout problems at each width")
    parser.add_argument("--no-shots", action="store_true", help="no pictures (with --measure)")
    parser.add_argument("--verbose", action="store_true", help="print every problem, not only the counts")
    parser.add_argument("--workdir", type=Path, help="keep the course runs and server logs here")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    totals = dict.fromkeys(WIDTHS, 0)
    sideways = dict.fromkeys(WIDTHS, 0)
    count = 0
    with contextlib.ExitStack() as stack:
        folder = args.workdir or stack.enter_context(tempfile.TemporaryDirectory(prefix="cirkel-skarmbilder-"))
        playwright = stack.enter_context(sync_playwright())
        context = launch_chromium(playwright, Path(folder) / "profil")
        page = context.new_page()
        for name, course in pages(page, Path(folder), with_apps=args.measure):
            count += 1
            is_module = f"{name}.ipynb" not in LEADER_APPS and name != "mina-moduler"
            if args.measure:
                found = problems_at_widths(page)
                line = []
                for width, problems in found.items():
                    totals[width] += len(problems)
                    sideways[width] += any(p.startswith("page scrolls sideways") for p in problems)
                    line.append(f"{width}: {len(problems)}")
                print(f"{course}/{name}: " + ", ".join(line), flush=True)
                if args.verbose:
                    for width, problems in found.items():
                        for problem in problems:
                            print(f"    [{width}] {problem}")
            if not args.no_shots and is_module:
                for width in SHOT_WIDTHS:
                    path = args.out / f"{course}-{name}-{width}.png"
                    shoot(page, path, width)
                    print(f"{path} ({path.stat().st_size // 1024} kB)", flush=True)
        context.close()
    if args.measure:
        print(f"{count} pages; problems per width: " + ", ".join(f"{w} px: {n}" for w, n in totals.items()))
        print("pages scrolling sideways: " + ", ".join(f"{w} px: {n}" for w, n in sideways.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
