"""The environment variables through which Jupyter hands Cirkel's settings on: each name once, and their one reader.

Cirkel's settings are declared in :mod:`widgets.core.settings` (traitlets traits with their help);
a setting that a server, a kernel or a pod can only be told through its environment (a
spawner's ``environment``, a KubeSpawner pod's ``env``, the kernel's environment inherited
from its server, the hub's own process) takes its default from the variable named here.
This module imports no traitlets, so that ``cirkel --help`` (the string table's language)
and a live app's poll read their setting without it. Nothing else in ``widgets``,
``grading`` or ``voila_apps`` names a ``CIRKEL_`` variable (``tests/unit/test_repo_hygiene.py``):
a writer that passes a setting to a child process uses the name from here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = [
    "LANG_ENV",
    "RUN_ENV",
    "RUN_LEADERS_ENV",
    "VIEWER_ENV",
    "FACIT_ENV",
    "SVAR_DIR_ENV",
    "LIVE_DB_ENV",
    "GRADEBOOK_URL_ENV",
    "ROLE_ENV",
    "LEARNER_ENV",
    "GALLERY_DIR_ENV",
    "COMMITMENTS_ENV",
    "HUB_DIR_ENV",
    "HUB_DB_ENV",
    "KEY_DIR_ENV",
    "KERNEL_ZYGOTE_FD_ENV",
    "EXCHANGE_FD_ENV",
    "ALL_ENV",
    "passed",
]

LANG_ENV = "CIRKEL_LANG"
RUN_ENV = "CIRKEL_RUN"
RUN_LEADERS_ENV = "CIRKEL_RUN_LEADERS"
VIEWER_ENV = "CIRKEL_VIEWER"
FACIT_ENV = "CIRKEL_FACIT"
SVAR_DIR_ENV = "CIRKEL_SVAR_DIR"
LIVE_DB_ENV = "CIRKEL_LIVE_DB"
GRADEBOOK_URL_ENV = "CIRKEL_GRADEBOOK_URL"
ROLE_ENV = "CIRKEL_ROLE"
LEARNER_ENV = "CIRKEL_LEARNER"
GALLERY_DIR_ENV = "CIRKEL_GALLERY_DIR"
COMMITMENTS_ENV = "CIRKEL_COMMITMENTS"
HUB_DIR_ENV = "CIRKEL_HUB_DIR"
HUB_DB_ENV = "CIRKEL_HUB_DB"
KEY_DIR_ENV = "CIRKEL_KEY_DIR"
#: not a setting but a handoff: the socket a learner's server forked by the hub's zygote asks for
#: its kernels on (``grading.servers.forked_kernels``), taken out of the environment at its config
KERNEL_ZYGOTE_FD_ENV = "CIRKEL_KERNEL_ZYGOTE_FD"
#: not a setting but a handoff: the socket a page kernel forked by the hub's zygote asks for its
#: hand-ins on (``widgets.storage.exchange_child``), taken out of the environment at the first
EXCHANGE_FD_ENV = "CIRKEL_EXCHANGE_FD"

#: every variable Cirkel reads (:func:`passed` refuses any other)
ALL_ENV = (
    LANG_ENV,
    RUN_ENV,
    RUN_LEADERS_ENV,
    VIEWER_ENV,
    FACIT_ENV,
    SVAR_DIR_ENV,
    LIVE_DB_ENV,
    GRADEBOOK_URL_ENV,
    ROLE_ENV,
    LEARNER_ENV,
    GALLERY_DIR_ENV,
    COMMITMENTS_ENV,
    HUB_DIR_ENV,
    HUB_DB_ENV,
    KEY_DIR_ENV,
)


def passed(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The value handed on in ``name`` (of ``environ``, by default this process's), stripped; ``None`` when unset or empty."""
    if name not in ALL_ENV:
        raise KeyError(name)  # a variable nobody declared is a bug, not a setting
    value = (os.environ if environ is None else environ).get(name, "").strip()
    return value or None
