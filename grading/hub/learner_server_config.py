# Jupyter Server configuration for a learner's single-user server (loaded with --config).
# Learners get Voilà and nothing else: no JupyterLab, no classic tree, no terminal,
# no formgrader, no kernels of their own, and a kernel websocket that only carries widgets.
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

c.ServerApp.terminals_enabled = False
c.ServerApp.authorizer_class = "grading.hub.lockdown.LearnerAuthorizer"
c.ServerApp.kernel_websocket_connection_class = "grading.hub.lockdown.WidgetOnlyConnection"
c.ServerApp.jpserver_extensions = {
    name: False
    for name in (
        "jupyterlab", "notebook", "jupyter_lsp", "jupyter_server_terminals", "notebook_shim",
        "nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.validate_assignment",
        "nbgrader.server_extensions.assignment_list", "nbgrader.server_extensions.course_list",
        # real-time collaboration is for the course run's JupyterLab only: a learner's server
        # neither shares documents nor keeps their history (nor the memory it takes)
        "jupyter_server_ydoc", "jupyter_server_fileid",
    )
} | {"voila": True}
# Cirkel's Swedish Voilà template and its string filter, as `cirkel serve` renders the apps
from grading.hub.voila_settings import apply, preheat  # noqa: E402

apply(c)
# "Mina moduler" and a module app drawn at once, the learner's own answers read at handover
preheat(c)
