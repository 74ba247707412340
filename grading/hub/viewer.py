"""Who is looking: the logged-in course leader's name, handed to the app's kernel.

A course run's service is one Jupyter server for all its leaders, so the
kernel of an app (the dashboard, the report) cannot tell from its own
environment who opened it. Voilà's ``prelaunch_hook`` sees the request: it
puts one hidden first cell into the notebook that sets the kernel's ``viewer``
setting (:mod:`widgets.core.settings`, in its environment), which
``grading.course_runs.access_log`` reads when it records who viewed or exported whose data.
"""

from __future__ import annotations

from typing import Any

import nbformat

from grading.course.build import GRADING_TAG
from grading.hub.accounts import USERNAME
from widgets.core.setting_env import VIEWER_ENV

__all__ = ["tell_kernel_the_viewer"]


def _name(user: Any) -> str | None:
    for attribute in ("username", "name"):
        value = getattr(user, attribute, None)
        if isinstance(value, str):
            return value
    return user.get("name") if isinstance(user, dict) else None


def tell_kernel_the_viewer(req_handler: Any, notebook: Any, cwd: str) -> Any:
    """Voilà prelaunch hook: a hidden first cell that sets the kernel's ``viewer`` setting to ``<name>``."""
    name = _name(getattr(req_handler, "current_user", None))
    if not name or not USERNAME.match(name):  # only plain usernames ever reach code
        return notebook
    cell = nbformat.v4.new_code_cell(
        f"import os as _os\n_os.environ[{VIEWER_ENV!r}] = {name!r}\ndel _os",
        metadata={"tags": [GRADING_TAG]},  # executed, never rendered (the cirkel template)
    )
    notebook.cells.insert(0, cell)
    return notebook
