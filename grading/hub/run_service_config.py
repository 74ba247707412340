# Jupyter Server configuration of a course run's service (loaded with --config): the
# course leaders' JupyterLab in the run's folder, with nbgrader's formgrader for the
# run's gradebook and Cirkel's Voilà apps (the completion report) in Cirkel's template.
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.hub.voila_settings import apply  # noqa: E402

apply(c)
c.ServerApp.jpserver_extensions = {"voila": True}
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# the leader's name reaches the app's kernel (for the log of who viewed whose data)
from grading.hub.viewer import tell_kernel_the_viewer  # noqa: E402

c.VoilaConfiguration.prelaunch_hook = tell_kernel_the_viewer
