"""The local spawner: one process per person, learners locked to Voilà.

All single-user servers run as the same OS user (the one running the hub), each
with its own home ``<hub dir>/hem/<username>``. On one machine for one study
circle that is acceptable: learners cannot run code (no terminal, no JupyterLab,
no execute requests: see :mod:`grading.hub.lockdown`), so they cannot use the
shared OS user. At scale, Kubernetes (KubeSpawner) gives every person a pod of
their own and isolates at the OS level.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Unicode

from .accounts import AccountStore

__all__ = ["CirkelSpawner", "LEARNER_ARGS", "LEARNER_CONFIG"]

#: the learner's server configuration (no JupyterLab, no terminal, widgets only), as a file
#: because a dict of extensions does not survive the command line
LEARNER_CONFIG = Path(__file__).with_name("learner_server_config.py")
LEARNER_ARGS = [f"--config={LEARNER_CONFIG}"]


class CirkelSpawner(SimpleLocalProcessSpawner):
    """Starts ``jupyterhub-singleuser`` as a course leader's JupyterLab or a learner's Voilà."""

    accounts_file = Unicode(help="SQLite file with the accounts; says who is a learner.").tag(config=True)

    def _account(self):
        return AccountStore(self.accounts_file).get(self.user.name)

    async def start(self):
        account = self._account()
        role = account.role if account else "deltagare"  # unknown: the safest role
        if role == "deltagare":
            self.default_url = "/voila/tree"
            self.notebook_dir = ""
        else:
            self.default_url = "/lab"
            run_dir = account.run_dir if account else ""
            self.notebook_dir = run_dir if run_dir and Path(run_dir).is_dir() else ""
        self._cirkel_role = role
        return await super().start()

    def get_args(self):
        args = super().get_args()
        if getattr(self, "_cirkel_role", "deltagare") == "deltagare":
            args += LEARNER_ARGS
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        return args

    def get_env(self):
        env = super().get_env()
        # the venv's bin first: nbgrader calls `alembic`, and the server must find our packages
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", os.defpath)])
        return env
