"""The local spawner: one process per person, learners locked to Voilà.

All single-user servers run as the same OS user (the one running the hub), each
with its own home ``<hub dir>/hem/<username>``. On one machine for one study
circle that is acceptable: learners cannot run code (no terminal, no JupyterLab,
no execute requests: see :mod:`grading.hub.lockdown`), so they cannot use the
shared OS user. At scale, Kubernetes (KubeSpawner) gives every person a pod of
their own and isolates at the OS level.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import sys
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner
from jupyterhub.utils import random_port
from traitlets import Bool, Unicode

from grading.course_runs.answer_keys import keys_env
from grading.hub import server_zygote
from grading.hub.accounts import AccountStore
from grading.servers.kernel_limits import cull_arguments

__all__ = [
    "CirkelSpawner",
    "HOME_APP",
    "LEARNER_ARGS",
    "LEARNER_CONFIG",
    "LEADER_ARGS",
    "LEADER_CONFIG",
    "term_for_int",
]

#: the learner's server configuration (no JupyterLab, no terminal, widgets only), as a file
#: because a dict of extensions does not survive the command line
LEARNER_CONFIG = Path(__file__).with_name("learner_server_config.py")
LEARNER_ARGS = [f"--config={LEARNER_CONFIG}"]
#: a course leader's own server's configuration (its cookies SameSite, as every server's)
LEADER_CONFIG = Path(__file__).with_name("leader_server_config.py")
LEADER_ARGS = [f"--config={LEADER_CONFIG}"]
#: the learner's home app, "Mina moduler" (see ``grading.servers.serve.HOME_NOTEBOOK``)
HOME_APP = "mina-moduler.ipynb"


def term_for_int(sig: int) -> int:
    """The signal to send a Jupyter server for ``sig``: SIGTERM for SIGINT.

    JupyterHub stops a server with SIGINT, then SIGTERM, then SIGKILL. A Jupyter
    server without a terminal installs no SIGINT handler: SIGINT ends its event loop
    at once, without shutting its kernels down, and they are left running until they
    notice ("Parent appears to have exited"), or the process hangs on a worker thread.
    On SIGTERM it shuts its kernels and extensions down and exits.
    """
    return signal.SIGTERM if sig == signal.SIGINT else sig


class CirkelSpawner(SimpleLocalProcessSpawner):
    """Starts ``jupyterhub-singleuser`` as a course leader's own JupyterLab or a learner's Voilà."""

    accounts_file = Unicode(help="SQLite file with the accounts; says who is a learner.").tag(config=True)
    fork_learners = Bool(
        True, help="Fork learners' servers from one process that has imported them (grading.hub.server_zygote)."
    ).tag(config=True)

    def _account(self):
        return AccountStore(self.accounts_file).get(self.user.name)

    async def start(self):
        account = self._account()
        role = account.role if account else "deltagare"  # unknown: the safest role
        if role == "deltagare":
            # "Mina moduler" when the learner's home has it (installed by cirkel), else Voilà's tree
            home = Path(self.home_dir_template.format(username=self.user.name))
            has_home_app = (home / HOME_APP).is_file()
            self.default_url = f"/voila/render/{HOME_APP}" if has_home_app else "/voila/tree"
            self.notebook_dir = ""
        else:
            # the leader's own JupyterLab in their home; each course run is a service of its own
            # (grading.hub.runs), where formgrader and the report work on that run
            self.default_url = "/lab"
            self.notebook_dir = ""
        self._cirkel_role = role
        if role == "deltagare" and self.fork_learners:
            started = await self._start_forked()
            if started is not None:
                return started
        return await super().start()

    async def _start_forked(self) -> tuple[str, int] | None:
        """``LocalProcessSpawner.start`` with the server forked from the hub's zygote; ``None``: start it stock."""
        if self.port == 0:  # type: ignore[has-type]  # a traitlet of JupyterHub's
            self.port = random_port()
        env = self.get_env()
        cmd = [*self.cmd, *self.get_args()]
        if self.shell_cmd or self.popen_kwargs or not server_zygote.forkable(cmd):
            return None
        zygote = await asyncio.to_thread(server_zygote.shared_zygote, env)
        if zygote is None:
            return None
        self.log.info("Forking %s for %s", " ".join(shlex.quote(s) for s in cmd), self.user.name)
        self.pid = await asyncio.to_thread(zygote.fork, cmd, env, self.home_dir)
        self.proc = None  # not our child: polled and signalled by its pid, as after a hub restart
        return (self.ip or "127.0.0.1", self.port)

    async def _signal(self, sig):
        """SIGTERM where JupyterHub sends SIGINT first: see :func:`grading.hub.spawner.term_for_int`."""
        return await super()._signal(term_for_int(sig))

    def get_args(self):
        args = super().get_args()
        if getattr(self, "_cirkel_role", "deltagare") == "deltagare":
            args += LEARNER_ARGS  # the lockdown, and every kernel limit (learner_server_config.py)
        else:
            # a leader's own JupyterLab: SameSite cookies, idle kernels no browser holds are shut
            args += LEADER_ARGS + cull_arguments()
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        return args

    def get_env(self):
        env = super().get_env()
        # the venv's bin first: nbgrader calls `alembic`, and the server must find our packages
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", os.defpath)])
        # Cirkel's Voilà template (``cirkel``) lives in a Jupyter data folder of the repository
        from grading.servers.serve import TEMPLATE_ROOT

        env["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATE_ROOT), *filter(None, [env.get("JUPYTER_PATH")])])
        if getattr(self, "_cirkel_role", "deltagare") == "deltagare":
            # the answer keys of the learner's runs, outside their home: read by their kernels
            # for feedback, never served (grading.course_runs.answer_keys)
            account = self._account()
            env.update(keys_env(run_dir for _course, run_dir in (account.runs if account else ())))
        return env
