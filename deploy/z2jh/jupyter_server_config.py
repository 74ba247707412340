"""Jupyter server settings of the Cirkel single-user image (copied to /etc/jupyter/).

Cirkel's Voilà settings, the same ones every Cirkel server loads
(``grading.servers.voila_settings``). A learner's pod adds the lockdown with
``--config=/opt/cirkel/grading/hub/learner_server_config.py`` (set by the hub,
``grading.hub.k8s``): Voilà only, and only widget messages to the kernel (and no
real-time collaboration). A leader's run server collaborates; its state is placed below.
"""

from grading.hub.cookies import server_cookies
from grading.servers.kernel_limits import cull_idle_kernels
from grading.servers.lab_offline import stay_home
from grading.servers.voila_settings import apply

c = get_config()  # noqa: F821

apply(c)
server_cookies(c)  # SameSite on the server's own cookies (grading/hub/cookies.py)
# every pod: a kernel no browser holds is shut when idle (grading.servers.kernel_limits)
cull_idle_kernels(c)
stay_home(c)  # JupyterLab asks no other host: no news feed, no update check, no PyPI extension manager

# A learner's pod lands on "Mina moduler" (singleuser.defaultUrl): its notebook goes into the
# learner's own home volume before the server serves it (grading.hub.k8s.install_home_app).
from pathlib import Path  # noqa: E402

from widgets.core.settings import cirkel_settings  # noqa: E402

_settings = cirkel_settings(c)  # the role and run KubeSpawner put in the pod's environment
if _settings.role == "deltagare":
    from grading.hub.k8s import install_home_app
    from grading.hub.k8s_learner import fetch_at_start, keep_fetching, learners

    install_home_app(Path.home())
    # her learner files and her runs' released modules, as her uid, never replacing what she has
    fetch_at_start(Path.home(), _settings.learner)
    for _run in learners(Path.home(), _settings.learner):  # a run's own workspace has its "Mina moduler"
        install_home_app(_run.workspace)
    # and a module released while her server runs, within a minute
    keep_fetching(Path.home(), _settings.learner)

# A course leader's run server (the hub sets its run setting there): JupyterLab with real-time
# collaboration (jupyter-collaboration), whose state stays in the pod's own home. The run folder
# lies on a ReadWriteMany volume that every leader of the run mounts in a server of their own,
# and SQLite must not be written from two pods over a network file system. On one machine the
# run's single service keeps this state in the run (grading/hub/run_service_config.py).
if _settings.run:
    from grading.servers.csp import apply_server

    apply_server(c, lab=True)  # JupyterLab needs more of the Content-Security-Policy than Voilà
    _state = Path.home() / ".cirkel" / "samarbete"
    _state.mkdir(mode=0o700, parents=True, exist_ok=True)
    c.SQLiteYStore.db_path = str(_state / "ystore.db")
    c.SQLiteYStore.squash_after_inactivity_of = 24 * 3600  # as on one machine
    c.BaseFileIdManager.db_path = str(_state / "file_id_manager.db")
    c.YDocExtension.session_store_path = str(_state / "collaboration_sessions.json")
