"""Cirkel's Voilà settings, one place for every Jupyter server that renders the apps.

Every server that renders the apps loads a config file that calls :func:`apply`: the learners'
servers, the course runs' services, the Kubernetes image, and ``cirkel serve`` without the hub
(``grading/servers/serve_config.py``, which its command line names with ``--config``).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "apply",
    "preheat",
    "CELL_SECONDS",
    "KERNEL_START_SECONDS",
    "LEARNER_PREHEAT",
    "LEARNER_MAX_KERNELS",
    "LEARNER_REFILL",
    "LEARNER_NEXT_AFTER",
]

#: What a learner's own server preheats: "Mina moduler", the page every learner lands on right after
#: the spawn. A pool kernel for it starts with the server and is handed over a second later, once,
#: so the landing page skips most of a kernel's start. The modules get no pool of their own: which one
#: a learner opens is theirs to choose (the first by name was preheated at every login before, and
#: opened only at the first meeting). Instead, two seconds after her landing page was handed over,
#: the module she will most likely open next (the first she has begun, else the first not begun) is
#: preheated (:data:`LEARNER_NEXT_AFTER`): opened before its kernel starts, it starts cold as before;
#: a page of another module drops the guess and its kernel. ``benchmarks/learner_preheat.py`` measures it.
LEARNER_PREHEAT = ("mina-moduler.ipynb",)
#: The landing page after whose handover her next module is preheated.
LEARNER_NEXT_AFTER = LEARNER_PREHEAT[0]
#: Preheated kernels waiting in one learner's server (the landing page's).
LEARNER_MAX_KERNELS = 1
#: Seconds one cell of an app may run before Voilà stops the page there (nbclient's default: no limit).
#: A module's cells each take well under a second; 120 leaves room for a server that 30 learners load.
CELL_SECONDS = 120
#: Seconds a page's kernel may take to answer after its start (Voilà's default: 60). Unloaded it answers in
#: one or two; a server that a circle logs in to at once, or a test suite, can hold it back far longer.
KERNEL_START_SECONDS = 120
#: No replacement after the handover: a second one would wait, unused, at some 60-80 MB for every
#: learner logged in until their server stops; a return to "Mina moduler" starts a kernel then.
LEARNER_REFILL = False


def apply(c: Any, *, lab: bool = False) -> None:
    """Cirkel's template and string filter, sources stripped, no tracebacks, only safe static files, CSP.

    The template folder must be on ``JUPYTER_PATH`` (the spawner and the services put it there).
    ``lab``: the server also serves JupyterLab (``cirkel serve``: formgrader, the leader's notebooks),
    whose pages need a wider Content-Security-Policy (``grading.servers.csp``).
    """
    from grading.servers.csp import apply_server
    from grading.servers.serve import TEMPLATE_NAME, VOILA_EXTENSION_DENYLIST
    from grading.servers.template_cache import EXPORTER_FILTERS
    from widgets.storage.submission import FEEDBACK_ALLOWLIST

    c.VoilaConfiguration.template = TEMPLATE_NAME
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    # pictures, and the feedback nbgrader's fetch_feedback puts in the learner's folder
    c.VoilaConfiguration.file_allowlist = [r".*\.(png|jpg|gif|svg)", FEEDBACK_ALLOWLIST]
    c.VoilaExporter.filters = dict(EXPORTER_FILTERS)
    c.VoilaConfiguration.extension_denylist = list(VOILA_EXTENSION_DENYLIST)
    # no MathJax on the pages (the courses have no mathematics), and no plugin failing for the want of it
    from grading.servers.no_math import no_math

    c.VoilaConfiguration.page_config_hook = no_math
    # Cirkel's Content-Security-Policy on every page and file the server sends
    apply_server(c, lab=lab)
    # a cell that never ends (a kernel stuck on a lock, a lost reply) ends the page with app.cell_error
    c.VoilaExecutor.timeout = CELL_SECONDS
    # a kernel slow to start on a busy server is waited for longer than Voilà's 60 s before the page gives up
    c.VoilaExecutor.startup_timeout = KERNEL_START_SECONDS
    # a page whose kernel dies before its first cell ends with the same sentence, not a spinner for ever
    from grading.servers.page_render import install

    install()
    # the page's goodbye (its kernel shut when she leaves) is accepted without the hub too
    from grading.servers.page_goodbye import install as accept_goodbyes

    accept_goodbyes()
    if not lab:
        # no notebook signatures on disk: an app server has no untrusted output to show, and each page
        # it opened wrote nbsignatures.db in the learner's home with synced commits (JupyterLab keeps it)
        c.NotebookNotary.db_file = ":memory:"
    # kernel messages' dates read by the standard library (a tenth of a learner's server CPU)
    from grading.servers.message_dates import install as read_dates_fast

    read_dates_fast()
    # the accessibility statement that every app's footer links to, and the widgets' front-end files kept
    # by the browser for good, as JupyterLab keeps them (named by their hash): server extensions
    from grading.servers import asset_cache, statement_server

    extensions = dict(c.ServerApp.get("jpserver_extensions") or {})
    c.ServerApp.jpserver_extensions = extensions | {statement_server.EXTENSION: True, asset_cache.EXTENSION: True}


def preheat(
    c: Any,
    notebooks: tuple[str, ...] = LEARNER_PREHEAT,
    *,
    pool_size: int = 1,
    max_kernels: int = LEARNER_MAX_KERNELS,
    refill: bool = LEARNER_REFILL,
    next_after: str = LEARNER_NEXT_AFTER,
) -> None:
    """Preheated Voilà kernels for ``notebooks`` (glob patterns below the server's root).

    Only for servers whose apps run without Voilà's ``prelaunch_hook`` (the learners'
    own servers): the two do not go together. See ``grading.servers.preheat``. ``next_after``:
    the notebook after whose handover her next module is preheated (empty: none).
    """
    c.ServerApp.kernel_manager_class = "grading.servers.preheat.PreheatKernelManager"
    c.PreheatKernelManager.preheat_notebooks = list(notebooks)
    c.PreheatKernelManager.pool_size = pool_size
    c.PreheatKernelManager.max_kernels = max_kernels
    c.PreheatKernelManager.refill = refill
    if next_after:
        c.PreheatKernelManager.next_module_after = next_after
