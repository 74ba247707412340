"""The learner's home, "Mina moduler": every fetched module with its state and links.

The learner's side cannot read the gradebook, so each module's state comes
from the learner's own workspace (``<workspace>/<course_id>/<module>/``), with
the same four states as the course leader's report (``grading.reports.completion``):

- ``rattad`` (graded): nbgrader's feedback is in ``<module>/feedback/<timestamp>/``
  (``fetch_feedback`` puts it there; the home fetches it on each refresh);
- ``inlamnad`` (submitted): nbgrader's submission record is in the exchange
  cache, ``<workspace>/.nbgrader-cache/<course_id>/<student>+<module>+<timestamp>``;
- ``paborjad`` (started): answers saved in ``<module>/svar/*.json``;
- ``ej_paborjad`` (not started): none of these.

Links are computed from the Voilà request (``SCRIPT_NAME``), so they work below
any base URL (``/`` on one machine, ``/user/<name>/`` on the hub). Feedback
HTML is a static file that Voilà serves only when ``VoilaConfiguration.file_allowlist``
lets it through: see :data:`FEEDBACK_ALLOWLIST`.
"""

from __future__ import annotations

import datetime as _dt
import os
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import quote

from traitlets import Unicode

from widgets.core.formats import format_datetime, format_time
from widgets.core.i18n import t
from widgets.core.safe_text import text_html
from widgets.kit import controls as ui
from widgets.kit.table_region import table_region
from widgets.storage.feedback_points import fetch_module_feedback
from widgets.storage.module_states import STATES, ModuleStatus, module_states, submission_times
from widgets.storage.submission import FEEDBACK_ALLOWLIST, LEARNER_FILE, Learner, SubmitError, find_learner

__all__ = [
    "STATES",
    "FEEDBACK_ALLOWLIST",
    "ModuleStatus",
    "module_states",
    "fetch_feedback",
    "app_links",
    "home_html",
    "other_homes",
    "other_homes_html",
    "HomeApp",
]


def fetch_feedback(learner: Learner) -> None:
    """Fetch released feedback for all the learner's submissions with nbgrader's own exchange.

    Nothing released yet is not an error; a problem with the exchange is left
    for the next refresh (the home still shows what it knows). nbgrader's fetch
    runs (in one child process, :mod:`widgets.storage.exchange_child`) only when
    there is feedback in the exchange and something of the learner's to fetch it for.
    """
    if not (learner.exchange_root / learner.course_id / "feedback").is_dir():
        return
    course = learner.workspace / learner.course_id
    submitted = (
        [p for p in sorted(course.iterdir()) if p.is_dir() and submission_times(learner, p.name)]
        if course.is_dir()
        else []
    )
    if not submitted:
        return

    # nbgrader puts each module's feedback in <course>/<assignment_id>/feedback/; one child fetches all
    fetch_module_feedback(learner, [module_dir.name for module_dir in submitted])


def app_links(script_name: str | None, home_notebook: str) -> tuple[str, str]:
    """The URL prefixes of Voilà's apps and files for paths relative to the workspace.

    Parameters
    ----------
    script_name
        The request path Voilà gives the kernel (``SCRIPT_NAME``), e.g.
        ``/user/anna/voila/render/mina-moduler.ipynb``; ``None`` when unknown.
    home_notebook
        The home notebook's path relative to the workspace (normally its name).

    Returns
    -------
    (render, files)
        Prefixes to which a workspace-relative path is appended. Without a
        request path, render links are relative to the page and files empty.
    """
    depth = len(Path(home_notebook).parent.parts)
    if not script_name or "/voila/render/" not in script_name:
        return ("../" * depth, "")
    base, _, served = script_name.partition("/voila/render/")
    served_dir = posixpath.dirname(served)
    for _ in range(depth):
        served_dir = posixpath.dirname(served_dir)
    render = posixpath.join(base + "/voila/render", served_dir) if served_dir else base + "/voila/render"
    files = posixpath.join(base + "/voila/files", served_dir) if served_dir else base + "/voila/files"
    return (render.rstrip("/") + "/", files.rstrip("/") + "/")


def circle_links_html(course_id: str, hub_base_url: str | None) -> str:
    """Links to the study circle's live apps (on the hub only: they live in the run's service)."""
    if not hub_base_url:
        return ""
    from widgets.core.live_names import live_app_links

    esc = text_html
    code = hub_base_url.rstrip("/") + "/hub/kod"
    items = "".join(
        f'<li><a class="cirkel-home-live" href="{esc(url)}">{esc(t(key))}</a></li>'
        for url, key in live_app_links(hub_base_url, course_id)
    )
    return (
        f'<section class="cirkel-home-circle" aria-labelledby="cirkel-home-circle-h">'
        f'<h2 id="cirkel-home-circle-h">{esc(t("home.live.heading"))}</h2>'
        f'<p>{esc(t("home.live.intro"))} <a href="{esc(code)}">{esc(t("home.live.code"))}</a></p>'
        f"<ul>{items}</ul></section>"
    )


def other_homes(workspace: str | os.PathLike[str], home_notebook: str = "mina-moduler.ipynb") -> list[tuple[str, str]]:
    """Her other runs' homes beside this one, as (path relative to this workspace, course title).

    A learner in two runs whose workspaces are one folder (her home on the hub) has the first
    run's home there and each other run's in ``<home>/<course id>/`` (``grading.course_runs.run.own_workspace``,
    ``grading.hub.k8s_learner.workspaces``). Each lists its own run's modules; this finds the others,
    so that each home links them.
    """
    here = Path(workspace).resolve()
    top = here.parent if (here.parent / LEARNER_FILE).is_file() else here
    found = []
    for folder in [top, *sorted(p for p in top.iterdir() if p.is_dir())] if top.is_dir() else []:
        if folder == here or not (folder / home_notebook).is_file():
            continue
        try:
            other = find_learner(folder)
        except SubmitError:
            continue
        if other.workspace.resolve() == folder:
            relative = posixpath.relpath(folder.as_posix(), here.as_posix())
            found.append(
                (posixpath.normpath(posixpath.join(relative, home_notebook)), other.course_title or other.course_id)
            )
    return found


