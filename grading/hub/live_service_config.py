# Jupyter Server configuration of a course run's live service (loaded with --config): the
# group quiz, live talarstatistik and shared plan for everyone in the run. It is locked
# down like a learner's server (Voilà only, widget messages only, no code of anyone's own)
# and tells each app's kernel who opened it, because one server serves the whole run.
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

import os  # noqa: E402

c.ServerApp.terminals_enabled = False
c.ServerApp.authorizer_class = "grading.hub.lockdown.LearnerAuthorizer"
c.ServerApp.kernel_websocket_connection_class = "grading.hub.lockdown.WidgetOnlyConnection"
c.ServerApp.jpserver_extensions = {
    name: False
    for name in (
        "jupyterlab", "notebook", "jupyter_lsp", "jupyter_server_terminals", "notebook_shim",
        "jupyter_server_ydoc", "jupyter_collaboration", "jupyter_server_fileid",
        "nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.validate_assignment",
        "nbgrader.server_extensions.assignment_list", "nbgrader.server_extensions.course_list",
    )
} | {"voila": True}

from grading.hub.voila_settings import apply  # noqa: E402

apply(c)
from grading.hub.viewer import tell_kernel_the_viewer  # noqa: E402

c.VoilaConfiguration.prelaunch_hook = tell_kernel_the_viewer
