"""Jupyter server settings of the Cirkel single-user image (copied to /etc/jupyter/).

Cirkel's Voilà settings, the same ones every Cirkel server loads
(``grading.hub.voila_settings``). A learner's pod adds the lockdown with
``--config=/opt/cirkel/grading/hub/learner_server_config.py`` (set by the hub,
``grading.hub.k8s``): Voilà only, and only widget messages to the kernel.
"""

from grading.hub.voila_settings import apply

c = get_config()  # noqa: F821

apply(c)
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