def other_homes_html(homes: list[tuple[str, str]], render: str) -> str:
    """Links to her other runs' "Mina moduler" (none: nothing)."""
    if not homes:
        return ""
    esc = text_html
    items = "".join(
        f'<li><a class="cirkel-home-other" href="{esc(render + quote(path))}">'
        f"{esc(t('home.other.link', course=title))}</a></li>"
        for path, title in homes
    )
    return (
        '<section class="cirkel-home-others" aria-labelledby="cirkel-home-others-h">'
        f'<h2 id="cirkel-home-others-h">{esc(t("home.other.heading"))}</h2><ul>{items}</ul></section>'
    )


def home_html(learner: Learner, statuses: list[ModuleStatus], render: str, files: str) -> str:
    """The home as HTML: a table with a caption and header cells, or a plain message."""
    esc = text_html
    intro = f"<p>{esc(t('home.intro', course=learner.course_title))}</p>"
    if not statuses:
        return intro + f"<p>{esc(t('home.no_modules'))}</p>"
    rows = []
    for status in statuses:
        link = f'<a class="cirkel-home-open" href="{esc(render + quote(status.notebook))}">{esc(status.title)}</a>'
        when = ""
        if status.submitted_at is not None:
            local = format_datetime(status.submitted_at)  # Stockholm's time, through Babel
            when = f' <span class="cirkel-home-when">{esc(t("home.submitted_at", time=local))}</span>'
        if status.feedback and files:
            feedback = " ".join(
                f'<a class="cirkel-home-feedback" href="{esc(files + quote(path))}" target="_blank" rel="noopener">'
                f"{esc(t('home.read_feedback', module=status.title))}</a>"
                for path in status.feedback
            )
        elif status.feedback:
            feedback = esc(t("home.feedback_no_link"))
        else:
            feedback = ""
        rows.append(
            f'<tr data-module="{esc(status.module)}" data-state="{esc(status.state)}">'
            f'<th scope="row">{link}</th>'
            f'<td><span class="cirkel-state">{esc(status.label)}</span>{when}</td>'
            f"<td>{feedback}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{esc(t(key))}</th>' for key in ("home.col.module", "home.col.state", "home.col.feedback")
    )
    return intro + table_region(
        '<table class="cirkel-home-table">'
        f"<caption>{esc(t('home.caption'))}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        t("home.caption"),
    )


class HomeApp(ui.VBox):
    """ "Mina moduler": the heading, the table of modules, and an "Uppdatera" button.

    It finds the learner from ``.cirkel-deltagare.json`` in ``workspace`` or a
    parent (the working directory by default: the Voilà kernel runs in the home
    notebook's folder), and fetches released feedback on each refresh.
    """

    workspace = Unicode(help="The folder to find the learner from; the working directory by default.")
    script_name = Unicode("", help="The Voilà request path (SCRIPT_NAME), for links below the base URL.")
    home_notebook = Unicode("mina-moduler.ipynb", help="The home notebook's path relative to the learner's workspace.")

    def __init__(
        self, workspace: str | os.PathLike[str] | None = None, *, script_name: str | None = None, **kwargs: Any
    ):
        super().__init__(**kwargs)
        self.workspace = str(workspace or Path.cwd())
        self.script_name = script_name if script_name is not None else os.environ.get("SCRIPT_NAME", "")
        self.add_class("cirkel-home")
        self.heading = ui.HTML(f"<h1>{text_html(t('home.title'))}</h1>")
        self.body = ui.HTML()
        self.body.add_class("cirkel-home-body")
        self.refresh_button = ui.Button(description=t("home.refresh"), button_style="primary")
        self.refresh_button.add_class("cirkel-home-refresh")
        self.refresh_button.on_click(lambda _button: self._refresh_pressed())
        self.updated = ui.live(ui.HTML())  # "Uppdaterad 14:05:09.": there before its text changes
        self.updated.add_class("cirkel-home-updated")
        self.children = [self.heading, self.body, self.refresh_button, self.updated]
        self.refresh()

    def _refresh_pressed(self) -> None:
        """The list is drawn anew above the button: the keyboard stays on the button, said explicitly."""
        self.refresh()
        ui.focus(self.refresh_button)

    def refresh(self) -> list[ModuleStatus]:
        """Fetch feedback, read the states again and redraw; returns the states shown."""
        try:
            learner = find_learner(self.workspace)
        except SubmitError as exc:
            self.body.value = f'<p role="alert">{text_html(exc)}</p>'
            return []
        try:
            fetch_feedback(learner)
        except Exception:  # feedback is fetched again next time; never a traceback
            pass
        try:
            statuses = module_states(learner)
        except OSError as exc:
            self.body.value = f'<p role="alert">{text_html(t("home.failed", reason=exc.strerror or str(exc)))}</p>'
            return []
        render, files = app_links(self.script_name, self.home_notebook)
        self.body.value = (
            home_html(learner, statuses, render, files)
            + other_homes_html(other_homes(learner.workspace, self.home_notebook), render)
            + circle_links_html(learner.course_id, os.environ.get("JUPYTERHUB_BASE_URL"))
        )
        now = format_time(_dt.datetime.now(_dt.UTC), seconds=True)
        self.updated.value = f"<p>{text_html(t('home.updated', time=now))}</p>"
        return statuses
