"""Preheated Voilà kernels for the apps learners open most, and the handover to the learner.

Voilà 0.5 preheats kernels only in its standalone app: a pool of kernels per
notebook, each of which has already run the notebook, so a request is answered
with a page that is drawn at once (``voila.voila_kernel_manager``). Cirkel's
learners are served by a Jupyter server with Voilà as a server extension
(``cirkel serve``, the learners' servers on the hub), whose handler uses a pool
whenever the server's kernel manager has one. :class:`PreheatKernelManager` is
that kernel manager: Voilà's own pooling class on jupyter_server's kernel
manager, with pools only for the notebooks named by configuration (glob
patterns below the server root, a pool per notebook path) and a cap on how
many kernels wait in all pools together. Voilà refills a pool after use.

A kernel preheated at 8:00 shows the answers as they were at 8:00. So when
Voilà hands a pool kernel to a request, the manager first runs
:func:`handover` in that kernel, and only then is the page sent: every exercise
reads its answers from the store again (``Exercise.reload``), "Mina moduler"
reads the learner's modules again, and the request's address is put in the
kernel's environment as Voilà's cold start does. The answers come from the
store beside the notebook, in the kernel's working directory: a pool belongs to
one notebook path, inside one learner's workspace, so a preheated kernel never
holds another learner's answers.

This module is imported in two places: by the server (``PreheatKernelManager``,
built on first use so the kernel side never imports jupyter_server or Voilà)
and in the learner's kernel (:func:`handover`, standard library only).

Configuration (command line or a Jupyter config file), e.g.::

    c.ServerApp.kernel_manager_class = "grading.servers.preheat.PreheatKernelManager"
    c.PreheatKernelManager.preheat_notebooks = ["mina-moduler.ipynb", "*/*/*.ipynb"]
    c.PreheatKernelManager.pool_size = 1
    c.PreheatKernelManager.max_kernels = 2
    c.PreheatKernelManager.fill_delay = 5.0  # seconds after a handover before the pool is refilled
    c.PreheatKernelManager.refill = True  # False: each pool is used once (a learner's landing page)
    c.PreheatKernelManager.next_module_after = "mina-moduler.ipynb"  # then her next module, 2 s later
"""

from __future__ import annotations

import os
import sys
from typing import Any
from urllib.parse import urlsplit

__all__ = ["PreheatKernelManager", "handover", "HANDOVER_CODE", "DEFAULT_MAX_KERNELS"]  # noqa: F822 (lazy, below)


def handover(request_url: str = "") -> int:
    """In a preheated kernel given to a learner's request: show what the store holds now.

    Puts the request's address in the environment as Voilà does for a cold
    start (``SCRIPT_NAME``, ``QUERY_STRING``, ``VOILA_REQUEST_URL``), reloads
    every exercise widget from the answer store and refreshes "Mina moduler".
    Only modules already imported are looked at, so a notebook without
    widgets imports nothing here. Returns how many widgets were brought up to date.
    """
    if request_url:
        address = urlsplit(request_url)
        os.environ["VOILA_REQUEST_URL"] = request_url
        os.environ["SCRIPT_NAME"] = address.path
        os.environ["QUERY_STRING"] = address.query
    widget_module = sys.modules.get("ipywidgets.widgets.widget")
    if widget_module is None:
        return 0
    exercise_module = sys.modules.get("widgets.kit.exercise")
    home_module = sys.modules.get("widgets.pages.home")
    refreshed = 0
    for widget in list(getattr(widget_module, "_instances", {}).values()):
        if exercise_module is not None and isinstance(widget, exercise_module.Exercise):
            widget.reload()
            refreshed += 1
        elif home_module is not None and isinstance(widget, home_module.HomeApp):
            widget.script_name = os.environ.get("SCRIPT_NAME", "")
            widget.refresh()
            refreshed += 1
    return refreshed


def __getattr__(name: str) -> Any:
    # The kernel manager is built on first use: the learner's kernel imports this module
    # for ``handover`` and must not pull in jupyter_server and Voilà with it.
    # The server side's settings live with it (``_preheat_manager`` never imports this module back).
    if name in ("PreheatKernelManager", "DEFAULT_MAX_KERNELS", "HANDOVER_CODE"):
        from grading.servers import preheat_manager as _preheat_manager

        return getattr(_preheat_manager, name)
    raise AttributeError(f"module 'grading.servers.preheat' has no attribute {name!r}")
