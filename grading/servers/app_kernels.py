"""Voilà app kernels start without an IPython history database.

IPython keeps every kernel's executed code in ``~/.ipython/profile_default/history.sqlite``, with
a thread of its own that writes it. An app's kernel runs only the app's own cells, so the history
was never read, and each kernel on the hub created or opened it in the learner's home with some
ten synced writes at its start. nbclient gives the kernels it starts ``:memory:`` for the same
reason (``NotebookClient.ipython_hist_file``); Voilà starts its kernels through the server's
kernel manager, which does not. A leader's JupyterLab kernels keep their history.
"""

from __future__ import annotations

from typing import Any

__all__ = ["APP_KERNEL_ARGUMENTS", "AppKernelArguments"]

#: what every Voilà app kernel is started with: IPython's history in memory (no file, no thread)
APP_KERNEL_ARGUMENTS = ("--HistoryManager.hist_file=:memory:",)


class AppKernelArguments:
    """Mixin for a kernel manager: an app kernel (its environment says ``VOILA_PREHEAT``) gets :data:`APP_KERNEL_ARGUMENTS`.

    ``pre_start_kernel`` is where a multi-kernel manager turns a start's arguments into the kernel's
    command line, for a page's kernel and a preheated pool kernel alike (Voilà starts the latter
    past the kernel manager's own ``start_kernel``).
    """

    def pre_start_kernel(self, kernel_name: str | None, kwargs: dict[str, Any]) -> Any:
        if "VOILA_PREHEAT" in (kwargs.get("env") or {}):
            given = list(kwargs.get("extra_arguments") or [])
            kwargs["extra_arguments"] = [*given, *(a for a in APP_KERNEL_ARGUMENTS if a not in given)]
        return super().pre_start_kernel(kernel_name, kwargs)  # type: ignore[misc]  # a mixin's next class
