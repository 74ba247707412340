# JupyterHub configuration for Cirkel on one machine: everything lives in grading.hub.config.
# Data folder: $CIRKEL_HUB_DIR (default <repo>/.cirkel/hub); address: $CIRKEL_HUB_IP:$CIRKEL_HUB_PORT.
import os

from grading.hub.config import configure

configure(
    get_config(),  # noqa: F821  (provided by JupyterHub when it loads this file)
    ip=os.environ.get("CIRKEL_HUB_IP", "127.0.0.1"),
    port=int(os.environ.get("CIRKEL_HUB_PORT", "8000")),
)
