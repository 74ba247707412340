"""Jupyter server settings of the Cirkel single-user image (copied to /etc/jupyter/).

The same Voilà settings ``grading.serve.server_command`` passes on one machine:
Cirkel's template, sources stripped, no tracebacks, the string table as a Jinja
filter, and static files limited to pictures and fetched nbgrader feedback.
"""

from widgets.home import FEEDBACK_ALLOWLIST

c = get_config()  # noqa: F821

c.VoilaConfiguration.template = "cirkel"
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
c.VoilaConfiguration.file_allowlist = [r".*\.(png|jpg|gif|svg)", FEEDBACK_ALLOWLIST]
c.VoilaExporter.filters = {"cirkel_t": "widgets.i18n.t"}
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
