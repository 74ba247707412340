# Jupyter Server configuration of a course run's service (loaded with --config): the
# course leaders' JupyterLab in the run's folder, with nbgrader's formgrader for the
# run's gradebook, Cirkel's Voilà apps (the completion report) in Cirkel's template, and
# real-time collaboration (jupyter-collaboration), so that the leaders of a run who have
# the same notebook open (the big screen and a co-leader's laptop) edit it together.
import os
from pathlib import Path

from widgets.core.settings import cirkel_settings

c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.hub.cookies import server_cookies  # noqa: E402
from grading.servers.kernel_limits import cull_idle_kernels  # noqa: E402
from grading.servers.voila_settings import apply  # noqa: E402

apply(c)
server_cookies(c)
# the course leaders' JupyterLab needs more of the Content-Security-Policy than Voilà does
from grading.servers.csp import apply_server  # noqa: E402

apply_server(c, lab=True)
# a kernel no browser holds (a closed app or notebook tab) is shut when idle
cull_idle_kernels(c)
# jupyter_server_ydoc (real-time collaboration) and jupyter_server_fileid (the ids it keeps
# documents by) are enabled by their own jupyter_server_config.d files; named here so the
# service has them whatever another config file says.
c.ServerApp.jpserver_extensions = {
    "voila": True,
    "jupyter_server_ydoc": True,
    "jupyter_server_fileid": True,
    "grading.servers.statement_server": True,  # the accessibility statement the apps' footers link to
}
# no news feed, no update check, no PyPI extension manager: nothing asked of another host
from grading.servers.lab_offline import stay_home  # noqa: E402

stay_home(c)
# the leader's name reaches the app's kernel (for the log of who viewed whose data)
from grading.hub.viewer import tell_kernel_the_viewer  # noqa: E402

c.VoilaConfiguration.prelaunch_hook = tell_kernel_the_viewer

# The shared documents' state lives in the course run (not in the leader's home, not in a
# module folder nbgrader copies): <run>/.jupyter/, hidden from JupyterLab's file browser.
# ystore.db keeps each open document's updates (its history: the timeline, and edits not yet
# saved when the service stops); file_id_manager.db the ids that follow a renamed file;
# collaboration_sessions.json tells a reconnecting browser whether its session still holds.
_state = Path(cirkel_settings(c).run or os.getcwd()).resolve() / ".jupyter"  # the run the hub names
_state.mkdir(mode=0o700, parents=True, exist_ok=True)
c.SQLiteYStore.db_path = str(_state / "ystore.db")
# a document's history (deleted text included) is squashed to its last state a day after its
# last edit: the notebook file is the record, the history only serves the meeting at hand
c.SQLiteYStore.squash_after_inactivity_of = 24 * 3600
c.BaseFileIdManager.db_path = str(_state / "file_id_manager.db")
c.YDocExtension.session_store_path = str(_state / "collaboration_sessions.json")
# stopped, it ends in about a second rather than five (no full garbage collection at exit)
from grading.system.quick_exit import install as _quick_exit  # noqa: E402

_quick_exit()
# its kernels listen below the ephemeral range, where no outgoing connection takes their ports
from grading.system.kernel_ports import use_ports_below_the_ephemeral_range  # noqa: E402

use_ports_below_the_ephemeral_range()
